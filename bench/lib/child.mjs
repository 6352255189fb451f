// Helpers for the benchmark's child processes (run under Node or Deno).
import process from "node:process";

/** "deno" or "node". */
export const RUNTIME = typeof globalThis.Deno !== "undefined" ? "deno" : "node";

/** The child's parameters: one JSON argument after the script name. */
export function params() {
  const raw = process.argv.at(-1);
  try {
    return raw?.startsWith("{") ? JSON.parse(raw) : {};
  } catch {
    return {};
  }
}

/** Hands a result to the parent: one `BENCH_RESULT` line on stdout, then exits. */
export function report(result) {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

/** Runs `main`, reporting its value, or the error (and a non-zero exit) when it throws. */
export async function runChild(main) {
  try {
    report(await main(params()));
  } catch (e) {
    process.stderr.write(`${e?.stack ?? e}\n`);
    process.exit(1);
  }
}

/** Peak resident set size of this process in bytes (Linux `VmHWM`, else `maxRSS`). */
export async function peakRss() {
  try {
    const { readFileSync } = await import("node:fs");
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    if (m) return Number(m[1]) * 1024;
  } catch { /* not Linux */ }
  return process.resourceUsage().maxRSS * 1024;
}

/** Forces a full garbage collection when the runtime exposes it (`--expose-gc`). */
export function gc() {
  if (typeof globalThis.gc !== "function") return false;
  globalThis.gc();
  globalThis.gc();
  return true;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
