/**
 * The settings that decide where a token goes: Resource Manager's endpoint (with its scope and
 * api-version), the emulator's CA and the default Key Vault, each from the option, else the environment, else the `.env`
 * that supplied the connection (never another one). A `.env` named by the `envFile` option that supplied
 * the connection ranks above the environment instead, as the connection's own fields do: these settings
 * travel with the connection. A CA is trusted for a loopback endpoint only.
 *
 * These settings must also agree with the connection on where the workspace is ({@link checkPairing}).
 * A loopback (the local emulator's) Resource Manager endpoint, Key Vault or sign-in endpoint goes with
 * an emulator connection only, and an Azure one with an Azure connection only. The emulator exports its
 * variables into the kernel's environment (`connect({ emulator: "auto" })`); left there next to an Azure
 * connection read from a `.env`, they would send Azure's key or token to the emulator (a process of this
 * machine that stops with the kernel), or the emulator's to Azure.
 *
 * @module
 */

import { fs, processEnv } from "../_builtins.ts";
import { ConfigurationError } from "../errors.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { isLoopbackUrl, LOCAL_HOSTS } from "../connection/quantum_endpoint.ts";
import type { ClientOptions, EnvVariables } from "./client_options.ts";
import { type DotenvFile, dotenvLabel, dotenvValue } from "./env_file_values.ts";

/** Environment variable naming the emulator's CA certificate (PEM file). */
export const EMULATOR_CA_VARIABLE = "AZURE_QUANTUM_EMULATOR_CA";
/** Environment variable overriding the Azure Resource Manager endpoint. */
export const ARM_ENDPOINT_VARIABLE = "AZURE_QUANTUM_ARM_ENDPOINT";
/** Environment variable naming the Key Vault that `keys.moveToKeyVault()` writes to by default. */
export const KEY_VAULT_URL_VARIABLE = "AZURE_QUANTUM_KEY_VAULT_URL";
/** Azure Resource Manager in the public cloud. */
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";
/** ARM api-version used by default (reference §3.1: the Python SDK's and the CLI's). */
export const DEFAULT_ARM_API_VERSION = "2025-12-15-preview";
/** Token scope for ARM; the emulator accepts tokens for it too. */
export const DEFAULT_ARM_SCOPE = "https://management.azure.com/.default";

/**
 * Where Azure Resource Manager is and how to reach it.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * console.log(ws.settings.arm.endpoint); // https://management.azure.com
 * ```
 */
export interface ArmSettings {
  /** Without a trailing slash. */
  endpoint: string;
  /** The token scope for ARM. */
  scope: string;
  /** The ARM api-version. */
  apiVersion: string;
  /** The CA to trust; set only for a loopback endpoint (the emulator). */
  ca: string | undefined;
}

/** What {@link resolveArmSettings} reads besides the environment and the `.env` file. */
export type ArmSettingsOptions = Pick<
  ClientOptions,
  "armEndpoint" | "armScope" | "armApiVersion" | "ca" | "env"
>;

export interface Setting {
  value: string;
  source: string;
}

/** The places a setting is looked up: the environment, then `dotenv` (or the reverse, `dotenvFirst`). */
export interface Layers {
  env: EnvVariables;
  dotenv: DotenvFile | undefined;
  /**
   * True when `dotenv` was named by the `envFile` option (and supplied the connection): it then
   * ranks above the environment, as it does for the connection (whose environment may hold another
   * connection's settings, say those `connect({ emulator: "auto" })` exported).
   */
  dotenvFirst?: boolean;
}

// The one place that decides which environment and which .env a setting may come from.
function lookup(name: string, layers: Layers): Setting | undefined {
  const file = layers.dotenv;
  // An encrypted value is decrypted when the setting is used, not when its source is named.
  const fromFile = (): Setting | undefined =>
    file?.vars[name]
      ? { source: dotenvLabel(file, name), get value() { return dotenvValue(file, name) ?? ""; } }
      : undefined;
  const fromEnv = (): Setting | undefined => {
    const value = layers.env[name];
    return value ? { value, source: `env ${name}` } : undefined;
  };
  return layers.dotenvFirst ? fromFile() ?? fromEnv() : fromEnv() ?? fromFile();
}

export function armEndpointSetting(options: ArmSettingsOptions, layers: Layers): Setting {
  return options.armEndpoint
    ? { value: options.armEndpoint, source: "argument armEndpoint" }
    : lookup(ARM_ENDPOINT_VARIABLE, layers) ?? { value: DEFAULT_ARM_ENDPOINT, source: "default" };
}

/** The default Key Vault's URL: `AZURE_QUANTUM_KEY_VAULT_URL`, from the environment or the `.env`. */
export function keyVaultUrlSetting(layers: Layers): Setting | undefined {
  return lookup(KEY_VAULT_URL_VARIABLE, layers);
}

export function caSetting(options: ArmSettingsOptions, layers: Layers): Setting | undefined {
  return options.ca ? { value: options.ca, source: "argument ca" } : lookup(EMULATOR_CA_VARIABLE, layers);
}

// The PEM itself: the `ca` argument, or the file a variable names (read when first needed).
export function readCa(setting: Setting | undefined, what: string): string | undefined {
  if (setting === undefined || setting.source === "argument ca") return setting?.value;
  try {
    return fs().readFileSync(setting.value, "utf8");
  } catch (e) {
    throw new ConfigurationError(
      "EmulatorCaUnreadable",
      `Cannot trust ${what}: ${EMULATOR_CA_VARIABLE} names "${setting.value}", which cannot be read ` +
        `(${(e as { code?: string }).code ?? "error"}). Restart the emulator and load the env file it writes`,
    );
  }
}

/**
 * Resolves the ARM endpoint (option > `AZURE_QUANTUM_ARM_ENDPOINT` in `layers`, see {@link Layers}
 * > public cloud), scope, api-version, and, for a loopback endpoint only, the emulator CA to trust.
 * `layers` defaults to the `env` option (else the process environment) and no `.env`.
 *
 * @throws {ConfigurationError} when the endpoint is not an https URL or the CA file is unreadable.
 */
export function resolveArmSettings(
  options: ArmSettingsOptions = {},
  layers: Layers = { env: options.env ?? processEnv(), dotenv: undefined },
): ArmSettings {
  const raw = armEndpointSetting(options, layers).value;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "https:") {
    throw new ConfigurationError(
      "ArmEndpointInvalid",
      `Cannot manage access keys: the ARM endpoint "${shownUrl(raw)}" is not an https URL. ` +
        `Set ${ARM_ENDPOINT_VARIABLE} (or armEndpoint) to e.g. ${DEFAULT_ARM_ENDPOINT}`,
    );
  }
  if (url.username || url.password) {
    throw new ConfigurationError(
      "ArmEndpointInvalid",
      `Cannot manage access keys: the ARM endpoint "${shownUrl(raw)}" has user information before the host. ` +
        `Remove it from ${ARM_ENDPOINT_VARIABLE} (or armEndpoint): Resource Manager takes a token, not credentials in the URL`,
    );
  }
  return {
    endpoint: `${url.origin}${url.pathname}`.replace(/\/+$/, ""),
    scope: options.armScope ?? DEFAULT_ARM_SCOPE,
    apiVersion: options.armApiVersion ?? DEFAULT_ARM_API_VERSION,
    ca: LOCAL_HOSTS.has(url.hostname)
      ? readCa(caSetting(options, layers), "the emulator's ARM endpoint")
      : undefined,
  };
}

/**
 * The PEM CA trusted for the emulator's (loopback) Key Vault: the `ca` option, else the file
 * `AZURE_QUANTUM_EMULATOR_CA` names in `layers` (see {@link Layers}).
 *
 * @throws {ConfigurationError} when the CA file is unreadable.
 */
export function keyVaultCa(options: Pick<ClientOptions, "ca">, layers: Layers): string | undefined {
  return readCa(caSetting(options, layers), "the emulator's Key Vault");
}

/**
 * The PEM CA trusted for the emulator's (loopback) Microsoft Entra authority, for a device-code
 * sign-in: the `ca` option, else the file `AZURE_QUANTUM_EMULATOR_CA` names in `env`.
 *
 * @throws {ConfigurationError} when the CA file is unreadable.
 */
export function authorityCa(options: Pick<ClientOptions, "ca">, env: EnvVariables): string | undefined {
  return readCa(caSetting(options, { env, dotenv: undefined }), "the emulator's Microsoft Entra authority");
}

/**
 * A URL as messages quote it: without user information, query or fragment (they may hold a
 * password or a signature); as given otherwise.
 */
export function shownUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.host) {
      return url.username || url.password || url.search || url.hash
        ? `${url.protocol}//${url.host}${url.pathname}`
        : raw;
    }
  } catch {
    // not a URL: cut by hand
  }
  return raw.slice(raw.lastIndexOf("@") + 1).replace(/[?#].*$/s, "");
}

/** What a pairing check reads of the connection. */
export type PairedConnection = Pick<ConnectionInfo, "isEmulator" | "endpoint" | "sources">;

/**
 * Whether the connection is the emulator's; `undefined` while its endpoint is still to be asked of
 * Resource Manager (Entra ID with only a location): the ARM endpoint then decides where it is.
 */
function emulatorConnection(connection: PairedConnection): boolean | undefined {
  return connection.sources.endpoint === "derived from location" ? undefined : connection.isEmulator;
}

/** A setting to check: its variable, value and where the value came from. */
export interface PairedSetting {
  /** The variable or option, e.g. `"AZURE_QUANTUM_ARM_ENDPOINT"`. */
  variable: string;
  /** The URL. */
  value: string;
  /** Where it came from, e.g. `"env AZURE_QUANTUM_ARM_ENDPOINT"`. */
  source: string;
  /** How to fix it (the message's last sentence), given whether the connection is the emulator's. */
  fix?: string | ((emulator: boolean) => string);
}

/**
 * Refuses a setting that points at the emulator for an Azure connection, or at Azure for an
 * emulator connection. Nothing to check while the connection's place is not known yet.
 *
 * @throws {ConfigurationError} `EmulatorMismatch`, naming the variable, its source and the fix.
 */
export function checkPairing(doing: string, setting: PairedSetting, connection: PairedConnection): void {
  const emulator = emulatorConnection(connection);
  if (emulator === undefined || isLoopbackUrl(setting.value) === emulator) return;
  const { variable, source } = setting;
  const value = shownUrl(setting.value);
  const fix = typeof setting.fix === "function" ? setting.fix(emulator) : setting.fix;
  const from = source === "default" ? "by default" : `from ${source}`;
  throw new ConfigurationError(
    "EmulatorMismatch",
    emulator
      ? `Cannot ${doing}: ${variable} is "${value}" (${from}), in Azure, but the connection is to the local ` +
        `emulator at ${connection.endpoint}. ${
          fix ?? `Set ${variable} to the emulator's (its env file has it), or unset it`
        }`
      : `Cannot ${doing}: ${variable} is "${value}" (${from}), the local emulator's, but the connection is to ` +
        `the Azure workspace at ${connection.endpoint}. ${
          fix ??
            `Unset ${variable} in the environment (connect({ emulator: "auto" }) exports it), or set it for ` +
              `Azure in the .env that holds the connection`
        }`,
  );
}

/** Where a vault's URL came from when it is the one the workspace's key was read from. */
export const KEY_VAULT_REFERENCE = "Key Vault reference";

/**
 * Refuses a connection string read from the emulator's vault for an Azure connection, or from a
 * real vault for the emulator's: the key goes back there (rotation, `keys.shareToKeyVault()`).
 *
 * @param vaultUrl The vault the reference names.
 * @param reference What the reference is and where, e.g.
 *   `Key Vault secret "quantum" in 127.0.0.1:8443 (via env AZURE_QUANTUM_CONNECTION_STRING)`.
 * @param doing What is refused, e.g. `"load connection"`.
 * @throws {ConfigurationError} `EmulatorMismatch`, naming the reference (not the secret) and the fix.
 */
export function checkReferencePairing(
  vaultUrl: string,
  reference: string,
  connection: Pick<ConnectionInfo, "isEmulator" | "endpoint">,
  doing = "load connection",
): void {
  if (isLoopbackUrl(vaultUrl) === connection.isEmulator) return;
  throw new ConfigurationError(
    "EmulatorMismatch",
    connection.isEmulator
      ? `Cannot ${doing}: the connection string in ${reference} is the local emulator's (at ` +
        `${connection.endpoint}), but the vault is in Azure. Refer to a secret in the emulator's vault ` +
        "(emulator.keyVaultUrl), or use the emulator's connection string itself"
      : `Cannot ${doing}: the connection string in ${reference} is for the Azure workspace at ` +
        `${connection.endpoint}, but the vault is the local emulator's, which stops with it. Store it in an ` +
        'Azure vault ("https://<vault>.vault.azure.net/") and refer to that secret, or use the connection string itself',
  );
}
