/**
 * Crash-safe `.env`: a Deno child updates a `.env` with `updateEnvFile` in a tight loop and is
 * killed with SIGKILL at random moments, 200 times; then the same with the shared private-file
 * writer alone (which writes the emulator's state and env files), 100 times. After every kill the file parses, holds the
 * old or the new value, keeps every other line byte for byte, and is mode 0600; a temp file a kill
 * leaves behind is removed by the next write.
 */
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "dotenv";
import { afterAll, describe, expect, it } from "vitest";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { crashValue, envText, INITIAL, VARIABLE } from "./_env_crash_shared.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DENO = join(ROOT, "node_modules/.bin/deno");
const CHILD = join(ROOT, "test/hardening/_env_writer_child.ts");
const KILLS = Number(process.env.CRASH_KILLS ?? 200);
const POOL = 3;
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);

// mulberry32: reproducible random kill moments (CRASH_SEED=<seed> replays a run).
function random(s: number): () => number {
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Writer {
  c: number;
  proc: ChildProcess;
  /** Updates the child reported complete, in order. */
  done: number[];
  ready: Promise<void>;
  /** Resolves when the child has completed its first update. */
  firstWrite: Promise<void>;
  closed: Promise<void>;
}

const dir = mkdtempSync(join(tmpdir(), "aqn-crash-"));
const path = join(dir, ".env");
const alive = new Set<ChildProcess>();
afterAll(() => {
  for (const proc of alive) proc.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function start(c: number, writer: string): Writer {
  const proc = spawn(DENO, ["run", "-A", "--quiet", CHILD, path, String(c), writer], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1" },
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

const temps = () => readdirSync(dir).filter((name) => name.startsWith(".env.tmp-"));
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
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

describe.each([
  ["updateEnvFile()", "update", KILLS],
  ["writePrivateFile() (the emulator's state and env files)", "private", Math.ceil(KILLS / 2)],
])("%s under SIGKILL", (_, writer, KILLS) => {
  it(`survives ${KILLS} kills at random moments (seed ${seed})`, async () => {
    writeFileSync(path, envText(INITIAL));
    chmodSync(path, 0o644); // the first write must also tighten it, crash or not
    const next = random(seed);
    const pool: Writer[] = [];
    let c = 1;
    for (let i = 0; i < POOL; i++) pool.push(start(c++, writer));
    let current = INITIAL;
    let leftBehind: string[] = [];
    let killsLeavingTemp = 0;
    let writes = 0;

    for (let kill = 1; kill <= KILLS; kill++) {
      const w = pool.shift()!;
      pool.push(start(c++, writer));
      const where = `kill ${kill} of ${KILLS}, writer ${w.c}, seed ${seed}`;
      await within(w.ready, 15_000, `${where}: starting Deno`);
      w.proc.stdin!.write("go\n");
      await within(w.firstWrite, 15_000, `${where}: first update`);
      // A temp file the previous kill left behind is gone once the next write has run.
      expect(temps().filter((t) => leftBehind.includes(t)), `${where}: stale temp files`).toEqual(
        [],
      );
      const delay = next() * 12;
      await new Promise((r) => setTimeout(r, delay));
      w.proc.kill("SIGKILL");
      await within(w.closed, 10_000, `${where}: exit after SIGKILL`);

      const last = w.done.at(-1)!;
      writes += w.done.length;
      const text = readFileSync(path, "utf8");
      const value = parse(text)[VARIABLE];
      // The update in flight either landed whole or not at all.
      const allowed = [crashValue(w.c, last), crashValue(w.c, last + 1)];
      expect(allowed.includes(value!), `${where}: value after kill is neither old nor new`).toBe(
        true,
      );
      expect(text === envText(value!), `${where}: other lines changed`).toBe(true);
      expect(statSync(path).mode & 0o777, where).toBe(0o600);
      current = value!;
      leftBehind = temps();
      expect(leftBehind.every((t) => t.startsWith(`.env.tmp-${w.proc.pid}-`)), where).toBe(true);
      if (leftBehind.length) killsLeavingTemp++;
    }

    // The next write (here, in this process) removes what the last kill left behind.
    await updateEnvFile(path, VARIABLE, current, { isIgnoredByGit: false });
    expect(temps()).toEqual([]);
    expect(readFileSync(path, "utf8")).toBe(envText(current));
    for (const w of pool) w.proc.kill("SIGKILL");
    console.info(
      `[hardening] ${
        writer === "private" ? "private-file" : ".env"
      } crash test: ${KILLS} SIGKILLs survived (${writes} completed updates; ` +
        `${killsLeavingTemp} kills left a temp file, each removed by the next write), seed ${seed}`,
    );
  }, 120_000);
});
