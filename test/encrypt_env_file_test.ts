import { execFileSync } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { generateKeyPair } from "../src/config/dotenvx_crypto.ts";
import { loadConnection } from "../src/config/load_connection.ts";
import { fingerprint } from "../src/connection/secret.ts";
import { encryptEnvFile, EnvEncryptionReport } from "../src/encrypt_env_file.ts";
import { expectNoLeak, rejected } from "./connection/_leak.ts";
import { cs, KEY } from "./config/_load_fixtures.ts";
import { projectDir, VAR, writeEncryptedEnv } from "./config/_encrypted_env.ts";

const CLIENT_SECRET = "cl1ent~S3cret.value";
const CLEAR = `# my workspace\n${VAR}="${cs()}"  # from the portal\nLOCATION=eastus\n` +
  `AZURE_CLIENT_SECRET=${CLIENT_SECRET}\n`;
const noGit = { isIgnoredByGit: false as const };
const mode = (path: string) => statSync(path).mode & 0o777;

/** Everything a report exposes: fields, JSON, inspect, its bundle. */
function shown(report: EnvEncryptionReport): string {
  const bundle = report.toMimeBundle();
  return [
    JSON.stringify(report),
    inspect(report, { depth: 8, showHidden: true }),
    `${report}`,
    JSON.stringify(bundle),
  ].join("\n");
}

describe("encryptEnvFile()", () => {
  it("encrypts the secrets of the .env connect() reads; the private key goes to .env.keys first", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR, { mode: 0o600 });
    const report = await encryptEnvFile(undefined, { cwd: dir, env: {}, ...noGit });
    expect(report).toBeInstanceOf(EnvEncryptionReport);

    const keysFile = join(dir, ".env.keys");
    const text = readFileSync(env, "utf8");
    const vars = parse(text);
    const keys = parse(readFileSync(keysFile, "utf8"));
    expect(mode(keysFile)).toBe(0o600);
    expect(mode(env)).toBe(0o600);
    expect(report.toJSON()).toEqual({
      path: env,
      encrypted: [VAR, "AZURE_CLIENT_SECRET"],
      alreadyEncrypted: [],
      publicKeyName: "DOTENV_PUBLIC_KEY",
      publicKeyFingerprint: fingerprint(vars.DOTENV_PUBLIC_KEY!),
      privateKeyName: "DOTENV_PRIVATE_KEY",
      keysFile,
      privateKeySource: `DOTENV_PRIVATE_KEY in ${keysFile}`,
      warnings: [],
      nextSteps: [
        `Keep ${keysFile} out of git and back it up: it holds DOTENV_PRIVATE_KEY, the only key that decrypts .env.`,
        `In CI and on other machines, set DOTENV_PRIVATE_KEY as a secret environment variable (its value is in ${keysFile}); connect() reads it there.`,
        "The encrypted values of .env are safe to commit; check its clear values before you do.",
      ],
    });
    // The header on top, then every old line; only the two secrets' values changed.
    expect(text).toMatch(
      /^#\/-+\[DOTENV_PUBLIC_KEY\]-+\/\n(#.*\n){3}DOTENV_PUBLIC_KEY="0[23][0-9a-f]{64}"\n\n# \.env\n# my workspace\n/,
    );
    expect(text).toMatch(
      /\nAZURE_QUANTUM_CONNECTION_STRING='encrypted:[A-Za-z0-9+/=]+' {2}# from the portal\nLOCATION=eastus\nAZURE_CLIENT_SECRET='encrypted:[A-Za-z0-9+/=]+'\n$/,
    );
    for (const secret of [KEY, cs(), CLIENT_SECRET, keys.DOTENV_PRIVATE_KEY!]) {
      expect(text.includes(secret)).toBe(false);
      expect(shown(report).includes(secret)).toBe(false);
    }
    const info = loadConnection({ cwd: dir, env: {} });
    expect(info.apiKey?.reveal()).toBe(KEY);
    expect(info.sources.apiKey).toBe(`encrypted .env ${env} (${VAR})`);
  });

  it("renders a card that names what changed, the keys by fingerprint, and the next steps", async () => {
    const dir = projectDir();
    writeFileSync(join(dir, ".env"), CLEAR, { mode: 0o600 });
    const report = await encryptEnvFile(".env", { cwd: dir, env: {}, ...noGit });
    const text = report.toMimeBundle()["text/plain"];
    const keysFile = join(dir, ".env.keys");
    expect(text.split("\n").slice(0, 5)).toEqual([
      `Encrypted .env ${join(dir, ".env")}  [Encrypted]`,
      `Encrypted now: ${VAR}, AZURE_CLIENT_SECRET`,
      `Public key:    DOTENV_PUBLIC_KEY ${report.publicKeyFingerprint} (in the file)`,
      `Private key:   DOTENV_PRIVATE_KEY, new, written to ${keysFile}`,
      `Next:          Keep ${keysFile} out of git and back it up: it holds DOTENV_PRIVATE_KEY, the only key that decrypts .env.`,
    ]);
    expect(report.toMimeBundle()["text/html"]).toContain("Encrypted now");
    expect(`${report}`).toBe(text);
  });

  it("changes nothing the second time: the values are encrypted already", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR, { mode: 0o600 });
    await encryptEnvFile(env, { env: {}, ...noGit });
    const [text, keys] = [readFileSync(env, "utf8"), readFileSync(join(dir, ".env.keys"), "utf8")];
    const again = await encryptEnvFile(env, { env: {}, ...noGit });
    expect(again).toMatchObject({
      encrypted: [],
      alreadyEncrypted: [VAR, "AZURE_CLIENT_SECRET"],
      keysFile: undefined,
      privateKeySource: `DOTENV_PRIVATE_KEY in ${join(dir, ".env.keys")}`,
    });
    expect(again.toMimeBundle()["text/plain"]).toContain("[Unchanged]");
    const publicKey = await encryptEnvFile(env, {
      env: {},
      variables: ["DOTENV_PUBLIC_KEY"],
      ...noGit,
    });
    expect(publicKey.encrypted).toEqual([]); // never its own public key
    expect(readFileSync(env, "utf8")).toBe(text);
    expect(readFileSync(join(dir, ".env.keys"), "utf8")).toBe(keys);
  });

  it('encrypts every value with variables: "all", and only the named ones with a list', async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR, { mode: 0o600 });
    const some = await encryptEnvFile(env, { env: {}, variables: ["LOCATION"], ...noGit });
    expect(some.encrypted).toEqual(["LOCATION"]);
    expect(parse(readFileSync(env, "utf8"))[VAR]).toBe(cs());
    const all = await encryptEnvFile(env, { env: {}, variables: "all", ...noGit });
    expect(all).toMatchObject({
      encrypted: [VAR, "AZURE_CLIENT_SECRET"],
      alreadyEncrypted: ["LOCATION"],
    });
    const vars = parse(readFileSync(env, "utf8"));
    expect(Object.keys(vars).filter((n) => !vars[n]!.startsWith("encrypted:"))).toEqual([
      "DOTENV_PUBLIC_KEY",
    ]);
    expect(loadConnection({ cwd: dir, env: {} }).location).toBe("eastus");
  });

  it("uses DOTENV_PRIVATE_KEY from the environment instead of making a pair", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR, { mode: 0o600 });
    const pair = generateKeyPair();
    const report = await encryptEnvFile(env, {
      env: { DOTENV_PRIVATE_KEY: pair.privateKey.reveal() },
      ...noGit,
    });
    expect(report).toMatchObject({
      keysFile: undefined,
      publicKeyFingerprint: fingerprint(pair.publicKey),
      privateKeySource: "the DOTENV_PRIVATE_KEY environment variable",
      nextSteps: [
        "In CI and on other machines, set DOTENV_PRIVATE_KEY as a secret environment variable; connect() reads it there.",
        "The encrypted values of .env are safe to commit; check its clear values before you do.",
      ],
    });
    expect(parse(readFileSync(env, "utf8")).DOTENV_PUBLIC_KEY).toBe(pair.publicKey);
    expect(shown(report).includes(pair.privateKey.reveal())).toBe(false);
  });

  it("leaves a .env without secrets as it is, and makes no key", async () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, "LOCATION=eastus\n", { mode: 0o644 });
    const report = await encryptEnvFile(env, { env: {}, ...noGit });
    expect(report).toMatchObject({
      encrypted: [],
      publicKeyName: undefined,
      warnings: [],
      nextSteps: [],
    });
    expect(report.toMimeBundle()["text/plain"]).toContain(
      "Private key:   none (the file is clear text)",
    );
    expect(readFileSync(env, "utf8")).toBe("LOCATION=eastus\n");
    expect(mode(env)).toBe(0o644);
  });
});

describe("encryptEnvFile() and git", () => {
  function gitRepo(ignore: string): string {
    const dir = projectDir();
    execFileSync("git", ["init", "-q", dir]);
    writeFileSync(join(dir, ".gitignore"), ignore);
    writeFileSync(join(dir, ".env"), CLEAR, { mode: 0o600 });
    return dir;
  }

  it("warns when .env.keys is not ignored by git", async () => {
    const dir = gitRepo(".env\n");
    const report = await encryptEnvFile(".env", { cwd: dir, env: {} });
    expect(report.warnings).toEqual([
      `${
        join(dir, ".env.keys")
      } is not ignored by git. Add ".env.keys" to .gitignore: it holds the private key that decrypts .env.`,
    ]);
    expect(report.toMimeBundle()["text/plain"]).toContain("Warnings:");
  });

  it("says nothing when .gitignore covers .env.keys", async () => {
    const dir = gitRepo(".env*\n");
    expect((await encryptEnvFile(".env", { cwd: dir, env: {} })).warnings).toEqual([]);
  });
});

describe("encryptEnvFile(): bad input", () => {
  it("EnvFileNotFound: a path that does not exist", async () => {
    const dir = projectDir();
    const e = await rejected(encryptEnvFile("nope.env", { cwd: dir }));
    expect(e).toMatchObject({
      name: "EnvFileError",
      code: "EnvFileNotFound",
      path: join(dir, "nope.env"),
    });
    expect(e.message).toBe(
      `Cannot encrypt .env: ${join(dir, "nope.env")} does not exist. Check the path`,
    );
  });

  it("EnvFileNotFound: no .env up to the repository root", async () => {
    const dir = projectDir();
    const e = await rejected(encryptEnvFile(undefined, { cwd: dir }));
    expect(e.message).toBe(
      `Cannot encrypt .env: no .env file was found (looked for ${
        join(dir, ".env")
      }). Pass the path of the file to encrypt`,
    );
  });

  it("DotenvxKeyPairMismatch: a DOTENV_PRIVATE_KEY that is not the file's, nothing changed", async () => {
    const dir = projectDir();
    const mine = generateKeyPair();
    const other = generateKeyPair();
    const env = writeEncryptedEnv(dir, { [VAR]: cs(), AZURE_CLIENT_SECRET: CLIENT_SECRET }, mine, {
      keys: false,
      encrypt: [VAR],
    });
    const before = readFileSync(env, "utf8");
    const e = await rejected(
      encryptEnvFile(env, { env: { DOTENV_PRIVATE_KEY: other.privateKey.reveal() }, ...noGit }),
    );
    expect(e).toMatchObject({ name: "EnvFileError", code: "DotenvxKeyPairMismatch", path: env });
    expect(e.message).toBe(
      `Cannot encrypt AZURE_CLIENT_SECRET for ${env}: the private key from the DOTENV_PRIVATE_KEY ` +
        "environment variable does not belong to DOTENV_PUBLIC_KEY in the file. Restore " +
        "DOTENV_PUBLIC_KEY from version control, or use the private key that belongs to it",
    );
    expectNoLeak(e, mine.privateKey.reveal(), other.privateKey.reveal(), CLIENT_SECRET, KEY);
    expect(readFileSync(env, "utf8")).toBe(before);
  });
});
