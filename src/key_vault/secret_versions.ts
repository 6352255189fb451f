/**
 * `keys.keyVaultVersions()`: the versions of a Key Vault secret (by default the one this
 * workspace's connection string comes from), listed through the real `SecretClient`: what the
 * portal's "Versions" page and `az keyvault secret list-versions` show, as a table naming each
 * version's key by fingerprint. Reads metadata only, never a value.
 *
 * @module
 */

import { keyVaultSecretTarget } from "../config/key_vault_reference.ts";
import { listKeyVaultSecretVersions } from "../config/key_vault_source.ts";
import { ConfigurationError } from "../errors.ts";
import { KeyVaultVersionList } from "./results.ts";
import { chooseVault, type KeyVaultHost, vaultAccess } from "./vault_writes.ts";

/**
 * Options of `keys.keyVaultVersions()`.
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyVaultVersionsOptions } from "azure-quantum-notebook";
 * const options: KeyVaultVersionsOptions = { vaultUrl: "https://myvault.vault.azure.net/" };
 * const ws = await connect();
 * await ws.keys.keyVaultVersions("quantum", options);
 * ```
 */
export interface KeyVaultVersionsOptions {
  /**
   * The vault. @default the vault this workspace's connection string comes from, else
   *   `AZURE_QUANTUM_KEY_VAULT_URL`
   */
  vaultUrl?: string;
  /** Aborts the call. */
  signal?: AbortSignal;
}

/**
 * Lists a secret's versions (see `KeyManager.keyVaultVersions`).
 *
 * @throws {ConfigurationError} `KeyVaultSecretNameMissing` without a name when the connection
 *   string does not come from Key Vault; `KeyVaultUrlMissing` without a vault
 */
export async function keyVaultVersions(
  workspace: KeyVaultHost,
  secretName: string | undefined,
  options: KeyVaultVersionsOptions = {},
): Promise<KeyVaultVersionList> {
  const own = workspace.info.keySource?.keyVault;
  const doing = "list the versions of a Key Vault secret";
  const name = secretName ?? own?.secretName;
  if (typeof name !== "string") {
    throw new ConfigurationError(
      "KeyVaultSecretNameMissing",
      `Cannot ${doing}: no secret name was given, and this workspace's connection string does not ` +
        'come from Key Vault. Pass the name, for example ws.keys.keyVaultVersions("quantum")',
    );
  }
  const vault = chooseVault(workspace, options.vaultUrl, { name: "keyVaultVersions", doing, ownFirst: true });
  const target = keyVaultSecretTarget(vault.vaultUrl, name, undefined, { source: "keyVaultVersions options" });
  const listed = await listKeyVaultSecretVersions(target, {
    ...vaultAccess(workspace, target, options.signal),
    source: vault.source,
  });
  const inUse = workspace.liveKey?.key.fingerprint;
  return new KeyVaultVersionList({
    workspaceName: workspace.info.workspaceName,
    vaultUrl: target.vaultUrl,
    secretName: name,
    versions: listed.map((v, i) => {
      const fingerprint = v.tags["azure-quantum-key-fingerprint"];
      return {
        version: v.version,
        createdOn: v.createdOn?.toISOString(),
        enabled: v.enabled,
        contentType: v.contentType,
        slot: v.tags["azure-quantum-key"],
        keyFingerprint: fingerprint,
        latest: i === listed.length - 1,
        inUse: fingerprint !== undefined && fingerprint === inUse,
      };
    }),
  });
}
