import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EnvironmentCredential } from "@azure/identity";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Emulator } from "../../src/emulator/mod.ts";
import { isQuantumError } from "../../src/errors.ts";
import { isArmError, isNetworkError, isUnauthorizedError } from "../../src/request_errors.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { probeKey } from "../../src/keys/key_probe.ts";
import {
  KeyStatus,
  KeyToggleResult,
  NotApplied,
  RegenerateResult,
} from "../../src/keys/results.ts";
import type { Workspace } from "../../src/workspace/workspace.ts";
import {
  connectTo,
  expectNoSecrets,
  rejection,
  secretsSeen,
  startKeysEmulator,
} from "./_emulator.ts";

let emu: Emulator;
let ws: Workspace;
const secrets = secretsSeen(() => emu);

beforeAll(async () => {
  emu = await startKeysEmulator();
  ws = await connectTo(emu);
});
afterAll(() => emu.stop());
beforeEach(() => {
  emu.control.setRole("Owner");
  emu.control.setFaults([]);
  if (!emu.control.keys().enabled) emu.control.setKeysEnabled(true);
  secrets();
});

describe("KeyManager.status()", () => {
  it("shows both fingerprints, their age and the key in use, never a key", async () => {
    const keys = emu.control.keys();
    const status = await ws.keys.status();
    expect(status).toBeInstanceOf(KeyStatus);
    expect(status.apiKeyEnabled).toBe(true);
    expect(status.primary?.fingerprint).toBe(keys.primary.fingerprint);
    expect(status.secondary?.fingerprint).toBe(keys.secondary.fingerprint);
    expect(status.primary?.createdAt).toBe(keys.primaryCreatedAt);
    expect(status.primary?.ageMs).toBeGreaterThanOrEqual(0);
    expect(status.inUse).toBe("primary");
    expect(status.inUseText).toBe(`primary (${keys.primary.fingerprint})`);
    const bundle = status.toMimeBundle();
    expect(bundle["text/plain"]).toMatch(
      new RegExp(`Primary: +${keys.primary.fingerprint}, created`),
    );
    // The emulator's ARM endpoint is not Azure's: the card says where the token went.
    expect(bundle["text/plain"]).toMatch(
      /Resource Manager: +https:\/\/127\.0\.0\.1:\d+ \(from env AZURE_QUANTUM_ARM_ENDPOINT\)/,
    );
    expect(bundle["text/plain"]).toContain("← in use");
    expect(bundle["text/html"]).toContain("Enabled");
    expect(bundle["application/json"]).toMatchObject({ inUse: "primary", apiKeyEnabled: true });
    expect(status[Symbol.for("Jupyter.display") as never]).toBeTypeOf("function");
    expectNoSecrets(secrets(), status, bundle);
  });

  it("says 'neither' when the kernel's key was regenerated elsewhere, and Entra when keyless", async () => {
    const stale = await connectTo(emu);
    emu.control.assignRole("Quantum Workspace Data Contributor"); // Entra callers need a data role
    const other = await connectTo(emu, { useEntraId: true });
    emu.control.regenerateKeys("primary");
    const status = await stale.keys.status();
    expect(status.inUse).toBe("neither");
    expect(status.inUseText).toMatch(
      /^neither \(the kernel's key sha256:[0-9a-f]{8} is not current: regenerated\?\)$/,
    );
    const entra = await other.keys.status();
    expect(entra.inUse).toBe("entra");
    expect(entra.inUseText).toBe("none: this kernel uses Microsoft Entra ID");
    expectNoSecrets(secrets(), status, entra);
    ws = await connectTo(emu); // the shared workspace's key was regenerated too
  });
});

describe("KeyManager.disable() / enable()", () => {
  it("disables (confirmed): the data plane answers 401 with the keys-disabled hint; enable restores 200", async () => {
    const disabled = await ws.keys.disable({
      confirm: true,
      waitForDataPlane: true,
      pollIntervalMs: 50,
    });
    expect(disabled).toBeInstanceOf(KeyToggleResult);
    if (!(disabled instanceof KeyToggleResult)) return;
    expect([disabled.before, disabled.after]).toEqual([true, false]);
    expect(disabled.putStatus).toBe(201);
    expect(disabled.polls).toBeGreaterThanOrEqual(1);
    expect(disabled.dataPlane).toMatchObject({ reached: true, verdict: "rejected" });
    expect(emu.control.keys().enabled).toBe(false);
    expect(disabled.toMimeBundle()["text/plain"]).toMatch(/Before: +enabled\nAfter: +disabled/);

    const e = await rejection(ws.listTargets());
    expect(isUnauthorizedError(e)).toBe(true);
    expect(e.message).toContain(
      "access keys may be disabled for this workspace (check with `keys.status()`)",
    );
    expect((await ws.keys.status()).apiKeyEnabled).toBe(false);

    const enabled = await ws.keys.enable({ waitForDataPlane: true, pollIntervalMs: 50 });
    expect(enabled).toMatchObject({ applied: true, before: false, after: true });
    expect((await ws.listTargets()).length).toBeGreaterThan(0);
    expectNoSecrets(secrets(), disabled, enabled, e);
  });

  it("enable() when already enabled sends no PUT and says so", async () => {
    emu.control.resetLog();
    const result = await ws.keys.enable();
    expect(result).toBeInstanceOf(NotApplied);
    expect(result).toMatchObject({ applied: false, reason: "unchanged" });
    expect(emu.control.requestCount({ listener: "arm", method: "PUT" })).toBe(0);
  });
});

describe("unconfirmed destructive calls", () => {
  it("change nothing and send no PUT or regenerateKey", async () => {
    const before = emu.control.keys();
    emu.control.resetLog();
    const results = [
      await ws.keys.disable(),
      await ws.keys.regenerate("secondary"),
      await ws.keys.rotate(),
    ];
    for (const r of results) {
      expect(r).toBeInstanceOf(NotApplied);
      expect(r).toMatchObject({ applied: false, reason: "confirmation-required" });
      expect((r as NotApplied).message).toMatch(
        /^Not done: this would .*Run again with \{ confirm: true \}\.$/,
      );
      expect(r.toMimeBundle()["text/plain"]).toContain("Nothing was changed.");
    }
    expect((results[0] as NotApplied).message).toContain(
      "Every connection string and access key (primary " + before.primary.fingerprint,
    );
    expect((results[1] as NotApplied).message).toContain(
      `Every connection string using it stops working at once.`,
    );
    const after = emu.control.keys();
    expect(after.primary.equals(before.primary) && after.secondary.equals(before.secondary)).toBe(
      true,
    );
    expect(after.enabled).toBe(true);
    const arm = emu.control.requestLog({ listener: "arm" });
    expect(arm.filter((r) => r.method === "PUT" || r.method === "PATCH")).toEqual([]);
    expect(arm.filter((r) => r.method === "POST" && !r.path.endsWith("/listKeys"))).toEqual([]);
    expectNoSecrets(secrets(), ...results);
  });
});

describe("KeyManager.regenerate()", () => {
  it("regenerates the secondary: the old secondary gets 401, the primary is untouched", async () => {
    const before = emu.control.keys();
    const result = await ws.keys.regenerate("secondary", { confirm: true });
    expect(result).toBeInstanceOf(RegenerateResult);
    const after = emu.control.keys();
    expect(after.primary.equals(before.primary)).toBe(true);
    expect(after.secondary.equals(before.secondary)).toBe(false);
    expect((result as RegenerateResult).keys).toEqual([
      {
        slot: "secondary",
        before: before.secondary.fingerprint,
        after: after.secondary.fingerprint,
      },
    ]);
    expect(await probeKey(ws, before.secondary)).toBe("rejected");
    expect(await probeKey(ws, after.secondary)).toBe("accepted");
    expect((await ws.listTargets()).length).toBeGreaterThan(0);
    const log = emu.control.requestLog({ listener: "arm", path: "/regenerateKey" });
    expect(log.at(-1)?.status).toBe(204);
    expectNoSecrets(secrets(), result, result.toMimeBundle());
  });

  it("refuses the key in use (kernel or .env) without force, pointing at rotate()", async () => {
    emu.control.resetLog();
    for (const which of ["primary", "both"] as const) {
      const r = await ws.keys.regenerate(which, { confirm: true });
      expect(r).toMatchObject({ applied: false, reason: "key-in-use" });
      expect((r as NotApplied).message).toContain("this kernel uses the primary key");
      expect((r as NotApplied).message).toContain("keys.rotate({ confirm: true })");
    }
    const dir = mkdtempSync(join(tmpdir(), "aqn-keys-"));
    const envFile = join(dir, ".env");
    const secondary = (await ws.keys.connectionString("secondary")).reveal();
    writeFileSync(envFile, `AZURE_QUANTUM_CONNECTION_STRING=${secondary}\n`, { mode: 0o600 });
    const r = await ws.keys.regenerate("secondary", { confirm: true, envFile });
    expect(r).toMatchObject({ applied: false, reason: "key-in-use" });
    expect((r as NotApplied).message).toContain(`${envFile} holds the secondary key`);
    expect(emu.control.requestCount({ path: "/regenerateKey" })).toBe(0);
  });

  it("refuses while keys are disabled, explaining to enable first", async () => {
    emu.control.setKeysEnabled(false);
    const r = await ws.keys.regenerate("secondary", { confirm: true });
    expect(r).toMatchObject({ applied: false, reason: "keys-disabled" });
    expect((r as NotApplied).message).toContain("Enable them first with keys.enable()");
  });

  it("does not replay a dropped POST, and reports from listKeys that nothing happened", async () => {
    const before = emu.control.keys();
    emu.control.setFaults([{
      fault: "drop",
      listener: "arm",
      method: "POST",
      path: "/regenerateKey",
    }]);
    const e = await rejection(ws.keys.regenerate("secondary", { confirm: true }));
    expect(isNetworkError(e)).toBe(true);
    expect(e.message).toMatch(
      /connection dropped .* listKeys shows the keys unchanged: nothing was regenerated/,
    );
    expect(emu.control.requestCount({ path: "/regenerateKey" })).toBe(1);
    expect(emu.control.keys().secondary.equals(before.secondary)).toBe(true);
    expectNoSecrets(secrets(), e);
  });

  it("with force, regenerates the kernel's own key (its requests then fail)", async () => {
    const mine = await connectTo(emu);
    const r = await mine.keys.regenerate("primary", { confirm: true, force: true });
    expect(r).toMatchObject({ applied: true, kernelKeyRevoked: true });
    expect(isUnauthorizedError(await rejection(mine.listTargets()))).toBe(true);
    ws = await connectTo(emu);
  });
});

describe("KeyManager.connectionString()", () => {
  it("builds a masked connection string for the secondary key", async () => {
    const cs = await ws.keys.connectionString("secondary");
    expect(String(cs)).toMatch(/^•+ {2}sha256:[0-9a-f]{8}$/);
    const info = parseConnectionString(cs.reveal());
    expect(info.apiKey?.equals(emu.control.keys().secondary)).toBe(true);
    expect(info.workspaceName).toBe(emu.workspace.workspaceName);
    expectNoSecrets(secrets(), cs);
  });
});

describe("ARM errors", () => {
  it("Reader gets 403 with the role hint", async () => {
    emu.control.setRole("Reader");
    const e = await rejection(ws.keys.status());
    expect(isArmError(e)).toBe(true);
    expect(e).toMatchObject({ statusCode: 403, armCode: "AuthorizationFailed" });
    expect(e.message).toMatch(
      /^Cannot list the access keys of workspace "emulator-ws": Azure Resource Manager answered 403 \(AuthorizationFailed: /,
    );
    expect(e.message).toContain(
      'needs a role that allows "Microsoft.Quantum/workspaces/listKeys/action" on /subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/emulator-rg/providers/Microsoft.Quantum/workspaces/emulator-ws: "Contributor" (or "Owner")',
    );
    expect(e.message).toMatch(
      /runs: az role assignment create --role "Contributor" --assignee-object-id 00000000-0000-4000-8000-0000000000bb --scope "\/subscriptions\/[^"]+\/workspaces\/emulator-ws"$/,
    );
    expect((e as { requestId?: string }).requestId).toBeTruthy();
    const put = await rejection(ws.keys.disable({ confirm: true, force: true })); // the PUT's own 403
    expect(put).toMatchObject({ statusCode: 403, method: "PUT" });
    expect(emu.control.keys().enabled).toBe(true);
    expectNoSecrets(secrets(), e, put);
  });

  it("a credential that is unavailable becomes a sign-in hint, without secrets", async () => {
    const noCred = await connectTo(emu, { credential: new EnvironmentCredential() });
    const e = await rejection(noCred.keys.status());
    expect(isArmError(e) && isQuantumError(e)).toBe(true);
    expect(e).toMatchObject({ code: "CredentialUnavailable" });
    expect(e.message).toMatch(
      /^Cannot list the access keys of workspace "emulator-ws": no Microsoft Entra token/,
    );
    expect(e.message).toContain("run `az login`");
    expectNoSecrets(secrets(), e);
  });

  it("a wrong workspace name gets 404 with the names to check", async () => {
    const info = { ...ws.info, workspaceName: "no-such-ws" };
    const { Workspace } = await import("../../src/workspace/workspace.ts");
    const other = new Workspace(info, ws.options);
    const e = await rejection(other.keys.status());
    expect(e).toMatchObject({ statusCode: 404, armCode: "ResourceNotFound" });
    expect(e.message).toContain('Check the workspace name "no-such-ws"');
  });
});
