/**
 * What a rotation does when the keys changed under it (another kernel rotated or regenerated them
 * meanwhile): find a key the data plane accepts, put this kernel on it, and make sure the `.env`
 * does not keep a dead one.
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import type { KeySlot } from "../arm/arm_types.ts";
import { slotOf } from "../arm/list_keys_result.ts";
import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { envFileVariable } from "../config/env_file.ts";
import { updateEnvFile } from "../config/update_env_file.ts";
import { parseConnectionString } from "../connection/connection_string.ts";
import type { Secret } from "../connection/secret.ts";
import type { KeyHost } from "./key_manager.ts";
import { probeKey } from "./key_probe.ts";
import {
  connectionStringFor,
  type KeySwitch,
  type KeySwitchOptions,
  switchKey,
} from "./key_switch.ts";

/** What a rotation says when another process rotated or regenerated the keys meanwhile. */
export const CHANGED = "the keys changed while this rotation ran (another kernel or process " +
  "rotated or regenerated them)";

/** A key the data plane accepted, and which slot holds it. */
export interface WorkingKey {
  slot: KeySlot | undefined;
  key: Secret;
}

/** The `.env` a rotation writes, if any (the one the key came from, unless told otherwise). */
export function rotationEnvFile(workspace: KeyHost, options: KeySwitchOptions): string | undefined {
  if (options.envFile === false) return undefined;
  if (options.envFile) return options.envFile;
  const source = workspace.info.keySource;
  return source?.kind === "dotenv" && source.path ? source.path : workspace.info.envFilePath;
}

/** The key in the `.env`'s connection string, when it is one for this workspace. */
function envFileKey(workspace: KeyHost, path: string | undefined): Secret | undefined {
  const text = path === undefined ? undefined : envFileVariable(path, CONNECTION_STRING_VARIABLE);
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
    return undefined;
  }
}

/**
 * Puts this kernel on a key that works: the `.env`'s key first (another kernel may have written
 * the rotated one there), then the listed primary and secondary keys; each is probed on the data
 * plane, and the first accepted one is switched to (kernel, environment, and the `.env` when it
 * held the kernel's key or a dead one). `undefined` when no key works.
 */
export async function adoptWorkingKey(
  workspace: KeyHost,
  arm: ArmClient,
  options: KeySwitchOptions & { signal?: AbortSignal },
): Promise<(WorkingKey & { change: KeySwitch }) | undefined> {
  const live = workspace.liveKey!;
  const keys = await arm.listKeys({ signal: options.signal });
  const path = rotationEnvFile(workspace, options);
  const candidates: Secret[] = [];
  for (const k of [envFileKey(workspace, path), keys.primary?.key, keys.secondary?.key]) {
    if (k && !candidates.some((c) => c.equals(k))) candidates.push(k);
  }
  for (const key of candidates) {
    if ((await probeKey(workspace, key, options.signal)) !== "accepted") continue;
    const change = await switchKey(workspace, live.key, key, options);
    change.envFiles.push(...(await replaceDeadEnvKey(workspace, key, options)));
    return { slot: slotOf(keys, key), key, change };
  }
  return undefined;
}

/**
 * When the `.env` holds a connection string for this workspace whose key the data plane rejects,
 * writes `working` (verified) there instead: a dead key helps nobody. A key that works (another
 * kernel's) is left alone. Returns the files written.
 */
export async function replaceDeadEnvKey(
  workspace: KeyHost,
  working: Secret,
  options: KeySwitchOptions & { signal?: AbortSignal },
): Promise<string[]> {
  const path = rotationEnvFile(workspace, options);
  const held = envFileKey(workspace, path);
  if (path === undefined || held === undefined || held.equals(working)) return [];
  if ((await probeKey(workspace, held, options.signal)) === "accepted") return [];
  const result = await updateEnvFile(
    path,
    CONNECTION_STRING_VARIABLE,
    connectionStringFor(workspace.info, working),
    options.envFileOptions,
  );
  return [result.path];
}
