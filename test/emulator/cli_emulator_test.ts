import { type ChildProcess, spawn } from "node:child_process";
import { statSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runEmulatorCli } from "../../src/emulator/mod.ts";
import { formatEnvFile } from "../../src/emulator/write_env_file.ts";
import { DP_VERSION, send } from "./_https.ts";

const DENO = join(process.cwd(), "node_modules/.bin/deno");
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "aqn-cli-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function startCli(
  args: string[],
): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const child = spawn(DENO, ["run", "-A", "src/cli.ts", "emulator", ...args], {
    cwd: process.cwd(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", () => output.includes("Press Ctrl+C to stop.") && resolve());
    child.once("exit", (code) => reject(new Error(`CLI exited early with ${code}: ${output}`)));
  });
  return { child, output: () => output, ready };
}

describe("azure-quantum-notebook emulator (under Deno)", () => {
  it("prints its endpoints, writes a working 0600 env file, and exits within 1 s of SIGTERM", async () => {
    const envFile = join(dir, "emulator.env");
    const cli = startCli(["--write-env", envFile, "--lro-ms", "10"]);
    await cli.ready;
    expect(cli.output()).toMatch(/Data plane +https:\/\/127\.0\.0\.1:\d+\//);
    expect(cli.output()).toMatch(/ARM +https:\/\/127\.0\.0\.1:\d+/);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const text = await readFile(envFile, "utf8");
    expect(text).toMatch(/^AZURE_QUANTUM_CONNECTION_STRING='SubscriptionId=.*;'$/m);
    const env = parse(text);
    expect(Object.keys(env).sort()).toEqual([
      "AZURE_QUANTUM_ARM_ENDPOINT",
      "AZURE_QUANTUM_CONNECTION_STRING",
      "AZURE_QUANTUM_EMULATOR_CA",
      "AZURE_QUANTUM_KEY_VAULT_URL",
      "IDENTITY_ENDPOINT",
      "IDENTITY_HEADER",
    ]);
    const fields = Object.fromEntries(
      env.AZURE_QUANTUM_CONNECTION_STRING!.split(";").filter(Boolean).map((f) => {
        const i = f.indexOf("=");
        return [f.slice(0, i), f.slice(i + 1)];
      }),
    );
    expect(cli.output()).not.toContain(fields.ApiKey);
    expect(cli.output()).not.toContain(env.IDENTITY_HEADER);
    const ca = await readFile(env.AZURE_QUANTUM_EMULATOR_CA!, "utf8");
    const url = new URL(
      `subscriptions/${fields.SubscriptionId}/resourceGroups/${fields.ResourceGroupName}/providers/Microsoft.Quantum` +
        `/workspaces/${fields.WorkspaceName}/providerStatus?api-version=${DP_VERSION}`,
      fields.QuantumEndpoint,
    );
    const res = await send(url, { headers: { "x-ms-quantum-api-key": fields.ApiKey! }, ca });
    expect(res.status).toBe(200);

    const exited = new Promise<number | null>((resolve) =>
      cli.child.once("exit", (code) => resolve(code))
    );
    const start = performance.now();
    cli.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(cli.output()).toContain("Azure Quantum emulator stopped.");
  });

  it("keeps keys across restarts with --state", async () => {
    const stateFile = join(dir, "state.json");
    const envFile = join(dir, "state.env");
    const keyOf = async () => /ApiKey=([^;]+);/.exec(await readFile(envFile, "utf8"))![1];
    const first = startCli(["--state", stateFile, "--write-env", envFile]);
    await first.ready;
    const key = await keyOf();
    first.child.kill("SIGINT");
    await new Promise((r) => first.child.once("exit", r));
    expect(statSync(stateFile).mode & 0o777).toBe(0o600);
    const second = startCli(["--state", stateFile, "--write-env", envFile]);
    await second.ready;
    expect(await keyOf()).toBe(key);
    second.child.kill("SIGTERM");
    await new Promise((r) => second.child.once("exit", r));
  });

  it("exits 2 with usage for a bad flag", async () => {
    const child = spawn(DENO, ["run", "-A", "src/cli.ts", "emulator", "--fault", "404"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise((r) => child.once("exit", r));
    expect(code).toBe(2);
    expect(err).toContain('Cannot parse fault "404"');
    expect(err).toContain("Usage: azure-quantum-notebook emulator");
  });
});

describe("runEmulatorCli() in-process", () => {
  it("runs until its signal aborts and returns 0", async () => {
    const stop = new AbortController();
    let out = "";
    const done = runEmulatorCli(["--latency-ms", "0", "--fault", "429:1"], {
      stdout: (s) => (out += s),
      signal: stop.signal,
    });
    await waitFor(() => out.includes("Press Ctrl+C"));
    stop.abort();
    expect(await done).toBe(0);
    expect(out).toContain("Azure Quantum emulator stopped.");
    // All five listeners in the banner.
    for (const name of ["Data plane", "ARM", "Identity", "Key Vault", "Authority"]) {
      expect(out).toMatch(new RegExp(`^ {2}${name} +https?://127\\.0\\.0\\.1:\\d+`, "m"));
    }
  });

  it("--help names the port of every listener and the data-plane rule", async () => {
    let out = "";
    expect(await runEmulatorCli(["--help"], { stdout: (s) => (out += s) })).toBe(0);
    for (
      const flag of [
        "--port N",
        "--arm-port N",
        "--identity-port N",
        "--vault-port N",
        "--login-port N",
        "--data-plane-authorization MODE",
      ]
    ) {
      expect(out).toMatch(new RegExp(`^  ${flag}\\s`, "m"));
    }
  });

  // Issue 12 item 6: `--env-file` named the flag Node and Deno read with the opposite meaning.
  it("refuses the old --env-file spelling with exit 2 and names --write-env", async () => {
    for (const args of [["--env-file", "x.env"], ["--env-file=x.env"]]) {
      let err = "";
      expect(await runEmulatorCli(args, { stderr: (s) => (err += s) })).toBe(2);
      expect(err).toBe(
        "Cannot parse --env-file: the emulator's option is now --write-env FILE (it writes the file; " +
          "Node's and Deno's --env-file read one). Use: azure-quantum-notebook emulator --write-env .env.emulator\n",
      );
    }
  });

  // Issue 13 #3: on main the CLI replaced an existing .env wholesale.
  it("--write-env merges into an existing file, keeps every other line, and says so", async () => {
    const file = join(dir, "project.env");
    const before = "# keep me\nOPENAI_API_KEY='sk-other'\n\nexport DEBUG=1 # verbose\n";
    await writeFile(file, before);
    const stop = new AbortController();
    let out = "";
    const done = runEmulatorCli(["--write-env", file], { stdout: (s) => (out += s), signal: stop.signal });
    await waitFor(() => out.includes("Press Ctrl+C"));
    const text = await readFile(file, "utf8");
    expect(text.startsWith(before)).toBe(true);
    expect(parse(text)).toMatchObject({ OPENAI_API_KEY: "sk-other", DEBUG: "1" });
    expect(out).toContain(
      `  Env file       ${file}: merged (the emulator's variables set; 4 other lines kept as they were)`,
    );
    stop.abort();
    expect(await done).toBe(0);
  });

  it("--write-env creates a missing file, and updates one it wrote before", async () => {
    const file = join(dir, "fresh.env");
    for (const expected of ["created", "updated (the emulator's variables got new values)"]) {
      const stop = new AbortController();
      let out = "";
      const done = runEmulatorCli(["--write-env", file], { stdout: (s) => (out += s), signal: stop.signal });
      await waitFor(() => out.includes("Press Ctrl+C"));
      expect(out).toContain(`  Env file       ${file}: ${expected}\n`);
      stop.abort();
      await done;
    }
    expect(Object.keys(parse(await readFile(file, "utf8"))).sort()).toEqual([
      "AZURE_QUANTUM_ARM_ENDPOINT",
      "AZURE_QUANTUM_CONNECTION_STRING",
      "AZURE_QUANTUM_EMULATOR_CA",
      "AZURE_QUANTUM_KEY_VAULT_URL",
      "IDENTITY_ENDPOINT",
      "IDENTITY_HEADER",
    ]);
  });

  it("--write-env refuses a file holding a real connection string, before starting, and leaves it", async () => {
    const file = join(dir, "real.env");
    const before = "AZURE_QUANTUM_CONNECTION_STRING='SubscriptionId=11111111-2222-3333-4444-555555555555;" +
      "ResourceGroupName=rg;WorkspaceName=ws;ApiKey=REAL;QuantumEndpoint=https://eastus.quantum.azure.com/;'\n";
    await writeFile(file, before);
    let out = "";
    let err = "";
    const code = await runEmulatorCli(["--write-env", file], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
    });
    expect(code).toBe(2);
    expect(out).toBe("");
    expect(err).toContain(`Cannot write the emulator's variables to "${file}": it sets AZURE_QUANTUM_CONNECTION_STRING`);
    expect(err).not.toContain("ApiKey=REAL");
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("formatEnvFile() single-quotes values and refuses quotes or line breaks", () => {
    expect(formatEnvFile({ A: "C:\\new\\path", B: "x=y;z" }, new Date(0)).split("\n").slice(2))
      .toEqual([
        "A='C:\\new\\path'",
        "B='x=y;z'",
        "",
      ]);
    expect(parse(formatEnvFile({ A: "C:\\new\\path" }, new Date(0))).A).toBe("C:\\new\\path");
    expect(() => formatEnvFile({ A: "it's" }, new Date(0))).toThrow(RangeError);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!check()) throw new Error("condition not met in time");
}
