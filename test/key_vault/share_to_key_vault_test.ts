// keys.shareToKeyVault(): the connection string of a key written to a named secret (read back,
// tagged), handed out as a reference that a reader connects with, revoked by regenerating the key.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { KeyVaultShareResult } from "../../src/key_vault/results.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { connectTo, expectNoSecrets, rejection, secretsOf, startKeysEmulator } from "../keys/_emulator.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => forgetKeyVaultSecrets());

const host = () => emu.keyVaultUrl.slice(8, -1);
const reference = (name: string) => `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/${name}/)`;
const fromVault = (name: string) => {
  emu.control.vault.setSecret(name, emu.connectionString.reveal());
  return connectTo(emu, { env: { ...emu.revealEnv(), AZURE_QUANTUM_CONNECTION_STRING: reference(name) } });
};

describe("keys.shareToKeyVault()", () => {
  it("writes the secondary key's connection string to a named secret in the workspace's vault, for a reader's reference", async () => {
    const ws = await fromVault("own");
    const secondary = emu.control.keys().secondary;
    const shared = await ws.keys.shareToKeyVault("secondary", { secretName: "for-alice" });
    expect(shared).toBeInstanceOf(KeyVaultShareResult);
    const stored = emu.control.vault.secret("for-alice")!;
    expect(parseConnectionString(stored.value.reveal()).apiKey!.equals(secondary)).toBe(true);
    expect(stored.tags).toMatchObject({
      "azure-quantum-key": "secondary",
      "azure-quantum-key-fingerprint": secondary.fingerprint,
    });
    expect({ ...shared }).toEqual({
      workspaceName: "emulator-ws",
      slot: "secondary",
      keyFingerprint: secondary.fingerprint,
      vaultUrl: emu.keyVaultUrl,
      secretName: "for-alice",
      version: stored.version,
      secretId: `${emu.keyVaultUrl}secrets/for-alice/${stored.version}`,
      createdOn: stored.created,
      reference: reference("for-alice"),
      inUse: false,
      applied: true,
      operation: "shareToKeyVault",
    });
    expect(shared.toMimeBundle()["text/plain"]).toBe(
      [
        "Secondary key of emulator-ws shared through Key Vault  [Shared]",
        `Secret:       "for-alice" in ${host()}`,
        `Version:      ${stored.version} (created ${stored.created})`,
        `Key:          secondary ${secondary.fingerprint}`,
        `Hand out:     ${reference("for-alice")}`,
        'Reader needs: the role "Key Vault Secrets User" on the secret (or the vault)',
        'Revoke:       ws.keys.regenerate("secondary", { confirm: true }): the shared key stops working',
        "The value stays in the vault; only the reference is handed out.",
      ].join("\n"),
    );

    // The reader (another process) connects with the reference alone, until the key is revoked.
    forgetKeyVaultSecrets();
    const reader = await connectTo(emu, { connectionString: shared.reference });
    expect(reader.liveKey!.key.equals(secondary)).toBe(true);
    await ws.keys.regenerate("secondary", { confirm: true });
    const revoked = await rejection(reader.listTargets());
    expect(revoked).toMatchObject({ name: "UnauthorizedError", statusCode: 401 });
    expectNoSecrets([...secretsOf(emu), secondary.reveal()], shared, reader.info);
  });

  it("a clear-text connection needs a vaultUrl or AZURE_QUANTUM_KEY_VAULT_URL; sharing the key in use says so", async () => {
    const { AZURE_QUANTUM_KEY_VAULT_URL: vaultUrl, ...env } = emu.revealEnv();
    const ws = await connectTo(emu, { env });
    const e = await rejection(ws.keys.shareToKeyVault("secondary", { secretName: "x" }));
    expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultUrlMissing" });
    expect(e.message).toBe(
      "Cannot share the secondary key through Key Vault: no vault was given (the vaultUrl option) and " +
        "AZURE_QUANTUM_KEY_VAULT_URL is not set, and this workspace's connection string does not come from " +
        'Key Vault. Pass { vaultUrl: "https://<vault>.vault.azure.net/" } to shareToKeyVault(), or set ' +
        "AZURE_QUANTUM_KEY_VAULT_URL in the environment or the .env",
    );
    // With the variable (the emulator sets it to its vault), that vault.
    const withVar = await connectTo(emu, { env: { ...env, AZURE_QUANTUM_KEY_VAULT_URL: vaultUrl! } });
    const viaVar = await withVar.keys.shareToKeyVault("secondary", { secretName: "via-variable" });
    expect(viaVar).toMatchObject({ vaultUrl: emu.keyVaultUrl, secretName: "via-variable" });
    const shared = await ws.keys.shareToKeyVault("primary", { vaultUrl: emu.keyVaultUrl, secretName: "mine" });
    expect(shared.inUse).toBe(true);
    expect(shared.toMimeBundle()["text/plain"]).toContain(
      "Key:          primary " + emu.control.keys().primary.fingerprint + " (this kernel uses it too)",
    );
  });

  it("refuses the workspace's own secret, a secret holding something else (unless overwrite), and a bad name", async () => {
    const ws = await fromVault("self");
    const own = await rejection(ws.keys.shareToKeyVault("secondary", { secretName: "SELF" }));
    expect(own).toBeInstanceOf(RangeError);
    expect(own.message).toBe(
      `Cannot share the secondary key to the Key Vault secret "SELF" in ${host()}: this workspace's own ` +
        "connection string comes from that secret. Choose another secretName",
    );
    const other = emu.control.vault.setSecret("db-password", "hunter2-not-ours");
    const taken = await rejection(ws.keys.shareToKeyVault("secondary", { secretName: "db-password" }));
    expect(taken).toMatchObject({ name: "ConfigurationError", code: "KeyVaultSecretInUse" });
    expect(taken.message).toBe(
      `Cannot share the secondary key to the Key Vault secret "db-password" in ${host()}: its latest version ` +
        `(${other.version}) holds something other than a connection string for workspace "emulator-ws". ` +
        "Choose another secretName, or pass { overwrite: true } to add a version anyway",
    );
    expect(emu.control.vault.versions("db-password")).toHaveLength(1);
    await ws.keys.shareToKeyVault("secondary", { secretName: "db-password", overwrite: true });
    expect(emu.control.vault.versions("db-password")).toHaveLength(2);
    const bad = await rejection(ws.keys.shareToKeyVault("secondary", { secretName: "no_underscores" }));
    expect(bad).toMatchObject({ code: "KeyVaultReferenceInvalid" });
    expect(bad.message).toBe(
      "Cannot parse Key Vault reference from shareToKeyVault options: its secret name is not valid. " +
        "Secret names have 1 to 127 letters, digits and hyphens",
    );
    expectNoSecrets([...secretsOf(emu), "hunter2-not-ours"], own, taken, bad);
  });
});
