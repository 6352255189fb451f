#!/usr/bin/env node
// The package as its users meet it (issue 14; issue 12 for the emulator part): `npm pack` (its
// prepack cleans dist/ and builds, so a fresh clone packs a complete package), the tarball's file
// list and imports checked, then installed into a fresh temporary project next to tslab and
// @types/node, as the README says. From that project:
//   - Node ESM and Node CommonJS (require) import both entry points and run a small flow; the ESM
//     script never stops its emulator and must still exit by itself;
//   - TypeScript (this repository's TypeScript 7) type-checks both entry points with module
//     nodenext (ESM and CommonJS), node16 and bundler;
//   - Deno runs and type-checks a script importing `npm:azure-quantum-notebook` through node_modules;
//   - the README's kernel setup (its bash block, run as written) installs both kernelspecs, and a
//     short notebook runs in Deno's kernel and in tslab (.ci/run_notebooks.py: outputs, no key);
//   - the CLI through npx: --help, demo, the old `emulator --env-file` spelling (Node 20 stops it
//     inside npx when the file is missing; the CLI refuses it otherwise), and
//     `emulator --write-env .env` with key management from
//     that .env (.ci/pack/emulator_env_check.mjs).
// Exit 0 when everything works.   node .ci/pack_test.mjs [--keep]   (--keep leaves the folder)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as src from "./pack/consumer_sources.mjs";
import { emulatorEnvCheck } from "./pack/emulator_env_check.mjs";
import { fileListProblems, importProblems, readmeLinkProblems } from "./pack/tarball_checks.mjs";

const root = resolve(import.meta.dirname, "..");
const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const keep = process.argv.includes("--keep");
const dir = mkdtempSync(join(tmpdir(), "aqn-pack-"));
const tools = join(dir, "tools"); // `deno` on PATH, as a user who installed Deno has it
mkdirSync(tools);
symlinkSync(join(root, "node_modules/.bin/deno"), join(tools, "deno"));
// A user's shell: no Azure settings, no credential variables.
const env = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_|MSI_|IMDS_|JUPYTER_|npm_)/.test(k))),
  PATH: `${tools}:${process.env.PATH}`,
  NO_COLOR: "1",
  DENO_NO_UPDATE_CHECK: "1",
};
const started = Date.now();
let failed = 0;

function step(text) {
  console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${text}`);
}
function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${String(detail).slice(0, 1500)}`}`);
  if (!ok) failed++;
  return ok;
}
function run(cmd, args, options = {}) {
  return spawnSync(cmd, args, { cwd: dir, env, encoding: "utf8", timeout: 120_000, ...options });
}
function mustRun(cmd, args, options) {
  const r = run(cmd, args, options);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout || "").slice(-2000)}`);
  return r.stdout;
}
// The last line of a script's output, as JSON; the whole run when it is not.
function lastJson(r) {
  try {
    return JSON.parse(r.stdout.trim().split("\n").at(-1));
  } catch {
    return { error: `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout || "").slice(-1500)}` };
  }
}

// The README's kernel setup, run as written (the npm install line is the tarball's, done before).
function kernelSetupFromReadme() {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = /<!-- kernel-setup -->\s*```bash\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error("README.md has no bash block after <!-- kernel-setup -->");
  return block.split("\n").filter((l) => !/^\s*npm install /.test(l)).join("\n");
}

function startNotebooks(home) {
  const out = join(dir, "out");
  const child = spawn("/usr/bin/python3", [join(root, ".ci/run_notebooks.py"), "--dir", join(dir, "notebooks"), "--out", out], {
    cwd: dir,
    env: { ...env, HOME: home, PYTHONWARNINGS: "ignore" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  return new Promise((res) => child.on("exit", (code) => res({ code, output })));
}

let notebooks;
try {
  // 1. The tarball.
  const packed = JSON.parse(mustRun("npm", ["pack", "--json", "--pack-destination", dir, root], { cwd: root }))[0];
  step(`npm pack (prepack: clean, build): ${packed.filename}, ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KB`);
  const listProblems = fileListProblems(packed.files, rootPkg);
  check("the tarball holds dist/, README.md, LICENSE, package.json, every entry point, and nothing else", listProblems.length === 0, listProblems.join("\n"));
  const links = readmeLinkProblems(readFileSync(join(root, "README.md"), "utf8"), root, rootPkg.repository.url);
  check("README links work on a registry page: absolute, into files that exist", links.length === 0, links.join("\n"));

  // 2. A fresh project that installs it, with tslab (the README's kernel setup) and @types/node.
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true }));
  mkdirSync(join(dir, ".git")); // a project root: the .env search stops here
  mustRun("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `./${packed.filename}`, `tslab@${rootPkg.devDependencies.tslab}`, `@types/node@${rootPkg.devDependencies["@types/node"]}`]);
  step("npm install of the tarball (and tslab, @types/node) into a fresh project");
  const installed = join(dir, "node_modules", rootPkg.name);
  const imports = importProblems(installed, packed.files, rootPkg);
  check("every import of every shipped file resolves: relative ones in the tarball, bare ones in dependencies", imports.length === 0, imports.join("\n"));

  // 3. The notebooks run in the background (the slow part), after the README's kernel setup.
  const home = join(dir, "home");
  mkdirSync(home);
  const setup = run("bash", ["-euo", "pipefail", "-c", kernelSetupFromReadme()], { env: { ...env, HOME: home } });
  const kernels = join(home, ".local/share/jupyter/kernels");
  const specs = ["deno", "tslab"].filter((k) => existsSync(join(kernels, k, "kernel.json")));
  if (check("the README's kernel setup installs the deno and tslab kernelspecs", setup.status === 0 && specs.length === 2, `${specs.join(", ")}; ${setup.stderr}`)) {
    mkdirSync(join(dir, "notebooks"));
    writeFileSync(join(dir, "notebooks", "first.ipynb"), JSON.stringify(src.notebook(), null, 1));
    notebooks = startNotebooks(home);
  }
  step("kernelspecs written; notebooks started in the background");

  // 4. Node ESM: both entry points; the emulator is never stopped, so the exit proves it unrefs.
  writeFileSync(join(dir, "smoke.mjs"), src.ESM);
  let t = Date.now();
  const esmRun = run("node", ["smoke.mjs"], { timeout: 30_000 });
  const esm = lastJson(esmRun);
  step(`node smoke.mjs (ESM), ${Date.now() - t} ms`);
  check("Node ESM: both entry points import; connect, listTargets, keys.status on the emulator", !esm.error && esm.exports?.includes("connect") && esm.emulatorExports?.includes("startEmulator") && esm.flow?.isEmulator === true && esm.flow.targets > 0 && esm.flow.keysEnabled === true && esm.version === rootPkg.version, JSON.stringify(esm));
  check("Node ESM: the script exits by itself though its emulator was never stopped", esmRun.status === 0 && esmRun.signal === null, `status ${esmRun.status}, signal ${esmRun.signal} (a timeout means the emulator kept the process alive)`);
  check("the emulator and the workspace have Symbol.asyncDispose (await using)", esm.flow?.disposable === true);
  check("a targets list renders as text", /^Targets in workspace emulator-ws/.test(esm.flow?.text ?? ""), esm.flow?.text);

  // 5. Node CommonJS: require() of both entry points (require(esm), Node ^20.19 || >=22.12).
  writeFileSync(join(dir, "smoke.cjs"), src.CJS);
  const cjs = lastJson(run("node", ["smoke.cjs"], { timeout: 30_000 }));
  step("node smoke.cjs (require)");
  check("Node CommonJS: require() of both entry points gives the same exports as import", !cjs.error && JSON.stringify(cjs.exports) === JSON.stringify(esm.exports) && JSON.stringify(cjs.emulatorExports) === JSON.stringify(esm.emulatorExports) && cjs.flow?.targets > 0, JSON.stringify(cjs).slice(0, 600));

  // 6. TypeScript 7 (this repository's), three module settings.
  writeFileSync(join(dir, "types.mts"), src.TYPES);
  writeFileSync(join(dir, "types_cjs.cts"), src.TYPES_CJS);
  for (const [name, settings] of Object.entries(src.TSCONFIGS)) {
    writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify(src.tsconfig(settings), null, 2));
    const r = run("node", [join(root, "node_modules/typescript/bin/tsc"), "-p", `tsconfig.${name}.json`]);
    check(`TypeScript ${rootPkg.devDependencies.typescript}, module ${name}: ${settings.files.join(" and ")} type-check against the installed declarations`, r.status === 0, r.stdout + r.stderr);
  }
  step("tsc: nodenext, node16, bundler");

  // 7. Deno: npm: specifiers through the project's node_modules (nothing downloaded).
  writeFileSync(join(dir, "smoke_deno.ts"), src.DENO);
  const denoEnv = { ...env, DENO_DIR: join(dir, "deno-dir") };
  const deno = lastJson(run("deno", ["run", "-A", "smoke_deno.ts"], { env: denoEnv, timeout: 60_000 }));
  check("Deno: npm:azure-quantum-notebook (and /emulator) from node_modules; the same exports; the flow works; the script ends by itself", !deno.error && JSON.stringify(deno.exports) === JSON.stringify(esm.exports) && deno.flow?.targets > 0 && deno.flow?.keysEnabled === true, JSON.stringify(deno).slice(0, 600));
  const denoCheck = run("deno", ["check", "smoke_deno.ts"], { env: denoEnv, timeout: 60_000 });
  check("Deno: deno check of that script (the package's declarations)", denoCheck.status === 0, denoCheck.stderr);
  const npmCache = join(dir, "deno-dir", "npm");
  check("Deno: nothing was downloaded (node_modules used)", !existsSync(npmCache) || readdirSync(npmCache).length === 0, readdirSync(npmCache).join(", "));
  step("deno run, deno check");

  // 8. The CLI through npx.
  const help = run("npx", ["--no-install", rootPkg.name, "--help"]);
  check("npx azure-quantum-notebook --help", help.status === 0 && help.stdout.includes("Usage: azure-quantum-notebook <command>"), help.stderr);
  t = Date.now();
  const demo = run("npx", ["--no-install", rootPkg.name, "demo"], { timeout: 60_000 });
  check("npx azure-quantum-notebook demo", demo.status === 0 && /Demo finished: \d+ steps/.test(demo.stdout), (demo.stdout + demo.stderr).slice(-1500));
  step(`npx --help, npx demo (${Date.now() - t} ms)`);

  // 9. The emulator CLI and a .env (issue 12), in its own folder.
  await emulatorEnvCheck({ dir: join(dir, "env-check"), env, check, step });

  if (notebooks) {
    const { code, output } = await notebooks;
    const summary = /notebooks: (\d+) passed, (\d+) failed/.exec(output);
    check("a short notebook runs in Deno's kernel and in tslab, from the installed package", code === 0 && summary?.[1] === "2", output);
    step("notebooks (deno, tslab)");
  }
} catch (e) {
  check("the pack test ran", false, e.stack);
} finally {
  if (keep) console.log(`  left in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log(`pack test: ${failed === 0 ? "passed" : `${failed} failed`} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
process.exit(failed === 0 ? 0 : 1);
