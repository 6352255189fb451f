// Files and values made by the real dotenvx (dev dependency @dotenvx/dotenvx: its CLI and its API)
// read by this module, and files made by this module read by dotenvx.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as dotenvParse } from "dotenv";
import { describe, expect, it } from "vitest";
import {
  addPublicKeyHeader,
  appendPrivateKeyEntry,
  dotenvxKeyNames,
} from "../../src/config/dotenvx.ts";
import { encryptValue, generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { DotenvxEnvFile } from "../../src/config/dotenvx_env_file.ts";
import { setEnvVariable } from "../../src/config/env_file_edit.ts";
import { updateEnvFile } from "../../src/config/update_env_file.ts";
import { dotenvx, runDotenvx, tempDir } from "./_dotenvx.ts";

const CONNECTION =
  "SubscriptionId=00000000-0000-0000-0000-000000000001;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=k3y/With+Base64==;QuantumEndpoint=https://eastus.quantum.azure.com/;";
const CLEAR: Record<string, string> = {
  AZURE_QUANTUM_CONNECTION_STRING: CONNECTION,
  LOCATION: "eastus",
  EMPTY: "",
  UNICODE: 'héllo ☃ "quoted"',
};
const CLEAR_TEXT = [
  "#!/usr/bin/env bash",
  "# my workspace",
  `AZURE_QUANTUM_CONNECTION_STRING='${CONNECTION}'`,
  "LOCATION=eastus # region",
  "",
  "EMPTY=",
  `UNICODE='${CLEAR.UNICODE}'`,
  "",
].join("\n");

function readVars(path: string): Record<string, string> {
  return dotenvParse(readFileSync(path, "utf8"));
}

function decryptAll(file: DotenvxEnvFile, names: string[]): Record<string, string> {
  return Object.fromEntries(names.map((name) => [name, file.decrypt(name).reveal()]));
}

/** Encrypts a clear file in place the way `dotenvx encrypt` does, with this module's functions. */
function encryptInPlace(path: string, fileName: string): string {
  const text = readFileSync(path, "utf8");
  const names = dotenvxKeyNames(path);
  const pair = generateKeyPair();
  let out = addPublicKeyHeader(text, {
    fileName,
    publicKeyName: names.publicKeyName,
    publicKey: pair.publicKey,
  });
  for (const [name, value] of Object.entries(dotenvParse(text))) {
    out = setEnvVariable(out, name, encryptValue(pair.publicKey, value)).text;
  }
  writeFileSync(path, out);
  const keysPath = join(path, "..", ".env.keys");
  let keys = "";
  try {
    keys = readFileSync(keysPath, "utf8");
  } catch { /* a new file */ }
  writeFileSync(
    keysPath,
    appendPrivateKeyEntry(keys, {
      privateKeyName: names.privateKeyName,
      privateKey: pair.privateKey,
      fileName,
    }).reveal(),
    { mode: 0o600 },
  );
  return pair.privateKey.reveal();
}

/** The text with keys and ciphertexts replaced, to compare the layout of two files. */
function layout(text: string): string {
  return text
    .replace(/encrypted:[A-Za-z0-9+/=]+/g, "encrypted:…")
    .replace(/\b0[23][0-9a-f]{64}\b/g, "<public key>")
    .replace(/\b[0-9a-f]{64}\b/g, "<private key>")
    .replace(/^(\w+)='(encrypted:…)'/gm, "$1=$2")
    .replace(/^(\w+)="(encrypted:…)"/gm, "$1=$2");
}

describe("files encrypted by dotenvx, read by this module", () => {
  it("decrypts every value `dotenvx encrypt` wrote, with its .env.keys", async () => {
    const dir = tempDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR_TEXT);
    await runDotenvx(dir, ["encrypt", "-f", ".env"]);
    const vars = readVars(env);
    expect(Object.values(vars).filter((v) => v.startsWith("encrypted:"))).toHaveLength(4);
    const file = new DotenvxEnvFile(env, vars, { env: {} });
    expect(decryptAll(file, Object.keys(CLEAR))).toEqual(CLEAR);
    expect(file.checkPrivateKey()).toMatchObject({
      kind: "env-keys",
      path: join(dir, ".env.keys"),
    });
    expect(statSync(join(dir, ".env.keys")).mode & 0o777).toBe(0o600);
  });

  it("decrypts a .env.<environment> file with DOTENV_PRIVATE_KEY_<ENVIRONMENT> from the environment", async () => {
    const dir = tempDir();
    const env = join(dir, ".env.production");
    writeFileSync(env, CLEAR_TEXT);
    await runDotenvx(dir, ["encrypt", "-f", ".env.production"]);
    const key =
      dotenvParse(readFileSync(join(dir, ".env.keys"), "utf8")).DOTENV_PRIVATE_KEY_PRODUCTION;
    rmSync(join(dir, ".env.keys"));
    const file = new DotenvxEnvFile(env, readVars(env), {
      env: { DOTENV_PRIVATE_KEY_PRODUCTION: `${generateKeyPair().privateKey.reveal()},${key}` },
    });
    expect(file.publicKeyName).toBe("DOTENV_PUBLIC_KEY_PRODUCTION");
    expect(decryptAll(file, Object.keys(CLEAR))).toEqual(CLEAR);
  });

  it("decrypts what `dotenvx set` adds to a file", async () => {
    const dir = tempDir();
    const env = join(dir, ".env");
    writeFileSync(env, "LOCATION=eastus\n");
    await runDotenvx(dir, ["set", "AZURE_QUANTUM_CONNECTION_STRING", CONNECTION, "-f", ".env"]);
    const file = new DotenvxEnvFile(env, readVars(env), { env: {} });
    expect(file.isEncrypted("AZURE_QUANTUM_CONNECTION_STRING")).toBe(true);
    expect(file.decrypt("AZURE_QUANTUM_CONNECTION_STRING").reveal()).toBe(CONNECTION);
  });
});

describe("files encrypted by this module, read by dotenvx", () => {
  it("writes the same layout as `dotenvx encrypt` (header, comments, .env.keys)", async () => {
    const dir = tempDir();
    const ours = join(dir, "ours");
    const theirs = join(dir, "theirs");
    mkdirSync(ours);
    mkdirSync(theirs);
    writeFileSync(join(ours, ".env"), CLEAR_TEXT.replace(/'/g, ""));
    writeFileSync(join(theirs, ".env"), CLEAR_TEXT.replace(/'/g, ""));
    encryptInPlace(join(ours, ".env"), ".env");
    await runDotenvx(theirs, ["encrypt", "-f", ".env"]);
    const read = (d: string, f: string) => layout(readFileSync(join(d, f), "utf8"));
    expect(read(ours, ".env")).toBe(read(theirs, ".env"));
    expect(read(ours, ".env.keys")).toBe(read(theirs, ".env.keys"));
  });

  it("is decrypted by the dotenvx CLI (get, decrypt --stdout) with .env.keys", async () => {
    const dir = tempDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR_TEXT);
    encryptInPlace(env, ".env");
    expect(readFileSync(env, "utf8")).not.toContain("k3y/With");
    const got = await runDotenvx(dir, ["get", "AZURE_QUANTUM_CONNECTION_STRING", "-f", ".env"]);
    expect(got.stdout.trim()).toBe(CONNECTION);
    const all = await runDotenvx(dir, ["get", "-f", ".env", "--format", "json"]);
    const parsed = JSON.parse(all.stdout) as Record<string, string>;
    expect(Object.fromEntries(Object.keys(CLEAR).map((k) => [k, parsed[k]]))).toEqual(CLEAR);
    const clear = await runDotenvx(dir, ["decrypt", "--stdout", "-f", ".env"]);
    expect(dotenvParse(clear.stdout)).toMatchObject(CLEAR);
  });

  it("is decrypted by `dotenvx run` into the environment of the command it starts, after a rotation too", async () => {
    const dir = tempDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR_TEXT);
    encryptInPlace(env, ".env");
    const rotated = CONNECTION.replace("k3y/With+Base64==", "n3w/Key+Base64==");
    // As keys.rotate() writes it: updateEnvFile() into the encrypted file.
    expect((await updateEnvFile(env, "AZURE_QUANTUM_CONNECTION_STRING", rotated, { isIgnoredByGit: false })).encrypted)
      .toBe(true);
    const names = Object.keys(CLEAR);
    const print = `process.stdout.write(JSON.stringify(Object.fromEntries(${
      JSON.stringify(names)
    }.map((n) => [n, process.env[n]]))))`;
    const ran = await runDotenvx(dir, ["run", "-f", ".env", "--quiet", "--", process.execPath, "-e", print]);
    expect(JSON.parse(ran.stdout)).toEqual({ ...CLEAR, AZURE_QUANTUM_CONNECTION_STRING: rotated });
  });

  it("is decrypted by dotenvx's API: config() with .env.keys, parse() with the key", () => {
    const dir = tempDir();
    const env = join(dir, ".env.ci");
    writeFileSync(env, CLEAR_TEXT);
    const key = encryptInPlace(env, ".env.ci");
    const result = dotenvx.config({
      path: env,
      processEnv: {},
      strict: true,
      quiet: true,
      noArmor: true,
      noNative: true,
      no1Password: true,
      noBitwarden: true,
    });
    expect(result.error).toBeUndefined();
    expect(result.parsed).toMatchObject(CLEAR);
    expect(dotenvx.parse(readFileSync(env, "utf8"), { privateKey: key, processEnv: {} }))
      .toMatchObject(
        CLEAR,
      );
  });

  it("keeps a dotenvx file readable by dotenvx when one value is re-encrypted and replaced", async () => {
    const dir = tempDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR_TEXT);
    await runDotenvx(dir, ["encrypt", "-f", ".env"]);
    const before = readFileSync(env, "utf8");
    const file = new DotenvxEnvFile(env, dotenvParse(before), { env: {} });
    const rotated = CONNECTION.replace("k3y/With+Base64==", "n3w/Key+Base64==");
    const edit = setEnvVariable(
      before,
      "AZURE_QUANTUM_CONNECTION_STRING",
      file.encrypt("AZURE_QUANTUM_CONNECTION_STRING", rotated),
    );
    writeFileSync(env, edit.text);
    const got = await runDotenvx(dir, ["get", "AZURE_QUANTUM_CONNECTION_STRING", "-f", ".env"]);
    expect(got.stdout.trim()).toBe(rotated);
    expect(edit.text.split("\n").filter((l, i) => l !== before.split("\n")[i])).toHaveLength(1);
  });

  it("updateEnvFile() writes any variable, not only a secret, encrypted into a file `dotenvx encrypt` made", async () => {
    const dir = tempDir();
    const env = join(dir, ".env");
    writeFileSync(env, CLEAR_TEXT);
    await runDotenvx(dir, ["encrypt", "-f", ".env"]);
    const arm = "https://127.0.0.1:8443";
    for (const [name, value] of [["LOCATION", "westus"], ["AZURE_QUANTUM_ARM_ENDPOINT", arm]]) {
      const result = await updateEnvFile(env, name!, value!, { isIgnoredByGit: false });
      expect(result.encrypted).toBe(true);
    }
    const vars = readVars(env);
    expect(Object.entries(vars).filter(([k, v]) => !k.startsWith("DOTENV_") && !v.startsWith("encrypted:")))
      .toEqual([]);
    const all = await runDotenvx(dir, ["get", "-f", ".env", "--format", "json"]);
    expect(JSON.parse(all.stdout)).toMatchObject({ ...CLEAR, LOCATION: "westus", AZURE_QUANTUM_ARM_ENDPOINT: arm });
  });
});
