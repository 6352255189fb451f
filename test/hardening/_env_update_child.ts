/**
 * The lock tests' writer (run by Deno).
 * Usage: deno run -A _env_update_child.ts <path> <variable> <count>
 *   sets `<variable>` in the `.env` at `<path>` to `v0` … `v<count-1>` with `updateEnvFile`, one
 *   after another (an encrypted `.env` is written encrypted, its key from `.env.keys`);
 * Usage: deno run -A _env_update_child.ts <dir> encrypt <count> <name>
 *   encrypts `<dir>/0/<name>` … `<dir>/<count-1>/<name>` for the first time with `encryptEnvFile`
 *   (each makes a key pair and adds its private key to the folder's shared `.env.keys`).
 * Prints "done" at the end.
 */
import { join } from "node:path";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { encryptEnvFile } from "../../src/encrypt_env_file.ts";

const [path, variable, count, name] = Deno.args;
for (let i = 0; i < Number(count); i++) {
  if (variable === "encrypt") {
    await encryptEnvFile(join(path, String(i), name), { env: {}, isIgnoredByGit: false });
  } else {
    await updateEnvFile(path, variable, `v${i}`, { isIgnoredByGit: false, lockTimeoutMs: 60_000, env: {} });
  }
}
console.log("done");
