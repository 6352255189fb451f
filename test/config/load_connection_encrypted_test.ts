import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encryptValue, generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import { Secret } from "../../src/connection/secret.ts";
import { renderWorkspaceCard } from "../../src/render/workspace_card.ts";
import { expectNoLeak, thrown } from "../connection/_leak.ts";
import { cs, G, KEY } from "./_load_fixtures.ts";
import { encryptedText, keysText, projectDir, VAR, writeEncryptedEnv } from "./_encrypted_env.ts";

const mine = generateKeyPair();
const other = generateKeyPair();
const SECRETS = [mine.privateKey.reveal(), other.privateKey.reveal(), KEY, cs()];

function expectError(fn: () => unknown, code: string, path: string, message: string) {
  const e = thrown(fn);
  expect(e).toMatchObject({ name: "EnvFileError", code, path });
  expect(e.message).toBe(message);
  expectNoLeak(e, ...SECRETS);
}

describe("loadConnection() with an encrypted .env", () => {
  it("decrypts the connection string with .env.keys beside it; the source says encrypted", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs(), OTHER: "x" }, mine);
    const info = loadConnection({ cwd: dir, env: {} });
    expect(info.apiKey?.reveal()).toBe(KEY);
    expect(info.subscriptionId).toBe(G);
    const source = `encrypted .env ${env} (${VAR})`;
    expect(info.sources).toEqual({
      subscriptionId: source,
      resourceGroup: source,
      workspaceName: source,
      location: source,
      endpoint: source,
      apiKey: source,
    });
    expect(info.keySource).toEqual({ kind: "dotenv", variable: VAR, path: env });
    expect(info.decryption).toEqual({
      path: env,
      variables: [VAR],
      privateKeyName: "DOTENV_PRIVATE_KEY",
      privateKeyFingerprint: mine.privateKey.fingerprint,
      privateKeySource: `DOTENV_PRIVATE_KEY in ${join(dir, ".env.keys")}`,
    });
    expectNoLeak(info, mine.privateKey.reveal(), KEY);
  });

  it("takes the key from the privateKey option, then DOTENV_PRIVATE_KEY, before .env.keys", () => {
    const dir = projectDir();
    const env = join(dir, ".env");
    writeFileSync(env, encryptedText(env, { [VAR]: cs() }, mine));
    writeFileSync(join(dir, ".env.keys"), keysText(env, other)); // the wrong key, never read
    const byOption = loadConnection({ cwd: dir, env: {}, privateKey: mine.privateKey });
    expect(byOption.apiKey?.reveal()).toBe(KEY);
    expect(byOption.decryption?.privateKeySource).toBe("the privateKey option");
    const byString = loadConnection({ cwd: dir, env: {}, privateKey: mine.privateKey.reveal() });
    expect(byString.decryption?.privateKeyFingerprint).toBe(mine.privateKey.fingerprint);
    const byEnv = loadConnection({
      cwd: dir,
      env: { DOTENV_PRIVATE_KEY: `${other.privateKey.reveal()},${mine.privateKey.reveal()}` },
    });
    expect(byEnv.apiKey?.reveal()).toBe(KEY);
    // The one key of the list that decrypted, not the list.
    expect(byEnv.decryption).toMatchObject({
      privateKeyFingerprint: mine.privateKey.fingerprint,
      privateKeySource: "the DOTENV_PRIVATE_KEY environment variable",
    });
  });

  it("decrypts per-field variables (as `dotenvx encrypt` leaves them) and a .env.<environment>", () => {
    const dir = projectDir();
    const path = writeEncryptedEnv(
      dir,
      {
        AZURE_QUANTUM_SUBSCRIPTION_ID: G,
        AZURE_QUANTUM_WORKSPACE_RG: "rg",
        AZURE_QUANTUM_WORKSPACE_NAME: "ws",
        LOCATION: "westus",
      },
      mine,
      { name: ".env.ci", keys: false, encrypt: ["AZURE_QUANTUM_SUBSCRIPTION_ID", "LOCATION"] },
    );
    const info = loadConnection({
      envFile: ".env.ci",
      cwd: dir,
      env: { DOTENV_PRIVATE_KEY_CI: mine.privateKey.reveal() },
    });
    expect([info.subscriptionId, info.resourceGroup, info.workspaceName, info.location]).toEqual([
      G,
      "rg",
      "ws",
      "westus",
    ]);
    expect(info.sources).toMatchObject({
      subscriptionId: `encrypted .env ${path} (AZURE_QUANTUM_SUBSCRIPTION_ID)`,
      resourceGroup: `.env ${path} (AZURE_QUANTUM_WORKSPACE_RG)`,
      location: `encrypted .env ${path} (LOCATION)`,
    });
    expect(info.decryption).toMatchObject({
      variables: ["AZURE_QUANTUM_SUBSCRIPTION_ID", "LOCATION"],
      privateKeyName: "DOTENV_PRIVATE_KEY_CI",
    });
  });

  it("decrypts only what a provider reads: a connection from the environment needs no key", () => {
    const dir = projectDir();
    writeEncryptedEnv(dir, { [VAR]: cs(), LOCATION: "eastus" }, mine, { keys: false });
    const reads: string[] = [];
    const info = loadConnection({
      cwd: dir,
      env: { [VAR]: cs() },
      readTextFile: (
        p,
      ) => (reads.push(p), p.endsWith(".env") ? readFileSync(p, "utf8") : undefined),
    });
    expect(info.sources.apiKey).toBe(`env ${VAR}`);
    expect(info.decryption).toBeUndefined();
    expect(reads).toEqual([join(dir, ".env")]); // .env.keys never looked at
  });

  it("leaves a clear .env as it was: no decryption, the plain source", () => {
    const dir = projectDir();
    writeFileSync(join(dir, ".env"), `${VAR}='${cs()}'\n`);
    const info = loadConnection({ cwd: dir, env: {} });
    expect(info.sources.apiKey).toBe(`.env ${join(dir, ".env")} (${VAR})`);
    expect(info.decryption).toBeUndefined();
  });

  it("resolveSettings decrypts an encrypted ARM endpoint when it is used, and names its source", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, {
      [VAR]: cs(),
      AZURE_QUANTUM_ARM_ENDPOINT: "https://management.example.com/",
    }, mine);
    const settings = resolveSettings({ cwd: dir, env: {} });
    expect(settings.sources.armEndpoint).toBe(`encrypted .env ${env} (AZURE_QUANTUM_ARM_ENDPOINT)`);
    expect(settings.arm.endpoint).toBe("https://management.example.com");
    const again = resolveSettings({ connection: settings.connection, env: {} });
    expect(again.arm.endpoint).toBe("https://management.example.com");
    // `env` is there by name (not enumerable: a spread or console.table leaves it out).
    const keys = settings.privateKeyOptions;
    expect([keys.privateKey, keys.env]).toEqual([undefined, {}]);
  });

  it("the workspace card shows the encrypted source and the private key's fingerprint only", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine);
    const info = loadConnection({ cwd: dir, env: {} });
    const bundle = renderWorkspaceCard(info, {
      authMode: "access key",
      keyFingerprint: info.apiKey!.fingerprint,
    });
    expect(bundle["text/plain"]).toContain(
      `Config from:    encrypted .env ${env} (${VAR}) (all fields)`,
    );
    expect(bundle["text/plain"]).toContain(
      `Decrypted with: private key ${mine.privateKey.fingerprint} from DOTENV_PRIVATE_KEY in ${
        join(dir, ".env.keys")
      }`,
    );
    expect(bundle["text/html"]).toContain(mine.privateKey.fingerprint);
    expect((bundle["application/json"] as { decryption: unknown }).decryption).toEqual(
      info.decryption,
    );
    expectNoLeak(bundle, ...SECRETS);
  });
});

describe("loadConnection() with an encrypted .env: bad input", () => {
  const FIX_MISSING = (env: string, keys: string) =>
    `Cannot decrypt ${VAR} in ${env}: no private key was found (looked for the DOTENV_PRIVATE_KEY ` +
    `environment variable and for DOTENV_PRIVATE_KEY in ${keys}). Set DOTENV_PRIVATE_KEY to the ` +
    `private key of DOTENV_PUBLIC_KEY, or put the .env.keys file that dotenvx wrote beside ${env}`;

  it("DotenvxPrivateKeyMissing: no key in the environment nor in .env.keys", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine, { keys: false });
    expectError(
      () => loadConnection({ cwd: dir, env: {} }),
      "DotenvxPrivateKeyMissing",
      env,
      FIX_MISSING(env, join(dir, ".env.keys")),
    );
  });

  it("DotenvxPrivateKeyWrong: another file's key", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine, { keys: false });
    expectError(
      () => loadConnection({ cwd: dir, env: { DOTENV_PRIVATE_KEY: other.privateKey.reveal() } }),
      "DotenvxPrivateKeyWrong",
      env,
      `Cannot decrypt ${VAR} in ${env}: the private key from the DOTENV_PRIVATE_KEY environment ` +
        "variable does not decrypt it and does not belong to DOTENV_PUBLIC_KEY in the file. Use the " +
        "DOTENV_PRIVATE_KEY that was created with this file (in the .env.keys file beside it where it " +
        "was encrypted)",
    );
  });

  it("DotenvxPrivateKeyInvalid: a privateKey option that is not a key", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine);
    expectError(
      () => loadConnection({ cwd: dir, env: {}, privateKey: new Secret("not a key") }),
      "DotenvxPrivateKeyInvalid",
      env,
      `Cannot decrypt ${VAR} in ${env}: the privateKey option holds no valid private key (64 hex ` +
        "digits, several separated by commas). Copy the whole DOTENV_PRIVATE_KEY value from the " +
        ".env.keys file that dotenvx wrote",
    );
  });

  it("DotenvxCiphertextCorrupted: a changed ciphertext", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine);
    const text = readFileSync(env, "utf8");
    const at = text.indexOf("encrypted:") + 40;
    const flipped = text[at] === "A" ? "B" : "A";
    writeFileSync(env, text.slice(0, at) + flipped + text.slice(at + 1));
    const e = thrown(() => loadConnection({ cwd: dir, env: {} }));
    expect(e).toMatchObject({ code: "DotenvxCiphertextCorrupted", path: env });
    expect(e.message).toMatch(
      new RegExp(
        `^Cannot decrypt ${VAR} in ${
          env.replace(/[.]/g, "\\.")
        }: the encrypted value is damaged \\(.+\\)\\. ` +
          "Restore the line from version control, or set the value again in clear text and encrypt the file$",
      ),
    );
    expectNoLeak(e, ...SECRETS);
  });

  it("DotenvxKeyPairMismatch: DOTENV_PUBLIC_KEY is not the private key's", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine);
    const text = readFileSync(env, "utf8").replace(mine.publicKey, other.publicKey);
    writeFileSync(env, text);
    expectError(
      () => loadConnection({ cwd: dir, env: {} }),
      "DotenvxKeyPairMismatch",
      env,
      `Cannot decrypt ${VAR} in ${env}: the private key from DOTENV_PRIVATE_KEY in ${
        join(dir, ".env.keys")
      } decrypts it but does not belong to DOTENV_PUBLIC_KEY in the file, so values encrypted for ` +
        "that public key could not be read back. Restore DOTENV_PUBLIC_KEY from version control, or " +
        "use the private key that belongs to it",
    );
  });

  it("DotenvxPublicKeyMissing: an encrypted value in a file without DOTENV_PUBLIC_KEY", () => {
    const dir = projectDir();
    const env = writeEncryptedEnv(dir, { [VAR]: cs() }, mine);
    const text = readFileSync(env, "utf8").replace(/^DOTENV_PUBLIC_KEY=.*\n/m, "");
    writeFileSync(env, text);
    expectError(
      () => loadConnection({ cwd: dir, env: {} }),
      "DotenvxPublicKeyMissing",
      env,
      `Cannot decrypt ${VAR} in ${env}: the file declares no DOTENV_PUBLIC_KEY but holds an ` +
        "encrypted value. Restore the DOTENV_PUBLIC_KEY line that dotenvx wrote at the top of the " +
        "file (from version control), or set the value again in clear text and encrypt the file",
    );
  });

  it("DotenvxValueInEnvironment: an encrypted value in the environment (node --env-file)", () => {
    const e = thrown(() =>
      loadConnection({ envFile: false, env: { [VAR]: encryptValue(mine.publicKey, cs()) } })
    );
    expect(e).toMatchObject({ name: "ConfigurationError", code: "DotenvxValueInEnvironment" });
    expect(e.message).toBe(
      `Cannot load connection: env ${VAR} holds a dotenvx-encrypted value ("encrypted:…"), which ` +
        "is only decrypted when read from a .env file. Unset it and let connect() read the " +
        "encrypted .env, or start the process with dotenvx run -- …",
    );
  });
});
