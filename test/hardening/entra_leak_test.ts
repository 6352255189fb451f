/**
 * Leak scan of the move to Microsoft Entra ID: the readiness report (locked out and safe), the
 * disable it refuses, role assignments, ARM's and the data plane's teaching 403s, and the
 * device-code sign-in (its card, its credential, its failures), with the Azure SDK's logs at
 * verbose. No access key, connection string, identity header, access token, ID token, refresh
 * token or device code appears in any result, card, error, inspect view, console line or log.
 */
process.env.AZURE_LOG_LEVEL = "verbose"; // before @azure/logger is first loaded (lazily, below)

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as api from "../../mod.ts";
import { DeviceCodeStore } from "../../src/emulator/device_codes.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { renderError } from "../../src/render/render_error.ts";
import { connectTo, rejection, startKeysEmulator } from "../keys/_emulator.ts";
import {
  captureAzureLogs,
  captureOutput,
  everything,
  plainViews,
  recordSignedTokens,
  SecretBook,
} from "./_helpers.ts";

let emu: Emulator;
let book: SecretBook;
const logs: string[] = [];
const shown: string[] = [];
const grants = new Set<string>(); // every token, device code and refresh token the emulator made
let stopRecording: () => void;
const saved = {
  start: DeviceCodeStore.prototype.start,
  refresh: DeviceCodeStore.prototype.issueRefreshToken,
};

function show<T>(...values: T[]): T {
  for (const v of values) {
    shown.push(everything(v), plainViews(v));
    if (api.isDisplayable(v)) {
      const bundle = v.toMimeBundle();
      shown.push(JSON.stringify(bundle), String(bundle["text/html"]), bundle["text/plain"]);
    }
    if (v instanceof Error) shown.push(JSON.stringify(renderError(v)));
  }
  return values[0];
}

/** Waits for a new pending sign-in and approves (or declines) it, as the person would. */
async function answer(decline = false): Promise<void> {
  const pending = () => emu.control.deviceCodes().filter((d) => d.status === "pending");
  const earlier = new Set(pending().map((d) => d.userCode));
  for (let i = 0; i < 200; i++) {
    const fresh = pending().find((d) => !earlier.has(d.userCode));
    if (fresh) {
      if (decline) emu.control.declineDeviceCode(fresh.userCode);
      else emu.control.approveDeviceCode(fresh.userCode);
      return;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("no sign-in asked for a code");
}

beforeAll(async () => {
  stopRecording = recordSignedTokens(grants);
  DeviceCodeStore.prototype.start = function (...args: Parameters<typeof saved.start>) {
    const started = saved.start.apply(this, args);
    grants.add(started.deviceCode);
    return started;
  };
  DeviceCodeStore.prototype.issueRefreshToken = function (...args: Parameters<typeof saved.refresh>) {
    const t = saved.refresh.apply(this, args);
    grants.add(t);
    return t;
  };
  await captureAzureLogs(logs);
  emu = await startKeysEmulator();
  emu.control.setDeviceCodeTiming({ intervalSeconds: 0.1 });
  book = new SecretBook(emu);
});
afterAll(async () => {
  stopRecording();
  Object.assign(DeviceCodeStore.prototype, { start: saved.start, issueRefreshToken: saved.refresh });
  await emu?.stop();
});

describe("no secret leaves the move to Microsoft Entra ID", () => {
  it("through the readiness report, the refused disable, role assignments, 403s and the device-code sign-in", async () => {
    const { output } = await captureOutput(async () => {
      const ws = await connectTo(emu);
      // Locked out: the report, the refused disable (confirmed or not), a fix a Contributor may not make.
      const locked = show(await ws.keys.readiness());
      expect(locked.safe).toBe(false);
      show(await ws.keys.disable(), await ws.keys.disable({ confirm: true }));
      show(await rejection(locked.fix()));
      await api.display(locked);
      console.log(locked, `${locked}`, JSON.stringify(locked));
      console.table(locked);
      // The data plane's teaching 403 to an Entra caller without a data role.
      show(await rejection(connectTo(emu, { useEntraId: true })));
      // As an Owner: the fix, the safe report, the confirmation, the disable, the report with keys off.
      emu.control.setRole("Owner");
      show(await locked.fix(), await ws.keys.assignRole());
      const safe = show(await ws.keys.readiness());
      expect(safe.safe).toBe(true);
      show(await ws.keys.disable(), await ws.keys.disable({ confirm: true }), await ws.keys.readiness());
      show(await ws.keys.enable());
      // ARM's teaching 403 (a Reader lists keys).
      emu.control.setRole("Reader");
      show(await rejection(ws.keys.status()));
      emu.control.setRole("Owner");

      // The device-code sign-in, as the terminal shows it, its credential, and a workspace on it.
      const authority = { authorityHost: emu.authorityHost, ca: emu.caCertificate };
      const [credential] = await Promise.all([api.signIn(authority), answer()]);
      show(credential, credential.identity);
      await api.display(credential);
      console.log(credential, { credential });
      const viaSignIn = show(await connectTo(emu, { credential }));
      show(await viaSignIn.keys.readiness(), await viaSignIn.keys.status());
      const [declined] = await Promise.all([rejection(api.signIn(authority)), answer(true)]);
      show(declined);
      console.error(declined);
      show(await rejection(api.signIn({ ...authority, signal: AbortSignal.abort() })));
      book.snapshot();
    });
    shown.push(output, ...logs);
    expect(grants.size).toBeGreaterThan(5);
    book.add(...grants);
    book.expectAbsent(shown.join("\n"), "results, errors, cards, console and SDK logs of the Entra paths");
    expect(logs.length).toBeGreaterThan(0); // the SDK did log (verbose), and it was scanned
    console.info(
      `[hardening] Entra leak scan: ${book.all.length} secrets (keys, tokens, device codes, refresh tokens) searched in ` +
        `${(shown.join("").length / 1024).toFixed(0)} KB`,
    );
  });
});
