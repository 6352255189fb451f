/**
 * `loadConnectionAsync()` and `resolveSettingsAsync()`: the loaders that also read Key Vault.
 * They run the synchronous loader; when it meets a reference this process has not read, they
 * read that secret (with the credential the module uses everywhere, DefaultAzureCredential by
 * default), keep it for the process, and load again. So a reference costs one vault read per
 * process (plus Key Vault's authentication challenge on a client's first request), and a
 * reference that is not needed (every field set elsewhere) is never read.
 *
 * @module
 */

import { processEnv } from "../_builtins.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import type { ClientOptions } from "./client_options.ts";
import { lazyCredential } from "./credential.ts";
import { suppliedCredential } from "./env_credential.ts";
import { envFileFirst, readEnvFile, type ReadTextFile, readTextFileSync } from "./env_file.ts";
import { openDotenvFile } from "./env_file_values.ts";
import {
  keyVaultCacheGeneration,
  keyVaultRead,
  rememberKeyVaultSecret,
  withFreshKeyVaultReads,
} from "./key_vault_cache.ts";
import { type PendingKeyVaultRead, pendingKeyVaultRead } from "./key_vault_connection.ts";
import { type DotenvFile, type LoadConnectionOptions, readConnection } from "./load_connection.ts";
import { keyVaultCa } from "./arm_settings.ts";
import { resolveSettings, Settings, type SettingsOptions } from "./settings.ts";

/**
 * How Key Vault references are read (options of `connect`, `loadConnectionAsync` and
 * `resolveSettingsAsync`).
 *
 * @example Read the secret again
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * // AZURE_QUANTUM_CONNECTION_STRING=@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/quantum/)
 * const ws = await connect({ refresh: true }); // not the value this process read before
 * ```
 */
export interface KeyVaultSourceOptions {
  /**
   * Read Key Vault references from the vault again, instead of reusing what this process read
   * (each reference is read once per process). @default false
   */
  refresh?: boolean;
  /** Aborts the vault read. */
  signal?: AbortSignal;
}

/**
 * Options of {@link loadConnectionAsync}: those of `loadConnection`, how to read Key Vault, and
 * the credential and CA to read it with.
 *
 * @example Usage
 * ```ts
 * import { loadConnectionAsync, type LoadConnectionAsyncOptions } from "azure-quantum-notebook";
 * const options: LoadConnectionAsyncOptions = { envFile: ".env", refresh: true };
 * const info = await loadConnectionAsync(options);
 * ```
 */
export interface LoadConnectionAsyncOptions
  extends
    LoadConnectionOptions,
    KeyVaultSourceOptions,
    Pick<ClientOptions, "credential" | "ca" | "retry"> {}

/**
 * Options of {@link resolveSettingsAsync}: those of `resolveSettings`, and how to read Key Vault.
 *
 * @example Usage
 * ```ts
 * import { resolveSettingsAsync, type SettingsAsyncOptions } from "azure-quantum-notebook";
 * const options: SettingsAsyncOptions = { envFile: ".env", refresh: true };
 * const settings = await resolveSettingsAsync(options);
 * ```
 */
export interface SettingsAsyncOptions extends SettingsOptions, KeyVaultSourceOptions {}

/** The `.env` is read from disk once however many times the loader runs. */
function once(read: ReadTextFile): ReadTextFile {
  const seen = new Map<string, string | undefined>();
  return (path) => {
    if (!seen.has(path)) seen.set(path, read(path));
    return seen.get(path);
  };
}

// A bound on loads: each one reads a reference the previous met (at most one per place a
// connection string can stand), so this is never reached unless something is wrong.
const MAX_LOADS = 8;

/** `readConnection`, reading Key Vault for references not yet read; how many vault reads it made. */
async function readConnectionAsync(
  options: LoadConnectionAsyncOptions,
): Promise<{ connection: ConnectionInfo; dotenv: DotenvFile | undefined; vaultReads: number }> {
  options.signal?.throwIfAborted();
  const read = once(options.readTextFile ?? readTextFileSync);
  const load = { ...options, readTextFile: read };
  const freshAfter = options.refresh ? keyVaultCacheGeneration() : undefined;
  for (let vaultReads = 0;; vaultReads++) {
    try {
      return { ...withFreshKeyVaultReads(freshAfter, () => readConnection(load)), vaultReads };
    } catch (e) {
      const wanted = pendingKeyVaultRead(e);
      if (!wanted || vaultReads >= MAX_LOADS) throw e;
      await readIntoCache(wanted, load);
    }
  }
}

async function readIntoCache(
  { reference, source, keySource }: PendingKeyVaultRead,
  options: LoadConnectionAsyncOptions & { readTextFile: ReadTextFile },
): Promise<void> {
  const env = options.env ?? processEnv();
  const path = keySource.kind === "dotenv" ? keySource.path : undefined;
  const vars = path === undefined ? undefined : readEnvFile(path, options.readTextFile);
  // An encrypted .env (`dotenvx encrypt` encrypts every value) gives its values decrypted.
  const file = vars && openDotenvFile(path!, vars, options);
  // The emulator's CA, for its loopback vault only: from the options, the environment, or the
  // .env that holds the reference.
  const layers = { env, dotenv: file, dotenvFirst: envFileFirst(options) };
  const ca = reference.isLoopback ? keyVaultCa(options, layers) : undefined;
  // The credential variables travel with the reference, as with a connection string (see
  // env_credential.ts): those of the .env or the `env` option that holds it.
  const supplied = options.credential !== undefined
    ? undefined
    : file !== undefined
    ? suppliedCredential({ dotenv: file }, () => keyVaultCa(options, layers))
    : keySource.kind === "env" && options.env !== undefined && options.env !== processEnv()
    ? suppliedCredential({ env: options.env })
    : undefined;
  // The Key Vault source (and its SDK) loads with the first reference to read.
  const { readKeyVaultSecret } = await import("./key_vault_source.ts");
  const secret = await readKeyVaultSecret(reference, {
    credential: supplied?.credential ?? lazyCredential(options.credential),
    ca,
    signal: options.signal,
    source,
    retry: options.retry,
  });
  rememberKeyVaultSecret(reference.secretUri, secret.value, keyVaultRead(secret));
}

/**
 * `loadConnection`, and where a connection string can stand, a Key Vault reference too:
 * `@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/)` or
 * `@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>])`, in the
 * `connectionString` option, `AZURE_QUANTUM_CONNECTION_STRING` in the environment or in a `.env`.
 * The secret is read with `credential` (DefaultAzureCredential by default) once per process;
 * `refresh: true` reads it again. `keySource.keyVault` of the result says which secret and
 * version the key came from.
 *
 * @throws the errors of `loadConnection`, and for a reference: `KeyVaultReferenceInvalid`,
 *   `KeyVaultSecretNotConnectionString` (`ConfigurationError`), `KeyVaultSecretNotFound`,
 *   `KeyVaultNotFound` (`NotFoundError`), `KeyVaultForbidden` (names the role to assign),
 *   `KeyVaultUnauthorized`, `KeyVaultCredentialUnavailable`, `KeyVaultUnreachable` and the other
 *   errors of the Key Vault source. None holds a value or a token.
 * @example Usage
 * ```ts
 * import { loadConnectionAsync } from "azure-quantum-notebook";
 * // .env: AZURE_QUANTUM_CONNECTION_STRING=@Microsoft.KeyVault(VaultName=myvault;SecretName=quantum)
 * const info = await loadConnectionAsync();
 * console.log(info.keySource?.keyVault?.version, info.apiKey?.fingerprint);
 * ```
 */
export async function loadConnectionAsync(
  options: LoadConnectionAsyncOptions = {},
): Promise<ConnectionInfo> {
  return (await readConnectionAsync(options)).connection;
}

/**
 * `resolveSettings`, reading Key Vault references as {@link loadConnectionAsync} does
 * (`connect()` uses it).
 *
 * @throws the errors of `resolveSettings` and of {@link loadConnectionAsync}.
 * @example Usage
 * ```ts
 * import { resolveSettingsAsync } from "azure-quantum-notebook";
 * const settings = await resolveSettingsAsync({ envFile: ".env" });
 * console.log(settings.connection.sources);
 * ```
 */
export async function resolveSettingsAsync(options: SettingsAsyncOptions = {}): Promise<Settings> {
  if (options.connection !== undefined) return resolveSettings(options);
  const { connection, dotenv } = await readConnectionAsync(options);
  return new Settings(connection, dotenv, options);
}
