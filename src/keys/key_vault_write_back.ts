/**
 * Writing a key back to the Key Vault secret the workspace's connection string came from: a new
 * secret version (content type, tags naming the workspace, the key slot and the key's
 * fingerprint), read back before anything switches to it. A reference pinned to a version is
 * rewritten where it lives (the `.env` line, through the `.env` writer; the environment), so it
 * names the new version; one given as an argument cannot be, and the result says what to pass.
 *
 * @module
 */

import type { KeySlot } from "../arm/arm_types.ts";
import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { envFileSecret } from "../config/env_file_values.ts";
import { rememberKeyVaultSecret } from "../config/key_vault_cache.ts";
import { describeKeyVaultSecret } from "../config/key_vault_connection.ts";
import {
  type KeyVaultReference,
  keyVaultSecretTarget,
  looksLikeKeyVaultReference,
  parseKeyVaultReference,
} from "../config/key_vault_reference.ts";
import {
  connectionStringSecretTags,
  type KeyVaultAccessOptions,
  type KeyVaultSecretValue,
  readKeyVaultSecret,
  writeKeyVaultSecret,
} from "../config/key_vault_source.ts";
import { updateEnvFile, type UpdateEnvFileOptions } from "../config/update_env_file.ts";
import type { KeySource, KeyVaultOrigin } from "../connection/connection_info.ts";
import { parseConnectionString } from "../connection/connection_string.ts";
import type { Secret } from "../connection/secret.ts";
import { ConfigurationError } from "../errors.ts";
import { isNotFoundError } from "../request_errors.ts";
import type { KeyHost } from "./key_manager.ts";
import { connectionStringFor } from "./key_switch.ts";

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

/** Where a reference lives, as messages name it: `env …`, `.env /path (…)`, `argument …`. */
export function keySourceName(source: KeySource | undefined): string | undefined {
  if (!source) return undefined;
  const variable = source.variable ?? CONNECTION_STRING_VARIABLE;
  if (source.kind === "dotenv") return `.env ${source.path} (${variable})`;
  return `${source.kind === "env" ? "env" : "argument"} ${variable}`;
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

/** Remembers a version written, as the latest and by its own URI, for later connects. */
export function rememberWritten(written: KeyVaultSecretValue): void {
  const read = {
    vaultUrl: written.vaultUrl,
    vaultName: written.vaultName,
    secretName: written.secretName,
    version: written.version,
    createdOn: written.createdOn?.toISOString(),
    readAt: new Date().toISOString(),
  };
  rememberKeyVaultSecret(`${written.vaultUrl}secrets/${written.secretName}/`, written.value, read);
  rememberKeyVaultSecret(written.secretId, written.value, read);
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
  workspace: KeyHost,
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
  keySource.keyVault = {
    ...origin,
    version: written.version,
    createdOn: written.createdOn?.toISOString(),
    readAt: new Date().toISOString(),
  };
  return result;
}

/**
 * The latest version of the secret the workspace's key came from, as it is now (another kernel
 * may have written a rotated key there).
 *
 * @throws the Key Vault source's read errors.
 */
export async function readLatestKeyVaultVersion(
  workspace: KeyHost,
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
export function followKeyVaultVersion(workspace: KeyHost, latest: KeyVaultSecretValue): void {
  rememberWritten(latest);
  const keySource = workspace.info.keySource!;
  keySource.keyVault = {
    ...keySource.keyVault!,
    version: latest.version,
    createdOn: latest.createdOn?.toISOString(),
    readAt: new Date().toISOString(),
  };
}

// A pinned reference would keep naming a version whose key is about to be revoked: point it at
// the new version wherever this module can write (the .env first, then the environments).
async function repin(
  workspace: KeyHost,
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

/**
 * Before a secret is written for a workspace (shared or moved there): its latest version, if it
 * has one, must be a connection string for that workspace, so no other value is buried under a
 * new version by mistake. `overwrite` skips the check (and its read).
 *
 * @throws {ConfigurationError} `KeyVaultSecretInUse`, and the Key Vault source's read errors
 *   (except `KeyVaultSecretNotFound`, which is what a new secret gives).
 */
export async function checkSecretTarget(
  workspace: KeyHost,
  target: KeyVaultReference,
  options: { overwrite?: boolean; signal?: AbortSignal; doing: string },
): Promise<void> {
  if (options.overwrite) return;
  let current: KeyVaultSecretValue;
  try {
    current = await readKeyVaultSecret(target, vaultAccess(workspace, target, options.signal));
  } catch (e) {
    if (isNotFoundError(e) && e.code === "KeyVaultSecretNotFound") return;
    throw e;
  }
  const info = workspace.info;
  let ours = false;
  try {
    const held = parseConnectionString(current.value.reveal());
    const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    ours = same(held.subscriptionId, info.subscriptionId) &&
      same(held.resourceGroup, info.resourceGroup) && same(held.workspaceName, info.workspaceName);
  } catch {
    ours = false;
  }
  if (!ours) {
    throw new ConfigurationError(
      "KeyVaultSecretInUse",
      `Cannot ${options.doing} to the ${describeKeyVaultSecret(target)}: its latest version ` +
        `(${current.version}) holds something other than a connection string for workspace ` +
        `"${info.workspaceName}". Choose another secretName, or pass { overwrite: true } to add a version anyway`,
    );
  }
}

/** How this workspace reaches `target`'s vault: its credential, and the emulator's CA for a loopback vault. */
export function vaultAccess(
  workspace: KeyHost,
  target: KeyVaultReference,
  signal?: AbortSignal,
): KeyVaultAccessOptions {
  const settings = workspace.settings;
  return {
    credential: settings.credential,
    ca: target.isLoopback ? settings.keyVaultCa : undefined,
    signal,
    retry: settings.transport.retry,
  };
}
