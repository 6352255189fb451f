/**
 * Finding the private key of an encrypted `.env`, in dotenvx's order: an explicit option, then
 * the `DOTENV_PRIVATE_KEY[_<ENVIRONMENT>]` environment variable, then the same variable in the
 * `.env.keys` file beside the `.env` (dotenvx 2.38.2 `src/lib/resolvers/envs.js`: the environment
 * variable wins and `.env.keys` is then not read). The only I/O of the dotenvx support: the
 * environment and one file read, both injectable.
 *
 * @module
 */

import { path as nodePath, processEnv } from "../_builtins.ts";
import { readTextFileSync } from "./env_file.ts";
import { Secret } from "../connection/secret.ts";
import { type DotenvxKeyNames, ENV_KEYS_FILE, parseEnvKeys } from "./dotenvx.ts";
import { keysFileReadFailed } from "./dotenvx_errors.ts";

/** Where to look for the private key. Empty strings count as unset. */
export interface FindPrivateKeyOptions {
  /** The private key itself (one, or several separated by commas); when set, nothing else is read. */
  privateKey?: string | Secret;
  /** The environment to read instead of the process environment. */
  env?: Record<string, string | undefined>;
  /** Reads a file, `undefined` when missing. @default `readFileSync` from `node:fs` */
  readTextFile?: (path: string) => string | undefined;
  /** The `.env.keys` file. @default `.env.keys` in the folder of the `.env` */
  keysFile?: string;
}

/** A private key and where it was found. */
export interface FoundPrivateKey {
  /** One private key, or several separated by commas. */
  value: Secret;
  /** `"option"`, `"environment"` or `"env-keys"` (the `.env.keys` file). */
  kind: "option" | "environment" | "env-keys";
  /** The variable it was read from (`privateKey` for the option). */
  variable: string;
  /** The `.env.keys` file, when it came from there. */
  path?: string;
  /** The source in words, for messages: `the DOTENV_PRIVATE_KEY environment variable`. */
  description: string;
}

/** The outcome of {@link findPrivateKey}: the key, if any, and where it was looked for. */
export interface PrivateKeySearch {
  /** The variable looked for, from the key names of the `.env`. */
  privateKeyName: string;
  /** The `.env.keys` file looked in (also when the environment variable was found first). */
  keysPath: string;
  /** The key, or `undefined` when there is none. */
  found: FoundPrivateKey | undefined;
}

function envValue(env: Record<string, string | undefined>, name: string): string | undefined {
  try {
    const value = env[name];
    return value === undefined || value === "" ? undefined : value;
  } catch {
    return undefined; // Deno without --allow-env: treat as unset
  }
}

/**
 * Looks for the private key of the `.env` at `envPath` whose key names are `names`: the
 * `privateKey` option, else `names.privateKeyName` in the environment, else the same variable in
 * `.env.keys` beside the `.env` (repeated assignments joined, so every key in them is tried).
 *
 * @throws {EnvFileError} `"DotenvxKeysFileReadFailed"` when `.env.keys` exists but cannot be read.
 */
export function findPrivateKey(
  envPath: string,
  names: DotenvxKeyNames,
  options: FindPrivateKeyOptions = {},
): PrivateKeySearch {
  const { privateKeyName } = names;
  const keysPath = options.keysFile ?? nodePath().join(nodePath().dirname(envPath), ENV_KEYS_FILE);
  const search = (found?: FoundPrivateKey): PrivateKeySearch => ({
    privateKeyName,
    keysPath,
    found,
  });

  const explicit = options.privateKey;
  const explicitText = typeof explicit === "string" ? explicit : explicit?.reveal();
  if (explicit !== undefined && explicitText !== "") {
    return search({
      value: typeof explicit === "string" ? new Secret(explicit) : explicit,
      kind: "option",
      variable: "privateKey",
      description: "the privateKey option",
    });
  }

  const fromEnv = envValue(options.env ?? processEnv(), privateKeyName);
  if (fromEnv !== undefined) {
    return search({
      value: new Secret(fromEnv),
      kind: "environment",
      variable: privateKeyName,
      description: `the ${privateKeyName} environment variable`,
    });
  }

  let text: string | undefined;
  try {
    text = (options.readTextFile ?? readTextFileSync)(keysPath);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    throw keysFileReadFailed(keysPath, privateKeyName, typeof code === "string" ? code : undefined);
  }
  if (text === undefined) return search();
  const values = parseEnvKeys(text)
    .filter((entry) => entry.name === privateKeyName && entry.value.reveal() !== "")
    .map((entry) => entry.value.reveal());
  if (values.length === 0) return search();
  return search({
    value: new Secret(values.join(",")),
    kind: "env-keys",
    variable: privateKeyName,
    path: keysPath,
    description: `${privateKeyName} in ${keysPath}`,
  });
}
