/**
 * Advisory file locks across processes: one lock file per protected thing (a `.env` being
 * updated, a workspace being rotated), created exclusively, refreshed while held, and taken over
 * when its holder is gone (a dead process on this host, or no refresh for `staleMs`).
 *
 * @module
 */

import { crypto, delay, fs as nodeFs, nodeProcess, os, path as nodePath } from "../_builtins.ts";
import { EnvFileError } from "../errors.ts";
import { lockFolder } from "./lock_folder.ts";
import { errorCode, processAlive, siblingName } from "./private_file.ts";

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** Give up waiting after this long. @default 15_000 */
  timeoutMs?: number;
  /** A lock not refreshed for this long is taken over. @default 20_000 */
  staleMs?: number;
  /** Called once when the lock is held by someone else and the caller starts waiting. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Aborts the wait. */
  signal?: AbortSignal;
  /** What the lock protects, for the timeout message. @default the lock file's name */
  what?: string;
}

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  since: string;
  nonce: string;
}

/** The lock file that guards `path` (a hidden sibling: `.env` gets `.env.lock.env`). */
export function lockPathFor(path: string): string {
  const { basename, dirname, join } = nodePath();
  return join(dirname(path), siblingName(basename(path), "lock"));
}

/**
 * The lock file of one workspace's key rotation: `rotate-<hash>.lock` in this user's lock folder
 * (see {@link lockFolder}), one per subscription, resource group and workspace name, so two
 * kernels of one user never rotate the same workspace at once.
 */
export async function workspaceLockPath(
  workspace: { subscriptionId: string; resourceGroup: string; workspaceName: string },
): Promise<string> {
  const dir = await lockFolder();
  const { join } = nodePath();
  const id = [workspace.subscriptionId, workspace.resourceGroup, workspace.workspaceName]
    .join("/").toLowerCase();
  const hash = crypto().createHash("sha256").update(id).digest("hex").slice(0, 16);
  return join(dir, `rotate-${hash}.lock`);
}

// Deno asks for --allow-sys to read the host name: without it, a lock is judged stale by its age
// only.
function hostName(): string {
  try {
    return os().hostname();
  } catch {
    return "";
  }
}

async function readHolder(lock: string): Promise<LockHolder | undefined> {
  try {
    const h = JSON.parse(await nodeFs().promises.readFile(lock, "utf8")) as LockHolder;
    return typeof h?.nonce === "string" && Number.isInteger(h.pid) ? h : undefined;
  } catch {
    return undefined;
  }
}

// The holder is gone: a process of this host that no longer runs, or no refresh for staleMs (a
// holder on another host, or a half-written lock file).
async function isStale(lock: string, staleMs: number): Promise<boolean> {
  const fsp = nodeFs().promises;
  let mtime: number;
  try {
    mtime = (await fsp.stat(lock)).mtimeMs;
  } catch {
    return false; // gone: just try again
  }
  const holder = await readHolder(lock);
  // A holder writes its line right after creating the file: a file still without one after 2 s
  // is what a writer killed in between left.
  if (holder === undefined) return Date.now() - mtime > Math.min(staleMs, 2000);
  if (holder.host === hostName() && !processAlive(holder.pid)) return true;
  return Date.now() - mtime > staleMs;
}

// Moves a stale lock aside and removes it, unless someone took it over meanwhile (then it is
// put back with link(), which never replaces an existing file). Returns the error code when the
// lock cannot be moved (its folder is not writable, a file system that refuses): the caller then
// waits and times out like for a live holder, instead of trying again at once forever.
async function breakStale(lock: string, staleMs: number): Promise<string | undefined> {
  const fsp = nodeFs().promises;
  const before = await readHolder(lock);
  const aside = `${lock}.stale-${crypto().randomBytes(6).toString("hex")}`;
  try {
    await fsp.rename(lock, aside);
  } catch (e) {
    const code = errorCode(e);
    return code === "ENOENT" ? undefined : code; // gone: someone else removed it
  }
  const moved = await readHolder(aside);
  if (moved?.nonce !== before?.nonce && !(await isStale(aside, staleMs))) {
    await fsp.link(aside, lock).catch(() => {});
  }
  await fsp.unlink(aside).catch(() => {});
  return undefined;
}

/**
 * Runs `fn` while holding the lock file `lock` (see {@link lockPathFor}). Waits (polling, with
 * backoff) while another process or call holds it; takes over a stale lock. The lock is advisory:
 * it serializes the writers that use it (every writer of this module), not other programs.
 *
 * @throws {EnvFileError} `EnvFileWriteFailed` when the lock is not free within `timeoutMs`, or
 * the lock file cannot be created (its folder is not writable).
 */
export async function withFileLock<T>(
  lock: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const fsp = nodeFs().promises;
  const staleMs = options.staleMs ?? 20_000;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const started = Date.now();
  const me: LockHolder = {
    pid: nodeProcess().pid,
    host: hostName(),
    since: new Date().toISOString(),
    nonce: crypto().randomBytes(12).toString("hex"),
  };
  let waited = false;
  for (let attempt = 0;; attempt++) {
    options.signal?.throwIfAborted();
    try {
      const handle = await fsp.open(lock, "wx", 0o600);
      try {
        await handle.writeFile(JSON.stringify(me));
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if (errorCode(e) !== "EEXIST") {
        throw new EnvFileError(
          "EnvFileWriteFailed",
          `Cannot lock ${options.what ?? lock}: the lock file could not be created (${
            errorCode(e)
          }). Check that its folder is writable`,
          lock,
        );
      }
    }
    // A stale lock removed: try again at once. One that cannot be removed: wait like for a live one.
    let stuck: string | undefined;
    if (await isStale(lock, staleMs)) {
      stuck = await breakStale(lock, staleMs);
      if (stuck === undefined && Date.now() - started <= timeoutMs) continue;
    }
    if (!waited) {
      waited = true;
      options.onWait?.(await readHolder(lock));
    }
    if (Date.now() - started > timeoutMs && stuck) {
      throw new EnvFileError(
        "EnvFileWriteFailed",
        `Cannot lock ${options.what ?? lock}: the stale lock file ${lock} cannot be removed (${stuck}). ` +
          "Remove it by hand, or make its folder writable",
        lock,
      );
    }
    if (Date.now() - started > timeoutMs) {
      const holder = await readHolder(lock);
      throw new EnvFileError(
        "EnvFileWriteFailed",
        `Cannot lock ${options.what ?? lock}: another process${
          holder ? ` (pid ${holder.pid} since ${holder.since})` : ""
        } has held it for over ${Math.round(timeoutMs / 1000)} s. ` +
          `Wait for it to finish, or remove ${lock} if no such process runs`,
        lock,
      );
    }
    await delay(
      Math.min(25 * 2 ** Math.min(attempt, 4), 250) * (0.5 + Math.random()),
      options.signal,
    );
  }
  // Refresh the lock while held, so a long holder (a rotation) is never taken for a dead one.
  const refresh = setInterval(() => {
    const now = new Date();
    fsp.utimes(lock, now, now).catch(() => {});
  }, Math.max(staleMs / 4, 50));
  (refresh as { unref?: () => void }).unref?.();
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    if ((await readHolder(lock))?.nonce === me.nonce) await fsp.unlink(lock).catch(() => {});
  }
}
