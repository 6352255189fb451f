/**
 * The folder that holds this user's rotation locks: `azure-quantum-notebook-<uid>` in the temp
 * folder, used only when it is a real folder of this user that nobody else can write (another
 * local user can create that name first: as their own folder, as a world-writable one, or as a
 * symbolic link). Otherwise `~/.azure-quantum-notebook`, checked the same way.
 *
 * @module
 */

import { fs as nodeFs, nodeProcess, os, path as nodePath } from "../_builtins.ts";
import { EnvFileError } from "../errors.ts";
import { errorCode } from "./private_file.ts";

/**
 * The folder for this user's rotation locks, created (0700) when missing.
 *
 * @throws {EnvFileError} `EnvFileWriteFailed` when neither the temp nor the home folder gives a
 * private one.
 */
export async function lockFolder(): Promise<string> {
  const { join } = nodePath();
  // Windows: a per-user temp folder, and no owner or mode bits to check.
  const windows = os().platform() === "win32";
  const uid = windows ? undefined : userId() ?? (await ownerOfNew(os().tmpdir()));
  const me = windows ? "any" : uid ?? -1;
  const tmp = join(os().tmpdir(), `azure-quantum-notebook-${uid ?? "user"}`);
  const problem = await privateFolder(tmp, me);
  if (problem === undefined) return tmp;
  const home = homeDir();
  const fallback = home === undefined ? undefined : join(home, ".azure-quantum-notebook");
  const homeProblem = fallback === undefined ? undefined : await privateFolder(fallback, me);
  if (fallback !== undefined && homeProblem === undefined) return fallback;
  // Both were tried: say what is wrong with each, so that fixing one is enough.
  const second = fallback === undefined
    ? "; and there is no home folder to use instead"
    : `; nor ${fallback}: ${homeProblem}`;
  throw new EnvFileError(
    "EnvFileWriteFailed",
    `Cannot use the lock folder ${tmp}: ${problem}${second}. ` +
      `Remove ${tmp} (another user of this machine may have made it), or set TMPDIR to a folder only you can write` +
      (fallback === undefined ? "" : `, or make ${fallback} a folder only you can write`),
    tmp,
  );
}

// Creates `dir` (0700) or checks the one there: undefined when it is a real folder owned by `uid`
// (any owner: "any") with no access for group or others, else what is wrong with it.
async function privateFolder(dir: string, uid: number | "any"): Promise<string | undefined> {
  const fsp = nodeFs().promises;
  try {
    await fsp.mkdir(dir, { mode: 0o700 });
  } catch (e) {
    const code = errorCode(e);
    if (code !== "EEXIST") return `it cannot be created (${code})`;
  }
  let st: { uid: number; mode: number; isDirectory(): boolean; isSymbolicLink(): boolean };
  try {
    st = await fsp.lstat(dir);
  } catch (e) {
    return `it cannot be read (${errorCode(e)})`;
  }
  if (st.isSymbolicLink()) return "it is a symbolic link";
  if (!st.isDirectory()) return "it is not a folder";
  if (uid === "any") return undefined;
  if (st.uid !== uid) return `it belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o077) !== 0) return `it is open to other users (mode ${(st.mode & 0o777).toString(8)})`;
  return undefined;
}

// Deno asks for --allow-sys to read the uid or the home folder: without it, the owner of a
// folder this process creates says who we are (so the lock folder has the same name either way).
function userId(): number | undefined {
  try {
    return nodeProcess().getuid?.();
  } catch {
    return undefined;
  }
}

function homeDir(): string | undefined {
  try {
    return os().homedir() || undefined;
  } catch {
    return undefined;
  }
}

async function ownerOfNew(parent: string): Promise<number | undefined> {
  const fsp = nodeFs().promises;
  try {
    const probe = await fsp.mkdtemp(nodePath().join(parent, "azure-quantum-notebook-probe-"));
    try {
      return (await fsp.lstat(probe)).uid;
    } finally {
      await fsp.rmdir(probe).catch(() => {});
    }
  } catch {
    return undefined;
  }
}
