/**
 * `loadConnection()`: one validated {@link ConnectionInfo} from explicit options, the process
 * environment and the project's `.env` file, with the source of every field.
 *
 * @module
 */

import { nodeProcess } from "../_builtins.ts";
import type { ConnectionField, ConnectionInfo, KeySource } from "../connection/connection_info.ts";
import type { Secret } from "../connection/secret.ts";
import { ConfigurationError } from "../errors.ts";
import {
  ALL_CONNECTION_VARIABLES,
  argumentProviders,
  type Offer,
  type Provider,
  variableProviders,
} from "./connection_sources.ts";
import { checkReferencePairing } from "./arm_settings.ts";
import { envFileFirst, locateEnvFile, type ReadTextFile } from "./env_file.ts";
import {
  clearEnvValue,
  type DotenvFile,
  dotenvLabel,
  dotenvValue,
  openDotenvFile,
} from "./env_file_values.ts";

export type { DotenvFile } from "./env_file_values.ts";

/**
 * Options of {@link loadConnection}. Explicit values (an `envFile` path among them) win over the
 * process environment, which wins over a `.env` file found by searching; empty strings count as
 * unset.
 *
 * @example Usage
 * ```ts
 * import { loadConnection, type LoadConnectionOptions } from "azure-quantum-notebook";
 * const options: LoadConnectionOptions = { envFile: false, env: { LOCATION: "eastus" } };
 * ```
 */
export interface LoadConnectionOptions {
  /** A whole connection string. */
  connectionString?: string | Secret;
  /** A subscription ID (a GUID). */
  subscriptionId?: string;
  /** A resource group name. */
  resourceGroup?: string;
  /** A workspace name. */
  workspaceName?: string;
  /** An Azure region, in any case and with or without spaces (`"East US"`). */
  location?: string;
  /** The data-plane endpoint; by default taken from the connection string or derived from the location. */
  endpoint?: string;
  /** An access key; without any key the connection uses Microsoft Entra ID. */
  apiKey?: string | Secret;
  /**
   * The private key of an encrypted `.env` (dotenvx format: `encrypted:` values): 64 hex digits,
   * several separated by commas tried in turn. Only read when a value the connection needs is
   * encrypted. @default `DOTENV_PRIVATE_KEY` (`DOTENV_PRIVATE_KEY_<ENVIRONMENT>` for
   * `.env.<environment>`) from the environment, else from the `.env.keys` file beside the `.env`
   */
  privateKey?: string | Secret;
  /**
   * A `.env` file to read instead of searching (its connection variables then rank above the
   * environment's, as an argument); `false` reads none. @default searched from `cwd` up, ranking
   * below the environment
   */
  envFile?: string | false;
  /** Where the `.env` search starts and relative `envFile` paths resolve. @default process.cwd() */
  cwd?: string;
  /** The environment to read instead of the process environment. */
  env?: Record<string, string | undefined>;
  /** Reads a file, `undefined` when missing. @default `readFileSync` from `node:fs` */
  readTextFile?: ReadTextFile;
  /** Whether a path exists (for the `.env` search). @default `existsSync` from `node:fs` */
  exists?: (path: string) => boolean;
}

const LABELS: Record<ConnectionField, string> = {
  subscriptionId: "subscription ID",
  resourceGroup: "resource group",
  workspaceName: "workspace name",
  location: "location",
  endpoint: "endpoint",
  apiKey: "access key",
};
const REQUIRED = ["subscriptionId", "resourceGroup", "workspaceName", "location"] as const;
const FIELD_ORDER: readonly ConnectionField[] = [...REQUIRED, "endpoint"];
const CASE_INSENSITIVE = new Set<ConnectionField>([
  "subscriptionId",
  "resourceGroup",
  "workspaceName",
]);
const FIX_CONFLICT =
  "Make them describe the same workspace, or remove one of them (unset the variable, or pass envFile: false to ignore .env)";

function processEnvLookup(name: string): string | undefined {
  try {
    return nodeProcess().env[name];
  } catch {
    return undefined; // Deno without --allow-env: treat as unset
  }
}

interface Choice {
  value: string;
  provider: Provider;
}

function listed(items: string[]): string {
  return items.length < 2 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function same(field: ConnectionField, a: string, b: string): boolean {
  return CASE_INSENSITIVE.has(field) ? a.toLowerCase() === b.toLowerCase() : a === b;
}

function conflict(field: ConnectionField, a: string, b: string): ConfigurationError {
  return new ConfigurationError(
    "ConnectionConflict",
    `Cannot load connection: the ${
      LABELS[field]
    } from ${a} differs from the one in ${b}. ${FIX_CONFLICT}`,
  );
}

/**
 * Assembles a connection from, in order of precedence: explicit options (`connectionString`, the
 * single fields, `apiKey`), the process environment, then the `.env` file (searched from `cwd`
 * upward to the repository root or the home directory, see `findEnvFile`; never loaded into the
 * process environment). A `.env` named by the `envFile` option ranks above the environment
 * instead: the caller chose it, so a connection string exported in the environment (a shell
 * profile's, or the one `connect({ emulator: "auto" })` exported) never silently replaces it.
 *
 * Within the environment and within `.env`, the Azure Quantum Python SDK's variables are read in
 * its order: `AZURE_QUANTUM_SUBSCRIPTION_ID` then `SUBSCRIPTION_ID`, `AZURE_QUANTUM_WORKSPACE_RG`
 * then `RESOURCE_GROUP`, `AZURE_QUANTUM_WORKSPACE_NAME`, `AZURE_QUANTUM_WORKSPACE_LOCATION` then
 * `LOCATION`, then `AZURE_QUANTUM_CONNECTION_STRING` fills what is left. A source is only read when
 * it has a field still missing, so an unneeded connection string is never parsed.
 *
 * Unlike the SDK, fields are never mixed across workspaces: when a source that supplied some field
 * also holds a different value for a field taken from another source (say `LOCATION=westus` with a
 * connection string for `eastus`), it is a `ConfigurationError` with code `"ConnectionConflict"`.
 * Subscription, resource group and workspace name compare case-insensitively.
 *
 * Without any key, subscription, resource group, workspace name and location give an Entra ID
 * connection (no `apiKey`), whose endpoint is the `endpoint` option or
 * `https://<location>.quantum.azure.com/` ("derived from location", kind `V1`).
 *
 * @throws {ConfigurationError} `"ConnectionNotFound"` (lists what is missing, every variable read
 * and where `.env` was looked for) or `"ConnectionConflict"`.
 * @throws {ConnectionStringError} when a value is invalid (the message names its source).
 * An encrypted `.env` (dotenvx format, `encrypted:` values with `DOTENV_PUBLIC_KEY` in the file)
 * is read like a clear one: a value that is needed is decrypted with the `privateKey` option, else
 * `DOTENV_PRIVATE_KEY` from the environment, else the `.env.keys` file beside it. Its source reads
 * `encrypted .env <path> (<variable>)`, and `decryption` says which key (by fingerprint) from where.
 *
 * @throws {EnvFileError} when an explicit `envFile` does not exist or a `.env` cannot be read, or
 * (a `Dotenvx…` code naming the file, the variable and the fix) when a needed encrypted value cannot
 * be decrypted: no private key, a wrong one, a damaged value, or no `DOTENV_PUBLIC_KEY` in the file.
 * @example Usage
 * ```ts
 * import { loadConnection } from "azure-quantum-notebook";
 * const info = loadConnection(); // AZURE_QUANTUM_CONNECTION_STRING from the env or .env
 * console.log(info.workspaceName, info.sources.apiKey);
 * ```
 */
export function loadConnection(options: LoadConnectionOptions = {}): ConnectionInfo {
  return readConnection(options).connection;
}

/**
 * {@link loadConnection}, and the `.env` file it read (whether or not it supplied a field), so
 * that `resolveSettings` reads the file only once.
 */
export function readConnection(
  options: LoadConnectionOptions = {},
): { connection: ConnectionInfo; dotenv: DotenvFile | undefined } {
  const cwd = options.cwd ?? nodeProcess().cwd();
  const lookup = options.env === undefined ? processEnvLookup : (n: string) => options.env?.[n];
  const dotenv = locateEnvFile(options, cwd);
  const file = dotenv.path === undefined || dotenv.vars === undefined
    ? undefined
    : openDotenvFile(dotenv.path, dotenv.vars, options);
  const fromEnv = variableProviders(
    lookup,
    (n) => `env ${n}`,
    (n): KeySource => ({ kind: "env", variable: n }),
    (n) => clearEnvValue(n, lookup(n)),
  );
  const fromFile = file === undefined ? [] : variableProviders(
    (n) => file.vars[n],
    (n) => dotenvLabel(file, n),
    (n): KeySource => ({ kind: "dotenv", variable: n, path: file.path }),
    file.dotenvx && ((n) => dotenvValue(file, n) ?? ""),
  );
  const providers = [
    ...argumentProviders(options),
    ...(envFileFirst(options) ? [...fromFile, ...fromEnv] : [...fromEnv, ...fromFile]),
  ];

  const chosen: Partial<Record<ConnectionField, Choice>> = {};
  const weak: Partial<Record<ConnectionField, Choice>> = {};
  const offers = new Map<Provider, Offer>();
  let apiKey: { secret: Secret; provider: Provider } | undefined;
  for (const provider of providers) {
    // A loopback endpoint's default location (weak) counts as set here: a lower-precedence
    // source (say a .env for another workspace) must not be read just to fill it.
    const missing = (f: ConnectionField) =>
      f === "apiKey" ? apiKey === undefined : !chosen[f] && !(f === "location" && weak.location);
    if (!provider.fields.some(missing)) continue;
    const offer = provider.read();
    let used = false;
    for (const [f, value] of Object.entries(offer.values) as [ConnectionField, string][]) {
      if (offer.weak.has(f)) weak[f] ??= { value, provider };
      else if (!chosen[f]) used = Boolean(chosen[f] = { value, provider });
    }
    if (offer.apiKey !== undefined && apiKey === undefined) {
      apiKey = { secret: offer.apiKey, provider };
      used = true;
    }
    if (used) offers.set(provider, offer);
  }

  for (const [provider, offer] of offers) {
    for (const f of FIELD_ORDER) {
      const value = offer.values[f];
      const choice = chosen[f];
      if (value === undefined || offer.weak.has(f) || !choice || choice.provider === provider) {
        continue;
      }
      if (!same(f, choice.value, value)) throw conflict(f, choice.provider.name, provider.name);
    }
    if (
      offer.apiKey && apiKey && apiKey.provider !== provider && !apiKey.secret.equals(offer.apiKey)
    ) {
      throw conflict("apiKey", apiKey.provider.name, provider.name);
    }
  }
  if (!chosen.location && weak.location) chosen.location = weak.location;

  const missing = REQUIRED.filter((f) => !chosen[f]);
  if (missing.length > 0) {
    throw new ConfigurationError(
      "ConnectionNotFound",
      `Cannot load connection: the ${listed(missing.map((f) => LABELS[f]))} ${
        missing.length === 1 ? "is" : "are"
      } not configured. Configure the connection in one of three ways: ` +
        `(1) the environment variable AZURE_QUANTUM_CONNECTION_STRING (or the per-field variables), ` +
        `(2) the same variable in a .env file (${dotenv.note}), or ` +
        `(3) the local emulator, with connect({ emulator: "auto" }). Variables read: ${ALL_CONNECTION_VARIABLES.join(", ")}`,
    );
  }

  const get = (f: ConnectionField) => (chosen[f] as Choice).value;
  const endpointChoice = chosen.endpoint;
  const endpointOffer = endpointChoice && offers.get(endpointChoice.provider)?.endpoint;
  const label = endpointOffer?.workspaceLabel;
  if (endpointChoice && label !== undefined && label !== get("workspaceName").toLowerCase()) {
    throw conflict(
      "workspaceName",
      chosen.workspaceName!.provider.name,
      endpointChoice.provider.name,
    );
  }
  const sources: Partial<Record<ConnectionField, string>> = {};
  const sourceOf = (p: Provider) => offers.get(p)?.source ?? p.source;
  for (const f of Object.keys(chosen) as ConnectionField[]) sources[f] = sourceOf(chosen[f]!.provider);
  if (!endpointChoice) sources.endpoint = "derived from location";
  if (apiKey) sources.apiKey = sourceOf(apiKey.provider);

  const info: ConnectionInfo = {
    subscriptionId: get("subscriptionId"),
    resourceGroup: get("resourceGroup"),
    workspaceName: get("workspaceName"),
    location: get("location"),
    endpoint: endpointOffer?.endpoint ?? `https://${get("location")}.quantum.azure.com/`,
    workspaceKind: endpointOffer?.workspaceKind ?? "V1",
    isEmulator: endpointOffer?.isEmulator ?? false,
    sources,
  };
  if (apiKey) {
    info.apiKey = apiKey.secret;
    const keyVault = offers.get(apiKey.provider)?.keyVault;
    if (apiKey.provider.keySource) {
      info.keySource = keyVault ? { ...apiKey.provider.keySource, keyVault } : apiKey.provider.keySource;
    }
    // The key goes back to that vault (rotation, shareToKeyVault): the emulator's vault stops with
    // the kernel, and a real vault is no place for the emulator's key.
    if (keyVault) checkReferencePairing(keyVault.vaultUrl, apiKey.provider.name, info);
  }
  if (dotenv.path !== undefined) info.envFilePath = dotenv.path;
  const decryption = file?.dotenvx?.decryption();
  if (decryption !== undefined) info.decryption = decryption;
  return { connection: info, dotenv: file };
}
