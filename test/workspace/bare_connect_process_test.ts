import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = `
const ws = await aq.connect();
const targets = await ws.listTargets();
console.log(JSON.stringify({ name: ws.info.workspaceName, emulator: ws.info.isEmulator, targets: targets.length, card: ws.toMimeBundle()["text/plain"] }));
`;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

// Only the emulator's env file variables (plus PATH): no NODE_EXTRA_CA_CERTS, no .env.
function childEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", NO_COLOR: "1", ...emu.revealEnv() };
}

describe("a process with only the emulator's env variables", () => {
  it("connects with a bare connect() in Node (dist build)", async () => {
    expect(existsSync(join(ROOT, "dist/mod.js")), "run `npm run build` first").toBe(true);
    const cwd = mkdtempSync(join(tmpdir(), "aqn-bare-"));
    const code = `const aq = await import(${JSON.stringify(join(ROOT, "dist/mod.js"))});${SCRIPT}`;
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", code], { cwd, env: childEnv() });
    const out = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(out).toMatchObject({ name: "emulator-ws", emulator: true });
    expect(out.targets).toBeGreaterThan(0);
    expect(stdout).not.toContain(emu.control.keys().primary.reveal());
  });

  it("connects with a bare connect() in Deno (TypeScript source)", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "aqn-bare-deno-"));
    const code = `import * as aq from ${JSON.stringify(join(ROOT, "mod.ts"))};${SCRIPT}`;
    const { stdout } = await run(join(ROOT, "node_modules/.bin/deno"), ["eval", "--config", join(ROOT, "deno.json"), code], {
      cwd,
      env: { ...childEnv(), DENO_TLS_CA_STORE: "system", DENO_NO_UPDATE_CHECK: "1" },
    });
    const out = JSON.parse(stdout.trim().split("\n").pop()!);
    expect(out).toMatchObject({ name: "emulator-ws", emulator: true });
    expect(out.targets).toBeGreaterThan(0);
  });
});
