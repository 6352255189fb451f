// keys.keyVaultVersions(): a secret's versions through the real SecretClient (metadata only), the
// way a user on Azure sees them; and the default vault of moveToKeyVault()/keyVaultVersions():
// AZURE_QUANTUM_KEY_VAULT_URL from the environment or the connection's .env, else a clear error.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { connect } from "../../src/connect.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { KeyVaultMoveResult, KeyVaultVersionList } from "../../src/key_vault/results.ts";
import type { RotationReport } from "../../src/keys/results.ts";
import { connectTo, expectNoSecrets, FAST_RETRY, rejection, secretsOf, startKeysEmulator } from "../keys/_emulator.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => forgetKeyVaultSecrets());

const host = () => emu.keyVaultUrl.slice(8, -1);

/** The emulator's environment without AZURE_QUANTUM_KEY_VAULT_URL. */
function envWithoutVault(): Record<string, string> {
  const { AZURE_QUANTUM_KEY_VAULT_URL: _, ...env } = emu.revealEnv();
  return env;
}

describe("keys.moveToKeyVault() without vaultUrl", () => {
  it("uses AZURE_QUANTUM_KEY_VAULT_URL from the environment", async () => {
    const ws = await connectTo(emu);
    expect(ws.settings.keyVaultUrl).toEqual({
      value: emu.keyVaultUrl,
      source: "env AZURE_QUANTUM_KEY_VAULT_URL",
    });
    const moved = await ws.keys.moveToKeyVault({ secretName: "default-vault" });
    expect(moved).toBeInstanceOf(KeyVaultMoveResult);
    expect(moved).toMatchObject({ vaultUrl: emu.keyVaultUrl, secretName: "default-vault" });
    expect(emu.control.vault.secret("default-vault")).toBeDefined();
  });

  it("uses AZURE_QUANTUM_KEY_VAULT_URL from the .env the connection came from", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aqn-kv-default-"));
    mkdirSync(join(dir, ".git"));
    const envFile = join(dir, ".env");
    const lines = Object.entries(emu.revealEnv()).map(([k, v]) => `${k}='${v}'`);
    writeFileSync(envFile, `${lines.join("\n")}\n`, { mode: 0o600 });
    const ws = await connect({ cwd: dir, env: {}, retry: FAST_RETRY, progress: false });
    expect(ws.settings.keyVaultUrl).toEqual({
      value: emu.keyVaultUrl,
      source: `.env ${envFile} (AZURE_QUANTUM_KEY_VAULT_URL)`,
    });
    const moved = await ws.keys.moveToKeyVault({ secretName: "from-dotenv-vault" });
    expect(moved).toMatchObject({ vaultUrl: emu.keyVaultUrl, secretName: "from-dotenv-vault" });
  });

  it("KeyVaultUrlMissing when neither is given, naming the option and the variable; nothing written", async () => {
    const ws = await connectTo(emu, { env: envWithoutVault() });
    expect(ws.settings.keyVaultUrl).toBeUndefined();
    const e = await rejection(ws.keys.moveToKeyVault({ secretName: "nowhere" }));
    expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultUrlMissing" });
    expect(e.message).toBe(
      "Cannot move the connection string to Key Vault: no vault was given (the vaultUrl option) and " +
        'AZURE_QUANTUM_KEY_VAULT_URL is not set. Pass { vaultUrl: "https://<vault>.vault.azure.net/" } to ' +
        "moveToKeyVault(), or set AZURE_QUANTUM_KEY_VAULT_URL in the environment or the .env",
    );
    expect(emu.control.vault.secret("nowhere")).toBeUndefined();
    const bad = await rejection(ws.keys.moveToKeyVault({} as never));
    expect(bad).toBeInstanceOf(TypeError);
    expect(bad.message).toBe(
      'Cannot move the connection string to Key Vault: no secretName was given. Pass { secretName: "quantum" }',
    );
  });

  it("a malformed AZURE_QUANTUM_KEY_VAULT_URL is named by its source", async () => {
    const ws = await connectTo(emu, { env: { ...envWithoutVault(), AZURE_QUANTUM_KEY_VAULT_URL: "http://x/" } });
    const e = await rejection(ws.keys.moveToKeyVault({ secretName: "bad" }));
    expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultReferenceInvalid" });
    expect(e.message).toBe(
      "Cannot parse Key Vault reference from env AZURE_QUANTUM_KEY_VAULT_URL: its vault URL does not use https. " +
        "Write @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) or " +
        "@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>)",
    );
  });
});

describe("keys.keyVaultVersions()", () => {
  it("lists the versions of the workspace's own secret, oldest first, the latest in use after a rotation", async () => {
    const ws = await connectTo(emu);
    await ws.keys.moveToKeyVault({ secretName: "versions" });
    const report = await ws.keys.rotate({ confirm: true, graceMs: 10, pollIntervalMs: 20 }) as RotationReport;
    expect(report.completed).toBe(true);

    const list = await ws.keys.keyVaultVersions();
    expect(list).toBeInstanceOf(KeyVaultVersionList);
    const stored = emu.control.vault.versions("versions");
    expect(stored).toHaveLength(3);
    expect(list).toMatchObject({ workspaceName: "emulator-ws", vaultUrl: emu.keyVaultUrl, secretName: "versions" });
    expect(list.versions.map((v) => v.version)).toEqual(stored.map((v) => v.version));
    const keys = emu.control.keys();
    const live = ws.liveKey!.key.fingerprint;
    expect(list.versions.map((v) => [v.slot, v.keyFingerprint, v.latest, v.inUse])).toEqual([
      [undefined, stored[0]!.tags["azure-quantum-key-fingerprint"], false, false],
      ["secondary", keys.secondary.fingerprint, false, false],
      ["primary", keys.primary.fingerprint, true, true],
    ]);
    expect(live).toBe(keys.primary.fingerprint);
    expect(list.versions.every((v) => v.enabled && v.contentType?.includes("azure-quantum-connection-string")))
      .toBe(true);
    expect(list.versions.map((v) => v.createdOn)).toEqual(stored.map((v) => v.created));

    const text = list.toMimeBundle()["text/plain"];
    expect(text).toContain(`Key Vault secret "versions" in ${host()}: 3 versions`);
    expect(text).toContain(`3  ${stored[2]!.version}  ${stored[2]!.created}  primary ${keys.primary.fingerprint}`);
    expect(text).toContain("latest in use");
    expect(text).toContain("Listed from the vault's metadata: no value was read.");
    expect(list.toMimeBundle()["text/html"]).toContain(">latest<");
    expectNoSecrets(secretsOf(emu), list);

    // Another secret by name, in the same vault; one that does not exist has none.
    await ws.keys.shareToKeyVault("secondary", { secretName: "versions-shared" });
    const shared = await ws.keys.keyVaultVersions("versions-shared");
    expect(shared.versions.map((v) => [v.slot, v.inUse, v.latest])).toEqual([["secondary", false, true]]);
    const none = await ws.keys.keyVaultVersions("no-such-secret");
    expect(none.versions).toEqual([]);
    expect(none.toMimeBundle()["text/plain"]).toContain("(no versions: the secret does not exist in this vault)");
  });

  it("needs a name when the connection string is not from Key Vault, and a vault", async () => {
    const ws = await connectTo(emu, { env: envWithoutVault() });
    const e = await rejection(ws.keys.keyVaultVersions());
    expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultSecretNameMissing" });
    expect(e.message).toBe(
      "Cannot list the versions of a Key Vault secret: no secret name was given, and this workspace's " +
        'connection string does not come from Key Vault. Pass the name, for example ws.keys.keyVaultVersions("quantum")',
    );
    const noVault = await rejection(ws.keys.keyVaultVersions("quantum"));
    expect(noVault).toMatchObject({ code: "KeyVaultUrlMissing" });
    expect(noVault.message).toBe(
      "Cannot list the versions of a Key Vault secret: no vault was given (the vaultUrl option) and " +
        "AZURE_QUANTUM_KEY_VAULT_URL is not set, and this workspace's connection string does not come from " +
        'Key Vault. Pass { vaultUrl: "https://<vault>.vault.azure.net/" } to keyVaultVersions(), or set ' +
        "AZURE_QUANTUM_KEY_VAULT_URL in the environment or the .env",
    );
    const given = await ws.keys.keyVaultVersions("versions", { vaultUrl: emu.keyVaultUrl });
    expect(given.versions.length).toBeGreaterThan(0);
  });
});
