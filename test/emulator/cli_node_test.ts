import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { connect } from "../../src/connect.ts";

describe("azure-quantum-notebook emulator (under Node, dist build)", () => {
  // `node -- cli.js`: Node 20 would otherwise read `--env-file` after the script as its own flag.
  it("writes an env file a client connects with, and exits 0 within 1 s of SIGTERM", async () => {
    const cli = join(process.cwd(), "dist/src/cli.js");
    expect(existsSync(cli), "run `npm run build` first").toBe(true);
    const envFile = join(mkdtempSync(join(tmpdir(), "aqn-cli-node-")), "emulator.env");
    const child = spawn(process.execPath, ["--", cli, "emulator", "--env-file", envFile], { stdio: ["ignore", "pipe", "pipe"] });
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

describe("deno task emulator", () => {
  it("runs the emulator CLI through the deno.json task", async () => {
    const { execFile } = await import("node:child_process");
    const out = await new Promise<string>((resolve, reject) =>
      execFile(join(process.cwd(), "node_modules/.bin/deno"), ["task", "emulator", "--help"], { env: { ...process.env, NO_COLOR: "1" } }, (e, stdout, stderr) =>
        e ? reject(new Error(`${e.message}\n${stderr}`)) : resolve(stdout + stderr))
    );
    expect(out).toContain("Usage: azure-quantum-notebook emulator");
  });
});
