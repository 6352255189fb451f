/**
 * The values of a `.env` file as the module uses them: clear values as they are, `encrypted:`
 * values (dotenvx format) decrypted when first read, with the private key from the `privateKey`
 * option, the environment or the `.env.keys` file beside the `.env`. A value nobody reads is never
 * decrypted, and a file without an encrypted value never loads the cryptography.
 *
 * @module
 */

import type { ConnectionInfo } from "../connection/connection_info.ts";
import { Secret } from "../connection/secret.ts";
import { isDotenvxFile, isEncryptedValue } from "./dotenvx.ts";
import { encryptedInEnvironment } from "./dotenvx_errors.ts";
import { DotenvxEnvFile } from "./dotenvx_env_file.ts";
import { readEnvFile, type ReadTextFile } from "./env_file.ts";

/**
 * Where the private key of an encrypted `.env` is looked for, in dotenvx's order: the `privateKey`
 * option, then `DOTENV_PRIVATE_KEY` (`DOTENV_PRIVATE_KEY_<ENVIRONMENT>` for `.env.<environment>`)
 * in the environment, then the same variable in the `.env.keys` file beside the `.env`.
 *
 * @example Usage
 * ```ts
 * import { connect, type EnvDecryptOptions } from "azure-quantum-notebook";
 * const keys: EnvDecryptOptions = { env: { DOTENV_PRIVATE_KEY: "…" } };
 * const ws = await connect({ ...keys, envFile: ".env" });
 * ```
 */
export interface EnvDecryptOptions {
  /**
   * The private key of an encrypted `.env` (64 hex digits; several separated by commas are tried
   * in turn). @default `DOTENV_PRIVATE_KEY` from the environment, else from `.env.keys`
   */
  privateKey?: string | Secret;
  /** The environment to read `DOTENV_PRIVATE_KEY` from instead of the process environment. */
  env?: Record<string, string | undefined>;
  /** Reads a file (`.env.keys`), `undefined` when missing. @default `readFileSync` from `node:fs` */
  readTextFile?: ReadTextFile;
}

/** A `.env` file as read: its absolute path, its variables, and its dotenvx view when encrypted. */
export interface DotenvFile {
  /** The absolute path. */
  path: string;
  /** The variables as written (`encrypted:` values included). */
  vars: Record<string, string>;
  /** Set when the file is a dotenvx file (a `DOTENV_PUBLIC_KEY…` or an `encrypted:` value). */
  dotenvx?: DotenvxEnvFile;
}

/** The file's variables, with a dotenvx view that decrypts with the key `options` lead to. */
export function openDotenvFile(
  path: string,
  vars: Record<string, string>,
  options: EnvDecryptOptions = {},
): DotenvFile {
  if (!isDotenvxFile(vars)) return { path, vars };
  const { privateKey, env, readTextFile } = options;
  return { path, vars, dotenvx: new DotenvxEnvFile(path, vars, { privateKey, env, readTextFile }) };
}

/**
 * The value of `name`, decrypted when it is `encrypted:`; `undefined` when the file has no such
 * variable.
 *
 * @throws {EnvFileError} a `Dotenvx…` code naming the file, the variable and the fix.
 */
export function dotenvValue(file: DotenvFile, name: string): string | undefined {
  const value = file.vars[name];
  if (value === undefined || file.dotenvx?.isEncrypted(name) !== true) return value;
  return file.dotenvx.decrypt(name).reveal();
}

/**
 * The value of environment variable `name`, refused when it is a dotenvx ciphertext: the
 * environment has no public key and no `.env.keys` beside it.
 *
 * @throws {ConfigurationError} `"DotenvxValueInEnvironment"`.
 */
export function clearEnvValue(name: string, value: string | undefined): string {
  if (isEncryptedValue(value)) throw encryptedInEnvironment(name);
  return value ?? "";
}

/**
 * The value of `name` as a `Secret`, decrypted when it is `encrypted:`; `undefined` when the file
 * has no such variable.
 *
 * @throws {EnvFileError} a `Dotenvx…` code naming the file, the variable and the fix.
 */
export function dotenvSecret(file: DotenvFile, name: string): Secret | undefined {
  const value = file.vars[name];
  if (value === undefined) return undefined;
  return file.dotenvx?.isEncrypted(name) === true ? file.dotenvx.decrypt(name) : new Secret(value);
}

/**
 * Whether `file` supplied a field of `connection`: a source names it (`.env <path> (…)`, as
 * `encrypted .env <path> (…)` when that value was decrypted, or `… (via .env <path> (…))` for a Key
 * Vault reference it held), or the key came from it. The one test of which `.env` may also give
 * settings that decide where a token goes, and the credential: no other.
 */
export function suppliedConnection(file: DotenvFile, connection: ConnectionInfo): boolean {
  if (connection.keySource?.kind === "dotenv" && connection.keySource.path === file.path) return true;
  const labels = [`.env ${file.path} (`, `encrypted .env ${file.path} (`];
  return Object.values(connection.sources).some((s) =>
    s !== undefined && labels.some((l) => s.startsWith(l) || s.includes(`(via ${l}`))
  );
}

/** How messages and `sources` name a variable of the file: `encrypted .env /repo/.env (NAME)`. */
export function dotenvLabel(file: DotenvFile, name: string): string {
  return `${file.dotenvx?.isEncrypted(name) ? "encrypted " : ""}.env ${file.path} (${name})`;
}

/**
 * The value of `name` in the `.env` at `path` as it is now, decrypted when encrypted, or
 * `undefined` when the file or the variable is missing, or the file cannot be read or decrypted.
 * For checks of what a file holds (which key a `.env` uses), never for configuration.
 */
export function envFileSecret(
  path: string,
  name: string,
  options: EnvDecryptOptions = {},
): Secret | undefined {
  try {
    const vars = readEnvFile(path);
    const value = vars?.[name];
    if (vars === undefined || value === undefined) return undefined;
    const file = openDotenvFile(path, vars, options);
    return file.dotenvx === undefined ? new Secret(value) : file.dotenvx.decrypt(name);
  } catch {
    return undefined;
  }
}
