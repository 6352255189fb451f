// keys.rotate() with the connection string in Key Vault: each switch is preceded by a new secret
// version (content type, tags), read back before the kernel moves to it; the .env keeps its
// reference (a pinned one is rewritten to the new version); a loop using the workspace sees no
// failure; a failed vault step stops the rotation with a key that works in the kernel and as
// the vault's latest version, and says so.
import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { CONNECTION_STRING_CONTENT_TYPE } from "../../src/config/key_vault_source.ts";
import { connect } from "../../src/connect.ts";
import type { KeyVaultOrigin } from "../../src/connection/connection_info.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { isRotationError, type RotationError } from "../../src/errors.ts";
import { pinnedReference } from "../../src/key_vault/write_back.ts";
import type { RotationReport } from "../../src/keys/results.ts";
import type { ProgressSink } from "../../src/progress.ts";
import { VERSION } from "../../src/version.ts";
import {
  connectProject,
  emulatorProject,
  expectNoSecrets,
  FAST_RETRY,
  rejection,
  rotateUnderLoop,
  secretsSeen,
  startKeysEmulator,
} from "../keys/_emulator.ts";

let emu: Emulator;
const secrets = secretsSeen(() => emu);
const FAST = { graceMs: 100, pollIntervalMs: 20, waitTimeoutMs: 5000 };

beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => {
  emu.control.setFaults([]);
  forgetKeyVaultSecrets();
  secrets();
});

const uri = (name: string, version = "") => `${emu.keyVaultUrl}secrets/${name}/${version}`;
const reference = (name: string, version?: string) => `@Microsoft.KeyVault(SecretUri=${uri(name, version)})`;
const keyIn = (value: string) => parseConnectionString(value).apiKey!;

/** A project whose .env holds `reference` between other lines, and the emulator's settings. */
const project = (ref: string) => emulatorProject(emu, ref);

/** A sink that runs `onStep` when a rotation step starts (to inject a fault at that point). */
function stepHook(onStep: (step: string) => void): ProgressSink {
  return {
    start: () => ({ update: onStep, done: () => Promise.resolve(), fail: () => Promise.resolve() }),
  };
}

describe("keys.rotate() with the key in Key Vault", () => {
  it("stores each key as a read-back version before switching; 0 failed requests in a loop; the .env keeps its reference", async () => {
    emu.control.vault.setSecret("quantum", emu.connectionString.reveal());
    const { dir, envFile, before } = project(reference("quantum"));
    const ws = await connectProject(dir);
    const old = emu.control.keys();
    // When the kernel's key is swapped, how far the emulator's log had got.
    const swaps: number[] = [];
    const swap = ws.liveKey!.swap.bind(ws.liveKey!);
    ws.liveKey!.swap = (key) => {
      swaps.push(emu.control.requestLog().at(-1)!.seq);
      return swap(key);
    };
    emu.control.resetLog();

    const run = await rotateUnderLoop(ws, { confirm: true, ...FAST }, 20);
    const { ok, failures } = run;
    const report = run.report as RotationReport;
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(3);

    expect(report.completed).toBe(true);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ["find key in use", "ok"],
      ["pick other key", "ok"],
      ["verify other key", "ok"],
      ["store other key in Key Vault", "ok"],
      ["switch to other key", "ok"],
      ["regenerate old key", "ok"],
      ["verify old key rejected", "ok"],
      ["store new key in Key Vault", "ok"],
      ["switch back", "ok"],
      ["verify final key", "ok"],
    ]);
    // Only the kernel switched (the .env keeps its reference): one subject, "uses".
    expect(report.steps[4]!.detail).toBe(`kernel now uses secondary ${old.secondary.fingerprint}`);
    const now = emu.control.keys();
    const versions = emu.control.vault.versions("quantum");
    expect(versions).toHaveLength(3);
    const [, other, fresh] = versions;
    expect(keyIn(other!.value.reveal()).equals(old.secondary)).toBe(true);
    expect(keyIn(fresh!.value.reveal()).equals(now.primary)).toBe(true);
    const workspaceId = `/subscriptions/${emu.workspace.subscriptionId}/resourceGroups/emulator-rg` +
      "/providers/Microsoft.Quantum/workspaces/emulator-ws";
    for (const [v, slot, key] of [[other!, "secondary", old.secondary], [fresh!, "primary", now.primary]] as const) {
      expect(v.contentType).toBe(CONNECTION_STRING_CONTENT_TYPE);
      expect(v.tags).toEqual({
        "azure-quantum-workspace": workspaceId,
        "azure-quantum-key": slot,
        "azure-quantum-key-fingerprint": key.fingerprint,
        "written-by": `azure-quantum-notebook/${VERSION}`,
      });
    }
    expect(report.steps[3]!.detail).toBe(
      `Key Vault secret "quantum" in ${emu.keyVaultUrl.slice(8, -1)}: version ${other!.version} holds the ` +
        `secondary key ${old.secondary.fingerprint} (read back)`,
    );
    expect(report.keyVaultVersions).toEqual([uri("quantum", other!.version), uri("quantum", fresh!.version)]);
    expect(report.toMimeBundle()["text/plain"]).toContain(
      `Key Vault secret versions written: ${uri("quantum", other!.version)}, ${uri("quantum", fresh!.version)}.`,
    );
    expect(report.envFiles).toEqual([]);
    expect(report.warnings).toEqual([]);

    // Each write and its read-back came before the swap to that key, and before any revocation.
    const log = emu.control.requestLog();
    const seqOf = (method: string, path: string) => log.find((e) => e.method === method && e.path === path)!.seq;
    const readBack1 = seqOf("GET", `/secrets/quantum/${other!.version}`);
    const readBack2 = seqOf("GET", `/secrets/quantum/${fresh!.version}`);
    const regenerate = log.find((e) => e.path.endsWith("/regenerateKey"))!.seq;
    expect(swaps).toHaveLength(2);
    expect(readBack1).toBeLessThanOrEqual(swaps[0]!);
    expect(swaps[0]!).toBeLessThan(regenerate);
    expect(regenerate).toBeLessThan(readBack2);
    expect(readBack2).toBeLessThanOrEqual(swaps[1]!);

    // The .env still holds the (versionless) reference, byte for byte.
    expect(readFileSync(envFile, "utf8")).toBe(before);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(ws.liveKey!.key.equals(now.primary)).toBe(true);
    expect(ws.info.keySource?.keyVault).toMatchObject({ version: fresh!.version, pinned: false });

    // A later connect in this process uses the new key without asking the vault.
    emu.control.resetLog();
    const again = await connectProject(dir);
    expect(again.liveKey!.key.equals(now.primary)).toBe(true);
    expect(emu.control.requestCount({ listener: "vault" })).toBe(0);
    expectNoSecrets(secrets(), report, ws, ws.info, again);
  });

  it("a pinned reference is rewritten to the new version: in the .env (other lines kept) and in the environment", async () => {
    const first = emu.control.vault.setSecret("pinned", emu.connectionString.reveal());
    const { dir, envFile, before } = project(reference("pinned", first.version));
    const ws = await connectProject(dir);
    expect(ws.info.keySource?.keyVault).toMatchObject({ pinned: true, version: first.version });
    const report = await ws.keys.rotate({ confirm: true, ...FAST }) as RotationReport;
    const latest = emu.control.vault.secret("pinned")!;
    expect(report.envFiles).toEqual([envFile]);
    // Only that line changed (the .env writer quotes the new value).
    const after = readFileSync(envFile, "utf8");
    expect(after).toBe(
      before.replace(reference("pinned", first.version), `'${reference("pinned", latest.version)}'`),
    );
    expect(ws.info.keySource?.keyVault).toMatchObject({ pinned: true, version: latest.version });
    forgetKeyVaultSecrets(); // a new process: reads the version the .env names now
    const again = await connectProject(dir);
    expect(again.liveKey!.key.equals(emu.control.keys().primary)).toBe(true);

    // In the environment (the env option stands for the process environment here).
    const second = emu.control.vault.secret("pinned")!.version;
    const env = { ...emu.revealEnv(), AZURE_QUANTUM_CONNECTION_STRING: reference("pinned", second) };
    const fromEnv = await connect({ env, envFile: false, retry: FAST_RETRY, progress: false });
    await fromEnv.keys.rotate({ confirm: true, ...FAST, stayOnOther: true });
    const third = emu.control.vault.secret("pinned")!.version;
    expect(env.AZURE_QUANTUM_CONNECTION_STRING).toBe(reference("pinned", third));
    expect(third).not.toBe(second);
  });

  it("a pinned reference given as an argument cannot be rewritten: the report says what to pass", async () => {
    const first = emu.control.vault.setSecret("arg-pinned", emu.connectionString.reveal());
    const ws = await connect({
      env: emu.revealEnv(),
      envFile: false,
      connectionString: reference("arg-pinned", first.version),
      retry: FAST_RETRY,
      progress: false,
    });
    const report = await ws.keys.rotate({ confirm: true, ...FAST, stayOnOther: true }) as RotationReport;
    const latest = emu.control.vault.secret("arg-pinned")!.version;
    expect(report.warnings).toEqual([
      `The connectionString argument pins version ${first.version} of the Key Vault secret "arg-pinned": ` +
        `pass ${reference("arg-pinned", latest)} next time, or leave the version out to follow the latest.`,
    ]);
  });

  it("a write the vault refuses stops before any switch: kernel, keys and secret unchanged, and it says so", async () => {
    emu.control.vault.setSecret("readonly", emu.connectionString.reveal());
    const { dir, envFile, before } = project(reference("readonly"));
    const ws = await connectProject(dir);
    const old = emu.control.keys();
    const version = emu.control.vault.secret("readonly")!.version;
    emu.control.vault.unassignRole("Key Vault Secrets Officer");
    emu.control.vault.assignRole("Key Vault Secrets User");
    let e: RotationError;
    try {
      e = await rejection(ws.keys.rotate({ confirm: true, ...FAST })) as RotationError;
    } finally {
      emu.control.vault.unassignRole("Key Vault Secrets User");
      emu.control.vault.assignRole("Key Vault Secrets Officer");
    }
    expect(isRotationError(e)).toBe(true);
    expect(e.stoppedAt).toBe("store other key in Key Vault");
    expect(e.message).toMatch(
      new RegExp(
        `^Cannot rotate the access keys of workspace "emulator-ws": step "store other key in Key Vault" failed: ` +
          `Cannot write a new version of the Key Vault secret "readonly" in [^:]+:\\d+: the identity [0-9a-f-]+ ` +
          `lacks the role "Key Vault Secrets Officer" on the vault \\(403 ForbiddenByRbac\\)\\. .*\\. ` +
          `This kernel uses the primary key ${old.primary.fingerprint}, and version ${version} of the Key Vault ` +
          `secret "readonly" holds the same key: it works\\. See the error's report, fix the cause and run keys.rotate\\(\\) again$`,
      ),
    );
    expect(ws.liveKey!.key.equals(old.primary)).toBe(true);
    expect(emu.control.keys().primary.equals(old.primary)).toBe(true);
    expect(emu.control.vault.versions("readonly")).toHaveLength(1);
    expect(readFileSync(envFile, "utf8")).toBe(before);
    expectNoSecrets(secrets(), e);
  });

  it("a failed read-back of the second version leaves the first (which works) as the latest, and says so", async () => {
    emu.control.vault.setSecret("half", emu.connectionString.reveal());
    const { dir } = project(reference("half"));
    const old = emu.control.keys();
    const ws = await connectProject(dir, {
      progress: stepHook((step) => {
        if (step === "store new key in Key Vault") {
          emu.control.setFaults([{ fault: 500, listener: "vault", method: "GET", path: "/secrets/half/", count: 5 }]);
        }
      }),
    });
    const e = await rejection(ws.keys.rotate({ confirm: true, ...FAST })) as RotationError;
    emu.control.setFaults([]);
    expect(e.stoppedAt).toBe("store new key in Key Vault");
    const versions = emu.control.vault.versions("half");
    expect(versions).toHaveLength(3); // the third was written, its read-back failed
    const second = versions[1]!;
    expect(keyIn(second.value.reveal()).equals(old.secondary)).toBe(true);
    expect(e.message).toContain(
      `step "store new key in Key Vault" failed: Cannot read back the new version of the Key Vault secret "half" ` +
        `(version ${versions[2]!.version}) in `,
    );
    expect(e.message).toContain(
      `This kernel uses the secondary key ${old.secondary.fingerprint}, and version ${second.version} of the ` +
        `Key Vault secret "half" holds the same key: it works.`,
    );
    // Both keys the vault may now hand out work: the secondary, and the new primary.
    expect(ws.liveKey!.key.equals(old.secondary)).toBe(true);
    expect(keyIn(versions[2]!.value.reveal()).equals(emu.control.keys().primary)).toBe(true);
    expect((await connectProject(dir, { refresh: true })).liveKey!.key.equals(emu.control.keys().primary)).toBe(true);
    expectNoSecrets(secrets(), e);
  });

  it("without confirm, says the vault gets a new version", async () => {
    emu.control.vault.setSecret("ask", emu.connectionString.reveal());
    const ws = await connectProject(project(reference("ask")).dir);
    const r = await ws.keys.rotate();
    expect(r.applied).toBe(false);
    expect((r as { message: string }).message).toContain(
      'the Key Vault secret "ask" gets a new version and this kernel switches to it.',
    );
  });
});

describe("pinnedReference", () => {
  const origin = (syntax: KeyVaultOrigin["syntax"]): KeyVaultOrigin => ({
    vaultUrl: "https://myvault.vault.azure.net/",
    vaultName: "myvault",
    secretName: "quantum",
    version: "0".repeat(32),
    pinned: true,
    syntax,
    createdOn: undefined,
    readAt: "2026-11-30T00:00:00.000Z",
  });
  it("keeps the form the user wrote", () => {
    const v = "a".repeat(32);
    expect(pinnedReference(origin("VaultName"), v)).toBe(
      `@Microsoft.KeyVault(VaultName=myvault;SecretName=quantum;SecretVersion=${v})`,
    );
    expect(pinnedReference(origin("SecretUri"), v)).toBe(
      `@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/quantum/${v})`,
    );
  });
});
