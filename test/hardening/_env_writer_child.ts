/**
 * The crash test's writer (run by Deno): prints "ready", waits for a line on stdin, then updates
 * the `.env` in a tight loop with `updateEnvFile`, printing `n` after the n-th update completed,
 * until it is killed. With `private`, it writes the whole file with the shared private-file writer
 * instead (as the emulator writes its state and env files).
 * Usage: deno run -A _env_writer_child.ts <path> <child-number> [update|private]
 */
import { writePrivateFile } from "../../src/config/private_file.ts";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { crashValue, envText, VARIABLE } from "./_env_crash_shared.ts";

const [path, child, writer = "update"] = Deno.args;
const c = Number(child);
const out = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text));

out("ready\n");
const reader = Deno.stdin.readable.getReader();
await reader.read(); // "go"
for (let n = 0;; n++) {
  if (writer === "private") await writePrivateFile(path, envText(crashValue(c, n)));
  else await updateEnvFile(path, VARIABLE, crashValue(c, n), { isIgnoredByGit: false });
  out(`${n}\n`);
}
