/**
 * The one write path of every `.env` writer (`updateEnvFile`, `encryptEnvFile`, Key Vault's
 * reference rewrite and move): a change applied to the file's current text under its lock, written
 * through the atomic private-file writer, with warnings about permissions, links, owners and git.
 *
 * @module
 */

import { path as nodePath } from "../_builtins.ts";
import type { ErrorCode } from "../error_codes.ts";
import { EnvFileError, isEnvFileError } from "../errors.ts";
import { prepareEncryptedWrite } from "./encrypted_write.ts";
import { setEnvVariable } from "./env_file_edit.ts";
import { lockPathFor, withFileLock } from "./file_lock.ts";
import { gitIgnores } from "./git_ignores.ts";
import {
  errorCode,
  fileSystem,
  type PrivateFileWrite,
  resolveWriteTarget,
  siblingName,
  writePrivateFile,
} from "./private_file.ts";
import type { EnvFileUpdateResult, UpdateEnvFileOptions } from "./update_env_file.ts";

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

/** Sets one variable; in an encrypted file (or with `encrypt`) the value is encrypted first. */
export function setVariable(
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
 * Applies `change` to the current text of the `.env` at `path` (symbolic links followed, a dangling
 * one refused) and writes the result as `updateEnvFile` does: under the file's lock (the
 * calls of this process in order, other processes through the lock file), so `change` reads the
 * text no other writer of this module changes before the write; through the atomic private-file
 * writer, with the same warnings. The one write path of every `.env` writer (updateEnvFile,
 * encryptEnvFile, Key Vault's reference rewrite and move).
 *
 * @throws {EnvFileError} as `updateEnvFile`, or what `change` throws.
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
