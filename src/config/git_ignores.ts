/**
 * Whether git ignores a path, asked of `git check-ignore` with nothing of the repository's or the
 * caller's configuration able to run a command.
 *
 * @module
 */

import { childProcess, nodeProcess, os, path as nodePath } from "../_builtins.ts";

/**
 * The environment `git` runs with: `PATH` and `HOME` (for the user's own ignore rules) only, so no
 * `GIT_*` variable of the caller (GIT_DIR, GIT_CONFIG_*) steers it.
 */
function gitEnv(): Record<string, string> {
  const env = nodeProcess().env;
  const kept: Record<string, string> = { GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0" };
  for (const name of ["PATH", "HOME", "SystemRoot"]) {
    if (env[name] !== undefined) kept[name] = env[name]!;
  }
  return kept;
}

/**
 * Asks git whether it ignores `path`: `true`/`false`, or `undefined` when git is missing, times
 * out, or the path is outside a repository. The `.env` may sit in a repository someone else
 * prepared (a cloned sample), whose `.git/config` can name commands git runs on its own
 * (`core.fsmonitor` runs on every index read): those are switched off on the command line, which
 * wins over every config file, and the environment is minimal. Nor does git start in that folder
 * (`-C` names it instead): Windows looks for the program in the child's folder before `PATH`, so
 * a `git.exe` placed next to the `.env` would run.
 */
export function gitIgnores(path: string): Promise<boolean | undefined> {
  return new Promise((done) => {
    try {
      const file = nodePath().resolve(path);
      childProcess().execFile(
        "git",
        [
          "-C",
          nodePath().dirname(file),
          "-c",
          "core.fsmonitor=false",
          "-c",
          "core.hooksPath=/dev/null",
          "-c",
          "core.untrackedCache=false",
          "check-ignore",
          "-q",
          "--",
          file,
        ],
        {
          cwd: os().tmpdir(),
          env: gitEnv(),
          timeout: 2000,
          windowsHide: true,
          shell: false,
        },
        (error) => {
          const code = error === null ? 0 : (error as { code?: unknown }).code;
          done(code === 0 ? true : code === 1 ? false : undefined);
        },
      );
    } catch {
      done(undefined);
    }
  });
}
