/**
 * Encrypting the secrets of an existing clear-text `.env` in place, in the dotenvx format: one
 * write through the `.env` writer (serialized, atomic, 0600, every other line kept), after the key
 * pair is made (the private key written to `.env.keys` first). What it did comes back as plain data
 * for the report.
 *
 * @module
 */

import { fs as nodeFs, parseDotenv, path as nodePath } from "../_builtins.ts";
import { fingerprint } from "../connection/secret.ts";
import { EnvFileError } from "../errors.ts";
import { SECRET_ENV_VARIABLES } from "./connection_sources.ts";
import { isEncryptedValue, PUBLIC_KEY_PREFIX } from "./dotenvx.ts";
import { type EncryptedWrite, prepareEncryptedWrite } from "./encrypted_write.ts";
import { findEnvFile } from "./env_file.ts";
import { setEnvVariable } from "./env_file_edit.ts";
import type { EnvDecryptOptions } from "./env_file_values.ts";
import { changeEnvFile } from "./env_file_writer.ts";
import { gitIgnores } from "./git_ignores.ts";
import type { EnvFileSystem } from "./private_file.ts";

/**
 * Options of `encryptEnvFile`.
 *
 * @example Usage
 * ```ts
 * import type { EncryptEnvFileOptions } from "azure-quantum-notebook";
 * const everything: EncryptEnvFileOptions = { variables: "all" }; // as `dotenvx encrypt` does
 * ```
 */
export interface EncryptEnvFileOptions extends EnvDecryptOptions {
  /**
   * Which variables to encrypt: names, or `"all"` (every value, as `dotenvx encrypt`).
   * @default {@link SECRET_ENV_VARIABLES}
   */
  variables?: readonly string[] | "all";
  /** Where the `.env` search starts when no path is given. @default process.cwd() */
  cwd?: string;
  /**
   * Tells whether git ignores a path (`.env.keys` is checked). `false` skips the check.
   * @default runs `git check-ignore -q` (2 s timeout), skipped quietly without git
   */
  isIgnoredByGit?: ((path: string) => Promise<boolean | undefined>) | false;
  /** Replacements for `node:fs/promises` calls. */
  fs?: Partial<EnvFileSystem>;
}

/**
 * What `encryptEnvFile` did: names, paths and fingerprints, never a value or a key.
 *
 * @example Usage
 * ```ts
 * import type { EnvEncryptionData } from "azure-quantum-notebook";
 * const changed = (d: EnvEncryptionData) => d.encrypted.length > 0;
 * ```
 */
export interface EnvEncryptionData {
  /** The `.env` file (absolute, symbolic links followed). */
  path: string;
  /** The variables this call encrypted, in file order. */
  encrypted: string[];
  /** The variables that were encrypted already (left as they were). */
  alreadyEncrypted: string[];
  /** `DOTENV_PUBLIC_KEY[_<ENVIRONMENT>]`, or `undefined` when the file is still clear text. */
  publicKeyName: string | undefined;
  /** `sha256:` + 8 hex digits of the public key (the key itself is in the file). */
  publicKeyFingerprint: string | undefined;
  /** `DOTENV_PRIVATE_KEY[_<ENVIRONMENT>]`, or `undefined` when the file is still clear text. */
  privateKeyName: string | undefined;
  /** The `.env.keys` file this call wrote a new private key to (a new key pair). */
  keysFile: string | undefined;
  /** Where the private key is, in words; `undefined` when it is not on this machine. */
  privateKeySource: string | undefined;
  /** Advice: `.env.keys` not ignored by git, file permissions tightened. */
  warnings: string[];
  /** What the user must do now (keep `.env.keys` out of git, set the key in CI). */
  nextSteps: string[];
}

function targetOf(path: string | undefined, options: EncryptEnvFileOptions): string {
  if (path !== undefined) return nodePath().resolve(options.cwd ?? ".", path);
  const search = findEnvFile({ cwd: options.cwd });
  if (search.path !== undefined) return search.path;
  throw new EnvFileError(
    "EnvFileNotFound",
    `Cannot encrypt .env: no .env file was found (looked for ${
      search.searched.join(", ")
    }). Pass the path of the file to encrypt`,
    search.searched[0] ?? "",
  );
}

function nextSteps(e: EncryptedWrite | undefined, file: string, encrypted: number): string[] {
  if (e === undefined) return [];
  const keys = e.privateKeyFile;
  return [
    ...(keys === undefined ? [] : [
      `Keep ${keys} out of git and back it up: it holds ${e.privateKeyName}, the only key that decrypts ${file}.`,
    ]),
    `In CI and on other machines, set ${e.privateKeyName} as a secret environment variable${
      keys === undefined ? "" : ` (its value is in ${keys})`
    }; connect() reads it there.`,
    ...(encrypted > 0
      ? [
        `The encrypted values of ${file} are safe to commit; check its clear values before you do.`,
      ]
      : []),
  ];
}

/**
 * Encrypts the secret variables of the `.env` at `path` (default: the `.env` found from `cwd`, as
 * `loadConnection` finds it) in place, making its key pair first when it has none.
 *
 * @throws {EnvFileError} `"EnvFileNotFound"`, a `Dotenvx…` code (a key that does not fit), or the
 * writer's `"EnvFileReadFailed"`/`"EnvFileWriteFailed"`; nothing is changed then.
 */
export async function encryptInPlace(
  path: string | undefined,
  options: EncryptEnvFileOptions = {},
): Promise<EnvEncryptionData> {
  const target = targetOf(path, options);
  if (!nodeFs().existsSync(target)) {
    throw new EnvFileError(
      "EnvFileNotFound",
      `Cannot encrypt .env: ${target} does not exist. Check the path`,
      target,
    );
  }
  const isIgnoredByGit = options.isIgnoredByGit === undefined ? gitIgnores : options.isIgnoredByGit;
  let data: Omit<EnvEncryptionData, "path"> | undefined;
  const result = await changeEnvFile(target, (real) => async (text) => {
    const vars = parseDotenv(text);
    const wanted = options.variables === "all"
      ? Object.keys(vars)
      : options.variables ?? SECRET_ENV_VARIABLES;
    // The public key stays clear: it is what every writer encrypts with.
    const present = Object.keys(vars).filter((name) =>
      wanted.includes(name) && vars[name] !== "" && !name.startsWith(PUBLIC_KEY_PREFIX)
    );
    const todo = present.filter((name) => !isEncryptedValue(vars[name]));
    const encryption = await prepareEncryptedWrite(real, text, {
      ...options,
      isIgnoredByGit,
      encrypt: todo.length > 0,
      variable: todo[0] ?? present[0],
    });
    let next = encryption?.text ?? text;
    for (const name of todo) {
      const value = encryption!.encrypt(name, vars[name]!);
      try {
        next = setEnvVariable(next, name, value).text;
      } catch {
        throw new EnvFileError(
          "EnvFileValueUnsupported",
          `Cannot encrypt .env: ${name} cannot be rewritten in ${real}; nothing was changed. Edit the file by hand`,
          real,
        );
      }
    }
    data = {
      encrypted: todo,
      alreadyEncrypted: present.filter((name) => isEncryptedValue(vars[name])),
      publicKeyName: encryption?.publicKeyName,
      publicKeyFingerprint: encryption && fingerprint(encryption.publicKey),
      privateKeyName: encryption?.privateKeyName,
      keysFile: encryption?.keysFile,
      privateKeySource: encryption?.privateKeySource,
      warnings: encryption?.warnings ?? [],
      nextSteps: nextSteps(encryption, nodePath().basename(real), todo.length),
    };
    if (todo.length === 0) return undefined;
    return {
      text: next,
      encrypted: true,
      keysFile: encryption!.keysFile,
      warnings: encryption!.warnings,
    };
  }, { ...options, isIgnoredByGit });
  // Written: the writer's warnings hold the encryption's; not written: only the encryption's count.
  return {
    ...data!,
    path: result.path,
    warnings: data!.encrypted.length > 0 ? result.warnings : data!.warnings,
  };
}
