// Key rotation with an encrypted .env (dotenvx format): zero failed requests under a live loop, and
// the .env still encrypted afterwards, holding the new key, readable by connect() and by dotenvx.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "dotenv";
import type { Emulator } from "../../src/emulator/mod.ts";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { DotenvxEnvFile } from "../../src/config/dotenvx_env_file.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import { probeKey } from "../../src/keys/key_probe.ts";
import { NotApplied, RotationReport } from "../../src/keys/results.ts";
import { connect } from "../../src/connect.ts";
import {
  connectProject,
  expectNoSecrets,
  FAST_RETRY,
  rotateUnderLoop,
  secretsOf,
  startKeysEmulator,
} from "./_emulator.ts";
import { encryptedText, keysText, projectDir, VAR } from "../config/_encrypted_env.ts";
import { runDotenvx } from "../config/_dotenvx.ts";

let emu: Emulator;
const FAST = { graceMs: 100, pollIntervalMs: 50, waitTimeoutMs: 5000 };
const pair = generateKeyPair();

beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());

/** A project whose .env holds the encrypted connection string between clear lines. */
function project(): { dir: string; envFile: string; before: string } {
  const dir = projectDir("aqn-rotate-enc-");
  const envFile = join(dir, ".env");
  const before = encryptedText(
    envFile,
    {
      FOO: "bar",
      [VAR]: emu.connectionString.reveal(),
      AZURE_QUANTUM_ARM_ENDPOINT: emu.armEndpoint,
      AZURE_QUANTUM_EMULATOR_CA: emu.caFile,
    },
    pair,
    [VAR],
  );
  writeFileSync(envFile, before, { mode: 0o600 });
  writeFileSync(join(dir, ".env.keys"), keysText(envFile, pair), { mode: 0o600 });
  return { dir, envFile, before };
}

function storedKey(envFile: string) {
  const vars = parse(readFileSync(envFile, "utf8"));
  expect(vars[VAR]).toMatch(/^encrypted:/);
  const file = new DotenvxEnvFile(envFile, vars, { env: {} });
  return parseConnectionString(file.decrypt(VAR).reveal()).apiKey!;
}

describe("KeyManager.rotate() with an encrypted .env", () => {
  it("rotates with zero failed requests; the .env stays encrypted and holds the new key", async () => {
    const { dir, envFile, before } = project();
    const ws = await connectProject(dir);
    expect(ws.info.sources.apiKey).toBe(`encrypted .env ${envFile} (${VAR})`);
    expect(ws.info.decryption?.privateKeyFingerprint).toBe(pair.privateKey.fingerprint);
    const old = emu.control.keys();

    const { report, ok, failures } = await rotateUnderLoop(ws, { confirm: true, ...FAST });
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(3);
    expect(report).toBeInstanceOf(RotationReport);
    const r = report as RotationReport;
    expect(r.completed).toBe(true);
    expect(r.envFiles).toEqual([envFile]);
    expect(r.warnings).toEqual([]);

    const now = emu.control.keys();
    expect(now.primary.equals(old.primary)).toBe(false);
    expect(storedKey(envFile).equals(now.primary)).toBe(true);
    const after = readFileSync(envFile, "utf8");
    const others = (t: string) => t.split("\n").filter((l) => !l.startsWith(`${VAR}=`));
    expect(others(after)).toEqual(others(before));
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    for (const secret of [...secretsOf(emu), old.primary.reveal(), pair.privateKey.reveal()]) {
      expect(after.includes(secret), "clear secret in the .env").toBe(false);
    }
    expect(await probeKey(ws, old.primary)).toBe("rejected");

    // Read back by a new connect() and by the dotenvx CLI itself.
    const again = await connectProject(dir);
    expect(again.liveKey!.key.equals(now.primary)).toBe(true);
    const got = await runDotenvx(dir, ["get", VAR, "-f", ".env"]);
    expect(parseConnectionString(got.stdout.trim()).apiKey!.equals(now.primary)).toBe(true);
    expectNoSecrets([...secretsOf(emu), pair.privateKey.reveal()], r, ws, again);
  });

  it("regenerate() sees which key the encrypted .env holds, and refuses to revoke it", async () => {
    const { dir, envFile } = project();
    const ws = await connectProject(dir);
    const keys = emu.control.keys();
    const other = await connect({ // a kernel on the secondary key: only the .env uses the primary
      connectionString: emu.connectionString.reveal().replace(
        keys.primary.reveal(),
        keys.secondary.reveal(),
      ),
      env: emu.revealEnv(),
      envFile: false,
      retry: FAST_RETRY,
      progress: false,
    });
    const r = await other.keys.regenerate("primary", { confirm: true, envFile });
    expect(r).toBeInstanceOf(NotApplied);
    expect((r as NotApplied).toMimeBundle()["text/plain"]).toContain(
      `${envFile} holds the primary key`,
    );
    expect(ws.info.decryption).toBeDefined();
  });
});
