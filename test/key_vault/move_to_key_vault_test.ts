// keys.moveToKeyVault(): a clear-text connection string (a .env, the environment, an argument)
// becomes a Key Vault secret, written and read back before the .env line is replaced (other lines
// kept); the result lists what changed and what is left to do; a new process connects through the
// reference, and rotation then writes to the vault. Failures change nothing.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { KeyVaultMoveResult } from "../../src/key_vault/results.ts";
import { NotApplied, type RotationReport } from "../../src/keys/results.ts";
import {
  connectProject,
  connectTo,
  emulatorProject,
  expectNoSecrets,
  rejection,
  secretsOf,
  startKeysEmulator,
} from "../keys/_emulator.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => forgetKeyVaultSecrets());

const host = () => emu.keyVaultUrl.slice(8, -1);
const reference = (name: string) => `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/${name}/)`;
const ROTATE_TODO =
  "The key itself is unchanged and still works wherever the clear text was copied (backups, shell history, " +
  "git history): rotate it with ws.keys.rotate({ confirm: true }), which writes the new key to Key Vault.";

/** A project folder whose .env holds the connection string in clear text between other lines. */
const project = () => emulatorProject(emu, `"${emu.connectionString.reveal()}"`);

describe("keys.moveToKeyVault()", () => {
  it("from a clear-text .env: the secret first, then the .env line; a new process connects through the reference; rotation writes to the vault", async () => {
    const { dir, envFile, before } = project();
    const ws = await connectProject(dir);
    const key = ws.liveKey!.key;
    const moved = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "quantum" });
    expect(moved).toBeInstanceOf(KeyVaultMoveResult);
    const stored = emu.control.vault.secret("quantum")!;
    expect(parseConnectionString(stored.value.reveal()).apiKey!.equals(key)).toBe(true);
    expect(stored.tags["azure-quantum-key-fingerprint"]).toBe(key.fingerprint);
    expect(stored.tags).not.toHaveProperty("azure-quantum-key"); // the slot is not known without ARM

    // The .env: that line only, now the reference; still 0600; no clear-text key left in it.
    const after = readFileSync(envFile, "utf8");
    expect(after).toBe(
      before.replace(`"${emu.connectionString.reveal()}"`, `'${reference("quantum")}'`),
    );
    expect(after).not.toContain(key.reveal());
    expect(statSync(envFile).mode & 0o777).toBe(0o600);

    expect(moved).toMatchObject({
      workspaceName: "emulator-ws",
      vaultUrl: emu.keyVaultUrl,
      secretName: "quantum",
      version: stored.version,
      reference: reference("quantum"),
      keyFingerprint: key.fingerprint,
      changed: [
        `Wrote version ${stored.version} of the Key Vault secret "quantum" in ${host()} and read it back: it holds the key ${key.fingerprint}.`,
        `${envFile}: AZURE_QUANTUM_CONNECTION_STRING now holds the reference (every other line kept).`,
      ],
      todo: [ROTATE_TODO],
    });
    expect(moved.toMimeBundle()["text/plain"]).toContain(`Still to do: 1. ${ROTATE_TODO}`);
    // This workspace now knows its key is in the vault.
    expect(ws.info.keySource).toMatchObject({
      kind: "dotenv",
      path: envFile,
      keyVault: { secretName: "quantum", version: stored.version, pinned: false },
    });
    expect(ws.toMimeBundle()["text/plain"]).toContain(
      `Config from:      Key Vault secret "quantum" in ${host()} (via .env ${envFile} (AZURE_QUANTUM_CONNECTION_STRING)) (all fields)`,
    );

    // Moving again changes nothing.
    const again = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "quantum" });
    expect(again).toBeInstanceOf(NotApplied);
    expect((again as NotApplied).message).toBe(
      `Not done: the connection string already comes from the Key Vault secret "quantum" in ${host()}. ` +
        "Nothing to do; keys.rotate({ confirm: true }) writes new keys there.",
    );

    // A new process: the .env's reference, read from the vault.
    forgetKeyVaultSecrets();
    emu.control.resetLog();
    const next = await connectProject(dir);
    expect(next.liveKey!.key.equals(key)).toBe(true);
    expect(emu.control.requestCount({ listener: "vault", method: "GET" })).toBeGreaterThan(0);
    const report = await next.keys.rotate({ confirm: true, graceMs: 10, pollIntervalMs: 20 }) as RotationReport;
    expect(report.keyVaultVersions).toHaveLength(2);
    expect(readFileSync(envFile, "utf8")).toBe(after);
    expectNoSecrets(secretsOf(emu), moved, ws.info, next.info, report);
  });

  it("from the environment: this process's variable gets the reference, and the exported one is left to the user", async () => {
    const env = emu.revealEnv();
    const ws = await connectTo(emu, { env });
    const moved = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "from-env" });
    expect(env.AZURE_QUANTUM_CONNECTION_STRING).toBe(reference("from-env"));
    expect(moved).toMatchObject({
      changed: [
        expect.stringMatching(/^Wrote version [0-9a-f]{32} of the Key Vault secret "from-env"/),
        "This process's environment: AZURE_QUANTUM_CONNECTION_STRING now holds the reference.",
      ],
      todo: [
        "Remove the clear-text AZURE_QUANTUM_CONNECTION_STRING from where it is exported (shell profile, " +
        `kernel spec, CI settings), or set it to ${reference("from-env")}.`,
        ROTATE_TODO,
      ],
    });
    expect(ws.info.keySource).toMatchObject({ kind: "env", keyVault: { secretName: "from-env" } });
  });

  it("from an argument: says what to pass instead", async () => {
    const ws = await connectTo(emu, { env: {}, connectionString: emu.connectionString.reveal(), ca: emu.caCertificate });
    const moved = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "from-arg" }) as KeyVaultMoveResult;
    expect(moved.todo[0]).toBe(
      `Pass connectionString: "${reference("from-arg")}" to connect() instead of the connection string, ` +
        "and delete the connection string from your code and notebooks.",
    );
    expect(ws.info.keySource).toMatchObject({ kind: "argument", variable: "connectionString" });
  });

  it("Entra ID: nothing to move", async () => {
    const ws = await connectTo(emu, { useEntraId: true, verify: false });
    const r = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "none" });
    expect(r).toMatchObject({ applied: false, reason: "not-applicable", operation: "moveToKeyVault" });
    expect(emu.control.vault.secret("none")).toBeUndefined();
  });

  it("a write the vault refuses, or a secret that holds something else: the .env is left as it was", async () => {
    const { dir, envFile, before } = project();
    const ws = await connectProject(dir);
    emu.control.vault.unassignRole("Key Vault Secrets Officer");
    emu.control.vault.assignRole("Key Vault Secrets User");
    let forbidden: Error;
    try {
      forbidden = await rejection(ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "refused" }));
    } finally {
      emu.control.vault.unassignRole("Key Vault Secrets User");
      emu.control.vault.assignRole("Key Vault Secrets Officer");
    }
    expect(forbidden).toMatchObject({ code: "KeyVaultForbidden", statusCode: 403 });
    expect(forbidden.message).toMatch(
      /^Cannot write a new version of the Key Vault secret "refused" in .*: the identity .* lacks the role "Key Vault Secrets Officer" on the vault/,
    );
    emu.control.vault.setSecret("taken", "another-apps-password");
    const taken = await rejection(ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "taken" }));
    expect(taken).toMatchObject({ code: "KeyVaultSecretInUse" });
    expect(taken.message).toMatch(/^Cannot move the connection string to the Key Vault secret "taken" in /);
    expect(readFileSync(envFile, "utf8")).toBe(before);
    expect(ws.info.keySource?.keyVault).toBeUndefined();
    expect(emu.control.vault.versions("taken")).toHaveLength(1);
    expectNoSecrets([...secretsOf(emu), "another-apps-password"], forbidden, taken);
  });

  it("a .env that holds another workspace's connection string is left alone, and the result says so", async () => {
    const { dir, envFile } = project();
    const other = "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=other;" +
      "ApiKey=0th3rK3y;QuantumEndpoint=https://eastus.quantum.azure.com/;";
    writeFileSync(envFile, `AZURE_QUANTUM_CONNECTION_STRING="${other}"\n`);
    const ws = await connectTo(emu, { cwd: dir }); // from the environment; the .env is named below
    const moved = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "kept", envFile }) as KeyVaultMoveResult;
    expect(readFileSync(envFile, "utf8")).toBe(`AZURE_QUANTUM_CONNECTION_STRING="${other}"\n`);
    expect(moved.todo[0]).toBe(
      `${envFile} holds another value in AZURE_QUANTUM_CONNECTION_STRING (left unchanged): set it to ` +
        `${reference("kept")} if it should use this secret.`,
    );
  });
});
