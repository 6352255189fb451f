import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { projectDir, writeEncryptedEnv } from "../config/_encrypted_env.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const LOADER = join(ROOT, "bench/children/node_loader.mjs");
const HEAVY = /node_modules\/(@azure\/(identity|msal-node)|@peculiar\/x509|@?(noble|ecies)\w*)\//;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

// Every module a fresh Node process loads for `code` (ESM resolutions and the CommonJS cache).
async function loadedBy(code: string, env: Record<string, string> = {}): Promise<string[]> {
  expect(existsSync(join(ROOT, "dist/mod.js")), "run `npm run build` first").toBe(true);
  const log = join(mkdtempSync(join(tmpdir(), "aqn-loaded-")), "loaded.txt");
  await run(process.execPath, ["--import", LOADER, "--input-type=module", "-e", code], {
    env: { PATH: process.env.PATH ?? "", BENCH_LOADED_LOG: log, ...env },
  });
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

// Bench row 1's budget: importing the package evaluates at most this many of its own modules (74
// when this was set: what connecting, key management, Key Vault, encrypted .env, sign-in and the
// emulator need loads on first use). A static import that pulls a feature in fails here: import
// it with import() in the function that needs it, as KeyManager does for its operations.
const OWN_MODULES_AT_IMPORT = 78;

describe("importing azure-quantum-notebook (Node, dist)", () => {
  it(`evaluates at most ${OWN_MODULES_AT_IMPORT} of the package's own modules`, async () => {
    const loaded = await loadedBy(`await import(${JSON.stringify(join(ROOT, "dist/mod.js"))});`);
    const own = new Set(loaded.filter((l) => l.includes(`${ROOT}/dist/`)).map((l) => l.slice(4)));
    expect(own.size).toBeGreaterThan(10);
    expect(own.size, [...own].join("\n")).toBeLessThanOrEqual(OWN_MODULES_AT_IMPORT);
  });

  it("loads neither @azure/identity, MSAL, the emulator's X.509 library nor core-rest-pipeline", async () => {
    const loaded = await loadedBy(`await import(${JSON.stringify(join(ROOT, "dist/mod.js"))});`);
    expect(loaded.some((l) => l.includes("/dist/mod.js"))).toBe(true);
    expect(loaded.filter((l) => HEAVY.test(l) || l.includes("@azure/core-rest-pipeline"))).toEqual([]);
  });

  it("connects and lists targets with a connection string without loading @azure/identity or MSAL", async () => {
    const code = `const aq = await import(${JSON.stringify(join(ROOT, "dist/mod.js"))});
      const ws = await aq.connect({ envFile: false });
      if ((await ws.listTargets()).length === 0) throw new Error("no targets");`;
    const loaded = await loadedBy(code, emu.revealEnv());
    expect(loaded.some((l) => l.includes("@azure/core-rest-pipeline"))).toBe(true);
    expect(loaded.filter((l) => HEAVY.test(l))).toEqual([]);
  });

  // Encrypted .env (dotenvx): its cryptography (eciesjs, @noble/*, @ecies/*) loads only when a
  // value the connection needs is encrypted.
  const ECIES = /node_modules\/(eciesjs|@noble|@ecies)\//;
  const connectFrom = (dir: string) =>
    `const aq = await import(${JSON.stringify(join(ROOT, "dist/mod.js"))});
      const ws = await aq.connect({ cwd: ${JSON.stringify(dir)}, progress: false });
      if ((await ws.listTargets()).length === 0) throw new Error("no targets");`;

  it("connects with the key from a clear .env without loading the dotenvx cryptography", async () => {
    const dir = projectDir();
    const env = emu.revealEnv();
    writeFileSync(
      join(dir, ".env"),
      Object.entries(env).map(([k, v]) => `${k}='${v}'`).join("\n") + "\n",
    );
    const loaded = await loadedBy(connectFrom(dir));
    expect(loaded.filter((l) => HEAVY.test(l))).toEqual([]);
  });

  it("loads eciesjs (and still not @azure/identity) only for an encrypted .env", async () => {
    const dir = projectDir();
    writeEncryptedEnv(dir, emu.revealEnv(), generateKeyPair(), {
      encrypt: ["AZURE_QUANTUM_CONNECTION_STRING"],
    });
    const loaded = await loadedBy(connectFrom(dir));
    expect(loaded.some((l) => ECIES.test(l))).toBe(true);
    expect(loaded.filter((l) => HEAVY.test(l) && !ECIES.test(l))).toEqual([]);
  });
});

describe("importing azure-quantum-notebook (Deno, mod.ts)", () => {
  it(`evaluates at most ${OWN_MODULES_AT_IMPORT} of the package's own modules`, async () => {
    // Deno's debug log names every module it evaluates (a code-cache line each).
    const { stderr } = await run(
      join(ROOT, "node_modules/.bin/deno"),
      ["run", "-A", "--log-level=debug", "bench/children/deno/import_module.ts"],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NO_COLOR: "1" },
        maxBuffer: 64 << 20,
      },
    );
    const own = new Set(
      stderr.split("\n").filter((l) => l.includes("code cache"))
        .flatMap((l) => l.match(/file:\/\/\S+?\/(?:mod|src\/\S+)\.ts/g) ?? [])
        .filter((url) => url.startsWith(`file://${ROOT}/`)),
    );
    expect(own.size).toBeGreaterThan(10);
    expect(own.size, [...own].join("\n")).toBeLessThanOrEqual(OWN_MODULES_AT_IMPORT);
  });
});
