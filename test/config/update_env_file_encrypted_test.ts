import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { rename } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { DotenvxEnvFile } from "../../src/config/dotenvx_env_file.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { Secret } from "../../src/connection/secret.ts";
import { expectNoLeak, rejected } from "../connection/_leak.ts";
import { cs, KEY, KEY2 } from "./_load_fixtures.ts";
import { encryptedText, projectDir, VAR, writeEncryptedEnv } from "./_encrypted_env.ts";

const mine = generateKeyPair();
const other = generateKeyPair();
const NEW = cs({ key: KEY2 });
const noGit = { isIgnoredByGit: false as const };
const mode = (path: string) => statSync(path).mode & 0o777;
const SECRETS = [mine.privateKey.reveal(), other.privateKey.reveal(), KEY, KEY2, cs(), NEW];

/** The file's value of `name`, decrypted with `key`. */
function decrypted(path: string, name = VAR, key = mine.privateKey): string {
  const vars = parse(readFileSync(path, "utf8"));
  return new DotenvxEnvFile(path, vars, { privateKey: key, env: {} }).decrypt(name).reveal();
}

describe("updateEnvFile() on an encrypted .env", () => {
  it("encrypts the new value for the file's public key; every other line stays byte for byte", async () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { FOO: "bar", [VAR]: cs(), LAST: "x" }, mine, {
      encrypt: [VAR],
    });
    const before = readFileSync(env, "utf8");
    const result = await updateEnvFile(env, VAR, new Secret(NEW), noGit);
    expect(result).toEqual({ path: env, created: false, warnings: [], encrypted: true });
    const after = readFileSync(env, "utf8");
    expect(decrypted(env)).toBe(NEW);
    const changed = after.split("\n").filter((line, i) => line !== before.split("\n")[i]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^AZURE_QUANTUM_CONNECTION_STRING='encrypted:[A-Za-z0-9+/=]+'$/);
    expect(mode(env)).toBe(0o600);
    for (const secret of SECRETS) expect(after.includes(secret)).toBe(false);
  });

  it("encrypts into a file that declares DOTENV_PUBLIC_KEY but holds no encrypted value yet", async () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { LOCATION: "eastus" }, mine, { encrypt: [] });
    const result = await updateEnvFile(env, VAR, NEW, noGit);
    expect(result.encrypted).toBe(true);
    expect(parse(readFileSync(env, "utf8"))[VAR]).toMatch(/^encrypted:/);
    expect(decrypted(env)).toBe(NEW);
  });

  it("encrypts with the public key alone on a machine without the private key (as dotenvx allows)", async () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine, { keys: false });
    await updateEnvFile(env, VAR, NEW, { ...noGit, env: {} });
    expect(decrypted(env)).toBe(NEW);
  });

  it("warns when .env.keys beside it is not ignored by git, not about the encrypted .env", async () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine);
    const asked: string[] = [];
    const result = await updateEnvFile(env, VAR, NEW, {
      env: {},
      isIgnoredByGit: (p) => (asked.push(p), Promise.resolve(false)),
    });
    expect(asked).toEqual([join(dir, ".env.keys")]);
    expect(result.warnings).toEqual([
      `${
        join(dir, ".env.keys")
      } is not ignored by git. Add ".env.keys" to .gitignore: it holds the private key that decrypts .env.`,
    ]);
  });

  it("keeps a clear-text file clear unless asked", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, `${VAR}='${cs()}'\n`, { mode: 0o600 });
    const result = await updateEnvFile(env, VAR, NEW, noGit);
    expect(result).toEqual({ path: env, created: false, warnings: [] });
    expect(readFileSync(env, "utf8")).toBe(`${VAR}='${NEW}'\n`);
    expect(existsSync(join(dir, ".env.keys"))).toBe(false);
  });
});

describe("updateEnvFile() with encrypt: true on a clear-text or new file", () => {
  it("writes the private key to .env.keys (0600) first, then the header and the encrypted value", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    const before = `# settings\nFOO=bar\n${VAR}='${cs()}'   # key\n`;
    writeFileSync(env, before, { mode: 0o600 });
    const renamed: string[] = [];
    const result = await updateEnvFile(env, VAR, NEW, {
      ...noGit,
      env: {},
      encrypt: true,
      fs: { rename: (from, to) => (renamed.push(String(to)), rename(from, to)) },
    });
    const keysFile = join(dir, ".env.keys");
    expect(result).toEqual({ path: env, created: false, warnings: [], encrypted: true, keysFile });
    expect(renamed).toEqual([keysFile, env]);
    expect(mode(keysFile)).toBe(0o600);
    const keys = readFileSync(keysFile, "utf8");
    expect(keys).toMatch(/^#\/-+!DOTENV_PRIVATE_KEYS!-+\/\n/);
    expect(keys).toMatch(/\n# \.env\nDOTENV_PRIVATE_KEY=[0-9a-f]{64}\n$/);
    const after = readFileSync(env, "utf8");
    expect(after).toMatch(/^#\/-+\[DOTENV_PUBLIC_KEY\]-+\/\n/);
    expect(after).toMatch(
      /\nDOTENV_PUBLIC_KEY="0[23][0-9a-f]{64}"\n\n# \.env\n# settings\nFOO=bar\n/,
    );
    expect(after).toMatch(
      /\nAZURE_QUANTUM_CONNECTION_STRING='encrypted:[A-Za-z0-9+/=]+' {3}# key\n$/,
    );
    for (const secret of SECRETS) expect(after.includes(secret)).toBe(false);
    const info = loadConnection({ cwd: dir, env: {} });
    expect(info.apiKey?.reveal()).toBe(KEY2);
    expect(info.decryption?.privateKeySource).toBe(`DOTENV_PRIVATE_KEY in ${keysFile}`);
  });

  it("creates a new .env.<name> encrypted, with its own key name in .env.keys", async () => {
    const dir = projectDir();
    writeFileSync(join(dir, ".env.keys"), "# other keys\nDOTENV_PRIVATE_KEY_CI=abc\n", {
      mode: 0o600,
    });
    const env = join(dir, ".env.shared");
    const result = await updateEnvFile(env, VAR, NEW, { ...noGit, env: {}, encrypt: true });
    expect(result).toMatchObject({
      created: true,
      encrypted: true,
      keysFile: join(dir, ".env.keys"),
    });
    const keys = readFileSync(join(dir, ".env.keys"), "utf8");
    expect(keys).toMatch(
      /^# other keys\nDOTENV_PRIVATE_KEY_CI=abc\n\n# \.env\.shared\nDOTENV_PRIVATE_KEY_SHARED=[0-9a-f]{64}\n$/,
    );
    expect(parse(readFileSync(env, "utf8")).DOTENV_PUBLIC_KEY_SHARED).toMatch(
      /^0[23][0-9a-f]{64}$/,
    );
    const key = parse(keys).DOTENV_PRIVATE_KEY_SHARED!;
    expect(decrypted(env, VAR, new Secret(key))).toBe(NEW);
  });

  it("uses DOTENV_PRIVATE_KEY from the environment instead of making a pair (as dotenvx encrypt)", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, `${VAR}='${cs()}'\n`);
    const result = await updateEnvFile(env, VAR, NEW, {
      ...noGit,
      env: { DOTENV_PRIVATE_KEY: mine.privateKey.reveal() },
      encrypt: true,
    });
    expect(result.keysFile).toBeUndefined();
    expect(existsSync(join(dir, ".env.keys"))).toBe(false);
    expect(parse(readFileSync(env, "utf8")).DOTENV_PUBLIC_KEY).toBe(mine.publicKey);
    expect(decrypted(env)).toBe(NEW);
  });

  it("a failed .env write leaves the .env clear; the next write reuses the key already in .env.keys", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    const before = `${VAR}='${cs()}'\n`;
    writeFileSync(env, before);
    const failing = {
      rename: (from: unknown, to: unknown) =>
        String(to) === env
          ? Promise.reject(Object.assign(new Error("disk full"), { code: "ENOSPC" }))
          : rename(String(from), String(to)),
    };
    const e = await rejected(
      updateEnvFile(env, VAR, NEW, { ...noGit, env: {}, encrypt: true, fs: failing }),
    );
    expect(e).toMatchObject({ code: "EnvFileWriteFailed" });
    expect(readFileSync(env, "utf8")).toBe(before);
    const keys = readFileSync(join(dir, ".env.keys"), "utf8");
    await updateEnvFile(env, VAR, NEW, { ...noGit, env: {}, encrypt: true });
    expect(readFileSync(join(dir, ".env.keys"), "utf8")).toBe(keys);
    expect(decrypted(env, VAR, new Secret(parse(keys).DOTENV_PRIVATE_KEY!))).toBe(NEW);
  });
});

describe("updateEnvFile() on an encrypted .env: bad input leaves the file untouched", () => {
  async function expectRefused(env: string, options: object, code: string, message: string) {
    const before = readFileSync(env, "utf8");
    const e = await rejected(updateEnvFile(env, VAR, NEW, { ...noGit, ...options }));
    expect(e).toMatchObject({ name: "EnvFileError", code, path: env });
    expect(e.message).toBe(message);
    expectNoLeak(e, ...SECRETS);
    expect(readFileSync(env, "utf8")).toBe(before);
  }

  it("DotenvxKeyPairMismatch: the private key found is not the file's", async () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine, { keys: false });
    await expectRefused(
      env,
      { env: { DOTENV_PRIVATE_KEY: other.privateKey.reveal() } },
      "DotenvxKeyPairMismatch",
      `Cannot encrypt ${VAR} for ${env}: the private key from the DOTENV_PRIVATE_KEY ` +
        "environment variable does not belong to DOTENV_PUBLIC_KEY in the file. Restore " +
        "DOTENV_PUBLIC_KEY from version control, or use the private key that belongs to it",
    );
  });

  it("DotenvxPublicKeyMissing: encrypted values but no DOTENV_PUBLIC_KEY", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(
      env,
      encryptedText(env, { [VAR]: cs() }, mine).replace(/^DOTENV_PUBLIC_KEY=.*\n/m, ""),
    );
    await expectRefused(
      env,
      { env: {}, encrypt: true },
      "DotenvxPublicKeyMissing",
      `Cannot encrypt ${VAR} for ${env}: the file declares no DOTENV_PUBLIC_KEY but holds ` +
        "encrypted values. Restore the DOTENV_PUBLIC_KEY line that dotenvx wrote at the top of the " +
        "file (from version control)",
    );
    expect(existsSync(join(dir, ".env.keys"))).toBe(false);
  });

  it("DotenvxPublicKeyInvalid: a damaged DOTENV_PUBLIC_KEY", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(
      env,
      encryptedText(env, { [VAR]: cs() }, mine).replace(
        mine.publicKey,
        mine.publicKey.slice(0, 30),
      ),
    );
    await expectRefused(
      env,
      { env: {} },
      "DotenvxPublicKeyInvalid",
      `Cannot encrypt ${VAR} for ${env}: DOTENV_PUBLIC_KEY is not a secp256k1 public key ` +
        "(66 hex digits starting with 02 or 03). Restore the DOTENV_PUBLIC_KEY line that dotenvx " +
        "wrote, from version control",
    );
  });

  it("EnvFileWriteFailed: .env.keys cannot be written, so the .env is not encrypted", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, `${VAR}='${cs()}'\n`);
    const keysFile = join(dir, ".env.keys");
    const failing = {
      rename: (from: unknown, to: unknown) =>
        String(to) === keysFile
          ? Promise.reject(Object.assign(new Error("denied"), { code: "EACCES" }))
          : rename(String(from), String(to)),
    };
    const before = readFileSync(env, "utf8");
    const e = await rejected(
      updateEnvFile(env, VAR, NEW, { ...noGit, env: {}, encrypt: true, fs: failing }),
    );
    expect(e).toMatchObject({ name: "EnvFileError", code: "EnvFileWriteFailed", path: keysFile });
    expect(e.message).toBe(
      `Cannot encrypt .env: writing its private key to ${keysFile} failed (EACCES); nothing was ` +
        "changed. Check the folder's permissions and free space, then try again",
    );
    expect(readFileSync(env, "utf8")).toBe(before);
    expect(existsSync(keysFile)).toBe(false);
  });
});
