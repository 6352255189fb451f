import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../mod.ts";
import { runEmulatorCli } from "../../src/emulator/mod.ts";

const run = promisify(execFile);
const ROOT = process.cwd();

describe("azure-quantum-notebook emulator (under Node, dist build)", () => {
  // `node -- cli.js`: Node 20 would otherwise read options after the script as its own.
  it("writes an env file a client connects with, and exits 0 within 1 s of SIGTERM", async () => {
    const cli = join(process.cwd(), "dist/src/cli.js");
    expect(existsSync(cli), "run `npm run build` first").toBe(true);
    const envFile = join(mkdtempSync(join(tmpdir(), "aqn-cli-node-")), "emulator.env");
    const child = spawn(process.execPath, ["--", cli, "emulator", "--write-env", envFile], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", () => output.includes("Press Ctrl+C to stop.") && resolve());
      child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${output}`)));
    });
    try {
      expect(statSync(envFile).mode & 0o777).toBe(0o600);
      const env = parse(readFileSync(envFile, "utf8"));
      const ws = await connect({ env, envFile: false });
      expect((await ws.listTargets()).length).toBeGreaterThan(0);
      expect(output).not.toContain(ws.liveKey!.key.reveal());
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      const start = performance.now();
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(performance.now() - start).toBeLessThan(1000);
    }
  });
});

// Issue 12 item 6: the --write-env file is the process environment for Node's and Deno's
// --env-file, with nothing else configured (no AZURE_* variable, no .env, no extra CA store).
describe("the --write-env file as the process environment", () => {
  const SCRIPT = `
const ws = await aq.connect();
const targets = await ws.listTargets();
// Key management with the credential the same variables make (IDENTITY_ENDPOINT, IDENTITY_HEADER).
const status = await ws.keys.status();
// force: the CLI emulator's identity has no data role (disable's Entra readiness check would refuse).
const disabled = await ws.keys.disable({ confirm: true, force: true });
const enabled = await ws.keys.enable();
console.log(JSON.stringify({
  name: ws.info.workspaceName, emulator: ws.info.isEmulator, source: ws.info.sources.apiKey, targets: targets.length,
  credential: ws.settings.credentialSource, status: { enabled: status.apiKeyEnabled, inUse: status.inUse },
  disabled: [disabled.applied, disabled.after], enabled: [enabled.applied, enabled.after],
}));
`;
  let dir: string;
  let envFile: string;
  let stop: AbortController;
  let done: Promise<number>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "aqn-write-env-"));
    envFile = join(dir, ".env.emulator");
    stop = new AbortController();
    let out = "";
    done = runEmulatorCli(["--write-env", envFile], { stdout: (s) => (out += s), signal: stop.signal });
    for (let i = 0; i < 200 && !out.includes("Press Ctrl+C"); i++) await new Promise((r) => setTimeout(r, 25));
  });
  afterAll(async () => {
    stop.abort();
    await done;
  });
  const bare = () => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1" });
  const check = (stdout: string) => {
    const out = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(out).toMatchObject({ name: "emulator-ws", emulator: true, source: "env AZURE_QUANTUM_CONNECTION_STRING" });
    expect(out.targets).toBeGreaterThan(0);
    // From the process environment the unmodified DefaultAzureCredential finds IDENTITY_ENDPOINT/HEADER.
    expect(out.credential).toBe("DefaultAzureCredential (environment, workload or managed identity, Azure CLI, …)");
    expect([out.status, out.disabled, out.enabled]).toEqual([{ enabled: true, inUse: "primary" }, [true, false], [true, true]]);
  };

  it("node --env-file=FILE: connect(), listTargets() and key management with nothing else configured", async () => {
    expect(existsSync(join(ROOT, "dist/mod.js")), "run `npm run build` first").toBe(true);
    const script = join(dir, "node_client.mjs");
    writeFileSync(script, `const aq = await import(${JSON.stringify(join(ROOT, "dist/mod.js"))});${SCRIPT}`);
    const { stdout } = await run(process.execPath, [`--env-file=${envFile}`, script], { cwd: dir, env: bare() });
    check(stdout);
  });

  it("deno run --env-file=FILE: connect(), listTargets() and key management with nothing else configured", async () => {
    const script = join(dir, "deno_client.ts");
    writeFileSync(script, `import * as aq from ${JSON.stringify(join(ROOT, "mod.ts"))};${SCRIPT}`);
    const { stdout } = await run(
      join(ROOT, "node_modules/.bin/deno"),
      ["run", "-A", "--config", join(ROOT, "deno.json"), `--env-file=${envFile}`, script],
      { cwd: dir, env: { ...bare(), DENO_TLS_CA_STORE: "system", DENO_NO_UPDATE_CHECK: "1" } },
    );
    check(stdout);
  });
});

describe("deno task emulator", () => {
  it("runs the emulator CLI through the deno.json task", async () => {
    const out = await new Promise<string>((resolve, reject) =>
      execFile(join(process.cwd(), "node_modules/.bin/deno"), ["task", "emulator", "--help"], { env: { ...process.env, NO_COLOR: "1" } }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout + stderr))
    );
    expect(out).toContain("Usage: azure-quantum-notebook emulator");
  });
});
