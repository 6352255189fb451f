/**
 * The one writer of private files (the `.env` writer, the emulator's state and env files): no
 * reader ever sees a partial file, only the owner can read it, and the file keeps its owner.
 *
 * @module
 */

import type * as NodeFsPromises from "node:fs/promises";
import { crypto, fs as nodeFs, nodeProcess, path as nodePath } from "../_builtins.ts";
import { escapeRegExp } from "../_text.ts";
import { EnvFileError } from "../errors.ts";

/**
 * The file-system calls {@link writePrivateFile} makes (those of `node:fs/promises`); tests
 * replace some of them to inject failures.
 *
 * @example Usage
 * ```ts
 * import type { EnvFileSystem } from "azure-quantum-notebook";
 * const failing: Partial<EnvFileSystem> = { rename: () => Promise.reject(new Error("EIO")) };
 * ```
 */
export type EnvFileSystem = Pick<
  typeof NodeFsPromises,
  "open" | "readFile" | "readdir" | "realpath" | "rename" | "stat" | "unlink"
>;

/** Options of {@link writePrivateFile}. */
export interface PrivateFileOptions {
  /** The new file's mode. @default 0o600 */
  mode?: number;
  /** Replacements for `node:fs/promises` calls. */
  fs?: Partial<EnvFileSystem>;
}

/** What {@link writePrivateFile} did besides writing. */
export interface PrivateFileWrite {
  /** The file written: `path` with its symbolic links resolved. */
  path: string;
  /**
   * How many names the old file had (its hard-link count): above 1, the other names still hold the
   * old content, since the new file replaced this name only.
   */
  hardLinks: number;
  /** False when the old file had another owner or group, which the writer could not give back. */
  ownerKept: boolean;
}

const STALE_AFTER_MS = 10 * 60_000;
const inFlight = new Set<string>();
const MAX_LINKS = 40;

/** The `node:fs/promises` calls, with `replacements` applied. */
export function fileSystem(replacements: Partial<EnvFileSystem> = {}): EnvFileSystem {
  return { ...nodeFs().promises, ...replacements };
}

/** A Node error's `code` when it looks like one (`ENOENT`, `EIO`), else `"unknown error"`. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z0-9_]{1,32}$/.test(code) ? code : "unknown error";
}

/** True unless `pid` is known not to run (on this host). */
export function processAlive(pid: number): boolean {
  try {
    nodeProcess().kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) !== "ESRCH";
  }
}

/**
 * The name of a file that belongs to `base` (a temp file, a lock): hidden, starting with the
 * file's own name and ending with its extension, so that the rules that ignore the file in git
 * (`.env*`, `.env.*`, `*.env`) ignore it too: `.env` gets `.env.<tag>.env`, `dev.env`
 * `.dev.env.<tag>.env`, `state.json` `.state.json.<tag>.json`.
 */
export function siblingName(base: string, tag: string): string {
  const dot = base.lastIndexOf(".");
  const suffix = dot > 0 ? base.slice(dot) : dot === 0 ? base : "";
  return `${base.startsWith(".") ? "" : "."}${base}.${tag}${suffix}`;
}

/** Removes temp files that earlier writes of this file left behind when they crashed. */
async function removeStaleTempFiles(fs: EnvFileSystem, dir: string, base: string) {
  const [head, tail] = siblingName(base, "\u0000").split("\u0000");
  // Also the names of earlier versions (`.env.tmp-<pid>-<hex>`, without the extension).
  const pattern = new RegExp(
    `^${escapeRegExp(head)}tmp-(\\d+)-[0-9a-f]+(?:${escapeRegExp(tail)})?$`,
  );
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    const path = nodePath().join(dir, name);
    if (m === null || inFlight.has(path)) continue;
    const pid = Number(m[1]);
    try {
      const age = Date.now() - (await fs.stat(path)).mtimeMs;
      if (pid === nodeProcess().pid || !processAlive(pid) || age > STALE_AFTER_MS) {
        await fs.unlink(path);
      }
    } catch {
      // Gone already, or not ours to remove: the next write tries again.
    }
  }
}

/**
 * `path` with every symbolic link resolved, also when the file does not exist yet. A link whose
 * target is missing is refused (replacing the link by a regular file would cut what it links to).
 *
 * @throws {EnvFileError} `EnvFileWriteFailed` for a dangling or looping link.
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  const { dirname, resolve } = nodePath();
  const fsp = nodeFs().promises;
  let current = resolve(path);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let link: string;
    try {
      link = await fsp.readlink(current);
    } catch (e) {
      if (errorCode(e) === "EINVAL") return await fsp.realpath(current); // a file, not a link
      if (errorCode(e) !== "ENOENT") throw e;
      // Missing: a new file, in a folder whose own links are resolved.
      const dir = await fsp.realpath(dirname(current)).catch(() => dirname(current));
      const target = resolve(dir, nodePath().basename(current));
      if (hops === 0) return target;
      throw new EnvFileError(
        "EnvFileWriteFailed",
        `Cannot write ${path}: it is a symbolic link to "${target}", which does not exist. ` +
          "Create the target file, or remove the link to have a regular file written instead",
        path,
      );
    }
    current = resolve(dirname(current), link);
  }
  throw new EnvFileError(
    "EnvFileWriteFailed",
    `Cannot write ${path}: its symbolic links loop (more than ${MAX_LINKS}). Fix or remove the link`,
    path,
  );
}

interface Owner {
  uid: number;
  gid: number;
  nlink: number;
}

/**
 * Writes `text` to `path` atomically and privately: a temp file with a random name in the same
 * folder (see {@link siblingName}), created exclusively (never through an existing file or link)
 * with mode 0600 (then `mode`), given the old file's owner and group (when the writer may: as root,
 * or a group it belongs to), fsynced and renamed over `path`, so a crash leaves the old file or the
 * new one, never a mix. A symbolic link is written through (its target replaced); a dangling one
 * is refused. A file with other hard links gets a new inode: the other names keep the old content
 * (`hardLinks` says so). Temp files of earlier crashed writes are removed; a failed write removes
 * its own and rethrows the file system's error.
 *
 * @throws {EnvFileError} for a dangling or looping symbolic link; else the file system's error.
 */
export async function writePrivateFile(
  path: string,
  text: string,
  options: PrivateFileOptions = {},
): Promise<PrivateFileWrite> {
  const fs = fileSystem(options.fs);
  const { basename, dirname, join } = nodePath();
  const target = await resolveWriteTarget(path);
  const dir = dirname(target);
  await removeStaleTempFiles(fs, dir, basename(target));
  let old: Owner | undefined;
  try {
    old = await fs.stat(target);
  } catch (e) {
    if (errorCode(e) !== "ENOENT") throw e;
  }
  const random = crypto().randomBytes(8).toString("hex");
  const temp = join(dir, siblingName(basename(target), `tmp-${nodeProcess().pid}-${random}`));
  inFlight.add(temp);
  let handle: Awaited<ReturnType<EnvFileSystem["open"]>> | undefined;
  let ownerKept = true;
  try {
    handle = await fs.open(temp, "wx", 0o600);
    await handle.chmod(options.mode ?? 0o600);
    if (old !== undefined) ownerKept = await keepOwner(handle, old);
    await handle.writeFile(text, "utf8");
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, target);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fs.unlink(temp).catch(() => {});
    throw e;
  } finally {
    inFlight.delete(temp);
  }
  return { path: target, hardLinks: old?.nlink ?? 0, ownerKept };
}

// The rename would hand the file to the writing user (a root kernel in a container would lock the
// owner of a bind-mounted `.env` out of it): give the new file the old one's owner and group.
async function keepOwner(
  handle: { stat(): Promise<Owner>; chown(uid: number, gid: number): Promise<void> },
  old: Owner,
): Promise<boolean> {
  const mine = await handle.stat();
  if (mine.uid === old.uid && mine.gid === old.gid) return true;
  try {
    await handle.chown(old.uid, old.gid);
    return true;
  } catch {
    try {
      await handle.chown(-1, old.gid); // not root: keep the group, if we belong to it
    } catch {
      // neither: the file becomes the writer's, as any editor's save would make it
    }
    return false;
  }
}
