/**
 * `.env` updates across processes (issue 13, finding 7): two processes each set their own variable
 * 100 times in one file, and neither update is lost, in a clear-text and in an encrypted `.env`
 * (issue 17's writes go through the same lock); two processes encrypting two files of one folder
 * for the first time both keep their private key in the shared `.env.keys` (its own lock); a lock
 * left by a dead or silent holder is taken over, a live one is waited for.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, promises as fsPromises, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "dotenv";
import { afterAll, describe, expect, it, vi } from "vitest";
import { isEnvFileError, updateEnvFile } from "../../mod.ts";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { DotenvxEnvFile } from "../../src/config/dotenvx_env_file.ts";
import { encryptedText, keysText } from "../config/_encrypted_env.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const DENO = join(ROOT, "node_modules/.bin/deno");
const CHILD = join(ROOT, "test/hardening/_env_update_child.ts");
const dir = mkdtempSync(join(tmpdir(), "aqn-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writer(path: string, variable: string, count: number, ...more: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(DENO, ["run", "-A", "--quiet", CHILD, path, variable, String(count), ...more], {
      cwd: ROOT,
      // No private key from this process's environment: the children use .env.keys.
      env: { ...process.env, NO_COLOR: "1", DOTENV_PRIVATE_KEY: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.on(
      "close",
      (code) => code === 0 ? done() : fail(new Error(`writer ${variable} exited ${code}: ${out}`)),
    );
  });
}

describe(".env updates across processes", () => {
  it(
    "two processes updating different variables 100 times each lose nothing (3 runs)",
    async () => {
      for (let run = 0; run < 3; run++) {
        const path = join(dir, `run${run}.env`);
        writeFileSync(path, "# shared\nKEEP=me\n", { mode: 0o600 });
        await Promise.all([writer(path, "FIRST", 100), writer(path, "SECOND", 100)]);
        const vars = parse(readFileSync(path, "utf8"));
        expect(vars, `run ${run}`).toEqual({ KEEP: "me", FIRST: "v99", SECOND: "v99" });
      }
    },
    120_000,
  );

  it(
    "an encrypted .env: two processes updating different variables 50 times each lose nothing, and write no clear text",
    async () => {
      const pair = generateKeyPair();
      const path = join(dir, ".env.encrypted");
      writeFileSync(path, encryptedText(path, { KEEP: "me" }, pair), { mode: 0o600 });
      writeFileSync(join(dir, ".env.keys"), keysText(path, pair), { mode: 0o600 });
      await Promise.all([writer(path, "FIRST", 50), writer(path, "SECOND", 50)]);
      const vars = parse(readFileSync(path, "utf8"));
      for (const name of ["FIRST", "SECOND"]) expect(vars[name]).toMatch(/^encrypted:/);
      const file = new DotenvxEnvFile(path, vars, { env: {} });
      expect(["KEEP", "FIRST", "SECOND"].map((n) => file.decrypt(n).reveal())).toEqual(["me", "v49", "v49"]);
    },
    120_000,
  );

  it(
    "two processes encrypting .env.one and .env.two of the same folders: .env.keys keeps both private keys (20 folders)",
    async () => {
      const root = join(dir, "first-encryption");
      const folders = 20;
      for (let i = 0; i < folders; i++) {
        mkdirSync(join(root, String(i)), { recursive: true });
        for (const name of [".env.one", ".env.two"]) {
          writeFileSync(join(root, String(i), name), "AZURE_CLIENT_SECRET=s3cret-of-" + name + "\n", {
            mode: 0o600,
          });
        }
      }
      await Promise.all([writer(root, "encrypt", folders, ".env.one"), writer(root, "encrypt", folders, ".env.two")]);
      for (let i = 0; i < folders; i++) {
        const keys = parse(readFileSync(join(root, String(i), ".env.keys"), "utf8"));
        expect(Object.keys(keys).sort(), `folder ${i}`).toEqual(["DOTENV_PRIVATE_KEY_ONE", "DOTENV_PRIVATE_KEY_TWO"]);
        for (const name of [".env.one", ".env.two"]) {
          const path = join(root, String(i), name);
          const file = new DotenvxEnvFile(path, parse(readFileSync(path, "utf8")), { env: {} });
          expect(file.decrypt("AZURE_CLIENT_SECRET").reveal()).toBe("s3cret-of-" + name);
        }
      }
    },
    120_000,
  );

  it("takes over a lock whose holder died, or that nobody refreshed", async () => {
    const path = join(dir, "stale.env");
    const lock = join(dir, ".stale.env.lock.env");
    writeFileSync(path, "A=1\n");
    const holder = (pid: number) =>
      JSON.stringify({ pid, host: hostname(), since: "then", nonce: "n" });
    writeFileSync(lock, holder(2147483646)); // no such process
    let t0 = Date.now();
    await updateEnvFile(path, "B", "2", { isIgnoredByGit: false, lockTimeoutMs: 2000 });
    expect(Date.now() - t0).toBeLessThan(1500);

    writeFileSync(lock, holder(process.ppid)); // alive, but silent for a minute
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    t0 = Date.now();
    await updateEnvFile(path, "C", "3", { isIgnoredByGit: false, lockTimeoutMs: 2000 });
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(parse(readFileSync(path, "utf8"))).toEqual({ A: "1", B: "2", C: "3" });
  });

  it("waits for a live holder, and says who holds it when it gives up", async () => {
    const path = join(dir, "held.env");
    const lock = join(dir, ".held.env.lock.env");
    writeFileSync(path, "A=1\n");
    writeFileSync(
      lock,
      JSON.stringify({ pid: process.ppid, host: hostname(), since: "2026-01-01", nonce: "x" }),
    );
    const e = await updateEnvFile(path, "B", "2", { isIgnoredByGit: false, lockTimeoutMs: 300 })
      .then(() => undefined, (x) => x);
    expect(isEnvFileError(e)).toBe(true);
    expect(e.message).toBe(
      `Cannot lock ${path}: another process (pid ${process.ppid} since 2026-01-01) has held it ` +
        `for over 0 s. Wait for it to finish, or remove ${lock} if no such process runs`,
    );
    expect(readFileSync(path, "utf8")).toBe("A=1\n");
    rmSync(lock);
  });
});

it("takes over an empty lock file (a writer killed between creating and filling it)", async () => {
  const path = join(dir, "empty.env");
  const lock = join(dir, ".empty.env.lock.env");
  writeFileSync(path, "A=1\n");
  writeFileSync(lock, "");
  const old = new Date(Date.now() - 3000);
  utimesSync(lock, old, old);
  const t0 = Date.now();
  await updateEnvFile(path, "B", "2", { isIgnoredByGit: false, lockTimeoutMs: 5000 });
  expect(Date.now() - t0).toBeLessThan(1500);
  expect(parse(readFileSync(path, "utf8"))).toEqual({ A: "1", B: "2" });
});

it("times out, naming the lock file and the error, on a stale lock it cannot remove", async () => {
  const path = join(dir, "stuck.env");
  const lock = join(dir, ".stuck.env.lock.env");
  writeFileSync(path, "A=1\n");
  writeFileSync(lock, "");
  const old = new Date(Date.now() - 60_000);
  utimesSync(lock, old, old);
  // A file system that refuses to move the lock (EPERM), as a folder the user cannot write does.
  const real = fsPromises.rename;
  let attempts = 0;
  const rename = vi.spyOn(fsPromises, "rename").mockImplementation((from, to) => {
    if (!String(from).endsWith(".lock.env")) return real(from, to);
    attempts++;
    return Promise.reject(Object.assign(new Error("operation not permitted"), { code: "EPERM" }));
  });
  try {
    const t0 = Date.now();
    const e = await updateEnvFile(path, "B", "2", { isIgnoredByGit: false, lockTimeoutMs: 500 })
      .then(() => undefined, (x) => x);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(isEnvFileError(e) && e.code).toBe("EnvFileWriteFailed");
    expect(e.message).toBe(
      `Cannot lock ${path}: the stale lock file ${lock} cannot be removed (EPERM). ` +
        "Remove it by hand, or make its folder writable",
    );
    expect(attempts).toBeGreaterThan(0);
    expect(attempts).toBeLessThan(50); // with backoff, not a busy loop
  } finally {
    rename.mockRestore();
  }
  expect(readFileSync(path, "utf8")).toBe("A=1\n");
  rmSync(lock);
});
