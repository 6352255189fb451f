/**
 * Crash-safe `.env`: a Deno child updates a `.env` with `updateEnvFile` in a tight loop and is
 * killed with SIGKILL at random moments, 200 times, for a clear-text `.env` and for an encrypted one
 * (dotenvx format, the private key in `.env.keys` beside it); then the clear-text file with the
 * shared private-file writer alone (which writes the emulator's state and env files), 100 times.
 * After every kill the file parses,
 * holds the old or the new value (the encrypted file: a ciphertext that decrypts to one of them,
 * never clear text), keeps every other line byte for byte, and is mode 0600; a temp file a kill
 * leaves behind is removed by the next write.
 */
import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterAll, describe, expect, it } from "vitest";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { decryptValue, encryptValue, generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { crashValue, encryptedEnvText, envText, INITIAL, VARIABLE } from "./_env_crash_shared.ts";
import { alive, random, start, within, type Writer } from "./_crash_pool.ts";
import { keysText } from "../config/_encrypted_env.ts";

const KILLS = Number(process.env.CRASH_KILLS ?? 200);
const POOL = 3;
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const dirs: string[] = [];
afterAll(() => {
  for (const proc of alive) proc.kill("SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Mode {
  /** The whole file when the variable's stored value is `stored`. */
  text(stored: string): string;
  /** The value `stored` stands for (decrypted when encrypted). */
  value(stored: string): string;
  /** The initial stored value. */
  initial: string;
  /** Kills land up to this long after the first update (an encrypted update takes longer). */
  windowMs: number;
}

const pair = generateKeyPair();
const MODES: Record<string, Mode> = {
  "clear-text": { text: envText, value: (s) => s, initial: INITIAL, windowMs: 12 },
  encrypted: {
    text: (stored) => encryptedEnvText(stored, pair.publicKey),
    value: (stored) => {
      expect(stored.startsWith("encrypted:"), "clear text in the encrypted .env").toBe(true);
      return decryptValue(pair.privateKey, stored).reveal();
    },
    initial: encryptValue(pair.publicKey, INITIAL),
    windowMs: 40,
  },
};

describe.each([
  ["updateEnvFile()", "clear-text", "update", KILLS],
  ["updateEnvFile()", "encrypted", "update", KILLS],
  ["writePrivateFile() (the emulator's state and env files)", "clear-text", "private", Math.ceil(KILLS / 2)],
] as const)("%s under SIGKILL, %s .env", (_, name, writer, KILLS) => {
  const mode = MODES[name]!;
  it(`survives ${KILLS} kills at random moments (seed ${seed})`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "aqn-crash-"));
    dirs.push(dir);
    const path = join(dir, ".env");
    const temps = () => readdirSync(dir).filter((f) => f.startsWith(".env.tmp-"));
    writeFileSync(path, mode.text(mode.initial));
    if (name === "encrypted") {
      writeFileSync(join(dir, ".env.keys"), keysText(path, pair), { mode: 0o600 });
    }
    chmodSync(path, 0o644); // the first write must also tighten it, crash or not
    const next = random(seed);
    const pool: Writer[] = [];
    let c = 1;
    for (let i = 0; i < POOL; i++) pool.push(start(path, c++, [writer]));
    let current = INITIAL;
    let leftBehind: string[] = [];
    let killsLeavingTemp = 0;
    let writes = 0;

    for (let kill = 1; kill <= KILLS; kill++) {
      const w = pool.shift()!;
      pool.push(start(path, c++, [writer]));
      const where = `kill ${kill} of ${KILLS}, writer ${w.c}, seed ${seed}`;
      await within(w.ready, 15_000, `${where}: starting Deno`);
      w.proc.stdin!.write("go\n");
      await within(w.firstWrite, 15_000, `${where}: first update`);
      // A temp file the previous kill left behind is gone once the next write has run.
      expect(temps().filter((t) => leftBehind.includes(t)), `${where}: stale temp files`).toEqual(
        [],
      );
      const delay = next() * mode.windowMs;
      await new Promise((r) => setTimeout(r, delay));
      w.proc.kill("SIGKILL");
      await within(w.closed, 10_000, `${where}: exit after SIGKILL`);

      const last = w.done.at(-1)!;
      writes += w.done.length;
      const text = readFileSync(path, "utf8");
      const stored = parse(text)[VARIABLE]!;
      const value = mode.value(stored);
      // The update in flight either landed whole or not at all.
      const allowed = [crashValue(w.c, last), crashValue(w.c, last + 1)];
      expect(allowed.includes(value), `${where}: value after kill is neither old nor new`).toBe(
        true,
      );
      expect(text === mode.text(stored), `${where}: other lines changed`).toBe(true);
      expect(statSync(path).mode & 0o777, where).toBe(0o600);
      current = value;
      leftBehind = temps();
      expect(leftBehind.every((t) => t.startsWith(`.env.tmp-${w.proc.pid}-`)), where).toBe(true);
      if (leftBehind.length) killsLeavingTemp++;
    }

    // The next write (here, in this process) removes what the last kill left behind.
    await updateEnvFile(path, VARIABLE, current, { isIgnoredByGit: false, env: {} });
    expect(temps()).toEqual([]);
    const text = readFileSync(path, "utf8");
    expect(mode.value(parse(text)[VARIABLE]!)).toBe(current);
    expect(text).toBe(mode.text(parse(text)[VARIABLE]!));
    for (const w of pool) w.proc.kill("SIGKILL");
    console.info(
      `[hardening] ${name} .env crash test, ${
        writer === "private" ? "private-file writer" : "updateEnvFile"
      }: ${KILLS} SIGKILLs survived (${writes} completed updates; ` +
        `${killsLeavingTemp} kills left a temp file, each removed by the next write), seed ${seed}`,
    );
  }, 180_000);
});
