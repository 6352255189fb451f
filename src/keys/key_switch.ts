/**
 * Switching this kernel from one key to another (the `.env`, the environments, the live key),
 * and the connection string of either key.
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import type { KeySlot } from "../arm/arm_types.ts";
import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { envFileSecret } from "../config/env_file_values.ts";
import { updateEnvFile, type UpdateEnvFileOptions } from "../config/update_env_file.ts";
import {
  connectionStringFor,
  holdsKey,
  parseConnectionString,
} from "../connection/connection_string.ts";
import type { Secret } from "../connection/secret.ts";
import { ArmError } from "../request_errors.ts";
import type { KeyHost } from "./key_host.ts";

/**
 * Where a key switch writes besides the live key.
 *
 * @example Rotate without touching any `.env`
 * ```ts
 * import { connect, type KeySwitchOptions } from "azure-quantum-notebook";
 * const where: KeySwitchOptions = { envFile: false };
 * const ws = await connect();
 * await ws.keys.rotate({ confirm: true, ...where });
 * ```
 */
export interface KeySwitchOptions {
  /** The `.env` file to update; `false` updates none. @default the file the connection's key came from */
  envFile?: string | false;
  /** Passed to `updateEnvFile` (tests inject file-system failures here). */
  envFileOptions?: UpdateEnvFileOptions;
}

/** What a key switch changed. */
export interface KeySwitch {
  /** `.env` files written. */
  envFiles: string[];
  /** Environment variables set (names only). */
  envVariables: string[];
  /** Advice from the `.env` writer and notes about what was left alone. */
  warnings: string[];
  /** Puts the previous key back in the live credential and the environment (not the `.env`). */
  undo(): void;
}

/** The `.env` a key switch (and so a rotation) writes, if any: the one the key came from, unless told otherwise. */
export function envFileOf(workspace: KeyHost, options: KeySwitchOptions): string | undefined {
  if (options.envFile === false) return undefined;
  if (options.envFile) return options.envFile;
  const source = workspace.info.keySource;
  return source?.kind === "dotenv" && source.path ? source.path : workspace.info.envFilePath;
}

/**
 * Moves this kernel from `from` to `to`: the `.env` file whose `AZURE_QUANTUM_CONNECTION_STRING`
 * holds `from` (written first, atomically: if it fails nothing else changed), then every
 * environment (the process environment and the `env` option) whose variable holds `from`,
 * then the live key every data-plane request sends. Values are matched by key, never shown.
 *
 * @param workspace The workspace whose credential switches.
 * @param from The key in use.
 * @param to The key to use from now on.
 * @param options Which `.env` file.
 * @returns What changed, with an `undo()` for the in-memory part.
 * @throws {EnvFileError} when the `.env` write fails (nothing was changed).
 */
export async function switchKey(
  workspace: KeyHost,
  from: Secret,
  to: Secret,
  options: KeySwitchOptions = {},
): Promise<KeySwitch> {
  const text = connectionStringFor(workspace.info, to);
  const warnings: string[] = [];
  const envFiles: string[] = [];
  const path = envFileOf(workspace, options);
  if (path !== undefined) {
    // An encrypted .env is decrypted to check, and written encrypted, with the connection's key.
    const keys = workspace.settings.privateKeyOptions;
    if (holdsKey(envFileSecret(path, CONNECTION_STRING_VARIABLE, keys), from)) {
      const result = await updateEnvFile(
        path,
        CONNECTION_STRING_VARIABLE,
        text,
        { privateKey: keys.privateKey, env: keys.env, ...options.envFileOptions },
      );
      envFiles.push(result.path);
      warnings.push(...result.warnings);
    } else if (
      options.envFile ||
      // A Key Vault reference there holds no key: the vault's write-back took care of it.
      (workspace.info.keySource?.kind === "dotenv" && !workspace.info.keySource.keyVault)
    ) {
      warnings.push(
        `${path} does not hold the key in use (${from.fingerprint}) in ${CONNECTION_STRING_VARIABLE}: left unchanged.`,
      );
    }
  }

  const restores: (() => void)[] = [];
  const envVariables: string[] = [];
  for (const env of workspace.settings.envs) {
    const previous = env[CONNECTION_STRING_VARIABLE];
    if (!holdsKey(previous, from)) continue;
    env[CONNECTION_STRING_VARIABLE] = text.reveal();
    envVariables.push(CONNECTION_STRING_VARIABLE);
    restores.push(() => {
      env[CONNECTION_STRING_VARIABLE] = previous;
    });
  }
  if (workspace.info.keySource?.kind === "argument" && !workspace.info.keySource.keyVault) {
    warnings.push(
      "The key came from an argument: pass the new one next time (keys.connectionString()).",
    );
  }

  const live = workspace.liveKey;
  const before = live?.swap(to);
  if (before && live) restores.push(() => live.swap(before));
  return {
    envFiles,
    envVariables: [...new Set(envVariables)],
    warnings,
    undo() {
      for (const restore of restores.reverse()) restore();
    },
  };
}

/**
 * The connection string of `slot`'s key (`KeyManager.connectionString`): built from the workspace's
 * own fields and the key `listKeys` returned, or Resource Manager's own connection string for it
 * when that names this workspace.
 *
 * @throws {ArmError} `KeyNotListed` when `listKeys` returned no such key.
 */
export async function keyConnectionString(
  workspace: KeyHost,
  arm: ArmClient,
  slot: KeySlot,
  options: { signal?: AbortSignal },
): Promise<Secret> {
  const keys = await arm.listKeys(options);
  const listed = keys[slot];
  const fromArm = slot === "primary"
    ? keys.primaryConnectionString
    : keys.secondaryConnectionString;
  if (!listed) {
    if (fromArm && sameWorkspace(workspace, fromArm)) return fromArm;
    throw new ArmError(
      "KeyNotListed",
      `Cannot build a connection string: listKeys returned no ${slot} key for workspace "${workspace.info.workspaceName}". ` +
        "Check keys.status(); enable access keys first if they are disabled",
    );
  }
  try {
    return connectionStringFor(workspace.info, listed.key);
  } catch (e) {
    if (fromArm && sameWorkspace(workspace, fromArm)) return fromArm;
    throw e;
  }
}

function sameWorkspace(workspace: KeyHost, text: Secret): boolean {
  try {
    const parsed = parseConnectionString(text.reveal());
    const info = workspace.info;
    return parsed.subscriptionId === info.subscriptionId &&
      parsed.resourceGroup === info.resourceGroup &&
      parsed.workspaceName === info.workspaceName;
  } catch {
    return false;
  }
}
