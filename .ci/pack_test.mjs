#!/usr/bin/env node
// The first contact of a user, from the published package: `npm pack`, installed into a fresh
// temporary folder, then the README's emulator command through npx (Node 20, in the background),
// `npx azure-quantum-notebook emulator --write-env .env`, and a script whose only configuration is
// that .env: connect() finds it (and is given it), lists targets and quotas, and manages keys
// (status, disable with confirm, enable) with the credential variables of that same .env. The
// emulator process is stopped at the end. Needs dist/ (npm run build). Exit 0 when it all works.
//
//   node .ci/pack_test.mjs [--keep]     (--keep leaves the folder for a look)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const keep = process.argv.includes("--keep");
const dir = mkdtempSync(join(tmpdir(), "aqn-pack-"));
// A user's shell: no Azure settings, no credential variables.
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(AZURE_|IDENTITY_|MSI_|IMDS_)/.test(k)),
);
const started = Date.now();
let emulator;

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { cwd: dir, env, encoding: "utf8", timeout: 240_000, ...options });
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${(r.stderr || r.stdout || "").slice(-2000)}`);
  }
  return r.stdout;
}

function step(text) {
  console.log(`  ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s  ${text}`);
}

// The emulator's CLI prints its endpoints, then writes the env file: wait for both.
function startEmulator() {
  const child = spawn("npx", ["--no-install", "azure-quantum-notebook", "emulator", "--write-env", ".env"], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group: npx and the node it starts are stopped together
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const ready = new Promise((res, rej) => {
    const timer = setInterval(() => {
      if (/Press Ctrl\+C to stop/.test(output) && existsSync(join(dir, ".env"))) {
        clearInterval(timer);
        res();
      }
    }, 100);
    child.on("exit", (code) => {
      clearInterval(timer);
      rej(new Error(`the emulator exited ${code} before it was ready:\n${output}`));
    });
    setTimeout(() => {
      clearInterval(timer);
      rej(new Error(`the emulator was not ready after 60 s:\n${output}`));
    }, 60_000).unref();
  });
  return { child, ready, output: () => output };
}

async function stopEmulator() {
  if (!emulator || emulator.child.exitCode !== null) return;
  const exited = new Promise((res) => emulator.child.on("exit", res));
  process.kill(-emulator.child.pid, "SIGTERM");
  await Promise.race([exited, new Promise((res) => setTimeout(res, 10_000))]);
}

const SCRIPT = `
import { connect, isQuantumError } from "azure-quantum-notebook";
const out = {};
try {
  const found = await connect({ progress: false });           // .env found from the working directory
  const given = await connect({ envFile: ".env", env: {}, progress: false }); // .env given, nothing else
  out.sources = [found.info.sources.apiKey, given.info.sources.apiKey];
  out.isEmulator = given.info.isEmulator;
  out.credential = given.settings.credentialSource;
  out.targets = (await given.listTargets()).length;
  out.quotas = (await given.quotas()).length;
  out.status = (await given.keys.status()).toJSON();
  // force: the CLI emulator's identity has no data role (disable's Entra readiness check would refuse).
  const disabled = await given.keys.disable({ confirm: true, force: true, waitForDataPlane: true });
  out.disabled = { applied: disabled.applied, after: disabled.after };
  out.rejected = await given.listTargets().then(() => "accepted", (e) => e.code);
  const enabled = await given.keys.enable({ waitForDataPlane: true });
  out.enabled = { applied: enabled.applied, after: enabled.after };
  out.accepted = (await given.listTargets()).length;
} catch (e) {
  out.error = isQuantumError(e) ? e.code + ": " + e.message : String(e && e.stack || e);
}
console.log(JSON.stringify(out));
`;

let failed = 0;
function check(name, ok, detail = "") {
  console.log(`${ok ? "ok  " : "FAIL"} ${name}${ok || !detail ? "" : `: ${detail}`}`);
  if (!ok) failed++;
}

try {
  if (!existsSync(join(root, "dist", "mod.js"))) throw new Error("dist/ is missing: run npm run build first");
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir, root], { cwd: root }))[0];
  step(`npm pack: ${packed.filename} (${packed.entryCount} files)`);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ private: true, type: "module" }));
  mkdirSync(join(dir, ".git")); // a project root: the .env search stops here
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `./${packed.filename}`]);
  step("npm install of the tarball into a fresh folder");
  emulator = startEmulator();
  await emulator.ready;
  step("npx azure-quantum-notebook emulator --write-env .env: running, .env written");
  const text = readFileSync(join(dir, ".env"), "utf8");
  const names = [...text.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
  check(".env holds the connection and the identity variables", ["AZURE_QUANTUM_CONNECTION_STRING", "IDENTITY_ENDPOINT", "IDENTITY_HEADER"].every((n) => names.includes(n)), names.join(", "));
  writeFileSync(join(dir, "check.mjs"), SCRIPT);
  const result = JSON.parse(run("node", ["check.mjs"]).trim().split("\n").at(-1));
  step("node check.mjs (only the .env)");
  const envPath = join(dir, ".env");
  check("no error", result.error === undefined, result.error);
  check("connect() finds the .env, and takes it when given", JSON.stringify(result.sources) === JSON.stringify([`.env ${envPath} (AZURE_QUANTUM_CONNECTION_STRING)`, `.env ${envPath} (AZURE_QUANTUM_CONNECTION_STRING)`]), JSON.stringify(result.sources));
  check("the credential comes from that .env", result.credential === `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env ${envPath})`, result.credential);
  check("targets and quotas listed", result.targets > 0 && result.quotas > 0, `${result.targets} targets, ${result.quotas} quotas`);
  check("keys.status(): enabled, the kernel on the primary", result.status?.apiKeyEnabled === true && result.status?.inUse === "primary", JSON.stringify(result.status));
  check("disable({ confirm: true }) applied; the key is refused", result.disabled?.applied === true && result.disabled?.after === false && result.rejected === "Unauthorized", JSON.stringify([result.disabled, result.rejected]));
  check("enable() applied; the key works again", result.enabled?.applied === true && result.enabled?.after === true && result.accepted > 0, JSON.stringify([result.enabled, result.accepted]));
  check("no key or identity header in the script's output", !/ApiKey=|IDENTITY_HEADER=/.test(JSON.stringify(result)) && !JSON.stringify(result).includes(/IDENTITY_HEADER='([^']+)'/.exec(text)?.[1] ?? "\0"));
} catch (e) {
  check("the pack test ran", false, e.message);
} finally {
  await stopEmulator();
  step("emulator stopped");
  if (keep) console.log(`  left in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
console.log(`pack test: ${failed === 0 ? "passed" : `${failed} failed`}`);
process.exit(failed === 0 ? 0 : 1);
