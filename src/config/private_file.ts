/**
 * The one writer of private files (the `.env` writer, the emulator's state and env files): no
 * reader ever sees a partial file, and only the owner can read it.
 *
 * @module
 */

import type * as NodeFsPromises from "node:fs/promises";
import { crypto, fs as nodeFs, nodeProcess, path as nodePath } from "../_builtins.ts";

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

const STALE_AFTER_MS = 10 * 60_000;
const inFlight = new Set<string>();

/** The `node:fs/promises` calls, with `replacements` applied. */
export function fileSystem(replacements: Partial<EnvFileSystem> = {}): EnvFileSystem {
  return { ...nodeFs().promises, ...replacements };
}

/** A Node error's `code` when it looks like one (`ENOENT`, `EIO`), else `"unknown error"`. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^[A-Z0-9_]{1,32}$/.test(code) ? code : "unknown error";
}

function alive(pid: number): boolean {
  try {
    nodeProcess().kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) !== "ESRCH";
  }
}

/** Temp files are hidden siblings: `.env` gets `.env.tmp-<pid>-<hex>`, `dev.env` `.dev.env.tmp-…`. */
function tempPrefix(base: string): string {
  return `${base.startsWith(".") ? "" : "."}${base}.tmp-`;
}

/** Removes temp files that earlier writes of this file left behind when they crashed. */
async function removeStaleTempFiles(fs: EnvFileSystem, dir: string, base: string) {
  const prefix = tempPrefix(base).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^${prefix}(\\d+)-[0-9a-f]+$`);
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
      if (pid === nodeProcess().pid || !alive(pid) || age > STALE_AFTER_MS) await fs.unlink(path);
    } catch {
      // Gone already, or not ours to remove: the next write tries again.
    }
  }
}

/**
 * Writes `text` to `path` atomically and privately: a temp file with a random name in the same
 * folder, created exclusively with mode 0600 (then `mode`), fsynced and renamed over `path`, so a
 * crash leaves the old file or the new one, never a mix. Temp files of earlier crashed writes are
 * removed; a failed write removes its own and rethrows the file system's error.
 */
export async function writePrivateFile(
  path: string,
  text: string,
  options: PrivateFileOptions = {},
): Promise<void> {
  const fs = fileSystem(options.fs);
  const { basename, dirname, join } = nodePath();
  const dir = dirname(path);
  await removeStaleTempFiles(fs, dir, basename(path));
  const random = crypto().randomBytes(6).toString("hex");
  const temp = join(dir, `${tempPrefix(basename(path))}${nodeProcess().pid}-${random}`);
  inFlight.add(temp);
  let handle: Awaited<ReturnType<EnvFileSystem["open"]>> | undefined;
  try {
    handle = await fs.open(temp, "wx", 0o600);
    await handle.chmod(options.mode ?? 0o600);
    await handle.writeFile(text, "utf8");
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(temp, path);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fs.unlink(temp).catch(() => {});
    throw e;
  } finally {
    inFlight.delete(temp);
  }
}
