// For the tests of the .ci/ check scripts: a planted source tree, and the script run on it.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A temporary tree holding `files` (repository path -> text). */
export function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "aqn-ci-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Runs `node script --root root`: its exit code and its output (stdout, then stderr). */
export function run(script: string, root: string): { code: number; out: string } {
  try {
    const out = execFileSync("node", [script, "--root", root], { encoding: "utf8", stdio: "pipe" });
    return { code: 0, out };
  } catch (e) {
    const err = e as { status: number; stdout: string; stderr: string };
    return { code: err.status, out: err.stdout + err.stderr };
  }
}
