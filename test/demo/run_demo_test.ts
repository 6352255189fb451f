import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { runDemo } from "../../src/demo/run_demo.ts";
import { renderDemoReport } from "../../src/demo/demo_report.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";

const ROOT = resolve(import.meta.dirname, "../..");
let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

describe("runDemo()", () => {
  it("runs every step of the flow and never shows a key", async () => {
    const before = emu.control.keys();
    const seen: string[] = [];
    let envFile = "";
    let envAtEnd = "";
    const vaultReads: number[] = [];
    const steps = await runDemo({
      emulator: emu,
      onStep: (s) => {
        seen.push(s.title);
        if (s.title.includes("Key Vault") || s.title.includes("reference")) {
          vaultReads.push(emu.control.requestCount({ listener: "vault", method: "GET" }));
        }
        envFile ||= /from (\/\S+\.env) and/.exec(s.why)?.[1] ?? "";
        // The demo's .env is removed when it ends: read it at the last step.
        if (s.title === "Key status after rotation") envAtEnd = readFileSync(envFile, "utf8");
      },
    });
    const after = emu.control.keys();
    expect(steps.map((s) => s.title)).toEqual([
      "Emulator",
      "Connect",
      "List targets",
      "Filter targets",
      "Key status",
      "Disable, unconfirmed",
      "Disable access keys",
      "The key is rejected",
      "Enable access keys",
      "Works again",
      "Regenerate the secondary",
      "Move to Key Vault",
      "Connect through the reference",
      "Rotate the primary",
      "Key status after rotation",
    ]);
    expect(seen).toEqual(steps.map((s) => s.title));
    // Regenerate changed the secondary, rotation the primary; access keys end enabled.
    expect(after.primary.fingerprint).not.toBe(before.primary.fingerprint);
    expect(after.secondary.fingerprint).not.toBe(before.secondary.fingerprint);
    expect(after.enabled).toBe(true);
    const rejected = steps[7].bundle["text/plain"];
    expect(rejected).toContain("the key was rejected");
    // The vault: the moved key, then the rotation's two versions (the secondary, the new primary).
    const versions = emu.control.vault.versions("quantum");
    const keyOf = (v: { value: { reveal(): string } }) => parseConnectionString(v.value.reveal()).apiKey!;
    expect(versions.map(keyOf).map((k) => k.fingerprint)).toEqual(
      [before.primary, after.secondary, after.primary].map((k) => k.fingerprint),
    );
    const vaultHost = emu.keyVaultUrl.slice("https://".length, -1);
    const reference = `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/quantum/)`;
    expect(steps[11].bundle["text/plain"]).toContain(
      `${envFile}: AZURE_QUANTUM_CONNECTION_STRING now holds the reference (every other line kept).`,
    );
    // Connecting through the reference read the secret (refresh: true), though this process wrote it.
    expect(vaultReads[1]! - vaultReads[0]!).toBe(1);
    expect(steps[12].bundle["text/plain"]).toContain(
      `Key from:         Key Vault secret "quantum" in ${vaultHost}\n` +
        `                  version ${versions[0]!.version} (the latest, read `,
    );
    const rotation = steps[13].bundle["text/plain"];
    expect(rotation).toMatch(/Concurrent listTargets\(\) during the rotation: \d+ succeeded, 0 failed\./);
    expect(rotation).toContain(`version ${versions[2]!.version} holds the primary key ${after.primary.fingerprint} (read back)`);
    expect(steps[14].why).toBe(
      'The .env (mode 0600) holds only the reference; the secret "quantum" has 3 versions, the latest holding the new primary key.',
    );
    expect(steps[14].bundle["text/plain"]).toContain(`version ${versions[2]!.version} (the latest, read `);
    // Every other line of the .env kept; the connection string line is the reference.
    expect(envAtEnd).toBe(
      [
        "# Written by the azure-quantum-notebook demo: the emulator's dev workspace",
        `AZURE_QUANTUM_CONNECTION_STRING='${reference}'`,
        `AZURE_QUANTUM_ARM_ENDPOINT=${emu.armEndpoint}`,
        `AZURE_QUANTUM_EMULATOR_CA=${emu.caFile}`,
        "",
      ].join("\n"),
    );

    const everything = JSON.stringify(steps) + renderDemoReport(steps, "now");
    for (const key of [before.primary, before.secondary, after.primary, after.secondary]) {
      expect(everything).not.toContain(key.reveal());
      expect(envAtEnd).not.toContain(key.reveal());
    }
    expect(everything).not.toMatch(/ApiKey=[^<\s'"]/);
  });
});

describe("azure-quantum-notebook demo", () => {
  it("exits 0 under Deno (deno task demo) and writes a self-contained HTML report", async () => {
    const html = join(mkdtempSync(join(tmpdir(), "aqn-demo-cli-")), "demo.html");
    const { stdout } = await promisify(execFile)(
      join(ROOT, "node_modules/.bin/deno"),
      ["task", "demo", "--html", html],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", DENO_TLS_CA_STORE: "system" } },
    );
    expect(stdout).toContain("Demo finished: 15 steps, no Azure subscription needed.");
    const page = readFileSync(html, "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|<link|src="http/i);
    expect(page).toContain("Key rotation of emulator-ws");
  });
});
