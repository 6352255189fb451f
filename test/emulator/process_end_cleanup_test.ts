// Issue 14, lifecycle: a script that forgets stop() still ends when its work is done, and its CA
// folder goes with it; SIGINT/SIGTERM remove the folder and still end the process by that signal;
// a script (or the CLI) that handles the signal itself keeps its own behaviour. Real child
// processes (Node on dist/, Deno on the sources) and real signals.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import process from "node:process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/mod.ts";

const ROOT = process.cwd();
const DENO = join(ROOT, "node_modules/.bin/deno");
const dist = (path: string) => JSON.stringify(join(ROOT, "dist", path));
const src = (path: string) => JSON.stringify(join(ROOT, path));
let dir: string;

beforeAll(() => {
  expect(existsSync(join(ROOT, "dist/mod.js")), "run `npm run build` first").toBe(true);
  dir = mkdtempSync(join(tmpdir(), "aqn-process-end-"));
});

interface Child {
  /** Resolves with the first line matching `pattern`, from stdout. */
  line(pattern: RegExp): Promise<string>;
  exited: Promise<
    { code: number | null; signal: NodeJS.Signals | null; ms: number; output: string }
  >;
  kill(signal: NodeJS.Signals): void;
}

function start(runtime: "node" | "deno", name: string, code: string, args: string[] = []): Child {
  const file = join(dir, name);
  writeFileSync(file, code);
  const [cmd, argv] = runtime === "node"
    ? [process.execPath, ["--", file, ...args]]
    : [DENO, ["run", "-A", "--config", join(ROOT, "deno.json"), file, ...args]];
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_)/.test(k)),
  );
  const child = spawn(cmd, argv, {
    cwd: dir,
    env: { ...env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  });
  const started = performance.now();
  let output = "";
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    output += d;
    for (const w of waiters) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  // Never left running: a hung child fails its test, then goes.
  const guard = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const exited = new Promise<
    { code: number | null; signal: NodeJS.Signals | null; ms: number; output: string }
  >(
    (resolve) =>
      child.once("exit", (code, signal) => {
        clearTimeout(guard);
        for (const w of waiters) w();
        resolve({ code, signal, ms: performance.now() - started, output });
      }),
  );
  return {
    exited,
    kill: (signal) => child.kill(signal),
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = output.split("\n").find((l) => pattern.test(l));
          if (found !== undefined) resolve(found);
          else if (child.exitCode !== null || child.signalCode !== null) {
            reject(new Error(`exited first:\n${output}`));
          }
        };
        waiters.push(check);
        check();
      }),
  };
}

const caFolder = (line: string) => dirname(line.replace(/^.*?CA\s+/, "").trim());

// Starts the emulator, exports its variables, connects and lists targets: one script's whole work.
const WORK = (imports: string) =>
  `${imports}
const emulator = await startEmulator({ exportEnv: true });
console.log("CA " + emulator.caFile);
const ws = await connect({ progress: false });
console.log("targets " + (await ws.listTargets()).length);
`;
const NODE_IMPORTS = `const { startEmulator } = await import(${dist("src/emulator/mod.js")});
const { connect } = await import(${dist("mod.js")});`;
const DENO_IMPORTS = `import { startEmulator } from ${src("src/emulator/mod.ts")};
import { connect } from ${src("mod.ts")};`;

describe("a script that forgets stop()", () => {
  it("Node: ends by itself once its work is done, and removes the CA folder", async () => {
    const child = start("node", "forget.mjs", WORK(NODE_IMPORTS));
    const ca = caFolder(await child.line(/^CA /));
    const { code, ms, output } = await child.exited;
    expect(output).toMatch(/^targets [1-9]/m);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(8_000);
    expect(existsSync(ca)).toBe(false);
  });

  it('Node: connect({ emulator: "auto" }) without ws.close() ends too, and removes the CA folder', async () => {
    const child = start(
      "node",
      "forget_auto.mjs",
      `const { connect, kernelEmulator } = await import(${dist("mod.js")});
const ws = await connect({ emulator: "auto", envFile: false, progress: false });
console.log("CA " + kernelEmulator().caFile);
console.log("targets " + (await ws.listTargets()).length);`,
    );
    const ca = caFolder(await child.line(/^CA /));
    const { code, output } = await child.exited;
    expect(output).toMatch(/^targets [1-9]/m);
    expect(code).toBe(0);
    expect(existsSync(ca)).toBe(false);
  });

  it("Deno: ends by itself once its work is done, and removes the CA folder", async () => {
    const child = start("deno", "forget.ts", WORK(DENO_IMPORTS));
    const ca = caFolder(await child.line(/^CA /));
    const { code, ms, output } = await child.exited;
    expect(output).toMatch(/^targets [1-9]/m);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(15_000);
    expect(existsSync(ca)).toBe(false);
  });
});

// keepProcessAlive: true (a server script) keeps the process up until the signal comes.
const SERVER = (imports: string) =>
  `${imports}
const emulator = await startEmulator({ keepProcessAlive: true });
console.log("CA " + emulator.caFile);
`;

describe("a signal ends a script whose emulator still runs", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`Node, ${signal}: the CA folder is removed and the process still dies by ${signal}`, async () => {
      const child = start(
        "node",
        `server_${signal}.mjs`,
        SERVER(`const { startEmulator } = await import(${dist("src/emulator/mod.js")});`),
      );
      const ca = caFolder(await child.line(/^CA /));
      expect(existsSync(ca)).toBe(true);
      child.kill(signal);
      const { code, signal: died } = await child.exited;
      expect({ code, died }).toEqual({ code: null, died: signal });
      expect(existsSync(ca)).toBe(false);
    });
  }

  it("Deno, SIGTERM: the CA folder is removed and the process still dies by SIGTERM", async () => {
    const child = start(
      "deno",
      "server.ts",
      SERVER(`import { startEmulator } from ${src("src/emulator/mod.ts")};`),
    );
    const ca = caFolder(await child.line(/^CA /));
    child.kill("SIGTERM");
    const { code, signal } = await child.exited;
    expect({ code, signal }).toEqual({ code: null, signal: "SIGTERM" });
    expect(existsSync(ca)).toBe(false);
  });

  it("a script's own SIGTERM handler decides: it runs, the process lives on, and its exit removes the folder", async () => {
    const child = start(
      "node",
      "own_handler.mjs",
      `const { startEmulator } = await import(${dist("src/emulator/mod.js")});
const emulator = await startEmulator({ keepProcessAlive: true });
process.on("SIGTERM", () => {
  console.log("own handler, emulator running: " + emulator.running);
  setTimeout(() => process.exit(7), 200);
});
console.log("CA " + emulator.caFile);`,
    );
    const ca = caFolder(await child.line(/^CA /));
    child.kill("SIGTERM");
    const { code, signal, output } = await child.exited;
    expect(output).toContain("own handler, emulator running: true");
    expect({ code, signal }).toEqual({ code: 7, signal: null });
    expect(existsSync(ca)).toBe(false);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`the CLI (npx azure-quantum-notebook emulator), ${signal}: stops, exits 0, removes the CA folder`, async () => {
      const child = start("node", `cli_${signal}.mjs`, `await import(${dist("src/cli.js")});`, [
        "emulator",
      ]);
      const ca = caFolder(await child.line(/^\s+CA\s+\//));
      await child.line(/Press Ctrl\+C to stop/);
      child.kill(signal);
      const { code, signal: died, output } = await child.exited;
      expect({ code, died }).toEqual({ code: 0, died: null });
      expect(output).toContain("Azure Quantum emulator stopped.");
      expect(existsSync(ca)).toBe(false);
    });
  }
});

describe("the handlers exist only while an emulator runs", () => {
  it("start adds one listener per signal and one exit listener; the last stop() takes them off", async () => {
    const count = () =>
      ["SIGINT", "SIGTERM", "SIGHUP", "exit"].map((e) => process.listenerCount(e));
    const before = count();
    const a = await startEmulator();
    const b = await startEmulator();
    try {
      expect(count()).toEqual(before.map((n) => n + 1));
      await a.stop();
      expect(count()).toEqual(before.map((n) => n + 1));
    } finally {
      await a.stop();
      await b.stop();
    }
    expect(count()).toEqual(before);
  });

  it("await using stops the emulator at the end of the block", async () => {
    let caFile = "";
    {
      await using emulator = await startEmulator();
      caFile = emulator.caFile;
      expect(existsSync(caFile)).toBe(true);
    }
    expect(existsSync(caFile)).toBe(false);
  });
});

afterAll(() => {
  // The children's folders are checked above; the scripts' folder is ours.
  if (dir) void import("node:fs").then((fs) => fs.rmSync(dir, { recursive: true, force: true }));
});
