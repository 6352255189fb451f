/**
 * The lock test's writer (run by Deno): sets `<variable>` in the `.env` at `<path>` to `v0` …
 * `v<count-1>` with `updateEnvFile`, one after another, then prints "done".
 * Usage: deno run -A _env_update_child.ts <path> <variable> <count>
 */
import { updateEnvFile } from "../../src/config/update_env_file.ts";

const [path, variable, count] = Deno.args;
for (let i = 0; i < Number(count); i++) {
  await updateEnvFile(path, variable, `v${i}`, { isIgnoredByGit: false, lockTimeoutMs: 60_000 });
}
console.log("done");
