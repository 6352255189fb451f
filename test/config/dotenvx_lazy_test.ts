// eciesjs (and its @noble/@ecies dependencies) load on the first cryptographic call, never when the
// dotenvx modules are imported: the same detector as bench/ row 1, on the built dist/ files.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LOADER = join(ROOT, "bench/children/node_loader.mjs");
const CRYPTO = /node_modules\/(eciesjs|@noble|@ecies)\//;
const dist = (name: string) => JSON.stringify(join(ROOT, "dist/src/config", name));

async function loadedBy(code: string): Promise<string[]> {
  expect(existsSync(join(ROOT, "dist/src/config/dotenvx_env_file.js")), "run `npm run build` first")
    .toBe(true);
  const dir = mkdtempSync(join(tmpdir(), "aqn-loaded-"));
  try {
    const log = join(dir, "loaded.txt");
    await run(process.execPath, ["--import", LOADER, "--input-type=module", "-e", code], {
      env: { PATH: process.env.PATH ?? "", BENCH_LOADED_LOG: log },
    });
    return readFileSync(log, "utf8").split("\n").filter(Boolean);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("the dotenvx modules (Node, dist)", () => {
  it("load no cryptography when imported, nor to read key names and .env.keys", async () => {
    const loaded = await loadedBy(`
      const { DotenvxEnvFile } = await import(${dist("dotenvx_env_file.js")});
      const { parseEnvKeys, dotenvxKeyNames } = await import(${dist("dotenvx.js")});
      const file = new DotenvxEnvFile("/repo/.env.ci", { A: "1" }, { env: {} });
      if (file.privateKeyName !== "DOTENV_PRIVATE_KEY_CI") throw new Error(file.privateKeyName);
      if (file.decrypt("A").reveal() !== "1") throw new Error("clear value");
      parseEnvKeys("DOTENV_PRIVATE_KEY=ab\\n"); dotenvxKeyNames("/repo/.env");`);
    expect(loaded.some((l) => l.includes("dist/src/config/dotenvx_env_file.js"))).toBe(true);
    expect(loaded.filter((l) => CRYPTO.test(l))).toEqual([]);
  });

  it("load eciesjs on the first encryption (the detector sees it)", async () => {
    const loaded = await loadedBy(`
      const { generateKeyPair, encryptValue, decryptValue } = await import(${
      dist("dotenvx_crypto.js")
    });
      const pair = generateKeyPair();
      if (decryptValue(pair.privateKey, encryptValue(pair.publicKey, "x")).reveal() !== "x") throw new Error("round trip");`);
    expect(loaded.some((l) => /node_modules\/eciesjs\//.test(l))).toBe(true);
    expect(loaded.some((l) => /node_modules\/@noble\/curves\//.test(l))).toBe(true);
  });
});
