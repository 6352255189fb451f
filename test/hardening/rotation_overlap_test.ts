/**
 * Overlapping rotations (issue 13, finding 4): two kernels (two real processes) rotate the key of
 * one workspace, using one `.env`, 100 to 200 ms apart, against one emulator, several times. The
 * `.env` never ends on a dead key, and each kernel ends on a key that works: after a completed
 * rotation, or a `RotationError` that names the working key by slot and fingerprint.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, parseConnectionString } from "../../mod.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { startKeysEmulator } from "../keys/_emulator.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DENO = join(ROOT, "node_modules/.bin/deno");
const CHILD = join(ROOT, "test/hardening/_rotate_child.ts");
const RUNS = Number(process.env.ROTATION_RUNS ?? 4);
const dir = mkdtempSync(join(tmpdir(), "aqn-overlap-"));
let emu: Emulator;
beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(async () => {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  rotated: boolean;
  error?: string;
  message?: string;
  endFingerprint: string;
  worksAfter: boolean;
}

function kernel(envFile: string, tmp?: string): Promise<Outcome> {
  const { IDENTITY_ENDPOINT, IDENTITY_HEADER } = emu.revealEnv();
  return new Promise((done, fail) => {
    const child = spawn(DENO, ["run", "-A", "--quiet", CHILD, envFile], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NO_COLOR: "1",
        IDENTITY_ENDPOINT,
        IDENTITY_HEADER,
        ...(tmp ? { TMPDIR: tmp } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (err += c));
    child.on("close", (code) => {
      try {
        done(JSON.parse(out.trim().split("\n").at(-1)!) as Outcome);
      } catch {
        fail(new Error(`kernel exited ${code} without a result: ${err.slice(0, 2000)}`));
      }
    });
  });
}

// Two kernels on one .env, the second started 100–200 ms after the first; `tmp` gives each its own
// temp folder (so no shared rotation lock: like two machines sharing a .env on a network drive).
async function overlap(label: string, runs: number, separateLocks: boolean) {
  const outcomes: Outcome[] = [];
  for (let run = 0; run < runs; run++) {
    const project = join(dir, `${label}${run}`);
    mkdirSync(join(project, ".git"), { recursive: true });
    const envFile = join(project, ".env");
    const { IDENTITY_ENDPOINT: _e, IDENTITY_HEADER: _h, ...vars } = emu.revealEnv();
    writeFileSync(
      envFile,
      `# shared by two kernels\n${
        Object.entries(vars).map(([k, v]) => `${k}='${v}'`).join("\n")
      }\n`,
      { mode: 0o600 },
    );
    const tmp = (name: string) => {
      if (!separateLocks) return undefined;
      mkdirSync(join(project, name), { mode: 0o700 });
      return join(project, name);
    };
    const first = kernel(envFile, tmp("tmp1"));
    await new Promise((r) => setTimeout(r, 100 + Math.random() * 100));
    const second = kernel(envFile, tmp("tmp2"));
    const both = await Promise.all([first, second]);
    outcomes.push(...both);

    const where = `run ${run}: ${JSON.stringify(both)}`;
    // The .env holds a key the data plane accepts: a new kernel connects with it.
    const text = parse(readFileSync(envFile, "utf8")).AZURE_QUANTUM_CONNECTION_STRING!;
    const key = parseConnectionString(text).apiKey!;
    const keys = emu.control.keys();
    expect([keys.primary.fingerprint, keys.secondary.fingerprint], where).toContain(
      key.fingerprint,
    );
    const fresh = await connect({ envFile, env: {}, progress: false });
    await expect(fresh.listTargets(), where).resolves.toBeDefined();
    for (const o of both) {
      expect(o.worksAfter, where).toBe(true);
      if (!o.rotated) {
        expect(o.error, where).toBe("RotationError");
        expect(o.message, where).toMatch(
          new RegExp(`use[s]? the (primary|secondary) key ${o.endFingerprint}, which works`),
        );
      }
    }
  }
  return outcomes;
}

describe("two kernels rotating one workspace 100–200 ms apart", () => {
  it(`never leave a dead .env (${RUNS} runs)`, async () => {
    const outcomes = await overlap("p", RUNS, false);
    console.info(
      `[hardening] overlapping rotations: ${RUNS} runs of two kernels, ` +
        `${outcomes.filter((o) => o.rotated).length} rotations completed, ` +
        `${outcomes.filter((o) => !o.rotated).length} stopped on a verified key; no dead .env`,
    );
  }, 180_000);

  it(`with no shared lock (each kernel its own temp folder) never leave a dead .env either (${RUNS} runs)`, async () => {
    const outcomes = await overlap("q", RUNS, true);
    console.info(
      `[hardening] overlapping rotations without a shared lock: ${RUNS} runs of two kernels, ` +
        `${outcomes.filter((o) => o.rotated).length} rotations completed, ` +
        `${outcomes.filter((o) => !o.rotated).length} stopped on a verified key; no dead .env`,
    );
  }, 180_000);
});
