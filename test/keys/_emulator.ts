import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { expect } from "vitest";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/mod.ts";
import { resetDefaultCredential } from "../../src/config/credential.ts";
import { connect, type ConnectOptions } from "../../src/connect.ts";
import type { NotApplied, RotationReport } from "../../src/keys/results.ts";
import type { RotateOptions } from "../../src/keys/rotate_keys.ts";
import type { Workspace } from "../../src/workspace/workspace.ts";
import { projectDir } from "../config/_encrypted_env.ts";

/** Fast retries for tests. */
export const FAST_RETRY = { baseDelayMs: 10, maxDelayMs: 50 };

/**
 * Starts an emulator whose managed-identity endpoint the real DefaultAzureCredential uses:
 * IDENTITY_ENDPOINT/IDENTITY_HEADER go into process.env before the credential is made.
 */
export async function startKeysEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emu = await startEmulator(options);
  const saved = [process.env.IDENTITY_ENDPOINT, process.env.IDENTITY_HEADER] as const;
  process.env.IDENTITY_ENDPOINT = emu.env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = emu.env.IDENTITY_HEADER.reveal();
  resetDefaultCredential();
  const stop = emu.stop.bind(emu);
  // Stopping also puts the identity variables back, so no other suite inherits them.
  Object.defineProperty(emu, "stop", {
    value: async () => {
      await stop();
      for (
        const [name, value] of [["IDENTITY_ENDPOINT", saved[0]], [
          "IDENTITY_HEADER",
          saved[1],
        ]] as const
      ) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      resetDefaultCredential();
    },
  });
  return emu;
}

/** A workspace on the emulator, configured only from `env` (no .env search). */
export function connectTo(emu: Emulator, options: ConnectOptions = {}): Promise<Workspace> {
  return connect({
    env: emu.revealEnv(),
    envFile: false,
    retry: FAST_RETRY,
    progress: false,
    ...options,
  });
}

/**
 * A project folder (a fresh one with `.git`, removed when the test ends) whose .env holds
 * `connection` as AZURE_QUANTUM_CONNECTION_STRING (written as given: quoted, or a Key Vault
 * reference) between other lines, and the emulator's ARM endpoint and CA. `before` is its text.
 */
export function emulatorProject(
  emu: Emulator,
  connection: string,
): { dir: string; envFile: string; before: string } {
  const dir = projectDir("aqn-project-");
  const envFile = join(dir, ".env");
  const before = `# notebook settings\nFOO=bar\n\nAZURE_QUANTUM_CONNECTION_STRING=${connection}\n` +
    `AZURE_QUANTUM_ARM_ENDPOINT=${emu.armEndpoint}\nAZURE_QUANTUM_EMULATOR_CA=${emu.caFile}\n# end\n`;
  writeFileSync(envFile, before, { mode: 0o600 });
  return { dir, envFile, before };
}

/** A workspace from the project folder `dir` alone: its .env, no process environment. */
export function connectProject(dir: string, options: ConnectOptions = {}): Promise<Workspace> {
  return connect({ cwd: dir, env: {}, retry: FAST_RETRY, progress: false, ...options });
}

/** The emulator's current secrets: both keys and both connection strings. */
export function secretsOf(emu: Emulator): string[] {
  const keys = emu.control.keys();
  return [keys.primary.reveal(), keys.secondary.reveal(), emu.connectionString.reveal()];
}

/**
 * A function giving every secret the emulator (`emu()`, read at each call) has held when it was
 * called, and `more`: a key regenerated away must not show up later either.
 */
export function secretsSeen(emu: () => Emulator, ...more: string[]): () => string[] {
  const seen = new Set(more);
  return () => {
    for (const s of secretsOf(emu())) seen.add(s);
    return [...seen];
  };
}

/**
 * `ws.keys.rotate(options)` while a loop calls `ws.listTargets()` every `intervalMs` on the same
 * workspace: the report, and how many loop calls succeeded and which failed.
 */
export async function rotateUnderLoop(
  ws: Workspace,
  options: RotateOptions,
  intervalMs = 50,
): Promise<{ report: RotationReport | NotApplied; ok: number; failures: unknown[] }> {
  let ok = 0;
  const failures: unknown[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      await ws.listTargets().then(() => ok++, (e) => failures.push(e));
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  let report: RotationReport | NotApplied;
  try {
    report = await ws.keys.rotate(options);
  } finally {
    running = false;
    await loop;
  }
  return { report, ok, failures };
}

/** Everything a value exposes: JSON, inspect, and for errors message, stack, own props and causes. */
export function exposed(value: unknown): string {
  const parts: string[] = [];
  let current: unknown = value;
  for (let depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    const e = current as Record<string, unknown>;
    parts.push(inspect(e, { depth: 8, showHidden: true }));
    try {
      parts.push(JSON.stringify(e));
    } catch {
      // circular: inspect covers it
    }
    if (e instanceof Error) {
      parts.push(String(e.message), String(e.stack));
      parts.push(
        JSON.stringify(Object.getOwnPropertyNames(e).map((k) => [k, inspect(e[k], { depth: 8 })])),
      );
    }
    if (typeof (e as { toMimeBundle?: unknown }).toMimeBundle === "function") {
      parts.push(JSON.stringify((e as { toMimeBundle(): unknown }).toMimeBundle()));
    }
    current = e instanceof Error ? e.cause : undefined;
  }
  return parts.join("\n");
}

/** Asserts no secret appears in anything `values` expose. */
export function expectNoSecrets(secrets: readonly string[], ...values: unknown[]): void {
  for (const value of values) {
    const text = exposed(value);
    for (const s of secrets) {
      expect(text.includes(s), `leaked a ${s.length}-char secret`).toBe(false);
    }
  }
}

/** The error `promise` rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection, none came");
}
