/**
 * The crash tests' writers: Deno children that print "ready", wait for "go" on stdin, then write in
 * a tight loop printing `n` after their n-th completed write, until they are killed; plus the
 * reproducible random kill moments and a timeout helper.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
const DENO = join(ROOT, "node_modules/.bin/deno");
const CHILD = join(ROOT, "test/hardening/_env_writer_child.ts");

// mulberry32: reproducible random kill moments (CRASH_SEED=<seed> replays a run).
export function random(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Writer {
  c: number;
  proc: ChildProcess;
  /** Writes the child reported complete, in order. */
  done: number[];
  ready: Promise<void>;
  /** Resolves when the child has completed its first write. */
  firstWrite: Promise<void>;
  closed: Promise<void>;
}

/** Every child started and not yet closed (kill them in `afterAll`). */
export const alive = new Set<ChildProcess>();

/** Starts writer child `c` of `_env_writer_child.ts` with `args` after the child number. */
export function start(path: string, c: number, args: string[] = []): Writer {
  const proc = spawn(DENO, ["run", "-A", "--quiet", CHILD, path, String(c), ...args], {
    cwd: ROOT,
    // No private key from this process's environment: the children use .env.keys.
    env: { ...process.env, NO_COLOR: "1", DOTENV_PRIVATE_KEY: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  alive.add(proc);
  const done: number[] = [];
  let stderr = "";
  let onReady!: () => void, onFirst!: () => void, fail!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => [onReady, fail] = [res, rej]);
  const firstWrite = new Promise<void>((res) => (onFirst = res));
  let buffer = "";
  proc.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    buffer += chunk;
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) {
      if (line === "ready") onReady();
      else {
        done.push(Number(line));
        if (done.length === 1) onFirst();
      }
    }
  });
  proc.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const closed = new Promise<void>((res) =>
    proc.on("close", () => {
      alive.delete(proc);
      fail(new Error(`writer ${c} ended before it was ready: ${stderr}`));
      res();
    })
  );
  ready.catch(() => {}); // a writer killed unused never gets ready; whoever awaits it still sees why
  return { c, proc, done, ready, firstWrite, closed };
}

export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, rej) => {
    timer = setTimeout(() => rej(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
