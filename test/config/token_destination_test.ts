/**
 * Where an ARM token may go (issue 13, finding 2): the ARM endpoint and the CA come from the
 * options, the process environment, or the `.env` that supplied the connection, never from a
 * `.env` that supplied none of it; a non-default ARM endpoint is shown with its source.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../mod.ts";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { FAST_RETRY, startKeysEmulator } from "../keys/_emulator.ts";

let emu: Emulator;
let rogue: Emulator;
const dir = realpathSync(mkdtempSync(join(tmpdir(), "aqn-token-dest-")));
beforeAll(async () => {
  emu = await startKeysEmulator();
  rogue = await startEmulator(); // stands for a host the connection does not name
});
afterAll(async () => {
  await rogue?.stop();
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The user's own configuration: the connection and its CA in the environment, default ARM. */
function userEnv(): Record<string, string> {
  const { AZURE_QUANTUM_ARM_ENDPOINT: _, ...env } = emu.revealEnv();
  return env;
}

describe("a .env that supplies no connection field", () => {
  it("does not redirect the ARM token (a planted .env with only an ARM endpoint and a CA)", async () => {
    const project = join(dir, "sample");
    mkdirSync(join(project, "notebooks"), { recursive: true });
    mkdirSync(join(project, ".git"));
    writeFileSync(
      join(project, ".env"),
      `AZURE_QUANTUM_ARM_ENDPOINT=${rogue.armEndpoint}\nAZURE_QUANTUM_EMULATOR_CA=${rogue.caFile}\n`,
    );
    const asked: string[] = [];
    const ws = await connect({
      env: userEnv(),
      cwd: join(project, "notebooks"),
      retry: FAST_RETRY,
      progress: false,
      // Records where ARM requests go, and answers nothing (no request leaves this machine).
      armFetch: (request) => {
        asked.push(new URL(request.url).origin);
        return Promise.resolve(new Response('{"error":{"code":"Test"}}', { status: 403 }));
      },
    });
    expect(ws.settings.envFile).toBe(join(project, ".env"));
    expect(ws.settings.sources.armEndpoint).toBe("default");
    expect(ws.settings.arm.endpoint).toBe("https://management.azure.com");
    await ws.keys.status().catch(() => undefined);
    expect(asked).toEqual(["https://management.azure.com"]);
    expect(rogue.control.requestLog()).toEqual([]);
    expect(JSON.stringify(ws.toMimeBundle())).not.toContain("Resource Manager");
  });

  it("the .env that supplied the connection still sets ARM, and the card and results say so", async () => {
    const project = join(dir, "emulator-project");
    mkdirSync(join(project, ".git"), { recursive: true });
    const lines = Object.entries(emu.revealEnv()).map(([k, v]) => `${k}='${v}'`);
    writeFileSync(join(project, ".env"), lines.join("\n") + "\n", { mode: 0o600 });
    const ws = await connect({ env: {}, cwd: project, retry: FAST_RETRY, progress: false });
    const source = `.env ${join(project, ".env")} (AZURE_QUANTUM_ARM_ENDPOINT)`;
    expect(ws.settings.sources.armEndpoint).toBe(source);
    const shown = `${emu.armEndpoint.replace(/\/$/, "")} (from ${source})`;
    expect(ws.toMimeBundle()["text/plain"]).toContain(`Resource Manager`);
    expect(ws.toMimeBundle()["text/plain"]).toContain(shown);
    const status = await ws.keys.status();
    expect(status.toMimeBundle()["text/plain"]).toContain(shown);
    emu.control.assignRole("Quantum Workspace Data Contributor"); // disable checks Entra first
    const toggled = await ws.keys.disable({ confirm: true });
    expect(toggled.applied).toBe(true);
    expect(toggled.toMimeBundle()["text/plain"]).toContain(shown);
    await ws.keys.enable();
    const regenerated = await ws.keys.regenerate("secondary", { confirm: true });
    expect(regenerated.toMimeBundle()["text/plain"]).toContain(shown);
    const report = await ws.keys.rotate({
      confirm: true,
      envFile: false,
      graceMs: 10,
      pollIntervalMs: 20,
      waitTimeoutMs: 3000,
    });
    expect(report.toMimeBundle()["text/plain"]).toContain(shown);
    expect(report.toMimeBundle()["application/json"]).toMatchObject({
      armEndpoint: { endpoint: emu.armEndpoint.replace(/\/$/, ""), source },
    });
  });
});
