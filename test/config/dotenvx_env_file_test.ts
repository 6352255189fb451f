import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "../../src/connection/secret.ts";
import { DotenvxEnvFile } from "../../src/config/dotenvx_env_file.ts";
import type { FindPrivateKeyOptions } from "../../src/config/dotenvx_private_key.ts";
import { decryptValue, encryptValue, generateKeyPair } from "../../src/config/dotenvx_crypto.ts";
import { expectNoLeak, thrown } from "../connection/_leak.ts";

const VAR = "AZURE_QUANTUM_CONNECTION_STRING";
const CONNECTION =
  "SubscriptionId=00000000-0000-0000-0000-000000000001;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=k3y/With+Base64==;QuantumEndpoint=https://eastus.quantum.azure.com/;";
const CLEAR_SECRET = "clear-secret-in-the-same-file";
const mine = generateKeyPair();
const other = generateKeyPair();
const KEYS_OF = (key: Secret, name = "DOTENV_PRIVATE_KEY") => `# .env\n${name}=${key.reveal()}\n`;
const RESTORE_CIPHER =
  "Restore the line from version control, or set the value again in clear text and encrypt the file";

function vars(publicKey: string | undefined, value = encryptValue(mine.publicKey, CONNECTION)) {
  return {
    ...(publicKey === undefined ? {} : { DOTENV_PUBLIC_KEY: publicKey }),
    [VAR]: value,
    LOCATION: "eastus",
    OTHER_TOKEN: CLEAR_SECRET,
  };
}

function open(
  v: Record<string, string>,
  options: FindPrivateKeyOptions & { keys?: string } = {},
  path = "/repo/.env",
) {
  const reads: string[] = [];
  const file = new DotenvxEnvFile(path, v, {
    env: {},
    readTextFile: (p) => {
      reads.push(p);
      return p === "/repo/.env.keys" ? options.keys : undefined;
    },
    ...options,
  });
  return { file, reads };
}

function expectError(fn: () => unknown, code: string, message: string) {
  const e = thrown(fn);
  expect(e).toMatchObject({ name: "EnvFileError", code, path: "/repo/.env" });
  expect(e.message).toBe(message);
  expectNoLeak(e, mine.privateKey.reveal(), other.privateKey.reveal(), CONNECTION, CLEAR_SECRET);
  return e;
}

describe("DotenvxEnvFile.decrypt()", () => {
  it("decrypts with the key in .env.keys beside the file, read once", () => {
    const { file, reads } = open(vars(mine.publicKey), { keys: KEYS_OF(mine.privateKey) });
    expect(file.decrypt(VAR).reveal()).toBe(CONNECTION);
    expect(file.decrypt(VAR).reveal()).toBe(CONNECTION);
    expect(reads).toEqual(["/repo/.env.keys"]);
    expect(file.encryptedVariables).toEqual([VAR]);
    expect(file.isEncrypted(VAR)).toBe(true);
    expect(file.isEncrypted("LOCATION")).toBe(false);
  });

  it("returns clear values of a dotenvx file as they are, without any key", () => {
    const { file } = open(vars(mine.publicKey));
    expect(file.decrypt("LOCATION").reveal()).toBe("eastus");
  });

  it("prefers the privateKey option, then the environment, then .env.keys", () => {
    const keys = KEYS_OF(other.privateKey);
    expect(
      open(vars(mine.publicKey), { keys, privateKey: mine.privateKey }).file.decrypt(VAR).reveal(),
    )
      .toBe(CONNECTION);
    expect(
      open(vars(mine.publicKey), { keys, env: { DOTENV_PRIVATE_KEY: mine.privateKey.reveal() } })
        .file.decrypt(VAR).reveal(),
    ).toBe(CONNECTION);
  });

  it("uses the key names of .env.<environment> files", () => {
    const v = { DOTENV_PUBLIC_KEY_CI: mine.publicKey, [VAR]: encryptValue(mine.publicKey, "x") };
    const { file } = open(
      v,
      { env: { DOTENV_PRIVATE_KEY_CI: mine.privateKey.reveal() } },
      "/repo/.env.ci",
    );
    expect([file.publicKeyName, file.privateKeyName]).toEqual([
      "DOTENV_PUBLIC_KEY_CI",
      "DOTENV_PRIVATE_KEY_CI",
    ]);
    expect(file.decrypt(VAR).reveal()).toBe("x");
  });

  it("decrypts a value written with an older key listed after the file's own (key change)", () => {
    const old = encryptValue(other.publicKey, CONNECTION);
    const keys = `DOTENV_PRIVATE_KEY=${mine.privateKey.reveal()},${other.privateKey.reveal()}\n`;
    expect(open(vars(mine.publicKey, old), { keys }).file.decrypt(VAR).reveal()).toBe(CONNECTION);
  });

  it("throws TypeError for a variable the file does not have", () => {
    expect(thrown(() => open(vars(mine.publicKey)).file.decrypt("NOPE")).message).toBe(
      "Cannot decrypt NOPE: /repo/.env has no such variable",
    );
  });

  it("DotenvxPublicKeyMissing: an encrypted value in a file without DOTENV_PUBLIC_KEY", () => {
    const { file } = open(vars(undefined), { keys: KEYS_OF(mine.privateKey) });
    expectError(
      () => file.decrypt(VAR),
      "DotenvxPublicKeyMissing",
      `Cannot decrypt ${VAR} in /repo/.env: the file declares no DOTENV_PUBLIC_KEY but holds an ` +
        "encrypted value. Restore the DOTENV_PUBLIC_KEY line that dotenvx wrote at the top of the " +
        "file (from version control), or set the value again in clear text and encrypt the file",
    );
  });

  it("DotenvxPublicKeyInvalid: a DOTENV_PUBLIC_KEY that is not a key", () => {
    const { file } = open(vars("03" + "x".repeat(64)), { keys: KEYS_OF(mine.privateKey) });
    expectError(
      () => file.decrypt(VAR),
      "DotenvxPublicKeyInvalid",
      `Cannot decrypt ${VAR} in /repo/.env: DOTENV_PUBLIC_KEY is not a secp256k1 public key (66 hex ` +
        "digits starting with 02 or 03). Restore the DOTENV_PUBLIC_KEY line that dotenvx wrote, from " +
        "version control",
    );
  });

  it("DotenvxPrivateKeyMissing: says where it looked", () => {
    const { file } = open(vars(mine.publicKey));
    expectError(
      () => file.decrypt(VAR),
      "DotenvxPrivateKeyMissing",
      `Cannot decrypt ${VAR} in /repo/.env: no private key was found (looked for the ` +
        "DOTENV_PRIVATE_KEY environment variable and for DOTENV_PRIVATE_KEY in /repo/.env.keys). Set " +
        "DOTENV_PRIVATE_KEY to the private key of DOTENV_PUBLIC_KEY, or put the .env.keys file that " +
        "dotenvx wrote beside /repo/.env",
    );
  });

  it("DotenvxPrivateKeyInvalid: a key that is not 64 hex digits", () => {
    const { file } = open(vars(mine.publicKey), { env: { DOTENV_PRIVATE_KEY: "not-a-key" } });
    const e = expectError(
      () => file.decrypt(VAR),
      "DotenvxPrivateKeyInvalid",
      `Cannot decrypt ${VAR} in /repo/.env: the DOTENV_PRIVATE_KEY environment variable holds no ` +
        "valid private key (64 hex digits, several separated by commas). Copy the whole " +
        "DOTENV_PRIVATE_KEY value from the .env.keys file that dotenvx wrote",
    );
    expectNoLeak(e, "not-a-key");
  });

  it("DotenvxPrivateKeyWrong: another file's key", () => {
    const { file } = open(vars(mine.publicKey), { keys: KEYS_OF(other.privateKey) });
    expectError(
      () => file.decrypt(VAR),
      "DotenvxPrivateKeyWrong",
      `Cannot decrypt ${VAR} in /repo/.env: the private key from DOTENV_PRIVATE_KEY in ` +
        "/repo/.env.keys does not decrypt it and does not belong to DOTENV_PUBLIC_KEY in the file. Use " +
        "the DOTENV_PRIVATE_KEY that was created with this file (in the .env.keys file beside it where " +
        "it was encrypted)",
    );
  });

  it("DotenvxKeyPairMismatch: the key decrypts but DOTENV_PUBLIC_KEY is another key's", () => {
    const { file } = open(vars(other.publicKey), { privateKey: mine.privateKey });
    expectError(
      () => file.decrypt(VAR),
      "DotenvxKeyPairMismatch",
      `Cannot decrypt ${VAR} in /repo/.env: the private key from the privateKey option decrypts it ` +
        "but does not belong to DOTENV_PUBLIC_KEY in the file, so values encrypted for that public key " +
        "could not be read back. Restore DOTENV_PUBLIC_KEY from version control, or use the private " +
        "key that belongs to it",
    );
  });

  it("DotenvxCiphertextCorrupted: a value that is not a ciphertext", () => {
    const { file } = open(vars(mine.publicKey, "encrypted:not base64!"), {
      privateKey: mine.privateKey,
    });
    expectError(
      () => file.decrypt(VAR),
      "DotenvxCiphertextCorrupted",
      `Cannot decrypt ${VAR} in /repo/.env: the encrypted value is damaged (it is not base64). ${RESTORE_CIPHER}`,
    );
  });

  it("DotenvxCiphertextCorrupted: an ephemeral key that is not on the curve", () => {
    const good = encryptValue(mine.publicKey, CONNECTION);
    const bytes = Uint8Array.from(atob(good.slice(10)), (c) => c.charCodeAt(0));
    bytes[64] ^= 0x01;
    const changed = "encrypted:" + btoa(String.fromCharCode(...bytes));
    const { file } = open(vars(mine.publicKey, changed), { privateKey: mine.privateKey });
    expectError(
      () => file.decrypt(VAR),
      "DotenvxCiphertextCorrupted",
      `Cannot decrypt ${VAR} in /repo/.env: the encrypted value is damaged (its ephemeral public ` +
        `key is not a secp256k1 point). ${RESTORE_CIPHER}`,
    );
  });

  it("DotenvxCiphertextCorrupted: a changed value that fails authentication with the right key", () => {
    const good = encryptValue(mine.publicKey, CONNECTION);
    const bytes = Uint8Array.from(atob(good.slice(10)), (c) => c.charCodeAt(0));
    bytes[100] ^= 0x20;
    const changed = "encrypted:" + btoa(String.fromCharCode(...bytes));
    const { file } = open(vars(mine.publicKey, changed), { privateKey: mine.privateKey });
    expectError(
      () => file.decrypt(VAR),
      "DotenvxCiphertextCorrupted",
      `Cannot decrypt ${VAR} in /repo/.env: the encrypted value is damaged (it does not decrypt with ` +
        "the private key of DOTENV_PUBLIC_KEY: it was changed, or encrypted for another key). " +
        RESTORE_CIPHER,
    );
  });
});

describe("DotenvxEnvFile.encrypt() and checkPrivateKey()", () => {
  it("encrypts for the file's public key, checked against the private key found", () => {
    const { file } = open(vars(mine.publicKey), { keys: KEYS_OF(mine.privateKey) });
    const value = file.encrypt(VAR, new Secret("new connection"));
    expect(decryptValue(mine.privateKey, value).reveal()).toBe("new connection");
    expect(file.checkPrivateKey()).toMatchObject({
      kind: "env-keys",
      variable: "DOTENV_PRIVATE_KEY",
    });
  });

  it("encrypts with the public key alone when no private key is found (as dotenvx allows)", () => {
    const { file } = open(vars(mine.publicKey));
    expect(decryptValue(mine.privateKey, file.encrypt(VAR, "x")).reveal()).toBe("x");
    expect(file.checkPrivateKey()).toBeUndefined();
  });

  it("DotenvxPublicKeyMissing: a clear-text file must be encrypted first", () => {
    const { file } = open({ [VAR]: CONNECTION, OTHER_TOKEN: CLEAR_SECRET });
    expectError(
      () => file.encrypt(VAR, CONNECTION),
      "DotenvxPublicKeyMissing",
      `Cannot encrypt ${VAR} for /repo/.env: the file declares no DOTENV_PUBLIC_KEY. Encrypt the file ` +
        "first, which creates DOTENV_PUBLIC_KEY and its private key",
    );
  });

  it("DotenvxKeyPairMismatch: never writes what the private key found could not read back", () => {
    const { file } = open(vars(other.publicKey), {
      env: { DOTENV_PRIVATE_KEY: mine.privateKey.reveal() },
    });
    const message = `Cannot encrypt ${VAR} for /repo/.env: the private key from the ` +
      "DOTENV_PRIVATE_KEY environment variable does not belong to DOTENV_PUBLIC_KEY in the file. " +
      "Restore DOTENV_PUBLIC_KEY from version control, or use the private key that belongs to it";
    expectError(() => file.encrypt(VAR, CONNECTION), "DotenvxKeyPairMismatch", message);
    expectError(
      () => file.checkPrivateKey(VAR),
      "DotenvxKeyPairMismatch",
      message,
    );
  });

  it("DotenvxPublicKeyInvalid when encrypting for a damaged DOTENV_PUBLIC_KEY", () => {
    const { file } = open(vars(mine.publicKey.slice(0, 20)));
    expect(thrown(() => file.encrypt(VAR, CONNECTION))).toMatchObject({
      code: "DotenvxPublicKeyInvalid",
    });
  });
});

describe("DotenvxEnvFile never shows a value", () => {
  it("in JSON, inspect, spread and entries: names and the public key only", () => {
    const { file } = open(vars(mine.publicKey), { privateKey: mine.privateKey });
    file.decrypt(VAR); // the private key is now held
    const views = [
      JSON.stringify(file),
      inspect(file, { depth: 5, showHidden: true }),
      JSON.stringify({ ...file }),
      JSON.stringify(Object.entries(file)),
      JSON.stringify(structuredClone({ ...file })),
    ].join("\n");
    for (const secret of [mine.privateKey.reveal(), CONNECTION, CLEAR_SECRET, "eastus"]) {
      expect(views.includes(secret), `leaked ${secret.length} chars`).toBe(false);
    }
    expect(JSON.parse(JSON.stringify(file))).toEqual({
      path: "/repo/.env",
      publicKeyName: "DOTENV_PUBLIC_KEY",
      publicKey: mine.publicKey,
      privateKeyName: "DOTENV_PRIVATE_KEY",
      encryptedVariables: [VAR],
    });
  });
});
