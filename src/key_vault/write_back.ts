/**
 * Writing a key back to the Key Vault secret the workspace's connection string came from: a new
 * secret version (content type, tags naming the workspace, the key slot and the key's
 * fingerprint), read back before anything switches to it. A reference pinned to a version is
 * rewritten where it lives (the `.env` line, through the `.env` writer; the environment), so it
 * names the new version; one given as an argument cannot be, and the result says what to pass.
 * Rotation imports it when the key came from a vault.
 *
 * @module
 */

import type { KeySlot } from "../arm/arm_types.ts";
import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { envFileSecret } from "../config/env_file_values.ts";
import { keyVaultRead } from "../config/key_vault_cache.ts";
import { describeKeyVaultSecret } from "../config/key_vault_connection.ts";
import {
  keyVaultSecretTarget,
  looksLikeKeyVaultReference,
  parseKeyVaultReference,
} from "../config/key_vault_reference.ts";
import {
  connectionStringSecretTags,
  type KeyVaultSecretValue,
  readKeyVaultSecret,
  writeKeyVaultSecret,
} from "../config/key_vault_source.ts";
import { updateEnvFile, type UpdateEnvFileOptions } from "../config/update_env_file.ts";
import type { KeySource, KeyVaultOrigin } from "../connection/connection_info.ts";
import { connectionStringFor } from "../connection/connection_string.ts";
import type { Secret } from "../connection/secret.ts";
import { type KeyVaultHost, keySourceName, rememberWritten, vaultAccess } from "./vault_writes.ts";

/** What a write-back did. */
export interface KeyVaultWrite {
  /** The version written and read back. */
  version: string;
  /** `{vaultUrl}secrets/{name}/{version}` */
  secretId: string;
  /** `.env` files whose pinned reference now names the new version. */
  envFiles: string[];
  /** Environment variables rewritten likewise (names only). */
  envVariables: string[];
  /** Advice: what was left alone and why. */
  warnings: string[];
  /** One line for a rotation step: the secret, the version and the key, by fingerprint. */
  detail: string;
}

/** The reference to `version` in the form the user wrote (`SecretUri=…` or `VaultName=…`). */
export function pinnedReference(origin: KeyVaultOrigin, version: string): string {
  return origin.syntax === "VaultName" && origin.vaultName
    ? `@Microsoft.KeyVault(VaultName=${origin.vaultName};SecretName=${origin.secretName};SecretVersion=${version})`
    : `@Microsoft.KeyVault(SecretUri=${origin.vaultUrl}secrets/${origin.secretName}/${version})`;
}

/** True when `text` is a reference to exactly `secretUri` (same vault, name and version). */
function refersTo(text: string | undefined, secretUri: string): boolean {
  if (!text || !looksLikeKeyVaultReference(text)) return false;
  try {
    return parseKeyVaultReference(text).secretUri.toLowerCase() === secretUri.toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Stores the connection string for `key` as a new version of the secret the workspace's key came
 * from, verifies it reads back, and then (only then) records it: this process's later connects
 * use it, the workspace's `keySource.keyVault` names it, and a pinned reference is rewritten.
 *
 * @param workspace A workspace whose `info.keySource.keyVault` is set.
 * @param slot The key's slot (a tag of the version).
 * @param key The key to store.
 * @param options Signal, and the `.env` writer's options for a pinned reference.
 * @throws the Key Vault source's errors (the secret is then as it was, or holds a version that
 *   reads back differently: `KeyVaultWriteUnverified`), and `EnvFileError` when a pinned
 *   reference's `.env` cannot be rewritten (the new version is then the latest, and works).
 */
export async function storeKeyInKeyVault(
  workspace: KeyVaultHost,
  slot: KeySlot,
  key: Secret,
  options: { signal?: AbortSignal; envFileOptions?: UpdateEnvFileOptions } = {},
): Promise<KeyVaultWrite> {
  const info = workspace.info;
  const keySource = info.keySource!;
  const origin = keySource.keyVault!;
  const target = keyVaultSecretTarget(origin.vaultUrl, origin.secretName);
  const written = await writeKeyVaultSecret(target, connectionStringFor(info, key), {
    ...vaultAccess(workspace, target, options.signal),
    source: keySourceName(keySource),
    tags: connectionStringSecretTags({ ...info, slot, keyFingerprint: key.fingerprint }),
  });
  rememberWritten(written);
  const result: KeyVaultWrite = {
    version: written.version,
    secretId: written.secretId,
    envFiles: [],
    envVariables: [],
    warnings: [],
    detail: `${describeKeyVaultSecret(origin)}: version ${written.version} holds the ${slot} key ` +
      `${key.fingerprint} (read back)`,
  };
  if (origin.pinned) await repin(workspace, origin, written.version, result, options);
  nameVersion(keySource, origin, written);
  return result;
}

/**
 * The latest version of the secret the workspace's key came from, as it is now (another kernel
 * may have written a rotated key there).
 *
 * @throws the Key Vault source's read errors.
 */
export async function readLatestKeyVaultVersion(
  workspace: KeyVaultHost,
  signal?: AbortSignal,
): Promise<KeyVaultSecretValue> {
  const origin = workspace.info.keySource!.keyVault!;
  const target = keyVaultSecretTarget(origin.vaultUrl, origin.secretName);
  return await readKeyVaultSecret(target, {
    ...vaultAccess(workspace, target, signal),
    source: keySourceName(workspace.info.keySource),
  });
}

/**
 * Records `latest` (read by {@link readLatestKeyVaultVersion}, its key verified) as the version
 * the workspace's key comes from: this process's later connects use it, `keySource.keyVault`
 * names it. For a reference that follows the latest version (a pinned one needs a write).
 */
export function followKeyVaultVersion(workspace: KeyVaultHost, latest: KeyVaultSecretValue): void {
  rememberWritten(latest);
  const keySource = workspace.info.keySource!;
  nameVersion(keySource, keySource.keyVault!, latest);
}

// The key now comes from `secret`'s version of the secret `origin` names (read just now).
function nameVersion(keySource: KeySource, origin: KeyVaultOrigin, secret: KeyVaultSecretValue): void {
  const { version, createdOn, readAt } = keyVaultRead(secret);
  keySource.keyVault = { ...origin, version, createdOn, readAt };
}

// A pinned reference would keep naming a version whose key is about to be revoked: point it at
// the new version wherever this module can write (the .env first, then the environments).
async function repin(
  workspace: KeyVaultHost,
  origin: KeyVaultOrigin,
  version: string,
  result: KeyVaultWrite,
  options: { envFileOptions?: UpdateEnvFileOptions },
): Promise<void> {
  const keySource = workspace.info.keySource!;
  const old = `${origin.vaultUrl}secrets/${origin.secretName}/${origin.version}`;
  const next = pinnedReference(origin, version);
  const variable = keySource.variable ?? CONNECTION_STRING_VARIABLE;
  if (keySource.kind === "dotenv" && keySource.path) {
    // An encrypted .env is decrypted to check, and the new reference written encrypted (the
    // writer never puts clear text into a file that holds ciphertext).
    const keys = workspace.settings.privateKeyOptions;
    const current = envFileSecret(keySource.path, CONNECTION_STRING_VARIABLE, keys);
    if (refersTo(current?.reveal(), old)) {
      const written = await updateEnvFile(
        keySource.path,
        CONNECTION_STRING_VARIABLE,
        next,
        { privateKey: keys.privateKey, env: keys.env, ...options.envFileOptions },
      );
      result.envFiles.push(written.path);
      result.warnings.push(...written.warnings);
    } else {
      result.warnings.push(
        `${keySource.path} no longer names version ${origin.version} in ${CONNECTION_STRING_VARIABLE}: left unchanged.`,
      );
    }
  }
  for (const env of workspace.settings.envs) {
    if (!refersTo(env[CONNECTION_STRING_VARIABLE], old)) continue;
    env[CONNECTION_STRING_VARIABLE] = next;
    if (!result.envVariables.includes(CONNECTION_STRING_VARIABLE)) {
      result.envVariables.push(CONNECTION_STRING_VARIABLE);
    }
  }
  if (keySource.kind === "argument") {
    result.warnings.push(
      `The ${variable} argument pins version ${origin.version} of the Key Vault secret "${origin.secretName}": ` +
        `pass ${next} next time, or leave the version out to follow the latest.`,
    );
  }
}
