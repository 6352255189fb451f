import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { Secret } from "../../src/connection/secret.ts";
import {
  decryptValue,
  encryptValue,
  generateKeyPair,
  keyPairMatches,
  normalizePublicKey,
  publicKeyOf,
} from "../../src/config/dotenvx_crypto.ts";
import { isEnvFileError } from "../../src/errors.ts";
import { expectNoLeak, thrown } from "../connection/_leak.ts";
import { primitives } from "./_dotenvx.ts";

// A key pair and values made by `dotenvx encrypt` 2.38.2 (@dotenvx/primitives 3.3.1) for this test.
const PUBLIC = "02dec364e0d497ff52f1a927c54b1460b63ae8d9a7b731787a39da2585c4839a78";
const PRIVATE = "44be3de07512d28de2f9fb2e6e1f9565d5715872d880ac90eb4d643ab8b446f7";
const BY_DOTENVX = {
  location:
    "encrypted:BIqgFehZ5Stnuv69tiEL4vWiYspkkXSZ4OQ6QMkdc5OJLVjWD221JUTZimRJToIzsYB7AuV8mpD63ispLtSTa9FCAoJ0tMRh5ippe0V3dRPskfzOZV7O4/j69hxXsXO5ZQqoreNyWw==",
  empty:
    "encrypted:BI+mJdlJlUMFheWoA8o4o+RCeawP7T2AgzUtRin+G2TA3aAorbP1rKb135P/wjk0jziPUknGYDeOJBvM4BOgaM4kESqN9dur7f/pALRxKoN47jwtIUqCSj6mePhtaJ6RMA==",
  unicode:
    "encrypted:BASL8+u6q2vZlD/ObOvpNuRYTNhntbWKxnZ2Eax1jbB/K1h8uqvxtne+Uw56Uea2YguPngGgTJp6uetfdd87sWX4bod6425gdYYCJgXDDfECH77RF1htu56KzBWLq2c9V2IyospGuLCpuJk=",
};
const CONNECTION =
  "SubscriptionId=00000000-0000-0000-0000-000000000001;ResourceGroupName=rg;WorkspaceName=ws;ApiKey=k3y/With+Base64==;QuantumEndpoint=https://eastus.quantum.azure.com/;";

function payload(value: string): Uint8Array {
  return Uint8Array.from(atob(value.slice("encrypted:".length)), (c) => c.charCodeAt(0));
}

function withByte(value: string, index: number, xor: number): string {
  const bytes = payload(value);
  bytes[index < 0 ? bytes.length + index : index] ^= xor;
  return "encrypted:" + btoa(String.fromCharCode(...bytes));
}

describe("decryptValue() with values dotenvx wrote", () => {
  it("decrypts them (known-answer test)", () => {
    expect(decryptValue(PRIVATE, BY_DOTENVX.location).reveal()).toBe("eastus");
    expect(decryptValue(new Secret(PRIVATE), BY_DOTENVX.empty).reveal()).toBe("");
    expect(decryptValue([PRIVATE], BY_DOTENVX.unicode).reveal()).toBe("héllo ☃");
    expect(decryptValue(PRIVATE.toUpperCase(), BY_DOTENVX.location).reveal()).toBe("eastus");
  });

  it("tries comma-separated keys in order, as dotenvx does", () => {
    const other = generateKeyPair().privateKey.reveal();
    expect(decryptValue(`${other},${PRIVATE}`, BY_DOTENVX.location).reveal()).toBe("eastus");
    expect(decryptValue([new Secret(other), ` ${PRIVATE} `], BY_DOTENVX.location).reveal()).toBe(
      "eastus",
    );
  });

  it("skips invalid keys in a list when a valid one decrypts", () => {
    expect(decryptValue(`not-a-key,${PRIVATE}`, BY_DOTENVX.location).reveal()).toBe("eastus");
  });

  it("returns a clear value unchanged, as dotenvx's decrypt does", () => {
    expect(decryptValue(PRIVATE, "eastus").reveal()).toBe("eastus");
  });
});

describe("encryptValue()", () => {
  const pair = generateKeyPair();

  it.each([
    ["a connection string", CONNECTION],
    ["an empty string", ""],
    ["unicode and new lines", "héllo ☃\nline 2\r\n\"quoted\" 'single' `back`"],
    ["100 KB", "x".repeat(100_000)],
  ])("round-trips %s, and dotenvx decrypts it", (_, text) => {
    const value = encryptValue(pair.publicKey, text);
    expect(value.startsWith("encrypted:")).toBe(true);
    expect(value).toMatch(/^encrypted:[A-Za-z0-9+/]+=*$/);
    expect(decryptValue(pair.privateKey, value).reveal()).toBe(text);
    expect(primitives.decrypt(pair.privateKey.reveal(), value)).toBe(text);
  });

  it("writes ephemeral key (65, uncompressed) ‖ nonce (16) ‖ tag (16) ‖ ciphertext", () => {
    const bytes = payload(encryptValue(pair.publicKey, "abc"));
    expect(bytes.length).toBe(65 + 16 + 16 + 3);
    expect(bytes[0]).toBe(4);
  });

  it("encrypts the same text differently each time", () => {
    expect(encryptValue(pair.publicKey, "same")).not.toBe(encryptValue(pair.publicKey, "same"));
  });

  it("accepts a Secret, and the public key in upper case or uncompressed", () => {
    const uncompressed = primitives.keypair(pair.privateKey.reveal()).publicKey;
    const value = encryptValue(pair.publicKey.toUpperCase(), new Secret(CONNECTION));
    expect(decryptValue(pair.privateKey, value).reveal()).toBe(CONNECTION);
    expect(normalizePublicKey(uncompressed)).toBe(pair.publicKey);
  });

  it("ignores eciesjs's global configuration (another library may change it)", () => {
    const { ECIES_CONFIG } = createRequire(import.meta.url)("eciesjs") as {
      ECIES_CONFIG: { isEphemeralKeyCompressed: boolean; symmetricNonceLength: number };
    };
    ECIES_CONFIG.isEphemeralKeyCompressed = true;
    ECIES_CONFIG.symmetricNonceLength = 12;
    try {
      const value = encryptValue(pair.publicKey, "abc");
      expect(payload(value).length).toBe(65 + 16 + 16 + 3);
      expect(primitives.decrypt(pair.privateKey.reveal(), value)).toBe("abc");
      expect(decryptValue(PRIVATE, BY_DOTENVX.location).reveal()).toBe("eastus");
    } finally {
      ECIES_CONFIG.isEphemeralKeyCompressed = false;
      ECIES_CONFIG.symmetricNonceLength = 16;
    }
  });

  it("encrypts what dotenvx's own keypair() makes", () => {
    const theirs = primitives.keypair();
    const value = encryptValue(theirs.publicKey, CONNECTION);
    expect(primitives.decrypt(theirs.privateKey, value)).toBe(CONNECTION);
  });
});

describe("generateKeyPair() and publicKeyOf()", () => {
  it("makes keys in dotenvx's format, which dotenvx derives the same way", () => {
    const { publicKey, privateKey } = generateKeyPair();
    expect(publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(privateKey.reveal()).toMatch(/^[0-9a-f]{64}$/);
    expect(`${privateKey}`).not.toContain(privateKey.reveal());
    expect(publicKeyOf(privateKey)).toBe(publicKey);
    expect(primitives.keypair(privateKey.reveal()).publicKey).toBe(publicKey);
    expect(publicKeyOf(PRIVATE)).toBe(PUBLIC);
  });

  it("keyPairMatches() tells whether a private key belongs to a public key", () => {
    expect(keyPairMatches(PRIVATE, PUBLIC)).toBe(true);
    expect(keyPairMatches(new Secret(PRIVATE), PUBLIC.toUpperCase())).toBe(true);
    expect(keyPairMatches(generateKeyPair().privateKey, PUBLIC)).toBe(false);
    expect(keyPairMatches("nonsense", PUBLIC)).toBe(false);
    expect(keyPairMatches(PRIVATE, "02" + "0".repeat(64))).toBe(false);
  });
});

describe("errors", () => {
  const at = { path: "/repo/.env", variable: "AZURE_QUANTUM_CONNECTION_STRING" };
  const damaged = "the encrypted value is damaged";
  const restore =
    "Restore the line from version control, or set the value again in clear text and encrypt the file";

  it.each([
    ["not base64", "encrypted:@@@@", "it is not base64"],
    ["empty", "encrypted:", "it is too short to be a dotenvx ciphertext"],
    ["truncated", BY_DOTENVX.location.slice(0, 60), "it is too short to be a dotenvx ciphertext"],
    [
      "a compressed ephemeral key",
      withByte(BY_DOTENVX.location, 0, 6),
      "its ephemeral public key is not a secp256k1 point",
    ],
    [
      "an ephemeral key off the curve",
      withByte(BY_DOTENVX.location, 64, 1),
      "its ephemeral public key is not a secp256k1 point",
    ],
  ])("decryptValue() reports %s as DotenvxCiphertextCorrupted", (_, value, reason) => {
    const e = thrown(() => decryptValue(PRIVATE, value, { at }));
    expect(isEnvFileError(e)).toBe(true);
    expect(e).toMatchObject({ code: "DotenvxCiphertextCorrupted", path: "/repo/.env" });
    expect(e.message).toBe(
      `Cannot decrypt AZURE_QUANTUM_CONNECTION_STRING in /repo/.env: ${damaged} (${reason}). ${restore}`,
    );
  });

  it("decryptValue() without a key that authenticates: DotenvxPrivateKeyWrong", () => {
    const other = generateKeyPair().privateKey;
    const e = thrown(() => decryptValue(other, BY_DOTENVX.location));
    expect(e).toMatchObject({ code: "DotenvxPrivateKeyWrong", path: "" });
    expect(e.message).toBe(
      "Cannot decrypt the value: the private key from the privateKeys argument does not decrypt it. " +
        "Use the private key of the public key it was encrypted for",
    );
    const changed = withByte(BY_DOTENVX.location, -1, 1);
    expect(thrown(() => decryptValue(PRIVATE, changed))).toMatchObject({
      code: "DotenvxPrivateKeyWrong",
    });
    expectNoLeak(e, other.reveal(), "eastus", BY_DOTENVX.location.slice(10, 40));
  });

  it.each([
    ["not hex", "z".repeat(64)],
    ["too short", PRIVATE.slice(2)],
    ["zero", "0".repeat(64)],
    ["the group order", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"],
    ["a comma list of nothing", " , ,"],
  ])("decryptValue() with a private key that is %s: DotenvxPrivateKeyInvalid", (_, key) => {
    const e = thrown(() => decryptValue(key, BY_DOTENVX.location, { at }));
    expect(e).toMatchObject({ code: "DotenvxPrivateKeyInvalid", path: "/repo/.env" });
    expect(e.message).toBe(
      "Cannot decrypt AZURE_QUANTUM_CONNECTION_STRING in /repo/.env: the privateKeys argument holds " +
        "no valid private key (64 hex digits, several separated by commas). Copy the whole " +
        "DOTENV_PRIVATE_KEY value from the .env.keys file that dotenvx wrote",
    );
    if (key.trim() !== "") expectNoLeak(e, key);
  });

  it("publicKeyOf() with an invalid key: DotenvxPrivateKeyInvalid", () => {
    expect(thrown(() => publicKeyOf("0x" + PRIVATE)).message).toBe(
      "Cannot derive the public key: the privateKey argument holds no valid private key (64 hex " +
        "digits, several separated by commas). Copy the whole DOTENV_PRIVATE_KEY value from the " +
        ".env.keys file that dotenvx wrote",
    );
  });

  it.each([
    ["not hex", "zz" + PUBLIC.slice(2)],
    ["a wrong prefix", "05" + PUBLIC.slice(2)],
    ["not on the curve", "02" + "0".repeat(64)],
  ])("encryptValue() with a public key that is %s: DotenvxPublicKeyInvalid", (_, key) => {
    const e = thrown(() =>
      encryptValue(key, CONNECTION, { at, publicKeyName: "DOTENV_PUBLIC_KEY_CI" })
    );
    expect(e).toMatchObject({ code: "DotenvxPublicKeyInvalid", path: "/repo/.env" });
    expect(e.message).toBe(
      "Cannot encrypt AZURE_QUANTUM_CONNECTION_STRING for /repo/.env: DOTENV_PUBLIC_KEY_CI is not a " +
        "secp256k1 public key (66 hex digits starting with 02 or 03). Restore the DOTENV_PUBLIC_KEY_CI " +
        "line that dotenvx wrote, from version control",
    );
    expectNoLeak(e, CONNECTION, "k3y/With");
  });
});
