// Helpers for the dotenvx tests: the real @dotenvx/dotenvx (dev dependency), its CLI and internals.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { onTestFinished } from "vitest";

const require = createRequire(import.meta.url);
const run = promisify(execFile);

/** Folder of the installed @dotenvx/dotenvx package. */
export const DOTENVX_DIR = dirname(require.resolve("@dotenvx/dotenvx/package.json"));

/** A module of dotenvx's own source (its `exports` map hides them from bare specifiers). */
export function dotenvxInternal<T>(relative: string): T {
  return require(join(DOTENVX_DIR, relative)) as T;
}

/** dotenvx's public API (`config`, `parse`, `set`, `get`). */
export const dotenvx = require("@dotenvx/dotenvx") as {
  parse(
    src: string,
    options?: { privateKey?: string; processEnv?: Record<string, string> },
  ): Record<
    string,
    string
  >;
  config(options: Record<string, unknown>): { parsed?: Record<string, string>; error?: Error };
};

/** `@dotenvx/primitives`, the library dotenvx encrypts and decrypts with. */
export const primitives = require(
  require.resolve("@dotenvx/primitives", { paths: [DOTENVX_DIR] }),
) as {
  encrypt(publicKey: string, value: string): string;
  decrypt(privateKey: string, value: string): string;
  keypair(privateKey?: string): { publicKey: string; privateKey: string };
};

/** A fresh folder for one test's files, removed when the test ends. */
export function tempDir(prefix = "aqn-dotenvx-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Runs the dotenvx CLI in `cwd`, offline: no Armor (its key service), no OS keychain, no password
 * managers, no prompts (CI), its settings in a folder of its own.
 */
export async function runDotenvx(
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  const home = join(cwd, ".dotenvx-home");
  mkdirSync(home, { recursive: true });
  return await run(process.execPath, [resolve(DOTENVX_DIR, "src/cli/dotenvx.js"), ...args], {
    cwd,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: home,
      DOTENVX_CONFIG: home,
      DOTENVX_NO_ARMOR: "true",
      DOTENVX_NO_NATIVE: "true",
      DOTENVX_NO_1PASSWORD: "true",
      DOTENVX_NO_BITWARDEN: "true",
      CI: "true",
      NO_COLOR: "1",
      ...env,
    },
    timeout: 20_000,
  });
}
