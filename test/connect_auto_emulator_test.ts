/**
 * `connect({ emulator: "auto" })`: with nothing configured it starts (or reuses) this process's
 * emulator, exports its variables into process.env, and `ws.close()` stops it and restores them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { connect, listTargets, quotas } from "../src/connect.ts";
import { fingerprint } from "../src/connection/secret.ts";
import { isConfigurationError } from "../src/errors.ts";
import { kernelEmulator } from "../src/start_emulator.ts";
import { EMULATOR_PRINCIPAL_ID } from "../src/emulator/mod.ts";
import { clearProcessEnv } from "./config/_process_env.ts";
import { expectNoSecrets, rejection } from "./keys/_emulator.ts";

const EXPORTED = [
  "AZURE_QUANTUM_CONNECTION_STRING",
  "AZURE_QUANTUM_ARM_ENDPOINT",
  "AZURE_QUANTUM_EMULATOR_CA",
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "AZURE_QUANTUM_KEY_VAULT_URL",
];
const AZURE_CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=real;" +
  "ApiKey=azure-key;QuantumEndpoint=https://westus.quantum.azure.com/;";
let restoreEnv: () => void;
let cwd: string;

beforeEach(() => {
  // A project with no .env, and a process environment with no Azure settings.
  cwd = mkdtempSync(join(tmpdir(), "aqn-auto-"));
  mkdirSync(join(cwd, ".git"));
  restoreEnv = clearProcessEnv(/^(AZURE_|IDENTITY_)/);
});
afterEach(async () => {
  await kernelEmulator()?.stop();
  restoreEnv();
});

const auto = (options = {}) => connect({ emulator: "auto", cwd, progress: false, ...options });

describe('connect({ emulator: "auto" })', () => {
  it("with nothing configured: starts the emulator, exports its variables, connects, and manages keys", async () => {
    const ws = await auto();
    const emulator = kernelEmulator()!;
    expect(emulator.running).toBe(true);
    expect(ws.info.isEmulator).toBe(true);
    expect(ws.info.endpoint).toBe(emulator.endpoint);
    expect(ws.info.sources.apiKey).toBe("env AZURE_QUANTUM_CONNECTION_STRING");
    for (const name of EXPORTED) expect(process.env[name], name).toBeTruthy();
    const card = ws.toMimeBundle()["text/plain"];
    expect(card).toMatch(/\nSetup: +emulator started in this kernel by connect\(\{ emulator: "auto" \}\): ws\.close\(\) stops it\n/);
    expect(card).toContain("[Emulator]");
    expect(ws.settings.credentialSource).toBe("managed identity of this kernel's emulator");
    const status = await ws.keys.status();
    expect(status.inUse).toBe("primary");
    // Its identity owns the resource group (it may assign roles: readiness.fix()), with no data role.
    expect(emulator.control.roleAssignments({ principalId: EMULATOR_PRINCIPAL_ID }).map((a) => [a.roleName, a.scope]))
      .toEqual([["Owner", `/subscriptions/${emulator.workspace.subscriptionId}/resourceGroups/${emulator.workspace.resourceGroup}`]]);
    const list = await quotas();
    expect(list.length).toBe(3);
    expectNoSecrets(
      [emulator.control.keys().primary.reveal(), emulator.env.IDENTITY_HEADER.reveal(), emulator.connectionString.reveal()],
      ws,
      card,
      status,
      list,
    );
  });

  it("run again: reuses the running emulator (one per process, found through globalThis)", async () => {
    const first = await auto();
    const emulator = kernelEmulator();
    const again = await auto();
    expect(kernelEmulator()).toBe(emulator);
    expect(again.info.endpoint).toBe(first.info.endpoint);
    expect(again.toMimeBundle()["text/plain"]).toMatch(
      /\nSetup: +the emulator of this kernel \(connect\(\{ emulator: "auto" \}\)\): ws\.close\(\) stops it\n/,
    );
    // A second copy of the module (a re-import) sees the same emulator.
    const slot = (globalThis as Record<symbol, { emulator?: unknown }>)[Symbol.for("azure-quantum-notebook.kernelEmulator")];
    expect(slot.emulator).toBe(emulator);
    // Two cells starting at once share one start.
    await emulator!.stop();
    const [a, b] = await Promise.all([auto({ verify: false }), auto({ verify: false })]);
    expect(a.info.endpoint).toBe(b.info.endpoint);
    expect(a.info.endpoint).not.toBe(first.info.endpoint);
  });

  it("ws.close() stops it and restores the environment; the next run starts a fresh one", async () => {
    process.env.AZURE_QUANTUM_KEY_VAULT_URL = "https://kept.vault.azure.net/";
    const ws = await auto();
    const emulator = kernelEmulator()!;
    expect(process.env.AZURE_QUANTUM_KEY_VAULT_URL).toBe(emulator.keyVaultUrl);
    await ws.close();
    await ws.close(); // idempotent
    expect(emulator.running).toBe(false);
    expect(kernelEmulator()).toBeUndefined();
    expect(process.env.AZURE_QUANTUM_CONNECTION_STRING).toBeUndefined();
    expect(process.env.IDENTITY_HEADER).toBeUndefined();
    expect(process.env.AZURE_QUANTUM_KEY_VAULT_URL).toBe("https://kept.vault.azure.net/");
    delete process.env.AZURE_QUANTUM_KEY_VAULT_URL;
    const next = await auto();
    expect(next.info.endpoint).not.toBe(ws.info.endpoint);
    expect((await next.listTargets()).length).toBeGreaterThan(0);
  });

  it("await using closes the workspace at the end of the block", async () => {
    let endpoint: string;
    {
      await using ws = await auto();
      endpoint = ws.info.endpoint;
      expect(kernelEmulator()?.endpoint).toBe(endpoint);
    }
    expect(kernelEmulator()).toBeUndefined();
    expect(process.env.AZURE_QUANTUM_CONNECTION_STRING).toBeUndefined();
  });

  it("the emulator's stop() ends it too; listTargets() and a plain connect() use it while it runs", async () => {
    await auto();
    const plain = await connect({ cwd, progress: false }); // found in process.env
    expect(plain.info.endpoint).toBe(kernelEmulator()!.endpoint);
    expect((await listTargets({ workspace: plain })).length).toBeGreaterThan(0);
    expect((await plain.keys.status()).apiKeyEnabled).toBe(true); // the emulator's identity, explicitly
    await kernelEmulator()!.stop();
    expect(kernelEmulator()).toBeUndefined();
    const e = await rejection(connect({ cwd, progress: false }));
    expect(isConfigurationError(e) && e.code).toBe("ConnectionNotFound");
  });

  it("an explicit envFile wins over the connection string the emulator exported (notebooks 05 and 06)", async () => {
    const ws = await auto();
    const emulator = kernelEmulator()!;
    const envFile = join(cwd, "project.env");
    // The project's own .env: the same workspace, the secondary key (so which source won shows).
    const secondary = await ws.keys.connectionString("secondary");
    writeFileSync(envFile, `AZURE_QUANTUM_CONNECTION_STRING='${secondary.reveal()}'\n`, { mode: 0o600 });
    const app = await connect({ envFile, cwd, progress: false });
    expect(process.env.AZURE_QUANTUM_CONNECTION_STRING).toBe(emulator.connectionString.reveal());
    expect(app.info.sources.apiKey).toBe(`.env ${envFile} (AZURE_QUANTUM_CONNECTION_STRING)`);
    expect(app.info.keySource).toEqual({ kind: "dotenv", variable: "AZURE_QUANTUM_CONNECTION_STRING", path: envFile });
    expect(app.liveKey!.key.fingerprint).toBe(emulator.control.keys().secondary.fingerprint);
    expect((await app.keys.status()).apiKeyEnabled).toBe(true); // ARM and the identity: the emulator's exports
    // Without envFile the environment still wins over a .env found by the search.
    writeFileSync(join(cwd, ".env"), `AZURE_QUANTUM_CONNECTION_STRING='${secondary.reveal()}'\n`, { mode: 0o600 });
    const plain = await connect({ cwd, progress: false });
    expect(plain.info.sources.apiKey).toBe("env AZURE_QUANTUM_CONNECTION_STRING");
  });

  it("with a connection configured it does nothing: the card says Azure", async () => {
    const ws = await auto({ env: { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS }, verify: false });
    expect(kernelEmulator()).toBeUndefined();
    expect(ws.info.isEmulator).toBe(false);
    expect(ws.setup).toBeUndefined();
    expect(ws.toMimeBundle()["text/plain"]).toContain("[Azure]");
    expect(process.env.AZURE_QUANTUM_CONNECTION_STRING).toBeUndefined();
    await ws.close(); // nothing to release
  });

  it("a configuration that is wrong (not missing) is reported, not replaced by the emulator", async () => {
    const env = { AZURE_QUANTUM_CONNECTION_STRING: AZURE_CS, LOCATION: "eastus" };
    const e = await rejection(auto({ env }));
    expect(isConfigurationError(e) && e.code).toBe("ConnectionConflict");
    expect(kernelEmulator()).toBeUndefined();
  });

  it("with an env option (read instead of process.env) it connects to the emulator by name", async () => {
    const ws = await auto({ env: {} });
    expect(ws.info.isEmulator).toBe(true);
    expect(ws.info.sources.apiKey).toBe("argument connectionString");
    expect((await ws.keys.status()).inUse).toBe("primary");
  });

  it("AZURE_QUANTUM_EMULATOR_STATE names the state file it loads its keys from (what CI scans for)", async () => {
    const state = join(cwd, "state.json");
    const key = "k".repeat(86);
    const now = new Date().toISOString();
    writeFileSync(state, JSON.stringify({
      version: 1,
      keys: { primary: { key, createdAt: now }, secondary: { key: "s".repeat(86), createdAt: now } },
      apiKeyEnabled: true,
      tags: {},
    }), { mode: 0o600 });
    process.env.AZURE_QUANTUM_EMULATOR_STATE = state;
    const ws = await auto();
    expect(ws.liveKey?.key.fingerprint).toBe(fingerprint(key));
    delete process.env.AZURE_QUANTUM_EMULATOR_STATE;
  });

  it("without it, the error names the three ways to configure a connection", async () => {
    const e = await rejection(connect({ cwd, progress: false }));
    expect(e.message).toContain("(1) the environment variable AZURE_QUANTUM_CONNECTION_STRING");
    // One level of parentheses: the places searched are not nested inside "(2) …".
    expect(e.message).toMatch(/\(2\) the same variable in a \.env file \(no \.env file at [^()]+\), or \(3\)/);
    expect(e.message).toContain('(3) the local emulator, with connect({ emulator: "auto" })');
    expect(kernelEmulator()).toBeUndefined();
  });
});
