/**
 * `keys.moveToKeyVault()`: the connection string this kernel uses, found in clear text (a `.env`,
 * the environment or an argument), becomes a Key Vault secret, and a reference takes its place:
 * the secret is written and read back first, then the `.env` line is replaced (atomically, every
 * other line kept) and the environment updated. The result says what changed and what the user
 * must still do; from then on `keys.rotate()` writes new keys to the vault.
 *
 * @module
 */

import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { readEnvFile } from "../config/env_file.ts";
import { envFileSecret } from "../config/env_file_values.ts";
import { describeKeyVaultSecret } from "../config/key_vault_connection.ts";
import { formatKeyVaultReference, keyVaultSecretTarget } from "../config/key_vault_reference.ts";
import { connectionStringSecretTags, writeKeyVaultSecret } from "../config/key_vault_source.ts";
import { updateEnvFile, type UpdateEnvFileOptions } from "../config/update_env_file.ts";
import type { KeySource } from "../connection/connection_info.ts";
import { connectionStringFor, holdsKey } from "../connection/connection_string.ts";
import type { NotAppliedData } from "../render/key_cards.ts";
import { KeyVaultMoveResult } from "./results.ts";
import {
  checkSecretTarget,
  chooseVault,
  type KeyVaultHost,
  keySourceName,
  rememberWritten,
  vaultAccess,
} from "./vault_writes.ts";

/**
 * Options of `keys.moveToKeyVault()`.
 *
 * @example Usage
 * ```ts
 * import { connect, type MoveToKeyVaultOptions } from "azure-quantum-notebook";
 * const options: MoveToKeyVaultOptions = {
 *   vaultUrl: "https://myvault.vault.azure.net/", // or set AZURE_QUANTUM_KEY_VAULT_URL
 *   secretName: "quantum",
 * };
 * const ws = await connect();
 * await ws.keys.moveToKeyVault(options);
 * ```
 */
export interface MoveToKeyVaultOptions {
  /**
   * The vault, `https://<vault>.vault.azure.net/`.
   * @default `AZURE_QUANTUM_KEY_VAULT_URL` (the environment, else the `.env` of the connection; the
   *   emulator sets it to its vault)
   */
  vaultUrl?: string;
  /** The secret to write (a new version is added if it exists). */
  secretName: string;
  /**
   * The `.env` whose `AZURE_QUANTUM_CONNECTION_STRING` gets the reference; `false` writes none.
   * It is only written where it holds the key in use, or does not set the variable.
   * @default the `.env` the connection string came from (or the one the connection read)
   */
  envFile?: string | false;
  /**
   * Add a version even when the secret's latest version holds something other than a connection
   * string for this workspace. @default false
   */
  overwrite?: boolean;
  /** Passed to `updateEnvFile`. */
  envFileOptions?: UpdateEnvFileOptions;
  /** Aborts the call (before the `.env` is written). */
  signal?: AbortSignal;
}

/** True when the `.env` at `path` sets the connection string variable (in clear or encrypted). */
function isSetIn(path: string): boolean {
  try {
    return readEnvFile(path)?.[CONNECTION_STRING_VARIABLE] !== undefined;
  } catch {
    return false; // unreadable: the writer says so
  }
}

/**
 * Moves the kernel's connection string into Key Vault (see `KeyManager.moveToKeyVault`); when
 * there is nothing to move, what a `NotApplied` says instead.
 */
export async function moveToKeyVault(
  workspace: KeyVaultHost,
  options: MoveToKeyVaultOptions,
): Promise<KeyVaultMoveResult | NotAppliedData> {
  const info = workspace.info;
  const name = info.workspaceName;
  const live = workspace.liveKey;
  const from = info.keySource;
  const base = { operation: "moveToKeyVault" as const, workspaceName: name };
  if (!live) {
    return {
      ...base,
      reason: "not-applicable",
      would: "this kernel uses Microsoft Entra ID: it has no connection string to move",
      fix: "Nothing to do: Entra ID keeps no key in clear text.",
    };
  }
  if (from?.keyVault) {
    return {
      ...base,
      reason: "unchanged",
      would: `the connection string already comes from the ${describeKeyVaultSecret(from.keyVault)}`,
      fix: "Nothing to do; keys.rotate({ confirm: true }) writes new keys there.",
    };
  }
  if (typeof options?.secretName !== "string") {
    throw new TypeError(
      'Cannot move the connection string to Key Vault: no secretName was given. Pass { secretName: "quantum" }',
    );
  }
  const vault = chooseVault(workspace, options.vaultUrl, {
    name: "moveToKeyVault",
    doing: "move the connection string to Key Vault",
    ownFirst: false,
  });
  const target = keyVaultSecretTarget(vault.vaultUrl, options.secretName, undefined, {
    source: "moveToKeyVault options",
  });
  const doing = "move the connection string";
  await checkSecretTarget(workspace, target, { ...options, doing });
  const written = await writeKeyVaultSecret(target, connectionStringFor(info, live.key), {
    ...vaultAccess(workspace, target, options.signal),
    source: vault.source,
    tags: connectionStringSecretTags({ ...info, keyFingerprint: live.key.fingerprint }),
  });
  rememberWritten(written);
  options.signal?.throwIfAborted();

  const reference = formatKeyVaultReference(target);
  const secret = describeKeyVaultSecret(target);
  const changed = [
    `Wrote version ${written.version} of the ${secret} and read it back: it holds the key ${live.key.fingerprint}.`,
  ];
  const todo: string[] = [];
  const warnings: string[] = [];
  let home: KeySource | undefined;
  let encryptedHome = false;

  const path = options.envFile === false
    ? undefined
    : options.envFile ?? (from?.kind === "dotenv" ? from.path : info.envFilePath);
  if (path !== undefined) {
    // An encrypted .env is decrypted to check, and the reference written encrypted like any
    // value written into a file that holds ciphertext (never clear text there).
    const keys = workspace.settings.privateKeyOptions;
    const current = envFileSecret(path, CONNECTION_STRING_VARIABLE, keys);
    // Set but not readable or decryptable here counts as another value: never overwritten.
    const isSet = current !== undefined || isSetIn(path);
    if (holdsKey(current, live.key) || (!isSet && options.envFile)) {
      const result = await updateEnvFile(
        path,
        CONNECTION_STRING_VARIABLE,
        reference,
        { privateKey: keys.privateKey, env: keys.env, ...options.envFileOptions },
      );
      changed.push(
        `${result.path}: ${CONNECTION_STRING_VARIABLE} now holds the reference (${
          result.encrypted ? "encrypted, as the file is; " : ""
        }every other line kept).`,
      );
      warnings.push(...result.warnings);
      home = { kind: "dotenv", variable: CONNECTION_STRING_VARIABLE, path: result.path };
      encryptedHome = result.encrypted === true;
    } else if (isSet && (from?.kind === "dotenv" || options.envFile)) {
      todo.push(
        `${path} holds another value in ${CONNECTION_STRING_VARIABLE} (left unchanged): set it to ${reference} if it should use this secret.`,
      );
    }
  }

  let inEnv = false;
  for (const env of workspace.settings.envs) {
    if (!holdsKey(env[CONNECTION_STRING_VARIABLE], live.key)) continue;
    env[CONNECTION_STRING_VARIABLE] = reference;
    inEnv = true;
  }
  if (inEnv) {
    changed.push(`This process's environment: ${CONNECTION_STRING_VARIABLE} now holds the reference.`);
    home ??= { kind: "env", variable: CONNECTION_STRING_VARIABLE };
  }
  if (from?.kind === "env") {
    todo.push(
      `Remove the clear-text ${CONNECTION_STRING_VARIABLE} from where it is exported (shell profile, ` +
        `kernel spec, CI settings), or set it to ${reference}.`,
    );
  }
  if (from === undefined || from.kind === "argument") {
    todo.push(
      `Pass connectionString: "${reference}" to connect() instead of the connection string, and delete the connection string from your code and notebooks.`,
    );
  }
  todo.push(
    "The key itself is unchanged and still works wherever the clear text was copied (backups, shell history, " +
      "git history): rotate it with ws.keys.rotate({ confirm: true }), which writes the new key to Key Vault.",
  );

  // From now on this workspace's key lives in the vault: rotation writes back there.
  const via = keySourceName(home) ?? "argument connectionString";
  const label = `${secret} (via ${encryptedHome ? "encrypted " : ""}${via})`;
  const previous = info.sources.apiKey;
  for (const [field, source] of Object.entries(info.sources) as [keyof typeof info.sources, string][]) {
    if (source === previous) info.sources[field] = label;
  }
  info.keySource = {
    ...(home ?? { kind: "argument", variable: "connectionString" }),
    keyVault: {
      vaultUrl: written.vaultUrl,
      vaultName: written.vaultName,
      secretName: written.secretName,
      version: written.version,
      pinned: false,
      syntax: "SecretUri",
      createdOn: written.createdOn?.toISOString(),
      readAt: new Date().toISOString(),
    },
  };
  return new KeyVaultMoveResult({
    workspaceName: name,
    vaultUrl: written.vaultUrl,
    secretName: written.secretName,
    version: written.version,
    secretId: written.secretId,
    reference,
    keyFingerprint: live.key.fingerprint,
    changed,
    todo,
    warnings,
  });
}
