// Child processes for the benchmark: timed runs, and child scripts that report one result line.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The repository root (bench/..). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The runtime this script runs under. */
export const RUNTIME = typeof globalThis.Deno !== "undefined" ? "deno" : "node";

/** The Node and Deno executables (`undefined` when not found). */
export function executables() {
  const node = RUNTIME === "node" ? process.execPath : onPath("node");
  const local = join(ROOT, "node_modules", ".bin", "deno");
  const deno = RUNTIME === "deno"
    ? globalThis.Deno.execPath()
    : existsSync(local)
    ? local
    : onPath("deno");
  return { node, deno };
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

// Nothing from the caller's Azure setup may reach a child: a real connection string or identity
// endpoint in the shell must not be used (or leaked) by the benchmark.
const STRIPPED = /^(AZURE_|IDENTITY_|MSI_|IMDS_|NODE_OPTIONS$|DENO_AUTH_TOKENS$)/;

/** The environment for children: the caller's, without Azure settings, plus `extra`. */
export function childEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!STRIPPED.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/**
 * Runs `command args` to its end; resolves with its wall time (spawn to exit, in ms), exit code
 * and output. Asynchronous, so an emulator served by this process keeps answering meanwhile.
 */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill("SIGKILL"), options.timeoutMs)
      : undefined;
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - t0, code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** The command line that runs `script` (relative to the repository root) under `runtime`. */
export function commandFor(runtime, script, { nodeFlags = [], denoFlags = [] } = {}) {
  const { node, deno } = executables();
  if (runtime === "node") {
    if (!node) throw new Error("Cannot run the Node part: no node executable found");
    return [node, [...nodeFlags, script]];
  }
  if (!deno) throw new Error("Cannot run the Deno part: no deno executable (npm install deno)");
  return [deno, ["run", "-A", ...denoFlags, script]];
}

/**
 * Runs a child script that ends with a `BENCH_RESULT {json}` line and returns that value;
 * throws with the child's stderr when it fails.
 */
export async function runChild(runtime, script, params = {}, options = {}) {
  const [command, args] = commandFor(runtime, script, options);
  const result = await run(command, [...args, JSON.stringify(params)], {
    env: options.env,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  const line = result.stdout.split("\n").find((l) => l.startsWith("BENCH_RESULT "));
  if (result.code !== 0 || !line) {
    throw new Error(
      `${runtime} ${script} failed (exit ${result.code}):\n${result.stderr.trim().slice(-2000)}`,
    );
  }
  return {
    ...JSON.parse(line.slice("BENCH_RESULT ".length)),
    wallMs: result.ms,
    stderr: result.stderr,
  };
}
