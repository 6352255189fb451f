/**
 * What a rotation does when the keys changed under it (another kernel rotated or regenerated them
 * meanwhile): find a key the data plane accepts, put this kernel on it, and make sure neither the
 * `.env` nor the Key Vault secret the key came from keeps a dead one.
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import type { KeySlot } from "../arm/arm_types.ts";
import { slotOf } from "../arm/list_keys_result.ts";
import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { envFileSecret } from "../config/env_file_values.ts";
import { updateEnvFile } from "../config/update_env_file.ts";
import { connectionStringFor, parseConnectionString } from "../connection/connection_string.ts";
import type { Secret } from "../connection/secret.ts";
import type { KeyHost } from "./key_host.ts";
import { probeKey } from "./key_probe.ts";
import { envFileOf, type KeySwitch, type KeySwitchOptions, switchKey } from "./key_switch.ts";

/** What a rotation says when another process rotated or regenerated the keys meanwhile. */
export const CHANGED = "the keys changed while this rotation ran (another kernel or process " +
  "rotated or regenerated them)";

/** A key the data plane accepted, and which slot holds it. */
export interface WorkingKey {
  slot: KeySlot | undefined;
  key: Secret;
}

/** The Key Vault secret version that holds the adopted key, when the key came from a vault. */
export interface StoredKey extends WorkingKey {
  /** The version (32 hex digits). */
  version: string;
  /** `{vaultUrl}secrets/{name}/{version}` when the recovery wrote that version. */
  secretId?: string;
}

/** The key of `text` when it is a connection string for this workspace. */
function ownKey(workspace: KeyHost, text: Secret | undefined): Secret | undefined {
  if (!text) return undefined;
  try {
    const info = parseConnectionString(text);
    const own = workspace.info;
    return info.workspaceName.toLowerCase() === own.workspaceName.toLowerCase() &&
        info.resourceGroup.toLowerCase() === own.resourceGroup.toLowerCase() &&
        info.subscriptionId.toLowerCase() === own.subscriptionId.toLowerCase()
      ? info.apiKey
      : undefined;
  } catch {
    return undefined; // not a connection string (a Key Vault reference, say)
  }
}

/** The key in the `.env`'s connection string (decrypted when encrypted), when it is one for this workspace. */
function envFileKey(workspace: KeyHost, path: string | undefined): Secret | undefined {
  if (path === undefined) return undefined;
  const keys = workspace.settings.privateKeyOptions;
  return ownKey(workspace, envFileSecret(path, CONNECTION_STRING_VARIABLE, keys));
}

/**
 * Puts this kernel on a key that works: the Key Vault secret's latest version first (when the key
 * came from a vault: another kernel's rotation writes the new key there), then the `.env`'s key
 * (another kernel may have written the rotated one there), then the listed primary and secondary
 * keys; each is probed on the data plane, and the first accepted one is switched to (kernel,
 * environment, and the `.env` when it held the kernel's key or a dead one). With a vault, its
 * latest version then holds that key: it is written there (read back) unless it was read there,
 * and a pinned reference is rewritten to name it. `undefined` when no key works.
 */
export async function adoptWorkingKey(
  workspace: KeyHost,
  arm: ArmClient,
  options: KeySwitchOptions & { signal?: AbortSignal },
): Promise<(WorkingKey & { change: KeySwitch; stored?: StoredKey }) | undefined> {
  const live = workspace.liveKey!;
  const keys = await arm.listKeys({ signal: options.signal });
  const origin = workspace.info.keySource?.keyVault;
  const vault = origin ? await import("../key_vault/write_back.ts") : undefined;
  const latest = vault
    ? await vault.readLatestKeyVaultVersion(workspace, options.signal).catch(() => undefined)
    : undefined;
  const fromVault = latest && ownKey(workspace, latest.value);
  const path = envFileOf(workspace, options);
  const candidates: Secret[] = [];
  for (const k of [fromVault, envFileKey(workspace, path), keys.primary?.key, keys.secondary?.key]) {
    if (k && !candidates.some((c) => c.equals(k))) candidates.push(k);
  }
  for (const key of candidates) {
    if ((await probeKey(workspace, key, options.signal)) !== "accepted") continue;
    const slot = slotOf(keys, key);
    let stored: StoredKey | undefined;
    const change = await switchKey(workspace, live.key, key, options);
    if (vault && latest && fromVault?.equals(key) && !origin!.pinned) {
      // The vault's latest version holds the working key already: follow it.
      vault.followKeyVaultVersion(workspace, latest);
      stored = { slot, key, version: latest.version };
    } else if (vault) {
      const written = await vault.storeKeyInKeyVault(workspace, slot ?? "primary", key, options);
      stored = { slot, key, version: written.version, secretId: written.secretId };
      change.envFiles.push(...written.envFiles);
      change.warnings.push(...written.warnings);
    }
    change.envFiles.push(...(await replaceDeadEnvKey(workspace, key, options)));
    return { slot, key, change, stored };
  }
  return undefined;
}

/**
 * When the `.env` holds a connection string for this workspace whose key the data plane rejects,
 * writes `working` (verified) there instead: a dead key helps nobody. A key that works (another
 * kernel's) is left alone, and so is a Key Vault reference (the vault holds the key). Returns the
 * files written.
 */
export async function replaceDeadEnvKey(
  workspace: KeyHost,
  working: Secret,
  options: KeySwitchOptions & { signal?: AbortSignal },
): Promise<string[]> {
  const path = envFileOf(workspace, options);
  const held = envFileKey(workspace, path);
  if (path === undefined || held === undefined || held.equals(working)) return [];
  if ((await probeKey(workspace, held, options.signal)) === "accepted") return [];
  // An encrypted .env is written encrypted, with the connection's key.
  const keys = workspace.settings.privateKeyOptions;
  const result = await updateEnvFile(
    path,
    CONNECTION_STRING_VARIABLE,
    connectionStringFor(workspace.info, working),
    { privateKey: keys.privateKey, env: keys.env, ...options.envFileOptions },
  );
  return [result.path];
}
