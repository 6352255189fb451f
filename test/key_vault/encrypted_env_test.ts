// Key Vault references and encrypted .env files together (issues 16 and 17): a reference stored
// encrypted is decrypted first, then read from the vault; a pinned reference rewritten by a
// rotation, and the reference moveToKeyVault() writes, go into an encrypted .env encrypted (the
// writer never puts clear text into a file that holds ciphertext); no key, private key or
// connection string shows anywhere.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "dotenv";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { DotenvxEnvFile } from "../../src/config/dotenvx_env_file.ts";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { loadConnectionAsync } from "../../src/config/load_connection_async.ts";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import type { Emulator } from "../../src/emulator/mod.ts";
import { KeyVaultMoveResult } from "../../src/key_vault/results.ts";
import type { RotationReport } from "../../src/keys/results.ts";
import { encryptedText, keysText, projectDir, VAR, writeEncryptedEnv } from "../config/_encrypted_env.ts";
import { connectProject, connectTo, expectNoSecrets, rejection, secretsSeen, startKeysEmulator } from "../keys/_emulator.ts";

let emu: Emulator;
const pair = generateKeyPair();
const FAST = { graceMs: 100, pollIntervalMs: 20, waitTimeoutMs: 5000 };
// Every key the emulator held during this suite, the connection strings, and the private key.
const secrets = secretsSeen(() => emu, pair.privateKey.reveal());

beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => {
  forgetKeyVaultSecrets();
  emu.control.resetLog();
  secrets();
});

const host = () => emu.keyVaultUrl.slice(8, -1);
const uri = (name: string, version = "") => `${emu.keyVaultUrl}secrets/${name}/${version}`;
const reference = (name: string, version?: string) => `@Microsoft.KeyVault(SecretUri=${uri(name, version)})`;
const vaultLog = () => emu.control.requestLog({ listener: "vault" }).map((e) => `${e.method} ${e.path} ${e.status}`);

/** The emulator's settings for a project .env. */
const settings = () => ({ AZURE_QUANTUM_ARM_ENDPOINT: emu.armEndpoint, AZURE_QUANTUM_EMULATOR_CA: emu.caFile });

/** `envFile`'s connection string variable: encrypted, and its plaintext. */
function storedValue(envFile: string): string {
  const vars = parse(readFileSync(envFile, "utf8"));
  expect(vars[VAR]).toMatch(/^encrypted:/);
  return new DotenvxEnvFile(envFile, vars, { env: {} }).decrypt(VAR).reveal();
}

/** The lines of `after` that differ from `before` (same line count). */
function changedLines(before: string, after: string): string[] {
  const a = before.split("\n");
  const b = after.split("\n");
  expect(b).toHaveLength(a.length);
  return b.filter((line, i) => line !== a[i]);
}

describe("a Key Vault reference in an encrypted .env", () => {
  it("is decrypted, then read from the vault: connect() works and the card shows both", async () => {
    const stored = emu.control.vault.setSecret("enc-ref", emu.connectionString.reveal());
    const dir = projectDir("aqn-kv-enc-");
    // As `dotenvx encrypt` leaves a file: every value encrypted, the emulator's CA path included
    // (read, decrypted, to trust the loopback vault).
    const envFile = writeEncryptedEnv(dir, { FOO: "bar", [VAR]: reference("enc-ref"), ...settings() }, pair);
    const before = readFileSync(envFile, "utf8");
    expect(before).not.toContain("@Microsoft.KeyVault");

    const ws = await connectProject(dir);
    expect(ws.liveKey!.key.equals(emu.control.keys().primary)).toBe(true);
    expect(vaultLog()).toEqual(["GET /secrets/enc-ref/ 401", "GET /secrets/enc-ref/ 200"]);
    const via = `encrypted .env ${envFile} (${VAR})`;
    expect(ws.info.sources.apiKey).toBe(`Key Vault secret "enc-ref" in ${host()} (via ${via})`);
    expect(ws.info.keySource).toMatchObject({
      kind: "dotenv",
      path: envFile,
      keyVault: { secretName: "enc-ref", version: stored.version, pinned: false },
    });
    expect(ws.info.decryption).toMatchObject({
      path: envFile,
      privateKeyName: "DOTENV_PRIVATE_KEY",
      privateKeyFingerprint: pair.privateKey.fingerprint,
      privateKeySource: `DOTENV_PRIVATE_KEY in ${join(dir, ".env.keys")}`,
    });
    expect(ws.info.decryption!.variables).toContain(VAR);

    const card = ws.toMimeBundle();
    expect(card["text/plain"]).toContain(
      `Config from:      Key Vault secret "enc-ref" in ${host()} (via ${via}) (all fields)\n` +
        `Decrypted with:   private key ${pair.privateKey.fingerprint} from DOTENV_PRIVATE_KEY in ${
          join(dir, ".env.keys")
        }\n` +
        `Key from:         Key Vault secret "enc-ref" in ${host()}\n` +
        `                  version ${stored.version} (the latest, read ${ws.info.keySource!.keyVault!.readAt})`,
    );
    expect(card["application/json"]).toMatchObject({
      decryption: { privateKeyFingerprint: pair.privateKey.fingerprint },
      keyVault: { secretName: "enc-ref", version: stored.version },
    });

    // The synchronous loader decrypts, then stops at the reference it has not read.
    forgetKeyVaultSecrets();
    const error = await rejection(Promise.resolve().then(() => loadConnection({ cwd: dir, env: {} })));
    expect(error).toMatchObject({ code: "KeyVaultReferenceUnresolved" });
    expect(error.message).toBe(
      `Cannot load connection from ${via}: it is a Key Vault reference (Key Vault secret "enc-ref" in ${host()}), ` +
        "which loadConnection() and resolveSettings() do not read (they are synchronous). " +
        "Use await connect() or await loadConnectionAsync()",
    );
    const info = await loadConnectionAsync({ cwd: dir, env: {} });
    expect(info.keySource?.keyVault?.version).toBe(stored.version);
    expect(readFileSync(envFile, "utf8")).toBe(before);
    expectNoSecrets(secrets(), ws, card, ws.info, ws.settings, ws.options, error, info);
  });

  it("with the privateKey option: decrypted before any vault request, the key dropped from ws.options", async () => {
    emu.control.vault.setSecret("enc-opt", emu.connectionString.reveal());
    const dir = projectDir("aqn-kv-enc-opt-");
    writeEncryptedEnv(dir, { [VAR]: reference("enc-opt"), ...settings() }, pair, { encrypt: [VAR], keys: false });

    const wrong = generateKeyPair().privateKey.reveal();
    const refused = await rejection(connectProject(dir, { privateKey: wrong }));
    expect(refused).toMatchObject({ code: "DotenvxPrivateKeyWrong" });
    expect(vaultLog()).toEqual([]); // the reference was never seen, so the vault was never asked

    const privateKey = pair.privateKey.reveal();
    const ws = await connectProject(dir, { privateKey });
    expect(ws.liveKey!.key.equals(emu.control.keys().primary)).toBe(true);
    expect(ws.info.decryption?.privateKeySource).toBe("the privateKey option");
    expect(ws.info.keySource?.keyVault?.secretName).toBe("enc-opt");
    expect(Object.keys(ws.options)).not.toContain("privateKey");
    expectNoSecrets([...secrets(), wrong], ws, ws.options, ws.settings, ws.info, ws.toMimeBundle(), refused);
  });
});

describe("keys.rotate() with a pinned reference in an encrypted .env", () => {
  it("rewrites the reference to the new version, encrypted; every other line kept", async () => {
    const first = emu.control.vault.setSecret("pinned", emu.connectionString.reveal());
    const dir = projectDir("aqn-kv-enc-pin-");
    const envFile = join(dir, ".env");
    const vars = { FOO: "bar", [VAR]: reference("pinned", first.version), ...settings() };
    const before = encryptedText(envFile, vars, pair, [VAR]);
    writeFileSync(envFile, before, { mode: 0o600 });
    writeFileSync(join(dir, ".env.keys"), keysText(envFile, pair), { mode: 0o600 });

    const ws = await connectProject(dir);
    expect(ws.info.keySource?.keyVault).toMatchObject({ version: first.version, pinned: true });
    const report = await ws.keys.rotate({ confirm: true, ...FAST }) as RotationReport;
    expect(report.completed).toBe(true);
    const versions = emu.control.vault.versions("pinned");
    expect(versions).toHaveLength(3);
    const fresh = versions[2]!;
    expect(parseConnectionString(fresh.value.reveal()).apiKey!.equals(emu.control.keys().primary)).toBe(true);

    const after = readFileSync(envFile, "utf8");
    expect(changedLines(before, after)).toEqual([expect.stringMatching(new RegExp(`^${VAR}='?encrypted:`))]);
    expect(after).not.toContain("@Microsoft.KeyVault");
    expect(after).not.toContain(fresh.version);
    expect(storedValue(envFile)).toBe(reference("pinned", fresh.version));
    expect(report.envFiles).toEqual([envFile]);
    expect(ws.info.keySource?.keyVault).toMatchObject({ version: fresh.version, pinned: true });

    // A new process: the rewritten reference, decrypted, names the new version.
    forgetKeyVaultSecrets();
    const next = await connectProject(dir);
    expect(next.liveKey!.key.equals(emu.control.keys().primary)).toBe(true);
    expect(next.info.keySource?.keyVault).toMatchObject({ version: fresh.version, pinned: true });
    expect(next.info.decryption?.variables).toEqual([VAR]);
    expectNoSecrets(secrets(), report, ws, ws.info, next, next.info);
  });
});

describe("keys.moveToKeyVault() from an encrypted .env", () => {
  it("reads the decrypted connection string, writes the secret, and writes the reference encrypted", async () => {
    const dir = projectDir("aqn-kv-enc-move-");
    const envFile = join(dir, ".env");
    const vars = { FOO: "bar", [VAR]: emu.connectionString.reveal(), ...settings() };
    const before = encryptedText(envFile, vars, pair, [VAR]);
    writeFileSync(envFile, before, { mode: 0o600 });
    writeFileSync(join(dir, ".env.keys"), keysText(envFile, pair), { mode: 0o600 });

    const ws = await connectProject(dir);
    const key = ws.liveKey!.key;
    expect(ws.info.sources.apiKey).toBe(`encrypted .env ${envFile} (${VAR})`);
    const moved = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "moved" });
    expect(moved).toBeInstanceOf(KeyVaultMoveResult);
    const stored = emu.control.vault.secret("moved")!;
    expect(parseConnectionString(stored.value.reveal()).apiKey!.equals(key)).toBe(true);

    const after = readFileSync(envFile, "utf8");
    expect(changedLines(before, after)).toEqual([expect.stringMatching(new RegExp(`^${VAR}='?encrypted:`))]);
    expect(after).not.toContain("@Microsoft.KeyVault");
    expect(storedValue(envFile)).toBe(reference("moved"));
    const label = `Key Vault secret "moved" in ${host()} (via encrypted .env ${envFile} (${VAR}))`;
    expect((moved as KeyVaultMoveResult).changed[1]).toBe(
      `${envFile}: ${VAR} now holds the reference (encrypted, as the file is; every other line kept).`,
    );
    expect(ws.info.sources.apiKey).toBe(label);
    expect(ws.info.keySource).toMatchObject({ kind: "dotenv", path: envFile, keyVault: { secretName: "moved" } });

    // A new process reads the same source, decrypts the reference and reads the vault.
    forgetKeyVaultSecrets();
    const next = await connectProject(dir);
    expect(next.liveKey!.key.equals(key)).toBe(true);
    expect(next.info.sources.apiKey).toBe(label);
    const card = next.toMimeBundle()["text/plain"];
    expect(card).toContain(`Decrypted with:   private key ${pair.privateKey.fingerprint}`);
    expect(card).toContain(`Key from:         Key Vault secret "moved" in ${host()}`);
    expectNoSecrets(secrets(), moved, ws, ws.info, next, next.info);
  });

  it("an explicit envFile whose value cannot be decrypted here is left as it was, never overwritten", async () => {
    const dir = projectDir("aqn-kv-enc-other-");
    // Encrypted for a key this machine does not have (no .env.keys, none in the environment).
    const envFile = writeEncryptedEnv(dir, { [VAR]: emu.connectionString.reveal() }, generateKeyPair(), {
      keys: false,
    });
    const before = readFileSync(envFile, "utf8");
    const ws = await connectTo(emu);
    const moved = await ws.keys.moveToKeyVault({ vaultUrl: emu.keyVaultUrl, secretName: "other", envFile });
    expect(readFileSync(envFile, "utf8")).toBe(before);
    expect((moved as KeyVaultMoveResult).todo[0]).toBe(
      `${envFile} holds another value in ${VAR} (left unchanged): set it to ${reference("other")} if it should use this secret.`,
    );
    expectNoSecrets(secrets(), moved, ws.info);
  });
});
