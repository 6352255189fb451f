/**
 * `updateEnvFile()`: sets one variable in a `.env` file atomically (temp file, fsync, rename),
 * keeping every other byte of the file. The writer (`env_file_writer.ts`) is imported on first
 * call.
 *
 * @module
 */

import { isSecret, type Secret } from "../connection/secret.ts";
import type { EnvDecryptOptions } from "./env_file_values.ts";
import type { EnvFileSystem } from "./private_file.ts";

/**
 * Options of {@link updateEnvFile}.
 *
 * @example Usage
 * ```ts
 * import type { UpdateEnvFileOptions } from "azure-quantum-notebook";
 * const options: UpdateEnvFileOptions = { isIgnoredByGit: false };
 * ```
 */
export interface UpdateEnvFileOptions extends EnvDecryptOptions {
  /**
   * Tells whether git ignores a path: `true`, `false`, or `undefined` when unknown. `false` skips
   * the check. @default runs `git check-ignore -q` (2 s timeout), skipped quietly without git
   */
  isIgnoredByGit?: ((path: string) => Promise<boolean | undefined>) | false;
  /** Replacements for `node:fs/promises` calls. */
  fs?: Partial<EnvFileSystem>;
  /**
   * Write the value encrypted (dotenvx format) into a clear-text or new file too: its key pair is
   * made first, the private key added to `.env.keys` beside it (0600) before the `.env` changes. A
   * file that holds encrypted values or declares `DOTENV_PUBLIC_KEY` is always written encrypted,
   * whatever this says. @default false
   */
  encrypt?: boolean;
  /** How long to wait for another process that is updating the same file. @default 15_000 */
  lockTimeoutMs?: number;
}

/**
 * What {@link updateEnvFile} did.
 *
 * @example Usage
 * ```ts
 * import type { EnvFileUpdateResult } from "azure-quantum-notebook";
 * const shown = (r: EnvFileUpdateResult) => r.warnings.join("\n");
 * ```
 */
export interface EnvFileUpdateResult {
  /** The file written (symbolic links resolved). */
  path: string;
  /** True when the file did not exist before. */
  created: boolean;
  /** Advice for the user (returned, never printed): file permissions, git ignore. */
  warnings: string[];
  /** `true` when the value was written encrypted (`encrypted:…`, for the file's public key). */
  encrypted?: true;
  /** The `.env.keys` file a new private key was added to, when this call made the key pair. */
  keysFile?: string;
}

/**
 * Sets (or replaces) one variable in a `.env` file, keeping every other line, comment, blank line
 * and line ending byte for byte (see `setEnvVariable`). Writes a temp file in the same folder with
 * mode 0600 (or the file's stricter mode), fsyncs it and renames it over the file, so a crash
 * leaves the old file or the new one, never a mix; temp files of earlier crashed writes are removed.
 * Creates the file (0600) when missing, follows a symbolic link to its target (refuses a dangling
 * one), keeps the file's owner and group (when run as root), and serializes updates of the same
 * file: the calls of this process in order, and across processes with an advisory lock file
 * (`.env.lock.env`, taken over when its holder died), so no update is lost between writers that
 * use this module. A file with other hard links is replaced under this name only (a warning says
 * so).
 *
 * An encrypted `.env` (dotenvx format: `DOTENV_PUBLIC_KEY` and `encrypted:` values) stays
 * encrypted: the value is encrypted for the file's public key before the edit, never written in
 * clear text; a private key found for the file must belong to that public key. `encrypt: true`
 * encrypts a clear-text or new file too (see `encryptEnvFile` for encrypting what it holds).
 *
 * @throws {EnvFileError} (`EnvFileReadFailed`, `EnvFileWriteFailed`, `EnvFileValueUnsupported`, or
 * a `Dotenvx…` code for an encrypted file whose keys do not fit): the file is left untouched and
 * the message never holds the value.
 * @throws {TypeError} when `name` is not a valid variable name.
 * @example Usage
 * ```ts
 * import { Secret, updateEnvFile } from "azure-quantum-notebook";
 * const result = await updateEnvFile(".env", "AZURE_QUANTUM_CONNECTION_STRING", new Secret("…"));
 * for (const warning of result.warnings) console.log(warning);
 * ```
 * @example Share the secondary key through an encrypted file of its own
 * ```ts
 * import { connect, updateEnvFile } from "azure-quantum-notebook";
 * const ws = await connect();
 * const shared = await ws.keys.connectionString("secondary");
 * const result = await updateEnvFile(".env.shared", "AZURE_QUANTUM_CONNECTION_STRING", shared, {
 *   encrypt: true, // DOTENV_PRIVATE_KEY_SHARED goes to .env.keys; give it to whoever you share with
 * });
 * result.encrypted; // true
 * ```
 */
export async function updateEnvFile(
  path: string,
  name: string,
  value: string | Secret,
  options: UpdateEnvFileOptions = {},
): Promise<EnvFileUpdateResult> {
  const text = isSecret(value) ? value.reveal() : value;
  if (typeof text !== "string") {
    throw new TypeError("Cannot update .env: value must be a string or a Secret");
  }
  if (typeof name !== "string" || !/^[\w.-]+$/.test(name)) {
    throw new TypeError("Cannot update .env: the variable name must match [A-Za-z0-9_.-]+");
  }
  const { changeEnvFile, setVariable } = await import("./env_file_writer.ts");
  return await changeEnvFile(path, (target) => setVariable(target, name, text, options), options);
}
