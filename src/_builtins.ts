/**
 * Node built-ins (and `dotenv`, `@azure/core-util`), loaded on first use rather than at import. In Deno, touching any
 * `node:` module or `process` starts its Node compatibility layer (about 35 ms), so importing this
 * package stays cheap only if nothing does so until a call needs it (bench/ row 1).
 * `process.getBuiltinModule` exists in Node >= 20.16 and in Deno 2.
 *
 * @module
 */
import type * as NodeFs from "node:fs";
import type * as NodePath from "node:path";
import type * as NodeUtil from "node:util";
import type * as NodeCrypto from "node:crypto";
import type * as NodeChildProcess from "node:child_process";
import type * as NodeOs from "node:os";

interface NodeProcess {
  env: Record<string, string | undefined>;
  pid: number;
  cwd(): string;
  getuid?(): number;
  kill(pid: number, signal?: string | number): true;
  getBuiltinModule?(id: string): unknown;
}

/** The global `process` (Node, Deno 2), read only when called. */
export function nodeProcess(): NodeProcess {
  const p = (globalThis as { process?: NodeProcess }).process;
  if (!p) throw new Error("Cannot use the Node process API: this runtime has no global `process` (Node or Deno 2 needed)");
  return p;
}

/** The process environment (Node, Deno 2), or an empty one in a runtime without `process`. */
export function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
}

function builtin<T>(id: string): T {
  const mod = nodeProcess().getBuiltinModule?.(id);
  if (!mod) throw new Error(`Cannot load ${id}: process.getBuiltinModule is missing (Node >= 20.16 or Deno 2 needed)`);
  return mod as T;
}

/** `node:fs` */
export const fs = (): typeof NodeFs => builtin<typeof NodeFs>("node:fs");
/** `node:path` */
export const path = (): typeof NodePath => builtin<typeof NodePath>("node:path");
/** `node:util` */
export const util = (): typeof NodeUtil => builtin<typeof NodeUtil>("node:util");
/** `node:crypto` */
export const crypto = (): typeof NodeCrypto => builtin<typeof NodeCrypto>("node:crypto");
/** `node:os` */
export const os = (): typeof NodeOs => builtin<typeof NodeOs>("node:os");
/** `node:child_process` */
export const childProcess = (): typeof NodeChildProcess =>
  builtin<typeof NodeChildProcess>("node:child_process");

let dotenvParse: ((text: string) => Record<string, string>) | undefined;
/** `dotenv`'s `parse` (a CommonJS package), required on first use. */
export function parseDotenv(text: string): Record<string, string> {
  if (!dotenvParse) {
    const { createRequire } = builtin<typeof import("node:module")>("node:module");
    dotenvParse = (createRequire(import.meta.url)("dotenv") as { parse: typeof dotenvParse }).parse;
  }
  return dotenvParse!(text);
}

/**
 * Waits `ms` milliseconds with `delay` from `@azure/core-util` (imported on first wait); rejects
 * with an `AbortError` as soon as `signal` aborts.
 */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  const util = await import("@azure/core-util");
  await util.delay(Math.max(0, ms), { abortSignal: signal });
}
