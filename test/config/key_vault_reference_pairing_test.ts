/**
 * A connection string read from the emulator's vault is the emulator's only: an Azure workspace's key
 * there would go back to that vault (rotation, shareToKeyVault) and die with the kernel. Loading
 * refuses the pair, naming the reference (never the secret), and so does a vault write for a
 * connection made by hand.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkReferencePairing } from "../../src/config/arm_settings.ts";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import type { ConnectionInfo } from "../../src/connection/connection_info.ts";
import { Secret } from "../../src/connection/secret.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { chooseVault } from "../../src/key_vault/vault_writes.ts";
import type { KeyHost } from "../../src/keys/key_host.ts";
import { rotateKeys } from "../../src/keys/rotate_keys.ts";
import { connectTo, expectNoSecrets, rejection, startKeysEmulator } from "../keys/_emulator.ts";

const AZURE_KEY = "azure-key-from-the-vault";
const AZURE_CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=real;" +
  `ApiKey=${AZURE_KEY};QuantumEndpoint=https://eastus.quantum.azure.com/;`;
const AZURE_AT = "the Azure workspace at https://eastus.quantum.azure.com/";

let emu: Emulator;
beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => {
  forgetKeyVaultSecrets();
  emu.control.resetLog();
});

const reference = (name: string) => `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/${name}/)`;

describe("an Azure connection string in the emulator's vault", () => {
  it("connect() refuses it after the read, names the reference, writes nothing; the synchronous loader too", async () => {
    const stored = emu.control.vault.setSecret("azure", AZURE_CS);
    const env = { ...emu.revealEnv(), AZURE_QUANTUM_CONNECTION_STRING: reference("azure") };
    const expected = `Cannot load connection: the connection string in Key Vault secret "azure" in ${emu.keyVaultUrl.slice(8, -1)} ` +
      "(via env AZURE_QUANTUM_CONNECTION_STRING) is for the Azure workspace at https://eastus.quantum.azure.com/, but " +
      "the vault is the local emulator's, which stops with it. Store it in an Azure vault " +
      '("https://<vault>.vault.azure.net/") and refer to that secret, or use the connection string itself';
    const e = await rejection(connectTo(emu, { env }));
    expect(e).toMatchObject({ name: "ConfigurationError", code: "EmulatorMismatch" });
    expect(e.message).toBe(expected);
    expectNoSecrets([AZURE_KEY, AZURE_CS], e);
    // Read (challenge, then the value), nothing written.
    expect(emu.control.requestLog({ listener: "vault" }).map((r) => r.method)).toEqual(["GET", "GET"]);
    expect(emu.control.vault.secret("azure")!.version).toBe(stored.version);
    // The value is now in this process's cache: the synchronous loader refuses it as well.
    expect(() => loadConnection({ env, envFile: false })).toThrow(expected);
  });

  it("a connection made by hand: the own vault is checked where it is chosen (labelled as the reference), and by rotate", async () => {
    const connection: ConnectionInfo = {
      subscriptionId: "11111111-1111-4111-8111-111111111111",
      resourceGroup: "rg",
      workspaceName: "real",
      location: "eastus",
      endpoint: "https://eastus.quantum.azure.com/",
      workspaceKind: "V1",
      isEmulator: false,
      apiKey: new Secret(AZURE_KEY),
      sources: {},
      keySource: {
        kind: "env",
        variable: "AZURE_QUANTUM_CONNECTION_STRING",
        keyVault: {
          vaultUrl: emu.keyVaultUrl,
          secretName: "azure",
          version: "0123456789abcdef0123456789abcdef",
          pinned: false,
          syntax: "SecretUri",
        },
      } as ConnectionInfo["keySource"],
    };
    const s = resolveSettings({ connection, env: {}, envFile: false, allowKeyChanges: true });
    expect(() =>
      chooseVault({ info: connection, settings: s, liveKey: undefined }, undefined, {
        name: "shareToKeyVault",
        doing: "share the key through Key Vault",
        ownFirst: true,
      })
    ).toThrow(
      `Cannot share the key through Key Vault: the vault of the connection string is "${emu.keyVaultUrl}" (from ` +
        `Key Vault reference), the local emulator's, but the connection is to ${AZURE_AT}. Pass an Azure vault as ` +
        'vaultUrl ("https://<vault>.vault.azure.net/")',
    );
    // keys.rotate() would write the new key there: refused before the lock, any ARM call or write.
    const seen = emu.control.requestLog().length;
    const workspace = { info: connection, settings: s, liveKey: { key: connection.apiKey } } as unknown as KeyHost;
    await expect(rotateKeys(workspace, undefined as never, { confirm: true })).rejects.toThrow(
      `Cannot rotate the access key: the connection string in Key Vault secret "azure" in ${emu.keyVaultUrl.slice(8, -1)} ` +
        "is for the Azure workspace at https://eastus.quantum.azure.com/, but the vault is the local emulator's, which " +
        'stops with it. Store it in an Azure vault ("https://<vault>.vault.azure.net/") and refer to that secret, or use ' +
        "the connection string itself",
    );
    expect(emu.control.requestLog().length).toBe(seen);
  });
});

describe("checkReferencePairing", () => {
  it("the emulator's connection string in a real vault: refused; matching pairs pass", () => {
    const emulator = { isEmulator: true, endpoint: "https://127.0.0.1:8443/" };
    const secret = 'Key Vault secret "quantum" in real.vault.azure.net (via argument connectionString)';
    expect(() => checkReferencePairing("https://real.vault.azure.net/", secret, emulator)).toThrow(
      `Cannot load connection: the connection string in ${secret} is the local emulator's (at https://127.0.0.1:8443/), ` +
        "but the vault is in Azure. Refer to a secret in the emulator's vault (emulator.keyVaultUrl), or use the " +
        "emulator's connection string itself",
    );
    expect(() => checkReferencePairing("https://127.0.0.1:9/", "x", emulator)).not.toThrow();
    const azure = { isEmulator: false, endpoint: "https://eastus.quantum.azure.com/" };
    expect(() => checkReferencePairing("https://real.vault.azure.net/", "x", azure)).not.toThrow();
  });
});
