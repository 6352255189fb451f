/**
 * `keys.shareToKeyVault()`: a key's connection string written to a named Key Vault secret, so it
 * can be handed out as a reference instead of as clear text.
 *
 * @module
 */

import type { KeySlot } from "../arm/arm_types.ts";
import { describeKeyVaultSecret } from "../config/key_vault_connection.ts";
import { formatKeyVaultReference, keyVaultSecretTarget } from "../config/key_vault_reference.ts";
import { connectionStringSecretTags, writeKeyVaultSecret } from "../config/key_vault_source.ts";
import { parseConnectionString } from "../connection/connection_string.ts";
import type { Secret } from "../connection/secret.ts";
import { KeyVaultShareResult } from "./results.ts";
import {
  checkSecretTarget,
  chooseVault,
  type KeyVaultHost,
  rememberWritten,
  vaultAccess,
} from "./vault_writes.ts";

/**
 * Options of `keys.shareToKeyVault()`.
 *
 * @example Usage
 * ```ts
 * import { connect, type ShareToKeyVaultOptions } from "azure-quantum-notebook";
 * const options: ShareToKeyVaultOptions = {
 *   vaultUrl: "https://team-vault.vault.azure.net/",
 *   secretName: "quantum-for-alice",
 * };
 * const ws = await connect();
 * await ws.keys.shareToKeyVault("secondary", options);
 * ```
 */
export interface ShareToKeyVaultOptions {
  /** The secret to write (a new version is added if it exists). */
  secretName: string;
  /**
   * The vault. @default the vault this workspace's own connection string comes from, else
   *   `AZURE_QUANTUM_KEY_VAULT_URL`
   */
  vaultUrl?: string;
  /**
   * Add a version even when the secret's latest version holds something other than a connection
   * string for this workspace. @default false
   */
  overwrite?: boolean;
  /** Aborts the call. */
  signal?: AbortSignal;
}

/** What sharing a key uses: the workspace, and the connection string of a key (a `KeyManager` is one). */
export interface KeySharer {
  /** The workspace whose key is shared. */
  readonly workspace: KeyVaultHost;
  /** The connection string of `slot`'s key (from Resource Manager). */
  connectionString(slot: KeySlot, options?: { signal?: AbortSignal }): Promise<Secret>;
}

/**
 * Writes the connection string of `slot` to `options.secretName` (content type and tags naming
 * the workspace, the slot and the key's fingerprint), reads it back, and returns the reference to
 * hand out. See `KeyManager.shareToKeyVault`.
 */
export async function shareToKeyVault(
  keys: KeySharer,
  slot: KeySlot,
  options: ShareToKeyVaultOptions,
): Promise<KeyVaultShareResult> {
  const workspace = keys.workspace;
  const info = workspace.info;
  const own = info.keySource?.keyVault;
  const doing = `share the ${slot} key`;
  const vault = chooseVault(workspace, options?.vaultUrl, {
    name: "shareToKeyVault",
    doing: `${doing} through Key Vault`,
    ownFirst: true,
  });
  const target = keyVaultSecretTarget(vault.vaultUrl, options.secretName, undefined, {
    source: "shareToKeyVault options",
  });
  if (
    own && own.vaultUrl === target.vaultUrl &&
    own.secretName.toLowerCase() === target.secretName.toLowerCase()
  ) {
    throw new RangeError(
      `Cannot ${doing} to the ${describeKeyVaultSecret(target)}: this workspace's own connection ` +
        "string comes from that secret. Choose another secretName",
    );
  }
  const value = await keys.connectionString(slot, { signal: options.signal });
  const key = parseConnectionString(value.reveal()).apiKey!;
  await checkSecretTarget(workspace, target, { ...options, doing });
  const written = await writeKeyVaultSecret(target, value, {
    ...vaultAccess(workspace, target, options.signal),
    source: vault.source,
    tags: connectionStringSecretTags({ ...info, slot, keyFingerprint: key.fingerprint }),
  });
  rememberWritten(written);
  return new KeyVaultShareResult({
    workspaceName: info.workspaceName,
    slot,
    keyFingerprint: key.fingerprint,
    vaultUrl: written.vaultUrl,
    secretName: written.secretName,
    version: written.version,
    secretId: written.secretId,
    createdOn: written.createdOn?.toISOString(),
    reference: formatKeyVaultReference({ vaultUrl: target.vaultUrl, secretName: target.secretName }),
    inUse: workspace.liveKey?.key.equals(key) === true,
  });
}
