/**
 * The crash tests' writer (run by Deno): prints "ready", waits for a line on stdin, then writes in
 * a tight loop, printing `n` after the n-th write completed, until it is killed.
 * Usage: deno run -A _env_writer_child.ts <path> <child-number> [update|private|first <from>]
 * - `update` (the default): updates the `.env` at <path> with `updateEnvFile` (clear text, or
 *   encrypted when the file is: the writer decides, as in real use);
 * - `private`: writes the whole file with the shared private-file writer instead (as the emulator
 *   writes its state and env files);
 * - `first <from>`: encrypts for the first time, with `encryptEnvFile`, the clear `.env` of the
 *   folders <path>/<from>, <path>/<from + 1>, … (prints the folder number).
 */
import { join } from "node:path";
import { writePrivateFile } from "../../src/config/private_file.ts";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { encryptEnvFile } from "../../src/encrypt_env_file.ts";
import { crashValue, envText, VARIABLE } from "./_env_crash_shared.ts";

const [path, child, mode = "update", from] = Deno.args;
const c = Number(child);
const out = (text: string) => Deno.stdout.writeSync(new TextEncoder().encode(text));

out("ready\n");
const reader = Deno.stdin.readable.getReader();
await reader.read(); // "go"
if (mode === "first") {
  for (let n = Number(from);; n++) {
    await encryptEnvFile(join(path, String(n), ".env"), { env: {}, isIgnoredByGit: false });
    out(`${n}\n`);
  }
}
for (let n = 0;; n++) {
  if (mode === "private") await writePrivateFile(path, envText(crashValue(c, n)));
  else await updateEnvFile(path, VARIABLE, crashValue(c, n), { isIgnoredByGit: false });
  out(`${n}\n`);
}
