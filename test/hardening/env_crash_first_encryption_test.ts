/**
 * A first encryption killed with SIGKILL never leaves an encrypted `.env` without its key: Deno
 * children run `encryptEnvFile` on one clear `.env` after another (each in its own folder) and are
 * killed at random moments. After every kill, each folder's `.env` is either exactly as it was
 * (clear; a `.env.keys` may already hold its key, which the next run reuses), or encrypted whole,
 * 0600, with the private key that decrypts it in the `.env.keys` beside it.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterAll, describe, expect, it } from "vitest";
import { decryptValue } from "../../src/config/dotenvx_crypto.ts";
import { encryptEnvFile } from "../../src/encrypt_env_file.ts";
import { Secret } from "../../src/connection/secret.ts";
import { crashValue, envText, VARIABLE } from "./_env_crash_shared.ts";
import { alive, random, start, within, type Writer } from "./_crash_pool.ts";

const KILLS = Number(process.env.CRASH_KILLS_FIRST ?? 40);
const FOLDERS = 400;
const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
const base = mkdtempSync(join(tmpdir(), "aqn-crash-first-"));
afterAll(() => {
  for (const proc of alive) proc.kill("SIGKILL");
  rmSync(base, { recursive: true, force: true });
});

const clear = (n: number) => envText(crashValue(n, n));

/** Checks folder `n`: untouched, or encrypted whole with its key beside it. Returns which. */
function check(n: number, where: string): "clear" | "encrypted" {
  const env = join(base, String(n), ".env");
  const text = readFileSync(env, "utf8");
  if (text === clear(n)) return "clear";
  const vars = parse(text);
  const keysFile = join(base, String(n), ".env.keys");
  expect(existsSync(keysFile), `${where}: folder ${n} encrypted without .env.keys`).toBe(true);
  const key = parse(readFileSync(keysFile, "utf8")).DOTENV_PRIVATE_KEY;
  expect(key, `${where}: folder ${n}: no DOTENV_PRIVATE_KEY`).toMatch(/^[0-9a-f]{64}$/);
  expect(vars[VARIABLE], `${where}: folder ${n}: not encrypted`).toMatch(/^encrypted:/);
  expect(decryptValue(new Secret(key!), vars[VARIABLE]!).reveal(), `${where}: folder ${n}`).toBe(
    crashValue(n, n),
  );
  expect(
    text.endsWith(
      `\n# .env\n${
        clear(n).replace(
          /^AZURE_QUANTUM_CONNECTION_STRING='[^']*'/m,
          `${VARIABLE}='${vars[VARIABLE]}'`,
        )
      }`,
    ),
    `${where}: folder ${n}: lines`,
  ).toBe(true);
  expect(statSync(env).mode & 0o777, where).toBe(0o600);
  expect(statSync(keysFile).mode & 0o777, where).toBe(0o600);
  return "encrypted";
}

describe("encryptEnvFile() under SIGKILL", () => {
  it(`never leaves an encrypted .env without its key: ${KILLS} kills (seed ${seed})`, async () => {
    for (let n = 0; n < FOLDERS; n++) {
      mkdirSync(join(base, String(n)));
      writeFileSync(join(base, String(n), ".env"), clear(n), { mode: 0o600 });
    }
    const next = random(seed);
    let from = 0;
    let c = 1;
    let keysFirst = 0;
    for (let kill = 1; kill <= KILLS && from < FOLDERS - 20; kill++) {
      const w: Writer = start(base, c++, ["first", String(from)]);
      const where = `kill ${kill} of ${KILLS}, writer ${w.c}, seed ${seed}`;
      await within(w.ready, 15_000, `${where}: starting Deno`);
      w.proc.stdin!.write("go\n");
      await within(w.firstWrite, 15_000, `${where}: first encryption`);
      await new Promise((r) => setTimeout(r, next() * 30));
      w.proc.kill("SIGKILL");
      await within(w.closed, 10_000, `${where}: exit after SIGKILL`);
      const last = w.done.at(-1)!;
      for (let n = from; n <= last; n++) expect(check(n, where), where).toBe("encrypted");
      // The folder in flight: untouched or whole; a key written before the kill counts.
      if (
        check(last + 1, where) === "clear" && existsSync(join(base, String(last + 1), ".env.keys"))
      ) {
        keysFirst++;
      }
      from = last + 1;
    }
    // The next run finishes a folder left clear, reusing a key a kill left in its .env.keys.
    const keysBefore = existsSync(join(base, String(from), ".env.keys"))
      ? readFileSync(join(base, String(from), ".env.keys"), "utf8")
      : undefined;
    const report = await encryptEnvFile(join(base, String(from), ".env"), {
      env: {},
      isIgnoredByGit: false,
    });
    expect(check(from, "after the kills")).toBe("encrypted");
    if (keysBefore !== undefined) {
      expect(report.keysFile).toBeUndefined();
      expect(readFileSync(join(base, String(from), ".env.keys"), "utf8")).toBe(keysBefore);
    }
    console.info(
      `[hardening] first encryption crash test: ${KILLS} SIGKILLs, ${from} files encrypted, never ` +
        `one without its key (${keysFirst} kills landed after .env.keys and before .env), seed ${seed}`,
    );
  }, 180_000);
});
