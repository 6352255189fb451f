/**
 * Configuration, resolved once: `resolveSettings(options)` turns the options, the environment and
 * the project's `.env` (read once) into one {@link Settings} object, each value with its source.
 * Every client receives it and reads nothing else.
 *
 * @module
 */

import { fs } from "../_builtins.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { Secret } from "../connection/secret.ts";
import { DENO_INSPECT, NODE_INSPECT } from "../displayable.ts";
import { ConfigurationError } from "../errors.ts";
import type { ClientOptions, EnvVariables, FetchLike, RetryOptions } from "./client_options.ts";
import type { TokenCredentialLike } from "./credential.ts";
import { chooseCredential } from "./env_credential.ts";
import { type KeyChangesOptIn, keyChangesOptIn } from "./key_changes_opt_in.ts";
import { readEnvFile } from "./env_file.ts";
import {
  dotenvLabel,
  dotenvValue,
  type EnvDecryptOptions,
  openDotenvFile,
  suppliedConnection,
} from "./env_file_values.ts";
import { type DotenvFile, type LoadConnectionOptions, readConnection } from "./load_connection.ts";
import { hiddenText } from "./options_view.ts";

/** Environment variable naming the emulator's CA certificate (PEM file). */
export const EMULATOR_CA_VARIABLE = "AZURE_QUANTUM_EMULATOR_CA";
/** Environment variable overriding the Azure Resource Manager endpoint. */
export const ARM_ENDPOINT_VARIABLE = "AZURE_QUANTUM_ARM_ENDPOINT";
/** Azure Resource Manager in the public cloud. */
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";
/** ARM api-version used by default (reference §3.1: the Python SDK's and the CLI's). */
export const DEFAULT_ARM_API_VERSION = "2025-12-15-preview";
/** Token scope for ARM; the emulator accepts tokens for it too. */
export const DEFAULT_ARM_SCOPE = "https://management.azure.com/.default";

/** Options of {@link resolveSettings}: where the connection comes from, and the client options. */
export interface SettingsOptions extends LoadConnectionOptions, ClientOptions {
  /** A connection already loaded: then only its `.env` (`envFilePath`) is read, for ARM and the CA. */
  connection?: ConnectionInfo;
  /** What to call the `credential` option in `credentialSource`. @default "argument credential" */
  credentialSource?: string;
}

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

/**
 * The transport options every client uses.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect({ timeoutMs: 5_000 });
 * ws.settings.transport.timeoutMs; // 5000
 * ```
 */
export interface TransportSettings {
  /** Data-plane requests go through this (tests). */
  fetch: FetchLike | undefined;
  /** ARM requests go through this (tests). */
  armFetch: FetchLike | undefined;
  /** The data-plane api-version. */
  apiVersion: string | undefined;
  /** Retry bounds. */
  retry: RetryOptions | undefined;
  /** Per-attempt timeout in ms. */
  timeoutMs: number | undefined;
}

/**
 * Where the settings beyond the connection came from: `"argument armEndpoint"`,
 * `"env AZURE_QUANTUM_ARM_ENDPOINT"`, `".env /repo/.env (AZURE_QUANTUM_EMULATOR_CA)"`, `"default"`.
 * (The connection's own fields have theirs in `connection.sources`.)
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * ws.settings.sources.armEndpoint; // "default"
 * ```
 */
export interface SettingSources {
  /** Where the ARM endpoint came from. */
  armEndpoint: string;
  /** `undefined` when no CA is configured. */
  ca: string | undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

interface Setting {
  value: string;
  source: string;
}

/** The places a setting is looked up, in order. */
interface Layers {
  env: EnvVariables;
  dotenv: DotenvFile | undefined;
}

/**
 * The `.env` a setting that decides where a token goes (ARM endpoint, CA) may come from: only the
 * one that supplied a field of the connection. A `.env` that supplied none (say one above the
 * project, or a sample's) changes nothing.
 */
function trustedDotenv(
  connection: ConnectionInfo,
  dotenv: DotenvFile | undefined,
): DotenvFile | undefined {
  // The same test decides which .env gives the credential (env_credential.ts): one rule.
  return dotenv !== undefined && suppliedConnection(dotenv, connection) ? dotenv : undefined;
}

/** The process environment in Node and Deno (Deno 2 also has `process.env`). */
export function processEnv(): EnvVariables {
  return (globalThis as { process?: { env: EnvVariables } }).process?.env ?? {};
}

// The one place that decides which environment and which .env a setting may come from.
function lookup(name: string, layers: Layers): Setting | undefined {
  const fromEnv = layers.env[name];
  if (fromEnv) return { value: fromEnv, source: `env ${name}` };
  const file = layers.dotenv;
  if (!file?.vars[name]) return undefined;
  // An encrypted value is decrypted when the setting is used, not when its source is named.
  return { source: dotenvLabel(file, name), get value() { return dotenvValue(file, name) ?? ""; } };
}

function armEndpointSetting(options: ArmSettingsOptions, layers: Layers): Setting {
  return options.armEndpoint
    ? { value: options.armEndpoint, source: "argument armEndpoint" }
    : lookup(ARM_ENDPOINT_VARIABLE, layers) ?? { value: DEFAULT_ARM_ENDPOINT, source: "default" };
}

function caSetting(options: ArmSettingsOptions, layers: Layers): Setting | undefined {
  return options.ca ? { value: options.ca, source: "argument ca" } : lookup(EMULATOR_CA_VARIABLE, layers);
}

// The PEM itself: the `ca` argument, or the file a variable names (read when first needed).
function readCa(setting: Setting | undefined, what: string): string | undefined {
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
 * Resolves the ARM endpoint (option > `AZURE_QUANTUM_ARM_ENDPOINT` in the environment, then in
 * `dotenv` > public cloud), scope, api-version, and, for a loopback endpoint only, the emulator CA
 * to trust.
 *
 * @throws {ConfigurationError} when the endpoint is not an https URL or the CA file is unreadable.
 */
export function resolveArmSettings(
  dotenv: DotenvFile | undefined,
  options: ArmSettingsOptions = {},
): ArmSettings {
  const layers = { env: options.env ?? processEnv(), dotenv };
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
      `Cannot manage access keys: the ARM endpoint "${raw}" is not an https URL. ` +
        `Set ${ARM_ENDPOINT_VARIABLE} (or armEndpoint) to e.g. ${DEFAULT_ARM_ENDPOINT}`,
    );
  }
  return {
    endpoint: `${url.origin}${url.pathname}`.replace(/\/+$/, ""),
    scope: options.armScope ?? DEFAULT_ARM_SCOPE,
    apiVersion: options.armApiVersion ?? DEFAULT_ARM_API_VERSION,
    ca: LOOPBACK.has(url.hostname)
      ? readCa(caSetting(options, layers), "the emulator's ARM endpoint")
      : undefined,
  };
}

/**
 * Everything the clients need, resolved once from the options, the environment and the `.env`
 * file: the connection (each field with its source), the ARM settings, the CA, the credential,
 * the transport options, and the environment a key rotation updates. Made by
 * {@link resolveSettings}; printing it never shows a key or the environment.
 *
 * @example Usage
 * ```ts
 * import { resolveSettings } from "azure-quantum-notebook";
 * const settings = resolveSettings({ envFile: ".env" });
 * console.log(settings.connection.sources, settings.sources.armEndpoint);
 * ```
 */
export class Settings {
  /** The workspace connection; `connection.sources` says where each field came from. */
  readonly connection: ConnectionInfo;
  /** The `.env` file read (absolute path), if any. */
  readonly envFile: string | undefined;
  /** Use Entra ID on the data plane even when the connection has an access key. */
  readonly useEntraId: boolean;
  /** Fetch functions, api-version, retries, timeout. */
  readonly transport: Readonly<TransportSettings>;
  /** Where the ARM endpoint and the CA came from. */
  readonly sources: Readonly<SettingSources>;
  /**
   * Where the Entra credential came from: `"argument credential"`, the `.env` whose credential
   * variables made it, or DefaultAzureCredential.
   */
  readonly credentialSource: string;
  /**
   * Whether `disable`, `regenerate` and `rotate` may change a workspace that is not the emulator
   * (`allowKeyChanges` option, else `AZURE_QUANTUM_ALLOW_KEY_CHANGES=1` in the environment).
   */
  readonly keyChanges: Readonly<KeyChangesOptIn>;
  readonly #options: SettingsOptions;
  readonly #layers: Layers;
  readonly #dotenv: DotenvFile | undefined;
  readonly #credential: TokenCredentialLike;
  #arm: ArmSettings | undefined;
  #ca: { pem: string | undefined } | undefined;

  /**
   * Use {@link resolveSettings}.
   *
   * @internal
   */
  constructor(connection: ConnectionInfo, dotenv: DotenvFile | undefined, options: SettingsOptions) {
    this.connection = connection;
    this.envFile = connection.envFilePath;
    this.useEntraId = options.useEntraId === true;
    this.#options = options;
    this.#dotenv = dotenv;
    this.#layers = { env: options.env ?? processEnv(), dotenv: trustedDotenv(connection, dotenv) };
    const credential = chooseCredential({
      explicit: options.credential,
      explicitSource: options.credentialSource,
      connection,
      dotenv: this.#layers.dotenv,
      // The process environment (which withConnection passes on) is DefaultAzureCredential's to read.
      env: options.env === processEnv() ? undefined : options.env,
      ca: () => readCa(caSetting(options, this.#layers), "the emulator's Microsoft Entra authority"),
    });
    this.#credential = credential.credential;
    this.credentialSource = credential.source;
    this.keyChanges = keyChangesOptIn(options.allowKeyChanges, this.#layers.env);
    this.transport = {
      fetch: options.fetch,
      armFetch: options.armFetch,
      apiVersion: options.apiVersion,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
    };
    this.sources = {
      armEndpoint: armEndpointSetting(options, this.#layers).source,
      ca: caSetting(options, this.#layers)?.source,
    };
  }

  /**
   * The ARM endpoint and where it came from, when it is not Azure's public cloud (the workspace
   * card and the key results show it), else `undefined`. Not validated here (see `arm`).
   */
  get armEndpointNote(): { endpoint: string; source: string } | undefined {
    const setting = armEndpointSetting(this.#options, this.#layers);
    const endpoint = setting.value.replace(/\/+$/, "");
    return endpoint === DEFAULT_ARM_ENDPOINT ? undefined : { endpoint, source: setting.source };
  }

  /**
   * The Entra credential: the `credential` option, else one made from the credential variables of
   * the `.env` (or `env` option) that supplied the connection, else `DefaultAzureCredential` on
   * first use. See {@link credentialSource}.
   */
  get credential(): TokenCredentialLike {
    return this.#credential;
  }

  /** The environment read, and updated by a key rotation. */
  get env(): EnvVariables {
    return this.#layers.env;
  }

  /**
   * Where a writer of the `.env` looks for its private key when the file is encrypted: the
   * `privateKey` option (a `Secret`) and the environment `loadConnection` read. `env` (the
   * caller's environment, a connection string among it) is readable by name only: not enumerable,
   * so a spread, `console.table` or `Object.entries` leaves it out, and JSON and inspect show
   * `[N variables, not shown]`. Pass both fields by name.
   *
   * @internal
   */
  get privateKeyOptions(): EnvDecryptOptions {
    const { privateKey, env } = this.#options;
    const view: EnvDecryptOptions = {
      privateKey: typeof privateKey === "string" ? new Secret(privateKey) : privateKey,
    };
    const printable = () => ({ privateKey: view.privateKey, ...(env ? { env: hiddenText("env", env) } : {}) });
    Object.defineProperties(view, {
      env: { value: env, enumerable: false },
      toJSON: { value: printable },
      [NODE_INSPECT]: {
        value: (_depth: number, opts: object, inspect: (v: unknown, o: object) => string) => inspect(printable(), opts),
      },
      [DENO_INSPECT]: {
        value: (inspect: (v: unknown, o: unknown) => string, opts: unknown) => inspect(printable(), opts),
      },
    });
    return view;
  }

  /** The environments a key switch updates: the process environment, and `env` when it was passed. */
  get envs(): EnvVariables[] {
    const process = processEnv();
    return this.#layers.env === process ? [process] : [process, this.#layers.env];
  }

  /**
   * The ARM settings, resolved on first use (so a bad ARM endpoint fails key management only).
   *
   * @throws {ConfigurationError} when the endpoint is not an https URL or the CA file is unreadable.
   */
  get arm(): ArmSettings {
    this.#arm ??= resolveArmSettings(this.#layers.dotenv, { ...this.#options, env: this.env });
    return this.#arm;
  }

  /**
   * The PEM CA the data plane trusts: only for an emulator connection, read on first use.
   *
   * @throws {ConfigurationError} when the CA file is unreadable.
   */
  get dataPlaneCa(): string | undefined {
    if (!this.connection.isEmulator) return undefined;
    const what = `the emulator at ${this.connection.endpoint}`;
    this.#ca ??= { pem: readCa(caSetting(this.#options, this.#layers), what) };
    return this.#ca.pem;
  }

  /** The PEM CA for the emulator's (loopback) Key Vault, as {@link keyVaultCa} finds it. */
  get keyVaultCa(): string | undefined {
    return keyVaultCa(this.#options, this.#layers.env, this.#layers.dotenv);
  }

  // What printing shows (inspect, JSON): the fields, and what the environment and the credential
  // are, never what they hold (`env` holds the connection string, a credential may hold a secret).
  #printable(): Record<string, unknown> {
    return {
      connection: this.connection,
      envFile: this.envFile,
      useEntraId: this.useEntraId,
      transport: this.transport,
      sources: this.sources,
      env: hiddenText("env", this.#layers.env),
      credential: this.#options.credential
        ? hiddenText("credential", this.#options.credential)
        : this.credentialSource,
      credentialSource: this.credentialSource,
      keyChanges: this.keyChanges,
    };
  }

  /** JSON: the fields, never the environment or the credential. */
  toJSON(): Record<string, unknown> {
    return this.#printable();
  }

  /** `util.inspect`: as JSON. */
  [NODE_INSPECT](_depth: number, opts: object, inspect: (v: unknown, o: object) => string): string {
    return `Settings ${inspect(this.#printable(), opts)}`;
  }

  /** `Deno.inspect`: as JSON. */
  [DENO_INSPECT](inspect: (v: unknown, o: unknown) => string, opts: unknown): string {
    return `Settings ${inspect(this.#printable(), opts)}`;
  }

  /** The same settings for another connection (e.g. with the endpoint ARM reported). */
  withConnection(connection: ConnectionInfo): Settings {
    return new Settings(connection, this.#dotenv, { ...this.#options, env: this.env });
  }
}

/**
 * The PEM CA trusted for the emulator's (loopback) Key Vault: the `ca` option, else the file
 * `AZURE_QUANTUM_EMULATOR_CA` names in `env`, else in `dotenv`. A real vault gets none.
 *
 * @throws {ConfigurationError} when the CA file is unreadable.
 */
export function keyVaultCa(
  options: Pick<ClientOptions, "ca">,
  env: EnvVariables,
  dotenv: DotenvFile | undefined,
): string | undefined {
  return readCa(caSetting(options, { env, dotenv }), "the emulator's Key Vault");
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
 * Resolves the configuration once: loads the connection (options > environment > `.env`, see
 * `loadConnection`) unless `options.connection` is given, and the ARM endpoint and emulator CA
 * from the options, the same environment, and the same `.env` file (read once) only when that
 * file supplied a field of the connection: settings that decide where a token goes never come
 * from a `.env` that did not.
 *
 * @throws {ConfigurationError}, {ConnectionStringError} or {EnvFileError}, as `loadConnection`.
 */
export function resolveSettings(options: SettingsOptions = {}): Settings {
  if (options.connection === undefined) {
    const { connection, dotenv } = readConnection(options);
    return new Settings(connection, dotenv, options);
  }
  const path = options.connection.envFilePath;
  let vars: Record<string, string> | undefined;
  try {
    vars = path === undefined ? undefined : readEnvFile(path, options.readTextFile);
  } catch {
    vars = undefined; // the connection is loaded already: a .env gone since only drops its settings
  }
  return new Settings(options.connection, vars && openDotenvFile(path!, vars, options), options);
}
