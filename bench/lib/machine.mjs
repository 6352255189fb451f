// What the benchmark ran on: CPU, core count, load, runtime versions.
import { readFileSync } from "node:fs";
import os from "node:os";
import { executables, run } from "./spawn.mjs";

function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m) return m[1].trim();
  } catch { /* not Linux */ }
  return os.cpus()[0]?.model ?? "unknown";
}

async function version(command, args) {
  if (!command) return undefined;
  try {
    const r = await run(command, args);
    return r.code === 0 ? r.stdout.split("\n")[0].trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Core count, CPU model, OS, load average and the Node and Deno versions. */
export async function machine() {
  const { node, deno } = executables();
  return {
    nproc: typeof os.availableParallelism === "function"
      ? os.availableParallelism()
      : os.cpus().length,
    cpu: cpuModel(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: await version(node, ["--version"]),
    deno: (await version(deno, ["--version"]))?.replace(/ \(.*\)$/, ""),
    loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
  };
}
