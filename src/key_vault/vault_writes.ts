/**
 * What every Key Vault writer of a workspace shares (sharing a key, moving the connection string,
 * rotation's write-back): how the workspace reaches a vault (its credential, the emulator's CA for
 * a loopback vault), the check that a secret holds this workspace's connection string before a new
 * version buries it, and remembering what was written for this process's later connects.
 *
 * @module
 */

import { checkPairing, KEY_VAULT_REFERENCE, KEY_VAULT_URL_VARIABLE } from "../config/arm_settings.ts";
import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { keyVaultRead, rememberKeyVaultSecret } from "../config/key_vault_cache.ts";
import { describeKeyVaultSecret } from "../config/key_vault_connection.ts";
import { type KeyVaultReference, keyVaultSecretTarget } from "../config/key_vault_reference.ts";
import {
  type KeyVaultAccessOptions,
  type KeyVaultSecretValue,
  readKeyVaultSecret,
} from "../config/key_vault_source.ts";
import type { Settings } from "../config/settings.ts";
import type { ConnectionInfo, KeySource } from "../connection/connection_info.ts";
import { parseConnectionString } from "../connection/connection_string.ts";
import { ConfigurationError } from "../errors.ts";
import type { LiveKey } from "../http/live_key.ts";
import { isNotFoundError } from "../request_errors.ts";

/** What the Key Vault writers use of a workspace (a `Workspace`, and the `KeyHost` of its keys, are one). */
export interface KeyVaultHost {
  /** The connection; `keySource.keyVault` names the secret its key came from, if any. */
  readonly info: ConnectionInfo;
  /** The credential, the CA, the environments and the `.env` keys. */
  readonly settings: Settings;
  /** The key the data plane sends (absent with Entra ID). */
  readonly liveKey: LiveKey | undefined;
}

/** Where a reference lives, as messages name it: `env …`, `.env /path (…)`, `argument …`. */
export function keySourceName(source: KeySource | undefined): string | undefined {
  if (!source) return undefined;
  const variable = source.variable ?? CONNECTION_STRING_VARIABLE;
  if (source.kind === "dotenv") return `.env ${source.path} (${variable})`;
  return `${source.kind === "env" ? "env" : "argument"} ${variable}`;
}

/** Remembers a version written, as the latest and by its own URI, for later connects. */
export function rememberWritten(written: KeyVaultSecretValue): void {
  const read = keyVaultRead(written);
  rememberKeyVaultSecret(`${written.vaultUrl}secrets/${written.secretName}/`, written.value, read);
  rememberKeyVaultSecret(written.secretId, written.value, read);
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
  workspace: KeyVaultHost,
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
  workspace: KeyVaultHost,
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

/** A vault to use and where its URL came from (for the vault's error messages). */
export interface ChosenVault {
  vaultUrl: string;
  /** `"moveToKeyVault options"`, `"env AZURE_QUANTUM_KEY_VAULT_URL"`, … */
  source: string;
}

/**
 * The vault a Key Vault call uses: the `vaultUrl` option, else the vault this workspace's key
 * comes from (when `ownFirst`), else `AZURE_QUANTUM_KEY_VAULT_URL` (environment, then the `.env`
 * that supplied the connection, as `settings.keyVaultUrl` resolves it).
 *
 * @throws {ConfigurationError} `KeyVaultUrlMissing`, naming the option and the variable.
 */
export function chooseVault(
  workspace: KeyVaultHost,
  vaultUrl: string | undefined,
  call: { name: string; doing: string; ownFirst: boolean },
): ChosenVault {
  const picked = pickVault(workspace, vaultUrl, call);
  if (!picked) throw missingVault(call);
  // The emulator's vault never gets an Azure workspace's key, nor a real vault the emulator's, and no
  // token of the emulator's sign-in goes with an Azure connection. The vault the key was read from is
  // checked too: loading refuses such a pair, but a connection can be made by hand.
  const fix = picked.variable === KEY_VAULT_URL_VARIABLE
    ? undefined
    : (emulator: boolean) =>
      emulator
        ? "Pass the emulator's vault (emulator.keyVaultUrl) as vaultUrl"
        : `Pass an Azure vault as vaultUrl ("https://<vault>.vault.azure.net/")`;
  checkPairing(call.doing, { variable: picked.variable, value: picked.vaultUrl, source: picked.source, fix }, workspace.info);
  workspace.settings.checkSignIn(call.doing);
  return { vaultUrl: picked.vaultUrl, source: picked.source };
}

function pickVault(
  workspace: KeyVaultHost,
  vaultUrl: string | undefined,
  call: { name: string; ownFirst: boolean },
): (ChosenVault & { variable: string }) | undefined {
  const options = `${call.name} options`;
  if (vaultUrl !== undefined) return { vaultUrl, source: options, variable: "vaultUrl" };
  const own = call.ownFirst ? workspace.info.keySource?.keyVault : undefined;
  if (own) return { vaultUrl: own.vaultUrl, source: KEY_VAULT_REFERENCE, variable: "the vault of the connection string" };
  const setting = workspace.settings.keyVaultUrl;
  if (!setting) return undefined;
  // Checked on its own first, so a bad URL is blamed on the variable, a bad name on the options.
  keyVaultSecretTarget(setting.value, "x", undefined, { source: setting.source });
  return { vaultUrl: setting.value, source: setting.source, variable: KEY_VAULT_URL_VARIABLE };
}

function missingVault(call: { name: string; doing: string; ownFirst: boolean }): ConfigurationError {
  return new ConfigurationError(
    "KeyVaultUrlMissing",
    `Cannot ${call.doing}: no vault was given (the vaultUrl option) and ${KEY_VAULT_URL_VARIABLE} is not ` +
      `set${call.ownFirst ? ", and this workspace's connection string does not come from Key Vault" : ""}. ` +
      `Pass { vaultUrl: "https://<vault>.vault.azure.net/" } to ${call.name}(), or set ` +
      `${KEY_VAULT_URL_VARIABLE} in the environment or the .env`,
  );
}
