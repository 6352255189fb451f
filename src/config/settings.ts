/**
 * Configuration, resolved once: `resolveSettings(options)` turns the options, the environment and
 * the project's `.env` (read once) into one {@link Settings} object, each value with its source.
 * Every client receives it and reads nothing else.
 *
 * @module
 */

import { processEnv } from "../_builtins.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { isLoopbackUrl } from "../connection/quantum_endpoint.ts";
import { DENO_INSPECT, NODE_INSPECT } from "../displayable.ts";
import {
  ARM_ENDPOINT_VARIABLE,
  armEndpointSetting,
  type ArmSettings,
  caSetting,
  checkPairing,
  DEFAULT_ARM_ENDPOINT,
  keyVaultCa,
  keyVaultUrlSetting,
  type Layers,
  type PairedSetting,
  readCa,
  resolveArmSettings,
  shownUrl,
} from "./arm_settings.ts";
import type { ClientOptions, EnvVariables, FetchLike, RetryOptions } from "./client_options.ts";
import type { TokenCredentialLike } from "./credential.ts";
import { chooseCredential } from "./env_credential.ts";
import { envFileFirst, readEnvFile } from "./env_file.ts";
import { type EnvDecryptOptions, openDotenvFile, suppliedConnection } from "./env_file_values.ts";
import { type KeyChangesOptIn, keyChangesOptIn } from "./key_changes_opt_in.ts";
import { type DotenvFile, type LoadConnectionOptions, readConnection } from "./load_connection.ts";
import { hiddenText, privateKeyView } from "./options_view.ts";

/** Options of {@link resolveSettings}: where the connection comes from, and the client options. */
export interface SettingsOptions extends LoadConnectionOptions, ClientOptions {
  /** A connection already loaded: then only its `.env` (`envFilePath`) is read, for ARM and the CA. */
  connection?: ConnectionInfo;
  /** What to call the `credential` option in `credentialSource`. @default "argument credential" */
  credentialSource?: string;
}

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
  readonly #signInEndpoints: () => PairedSetting[];
  // Resolved again when the endpoint setting changes (the environment is read as it is now, as the
  // pairing check and keyChangesAllowed read it).
  #arm: { from: string; settings: ArmSettings } | undefined;
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
    const trusted = trustedDotenv(connection, dotenv);
    this.#layers = { env: options.env ?? processEnv(), dotenv: trusted, dotenvFirst: envFileFirst(options) };
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
    this.#signInEndpoints = credential.signInEndpoints;
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
    const endpoint = shownUrl(setting.value).replace(/\/+$/, "");
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
   * Where a writer of an encrypted `.env` looks for its private key (`env` readable by name only,
   * see `privateKeyView`): pass both fields by name.
   *
   * @internal
   */
  get privateKeyOptions(): EnvDecryptOptions {
    return privateKeyView(this.#options.privateKey, this.#options.env);
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
    const doing = "use Azure Resource Manager";
    const endpoint = armEndpointSetting(this.#options, this.#layers);
    // Azure's public cloud by default is no mismatch for the emulator: a request there carries no
    // secret of the emulator's, and key changes on it still need the opt-in (keyChangesAllowed).
    if (endpoint.source === "argument armEndpoint") {
      const fix = (emulator: boolean) =>
        `Pass ${emulator ? "the emulator's (emulator.armEndpoint)" : "an Azure Resource Manager endpoint"} as armEndpoint, or none`;
      checkPairing(doing, { variable: "armEndpoint", ...endpoint, fix }, this.connection);
    } else if (endpoint.source !== "default") {
      checkPairing(doing, { variable: ARM_ENDPOINT_VARIABLE, ...endpoint }, this.connection);
    }
    this.checkSignIn(doing);
    if (this.#arm?.from !== endpoint.value) {
      this.#arm = { from: endpoint.value, settings: resolveArmSettings(this.#options, this.#layers) };
    }
    return this.#arm.settings;
  }

  /**
   * Refuses a sign-in (managed-identity endpoint, Entra authority) of the emulator for an Azure
   * connection: its token would be the emulator's, and with it the emulator's ARM and vault would
   * be the ones to answer.
   *
   * @internal
   * @throws {ConfigurationError} `EmulatorMismatch`, naming the variable, its source and the fix.
   */
  checkSignIn(doing: string): void {
    for (const setting of this.#signInEndpoints()) {
      if (isLoopbackUrl(setting.value)) checkPairing(doing, setting, this.connection);
    }
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

  /**
   * The default Key Vault (`keys.moveToKeyVault()`, `keys.shareToKeyVault()`,
   * `keys.keyVaultVersions()` use it when given no `vaultUrl`): `AZURE_QUANTUM_KEY_VAULT_URL` from
   * the environment, else from the `.env` that supplied the connection (that `.env` first when the
   * `envFile` option named it); `undefined` when unset.
   * Not validated here (the vault call does, naming `source`).
   *
   * @example Usage
   * ```ts
   * import { connect } from "azure-quantum-notebook";
   * const ws = await connect();
   * ws.settings.keyVaultUrl?.source; // "env AZURE_QUANTUM_KEY_VAULT_URL"
   * ```
   */
  get keyVaultUrl(): { readonly value: string; readonly source: string } | undefined {
    const setting = keyVaultUrlSetting(this.#layers);
    return setting && { value: setting.value, source: setting.source };
  }

  /** The PEM CA for the emulator's (loopback) Key Vault, as {@link keyVaultCa} finds it. */
  get keyVaultCa(): string | undefined {
    return keyVaultCa(this.#options, this.#layers);
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

  /** The same settings with another credential (a sign-in's, the kernel emulator's managed identity). */
  withCredential(credential: TokenCredentialLike, credentialSource: string): Settings {
    return new Settings(this.connection, this.#dotenv, { ...this.#options, env: this.env, credential, credentialSource });
  }
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
