/**
 * `updateEnvFile()`: sets one variable in a `.env` file atomically (temp file, fsync, rename),
 * keeping every other byte of the file.
 *
 * @module
 */

import { childProcess, nodeProcess, path as nodePath } from "../_builtins.ts";
import { isSecret, type Secret } from "../connection/secret.ts";
import type { ErrorCode } from "../error_codes.ts";
import { EnvFileError, isEnvFileError } from "../errors.ts";
import { prepareEncryptedWrite } from "./encrypted_write.ts";
import { setEnvVariable } from "./env_file_edit.ts";
import type { EnvDecryptOptions } from "./env_file_values.ts";
import { lockPathFor, withFileLock } from "./file_lock.ts";
import {
  type EnvFileSystem,
  errorCode,
  fileSystem,
  type PrivateFileWrite,
  resolveWriteTarget,
  siblingName,
  writePrivateFile,
} from "./private_file.ts";

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

/** What one change makes of a `.env`'s text; `undefined` leaves the file as it is. */
export interface EnvFileChange {
  /** The new text. */
  text: string;
  /** True when the values written are encrypted. */
  encrypted: boolean;
  /** The `.env.keys` file a new private key was added to, if any. */
  keysFile?: string;
  /** Advice for the user. */
  warnings: string[];
}

/** A change to a `.env`, made on the text read under the writer's serialization. */
export type EnvTextChange = (text: string) => Promise<EnvFileChange | undefined>;

// No `cause`: an underlying error is reduced to its code, so nothing it carries can leak.
function updateError(target: string, code: ErrorCode, what: string, fix: string): EnvFileError {
  return new EnvFileError(code, `Cannot update .env: ${what}. ${fix}`, target);
}

function gitCheck(options: UpdateEnvFileOptions) {
  return options.isIgnoredByGit === undefined ? gitIgnores : options.isIgnoredByGit;
}

const queues = new Map<string, Promise<unknown>>();

/**
 * The environment `git` runs with: `PATH` and `HOME` (for the user's own ignore rules) only, so no
 * `GIT_*` variable of the caller (GIT_DIR, GIT_CONFIG_*) steers it.
 */
function gitEnv(): Record<string, string> {
  const env = nodeProcess().env;
  const kept: Record<string, string> = { GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" };
  for (const name of ["PATH", "HOME", "SystemRoot"]) {
    if (env[name] !== undefined) kept[name] = env[name]!;
  }
  return kept;
}

/**
 * Asks git whether it ignores `path`: `true`/`false`, or `undefined` when git is missing, times
 * out, or the path is outside a repository. The `.env` may sit in a repository someone else
 * prepared (a cloned sample), whose `.git/config` can name commands git runs on its own
 * (`core.fsmonitor` runs on every index read): those are switched off on the command line, which
 * wins over every config file, and the environment is minimal.
 */
export function gitIgnores(path: string): Promise<boolean | undefined> {
  return new Promise((done) => {
    try {
      childProcess().execFile(
        "git",
        [
          "-c",
          "core.fsmonitor=false",
          "-c",
          "core.hooksPath=/dev/null",
          "-c",
          "core.untrackedCache=false",
          "check-ignore",
          "-q",
          "--",
          path,
        ],
        {
          cwd: nodePath().dirname(path),
          env: gitEnv(),
          timeout: 2000,
          windowsHide: true,
          shell: false,
        },
        (error) => {
          const code = error === null ? 0 : (error as { code?: unknown }).code;
          done(code === 0 ? true : code === 1 ? false : undefined);
        },
      );
    } catch {
      done(undefined);
    }
  });
}

async function write(
  target: string,
  change: EnvTextChange,
  options: UpdateEnvFileOptions,
): Promise<EnvFileUpdateResult> {
  const fs = fileSystem(options.fs);
  const fail = (code: ErrorCode, what: string, fix: string) => updateError(target, code, what, fix);
  const warnings: string[] = [];
  let text = "";
  let mode = 0o600;
  let created = false;
  try {
    const st = await fs.stat(target);
    const old = st.mode & 0o777;
    if (old & 0o044) {
      warnings.push(
        `${target} was readable by group or others (mode ${
          old.toString(8).padStart(4, "0")
        }); it is now 0600.`,
      );
    }
    if ((old & ~0o600) === 0) mode = old; // already stricter than 0600: keep it
    text = await fs.readFile(target, "utf8");
  } catch (e) {
    if (errorCode(e) !== "ENOENT") {
      throw fail(
        "EnvFileReadFailed",
        `${target} could not be read (${errorCode(e)})`,
        "Check that it is a readable file",
      );
    }
    created = true;
  }
  const next = await change(text);
  if (next === undefined) return { path: target, created, warnings: [] }; // nothing written

  let written: PrivateFileWrite;
  try {
    written = await writePrivateFile(target, next.text, { mode, fs: options.fs });
  } catch (e) {
    throw fail(
      "EnvFileWriteFailed",
      `writing ${target} failed (${errorCode(e)}); the file was left unchanged`,
      "Check the folder's permissions and free space, then try again",
    );
  }

  if (written.hardLinks > 1) {
    warnings.push(
      `${target} had ${written.hardLinks} hard links: only this name holds the new value, the ` +
        "other names keep the old one. Replace them with symbolic links to this file.",
    );
  }
  if (!written.ownerKept) {
    warnings.push(
      `${target} belonged to another user or group; it is now owned by the user who wrote it.`,
    );
  }

  // An encrypted value is safe to commit (so are the temp files that hold it); its private key's
  // file is checked instead.
  const check = gitCheck(options);
  const ignored = next.encrypted || check === false
    ? undefined
    : await check(target).catch(() => undefined);
  const { basename, dirname, join } = nodePath();
  const temp = join(dirname(target), siblingName(basename(target), "tmp-1-0"));
  if (ignored === false) {
    warnings.push(
      `${target} is not ignored by git. Add "${basename(target)}*" to .gitignore so the key is ` +
        "never committed (the pattern also covers the temp files an interrupted write leaves).",
    );
  } else if (ignored && check && (await check(temp).catch(() => undefined)) === false) {
    warnings.push(
      `The temp files an interrupted write of ${target} can leave (${
        siblingName(basename(target), "tmp-…")
      }) are not ignored by git. Add "${basename(target)}*" to .gitignore.`,
    );
  }
  return {
    path: target,
    created,
    warnings: [...warnings, ...next.warnings],
    ...(next.encrypted ? { encrypted: true as const } : {}),
    ...(next.keysFile === undefined ? {} : { keysFile: next.keysFile }),
  };
}

// Sets one variable; in an encrypted file (or with `encrypt`) the value is encrypted first.
function setVariable(
  target: string,
  name: string,
  value: string,
  options: UpdateEnvFileOptions,
): EnvTextChange {
  return async (text) => {
    const encryption = await prepareEncryptedWrite(target, text, {
      ...options,
      variable: name,
      isIgnoredByGit: gitCheck(options),
    });
    const stored = encryption === undefined ? value : encryption.encrypt(name, value);
    try {
      return {
        text: setEnvVariable(encryption?.text ?? text, name, stored).text,
        encrypted: encryption !== undefined,
        keysFile: encryption?.keysFile,
        warnings: encryption?.warnings ?? [],
      };
    } catch {
      throw updateError(
        target,
        "EnvFileValueUnsupported",
        `${name} cannot be written to ${target}`,
        "Edit the file by hand",
      );
    }
  };
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
  return await changeEnvFile(path, (target) => setVariable(target, name, text, options), options);
}

/**
 * Applies `change` to the current text of the `.env` at `path` (symbolic links followed, a dangling
 * one refused) and writes the result as {@link updateEnvFile} does: under the file's lock (the
 * calls of this process in order, other processes through the lock file), so `change` reads the
 * text no other writer of this module changes before the write; through the atomic private-file
 * writer, with the same warnings. The one write path of every `.env` writer (updateEnvFile,
 * encryptEnvFile, Key Vault's reference rewrite and move).
 *
 * @throws {EnvFileError} as {@link updateEnvFile}, or what `change` throws.
 */
export async function changeEnvFile(
  path: string,
  change: (target: string) => EnvTextChange,
  options: UpdateEnvFileOptions = {},
): Promise<EnvFileUpdateResult> {
  let target: string;
  try {
    target = await resolveWriteTarget(path);
  } catch (e) {
    if (isEnvFileError(e)) throw e;
    throw new EnvFileError(
      "EnvFileReadFailed",
      `Cannot update .env: ${path} could not be read (${
        errorCode(e)
      }). Check that it is a readable file`,
      path,
    );
  }
  const previous = queues.get(target) ?? Promise.resolve();
  // One writer at a time: the calls of this process in order, and across processes the lock file.
  const run = previous.catch(() => {}).then(() =>
    withFileLock(lockPathFor(target), () => write(target, change(target), options), {
      what: target,
      timeoutMs: options.lockTimeoutMs,
    })
  );
  queues.set(target, run);
  try {
    return await run;
  } finally {
    if (queues.get(target) === run) queues.delete(target);
  }
}
