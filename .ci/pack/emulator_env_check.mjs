// The README's emulator path from the installed package (issue 12): `npx azure-quantum-notebook
// emulator --write-env .env` in the background, then a script whose only configuration is that
// .env: connect() finds it (and is given it), lists targets and quotas, and manages keys (status,
// disable with confirm, enable) with the credential variables of that same .env. Runs in its own
// folder `dir` (a project root: .git), inside the project that installed the package.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

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

// The emulator's CLI prints its endpoints, then writes the env file: wait for both.
function startCli(dir, env) {
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
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((res) => child.on("exit", res));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((res) => setTimeout(res, 10_000))]);
  };
  return { ready, stop, output: () => output };
}

// The old spelling through npx, as README and docs/emulator.md describe it: on Node 20 Node reads
// `--env-file FILE` from npx's own arguments, so with no FILE npx stops (exit 9) before the CLI runs;
// with FILE present the CLI runs and refuses the flag (exit 2), naming --write-env.
function oldSpellingCheck(dir, env, check) {
  const old = () =>
    spawnSync("npx", ["--no-install", "azure-quantum-notebook", "emulator", "--env-file", ".env.emulator"], {
      cwd: dir,
      env,
      encoding: "utf8",
      timeout: 60_000,
    });
  const missing = old();
  if (process.versions.node.split(".")[0] === "20") {
    check(
      "Node 20: npx ... emulator --env-file .env.emulator (no such file) stops inside npx: exit 9, node: .env.emulator: not found",
      missing.status === 9 && missing.stderr.includes("node: .env.emulator: not found"),
      `exit ${missing.status}: ${missing.stderr}`,
    );
  }
  writeFileSync(join(dir, ".env.emulator"), "# an existing file\n");
  const present = old();
  check(
    "npx ... emulator --env-file .env.emulator (file present): the CLI refuses it, naming --write-env (exit 2)",
    present.status === 2 &&
      present.stderr.includes("Cannot parse --env-file: the emulator's option is now --write-env FILE"),
    `exit ${present.status}: ${present.stderr}`,
  );
  rmSync(join(dir, ".env.emulator"));
}

/** Runs the check; reports through `check(name, ok, detail)` and `step(text)`. */
export async function emulatorEnvCheck({ dir, env, check, step }) {
  mkdirSync(join(dir, ".git"), { recursive: true }); // a project root: the .env search stops here
  oldSpellingCheck(dir, env, check);
  step("npx azure-quantum-notebook emulator --env-file (the old spelling)");
  const cli = startCli(dir, env);
  try {
    await cli.ready;
    step("npx azure-quantum-notebook emulator --write-env .env: running, .env written");
    const text = readFileSync(join(dir, ".env"), "utf8");
    const names = [...text.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    check(".env holds the connection and the identity variables", ["AZURE_QUANTUM_CONNECTION_STRING", "IDENTITY_ENDPOINT", "IDENTITY_HEADER"].every((n) => names.includes(n)), names.join(", "));
    writeFileSync(join(dir, "check.mjs"), SCRIPT);
    const r = spawnSync("node", ["check.mjs"], { cwd: dir, env, encoding: "utf8", timeout: 120_000 });
    const result = JSON.parse((r.stdout || "{}").trim().split("\n").at(-1) || "{}");
    step("node check.mjs (only the .env)");
    const envPath = join(dir, ".env");
    check("no error", r.status === 0 && result.error === undefined, result.error ?? r.stderr);
    check("connect() finds the .env, and takes it when given", JSON.stringify(result.sources) === JSON.stringify([`.env ${envPath} (AZURE_QUANTUM_CONNECTION_STRING)`, `.env ${envPath} (AZURE_QUANTUM_CONNECTION_STRING)`]), JSON.stringify(result.sources));
    check("the credential comes from that .env", result.credential === `App Service managed identity (IDENTITY_ENDPOINT, IDENTITY_HEADER from .env ${envPath})`, result.credential);
    check("targets and quotas listed", result.targets > 0 && result.quotas > 0, `${result.targets} targets, ${result.quotas} quotas`);
    check("keys.status(): enabled, the kernel on the primary", result.status?.apiKeyEnabled === true && result.status?.inUse === "primary", JSON.stringify(result.status));
    check("disable({ confirm: true }) applied; the key is refused", result.disabled?.applied === true && result.disabled?.after === false && result.rejected === "Unauthorized", JSON.stringify([result.disabled, result.rejected]));
    check("enable() applied; the key works again", result.enabled?.applied === true && result.enabled?.after === true && result.accepted > 0, JSON.stringify([result.enabled, result.accepted]));
    check("no key or identity header in the script's output", !/ApiKey=|IDENTITY_HEADER=/.test(JSON.stringify(result)) && !JSON.stringify(result).includes(/IDENTITY_HEADER='([^']+)'/.exec(text)?.[1] ?? "\0"));
  } finally {
    await cli.stop();
    step("emulator stopped");
  }
}
