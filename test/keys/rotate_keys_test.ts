import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { readFileSync, statSync } from "node:fs";
import { parse } from "dotenv";
import type { Emulator } from "../../src/emulator/mod.ts";
import { isRotationError, type RotationError } from "../../src/errors.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { probeKey } from "../../src/keys/key_probe.ts";
import { NotApplied, RotationReport } from "../../src/keys/results.ts";
import {
  connectProject,
  connectTo,
  emulatorProject,
  expectNoSecrets,
  rejection,
  rotateUnderLoop,
  secretsSeen,
  startKeysEmulator,
} from "./_emulator.ts";

let emu: Emulator;
const secrets = secretsSeen(() => emu);
const FAST = { graceMs: 100, pollIntervalMs: 50, waitTimeoutMs: 5000 };

beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => {
  emu.control.setFaults([]);
  secrets();
});

/** A project folder whose .env holds the connection string between other lines. */
const project = () => emulatorProject(emu, `"${emu.connectionString.reveal()}"`);

function envKey(envFile: string) {
  return parseConnectionString(
    parse(readFileSync(envFile, "utf8")).AZURE_QUANTUM_CONNECTION_STRING!,
  ).apiKey!;
}

describe("KeyManager.rotate()", () => {
  it("rotates with zero failed requests, updates .env (other lines kept, 0600) and revokes the old key", async () => {
    const { dir, envFile, before } = project();
    const ws = await connectProject(dir);
    expect(ws.info.keySource).toMatchObject({ kind: "dotenv", path: envFile });
    const old = emu.control.keys();
    process.env.AZURE_QUANTUM_CONNECTION_STRING = emu.connectionString.reveal();

    const { report, ok, failures } = await rotateUnderLoop(ws, { confirm: true, ...FAST });
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(3);

    expect(report).toBeInstanceOf(RotationReport);
    const r = report as RotationReport;
    expect(r.completed).toBe(true);
    expect(r.steps.map((s) => [s.name, s.status])).toEqual([
      ["find key in use", "ok"],
      ["pick other key", "ok"],
      ["verify other key", "ok"],
      ["switch to other key", "ok"],
      ["regenerate old key", "ok"],
      ["verify old key rejected", "ok"],
      ["switch back", "ok"],
      ["verify final key", "ok"],
    ]);
    const now = emu.control.keys();
    expect(now.secondary.equals(old.secondary)).toBe(true);
    expect(now.primary.equals(old.primary)).toBe(false);
    expect(r).toMatchObject({
      startSlot: "primary",
      endSlot: "primary",
      endFingerprint: now.primary.fingerprint,
    });
    expect(r.envFiles).toEqual([envFile]);
    expect(r.steps[3]!.detail).toBe(`kernel, environment, ${envFile} now use secondary ${old.secondary.fingerprint}`);
    expect(ws.liveKey!.key.equals(now.primary)).toBe(true);

    // .env: only the connection string changed, mode 0600, and it holds the new key
    expect(envKey(envFile).equals(now.primary)).toBe(true);
    const after = readFileSync(envFile, "utf8");
    const strip = (t: string) =>
      t.split("\n").filter((l) => !l.startsWith("AZURE_QUANTUM_CONNECTION_STRING="));
    expect(strip(after)).toEqual(strip(before));
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(
      parseConnectionString(process.env.AZURE_QUANTUM_CONNECTION_STRING!).apiKey!.equals(
        now.primary,
      ),
    ).toBe(true);
    delete process.env.AZURE_QUANTUM_CONNECTION_STRING;

    expect(await probeKey(ws, old.primary)).toBe("rejected");
    expect((await connectProject(dir)).liveKey!.key.equals(now.primary)).toBe(true);

    const bundle = r.toMimeBundle();
    expect(bundle["text/plain"]).toMatch(/^Key rotation of emulator-ws: done in \d+ ms/);
    expect(bundle["text/plain"]).toContain(
      `primary: ${old.primary.fingerprint} → ${now.primary.fingerprint}`,
    );
    expect(bundle["text/html"]).toContain("switch back");
    expectNoSecrets(secrets(), r, bundle);
  });

  it("with stayOnOther ends on the other key", async () => {
    const { dir, envFile } = project();
    const ws = await connectProject(dir);
    const old = emu.control.keys();
    const r = await ws.keys.rotate({ confirm: true, stayOnOther: true, ...FAST }) as RotationReport;
    expect(r.steps.find((s) => s.name === "switch back")).toMatchObject({ status: "skipped" });
    expect(r.endSlot).toBe("secondary");
    expect(ws.liveKey!.key.equals(old.secondary)).toBe(true);
    expect(envKey(envFile).equals(old.secondary)).toBe(true);
    expect(await probeKey(ws, old.primary)).toBe("rejected");
    expectNoSecrets(secrets(), r);
  });

  it("stops at a persistent 500 on regenerate with a working key in the kernel and .env", async () => {
    const { dir, envFile } = project();
    const ws = await connectProject(dir);
    const old = emu.control.keys();
    emu.control.setFaults([{
      fault: 500,
      count: Infinity,
      listener: "arm",
      method: "POST",
      path: "/regenerateKey",
    }]);
    const e = await rejection(ws.keys.rotate({ confirm: true, ...FAST }));
    expect(isRotationError(e)).toBe(true);
    const err = e as RotationError;
    expect(err.stoppedAt).toBe("regenerate old key");
    expect(err.message).toMatch(
      /^Cannot rotate the access keys of workspace "emulator-ws": step "regenerate old key" failed: Cannot regenerate the primary key of workspace "emulator-ws": Azure Resource Manager answered 500 \(InternalServerError: /,
    );
    expect(err.message).toContain(
      `This kernel and .env use the secondary key ${old.secondary.fingerprint}, which works.`,
    );
    expect(emu.control.requestCount({ path: "/regenerateKey" })).toBeGreaterThan(1); // retried, then gave up
    emu.control.setFaults([]);

    expect((await ws.listTargets()).length).toBeGreaterThan(0);
    expect(ws.liveKey!.key.equals(old.secondary)).toBe(true);
    expect(envKey(envFile).equals(old.secondary)).toBe(true);
    expect((await (await connectProject(dir)).listTargets()).length).toBeGreaterThan(0);
    expect(emu.control.keys().primary.equals(old.primary)).toBe(true);

    const report = err.report as RotationReport;
    expect(report.stoppedAt).toBe("regenerate old key");
    expect(report.steps.at(-1)).toMatchObject({ name: "regenerate old key", status: "failed" });
    expect(report.toMimeBundle()["text/plain"]).toMatch(
      /^Key rotation of emulator-ws: stopped at "regenerate old key"/,
    );
    expectNoSecrets(secrets(), err, report);
  });

  it("a failing .env write leaves the live key and .env on the old key, which works", async () => {
    const { dir, envFile, before } = project();
    const ws = await connectProject(dir);
    const old = emu.control.keys();
    const e = await rejection(ws.keys.rotate({
      confirm: true,
      ...FAST,
      envFileOptions: {
        fs: { rename: () => Promise.reject(Object.assign(new Error("EIO"), { code: "EIO" })) },
      },
    }));
    expect(e).toMatchObject({ name: "RotationError", stoppedAt: "switch to other key" });
    expect(e.message).toContain(
      `This kernel uses the primary key ${old.primary.fingerprint}, which works.`,
    );
    expect(ws.liveKey!.key.equals(old.primary)).toBe(true);
    expect(readFileSync(envFile, "utf8")).toBe(before);
    expect((await ws.listTargets()).length).toBeGreaterThan(0);
    expect(emu.control.keys().primary.equals(old.primary)).toBe(true);
    expectNoSecrets(secrets(), e);
  });

  it("is not applicable with Microsoft Entra ID", async () => {
    emu.control.assignRole("Quantum Workspace Data Contributor"); // Entra callers need a data role
    const ws = await connectTo(emu, { useEntraId: true });
    const r = await ws.keys.rotate({ confirm: true });
    expect(r).toBeInstanceOf(NotApplied);
    expect(r).toMatchObject({ reason: "not-applicable" });
    expect((r as NotApplied).message).toContain("Microsoft Entra ID");
  });
});
