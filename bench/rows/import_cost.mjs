// Row 1: import cost (fresh processes) and what the key-only path loads, for Node and Deno.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childEnv, commandFor, run, runChild } from "../lib/spawn.mjs";
import { summary } from "../lib/stats.mjs";

/** Added cost of the module at most this fraction of @azure/identity's. */
export const IMPORT_TARGET = 0.3;

const FILES = {
  node: {
    none: "bench/children/import_none.mjs",
    module: "bench/children/import_module.mjs",
    identity: "bench/children/import_identity.mjs",
  },
  deno: {
    none: "bench/children/deno/import_none.ts",
    module: "bench/children/deno/import_module.ts",
    identity: "bench/children/deno/import_identity.ts",
  },
};

// A module path counts as "@azure/identity or MSAL" when it lies in one of these packages.
const FORBIDDEN =
  /node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?@azure\/(?:identity|msal-node|msal-common)\/|npm:\/?@azure\/(?:identity|msal)/;

/**
 * Times fresh processes importing nothing, the module, and @azure/identity, interleaved (the
 * order rotates every round) after one untimed warm-up round (disk cache, Deno's code cache).
 */
export async function timeImports(runtime, runs) {
  const files = FILES[runtime];
  const names = Object.keys(files);
  const once = async (name) => {
    const [command, args] = commandFor(runtime, files[name]);
    const r = await run(command, args, { env: childEnv() });
    if (r.code !== 0) throw new Error(`${runtime} ${files[name]} failed: ${r.stderr.slice(-1000)}`);
    return r.ms;
  };
  for (const name of names) await once(name);
  const ms = { none: [], module: [], identity: [] };
  const ratios = [];
  for (let i = 0; i < runs; i++) {
    const round = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      round[name] = await once(name);
      ms[name].push(round[name]);
    }
    ratios.push((round.module - round.none) / (round.identity - round.none));
  }
  const none = summary(ms.none);
  const module = summary(ms.module);
  const identity = summary(ms.identity);
  const ratio = summary(ratios);
  return {
    runtime,
    runs,
    ms: { none, module, identity },
    addedMs: { module: module.median - none.median, identity: identity.median - none.median },
    ratio,
    ratioOfMedians: (module.median - none.median) / (identity.median - none.median),
    met: ratio.median <= IMPORT_TARGET,
  };
}

/**
 * Which modules a child loads: Node through a module.register() resolve hook plus the CommonJS
 * cache at exit (bench/children/node_loader.mjs); Deno through `--log-level=debug`, whose module
 * loader logs every module it loads (and whose resolver logs every npm file it resolves).
 */
export async function loadedModules(runtime, script, env) {
  if (runtime === "node") {
    const dir = mkdtempSync(join(tmpdir(), "aqn-bench-"));
    const log = join(dir, "loaded.txt");
    try {
      const result = await runChild("node", script, {}, {
        nodeFlags: ["--import", "./bench/children/node_loader.mjs"],
        env: childEnv({ ...env, BENCH_LOADED_LOG: log }),
      });
      const urls = readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => l.slice(4));
      return { result, urls: [...new Set(urls)] };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const result = await runChild("deno", script, {}, {
    denoFlags: ["--log-level=debug"],
    env: childEnv(env),
  });
  // deno-lint-ignore no-control-regex
  const text = result.stderr.replace(/\x1b\[[0-9;]*m/g, "");
  const urls = new Set();
  for (const line of text.split("\n")) {
    if (!/code cache|resolving in npm package/.test(line)) continue;
    for (const m of line.matchAll(/(?:file|npm):\/\/?[^\s,\]]+/g)) urls.add(m[0]);
  }
  delete result.stderr;
  return { result, urls: [...urls], log: text };
}

/** The key-only path must load neither @azure/identity nor MSAL; the detector must see them elsewhere. */
export async function checkKeyOnlyPath(runtime, emulatorEnv) {
  const env = {
    AZURE_QUANTUM_CONNECTION_STRING: emulatorEnv.AZURE_QUANTUM_CONNECTION_STRING,
    AZURE_QUANTUM_EMULATOR_CA: emulatorEnv.AZURE_QUANTUM_EMULATOR_CA,
  };
  const keyOnly = await loadedModules(runtime, "bench/children/key_only_path.mjs", env);
  const control = await loadedModules(runtime, "bench/children/identity_path.mjs", {});
  const forbidden = (r) => {
    const urls = r.urls.filter((u) => FORBIDDEN.test(u));
    if (r.log) {
      for (const m of r.log.matchAll(new RegExp(FORBIDDEN.source, "g"))) {
        urls.push(m[0]);
      }
    }
    return [...new Set(urls)];
  };
  const found = forbidden(keyOnly);
  const controlFound = forbidden(control);
  return {
    runtime,
    targets: keyOnly.result.targets,
    authMode: keyOnly.result.authMode,
    modules: keyOnly.urls.length,
    packages: packagesOf(keyOnly.urls),
    identityOrMsalLoaded: found,
    controlDetected: controlFound.length > 0,
    met: found.length === 0 && controlFound.length > 0 && keyOnly.result.targets > 0,
  };
}

function packagesOf(urls) {
  const names = new Set();
  for (const u of urls) {
    const m = /node_modules\/(?:\.deno\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m) names.add(m[1]);
  }
  return [...names].sort();
}
