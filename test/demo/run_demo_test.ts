import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { runDemo } from "../../src/demo/run_demo.ts";
import { renderDemoReport } from "../../src/demo/demo_report.ts";

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
    const steps = await runDemo({ emulator: emu, onStep: (s) => seen.push(s.title) });
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
    expect(steps[11].bundle["text/plain"]).toMatch(/Concurrent listTargets\(\) during the rotation: \d+ succeeded, 0 failed\./);

    const everything = JSON.stringify(steps) + renderDemoReport(steps, "now");
    for (const key of [before.primary, before.secondary, after.primary, after.secondary]) {
      expect(everything).not.toContain(key.reveal());
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
    expect(stdout).toContain("Demo finished: 13 steps, no Azure subscription needed.");
    const page = readFileSync(html, "utf8");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).not.toMatch(/<script|<link|src="http/i);
    expect(page).toContain("Key rotation of emulator-ws");
  });
});
