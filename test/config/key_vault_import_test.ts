import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const LOADER = join(ROOT, "bench/children/node_loader.mjs");

describe("importing the Key Vault source (Node, dist)", () => {
  it("loads neither @azure/keyvault-secrets nor core-rest-pipeline until a secret is read", async () => {
    const module = join(ROOT, "dist/src/config/key_vault_source.js");
    expect(existsSync(module), "run `npm run build` first").toBe(true);
    const log = join(mkdtempSync(join(tmpdir(), "aqn-loaded-")), "loaded.txt");
    await run(process.execPath, [
      "--import",
      LOADER,
      "--input-type=module",
      "-e",
      `await import(${JSON.stringify(module)});`,
    ], {
      env: { PATH: process.env.PATH ?? "", BENCH_LOADED_LOG: log },
    });
    const loaded = readFileSync(log, "utf8").split("\n").filter(Boolean);
    expect(loaded.some((l) => l.endsWith("/dist/src/config/key_vault_source.js"))).toBe(true);
    expect(loaded.filter((l) => /@azure\/(keyvault|core-rest-pipeline|core-client)/.test(l)))
      .toEqual([]);
  });
});
