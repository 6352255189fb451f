// `node --import ./node_loader.mjs`: records every module the process loads into the file named
// by BENCH_LOADED_LOG: ESM resolutions through a module.register() resolve hook (which also sees
// the CommonJS files that ESM imports), and at exit every file in the CommonJS cache (what
// require() loaded, which the hook does not see on Node 20).
import { appendFileSync } from "node:fs";
import { createRequire, register } from "node:module";
import process from "node:process";
import { pathToFileURL } from "node:url";

const log = process.env.BENCH_LOADED_LOG;
if (log) {
  register("./node_hooks.mjs", import.meta.url, { data: { log } });
  process.on("exit", () => {
    const cached = Object.keys(createRequire(import.meta.url).cache);
    appendFileSync(log, cached.map((f) => `cjs ${pathToFileURL(f).href}\n`).join(""));
  });
}
