/**
 * The crash test's writer (run by Deno): prints "ready", waits for a line on stdin, then updates
 * the `.env` in a tight loop with `updateEnvFile`, printing `n` after the n-th update completed,
 * until it is killed. Usage: deno run -A _env_writer_child.ts <path> <child-number>
 */
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { crashValue, VARIABLE } from "./_env_crash_shared.ts";

const [path, child] = Deno.args;
const c = Number(child);
const out = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text));

out("ready\n");
const reader = Deno.stdin.readable.getReader();
await reader.read(); // "go"
for (let n = 0;; n++) {
  await updateEnvFile(path, VARIABLE, crashValue(c, n), { isIgnoredByGit: false });
  out(`${n}\n`);
}
