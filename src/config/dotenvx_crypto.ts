/**
 * dotenvx's cryptography: secp256k1 ECIES as `eciesjs` does it with its default configuration,
 * which is what dotenvx uses (through `@dotenvx/primitives`, a bundle of `eciesjs`): an ephemeral
 * key pair, the shared point (uncompressed), HKDF-SHA256 over ephemeral public key (uncompressed,
 * 65 bytes) ‖ shared point, AES-256-GCM with a 16-byte nonce. A value is `encrypted:` + base64 of
 * ephemeral public key (65) ‖ nonce (16) ‖ tag (16) ‖ ciphertext. Public keys are compressed
 * (33 bytes, 66 hex digits); private keys are 32 bytes (64 hex digits).
 *
 * `eciesjs` is loaded on the first call, never at import (bench/ row 1), with `require` so that the
 * functions stay synchronous for the synchronous `loadConnection()`. Its global `ECIES_CONFIG` is
 * not used: every call passes a configuration of its own, so another library in the process that
 * changes the global cannot change what this module writes.
 *
 * @module
 */

import { nodeProcess } from "../_builtins.ts";
import { Secret } from "../connection/secret.ts";
import { ENCRYPTED_PREFIX, isEncryptedValue, splitPrivateKeys } from "./dotenvx.ts";
import {
  ciphertextCorrupted,
  type DotenvxOperation,
  type DotenvxValueRef,
  privateKeyInvalid,
  privateKeyWrong,
  publicKeyInvalid,
} from "./dotenvx_errors.ts";

type EciesModule = typeof import("eciesjs");
type EciesConfig = import("eciesjs/config").Config;

interface Ecies {
  lib: EciesModule;
  config: EciesConfig;
}

let loaded: Ecies | undefined;

function ecies(): Ecies {
  if (loaded !== undefined) return loaded;
  const nodeModule = nodeProcess().getBuiltinModule?.("node:module") as
    | typeof import("node:module")
    | undefined;
  if (!nodeModule) {
    throw new Error(
      "Cannot load eciesjs: process.getBuiltinModule is missing (Node >= 20.16 or Deno 2 needed)",
    );
  }
  const require = nodeModule.createRequire(import.meta.url);
  const lib = require("eciesjs") as EciesModule;
  const { Config } = require("eciesjs/config") as typeof import("eciesjs/config");
  const config = new Config();
  config.ellipticCurve = "secp256k1";
  config.isEphemeralKeyCompressed = false;
  config.isHkdfKeyCompressed = false;
  config.symmetricAlgorithm = "aes-256-gcm";
  config.symmetricNonceLength = 16;
  loaded = { lib, config };
  return loaded;
}

const EPHEMERAL_KEY_BYTES = 65;
const NONCE_BYTES = 16;
const TAG_BYTES = 16;
const PRIVATE_KEY_HEX = /^[0-9a-fA-F]{64}$/;
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const PUBLIC_KEY_HEX = /^(?:0[23][0-9a-fA-F]{64}|04[0-9a-fA-F]{128})$/;

/** What the error of a failed call names: the value, where its key came from, the variables. */
export interface DotenvxCallContext {
  /** The file and variable concerned; without it, messages say "the value". */
  at?: DotenvxValueRef;
  /** Where the private key came from, in words. @default "the privateKeys argument" */
  keySource?: string;
  /** @default "DOTENV_PRIVATE_KEY" */
  privateKeyName?: string;
  /** @default "DOTENV_PUBLIC_KEY" */
  publicKeyName?: string;
}

/** A key pair as dotenvx makes it. */
export interface DotenvxKeyPair {
  /** Compressed secp256k1 public key, 66 lower-case hex digits (goes into the `.env`). */
  publicKey: string;
  /** 64 lower-case hex digits (goes into `.env.keys` or the environment, never the `.env`). */
  privateKey: Secret;
}

/** A new random key pair, as `dotenvx encrypt` creates for a file without one. */
export function generateKeyPair(): DotenvxKeyPair {
  const { lib, config } = ecies();
  const key = new lib.PrivateKey(undefined, config.ellipticCurve);
  return { publicKey: key.publicKey.toHex(true), privateKey: new Secret(key.toHex()) };
}

/**
 * True for a valid secp256k1 private key in dotenvx's form: 64 hex digits of a number between 1 and
 * the group order. Checked without the cryptography library (no point multiplication).
 */
export function isPrivateKeyHex(text: string): boolean {
  if (!PRIVATE_KEY_HEX.test(text)) return false;
  const k = BigInt(`0x${text}`);
  return k > 0n && k < SECP256K1_ORDER;
}

/** The compressed public key (66 hex digits) of a private key, or `undefined` when invalid. */
function derive(privateKey: string): string | undefined {
  if (!isPrivateKeyHex(privateKey)) return undefined;
  const { lib, config } = ecies();
  return lib.PrivateKey.fromHex(privateKey, config.ellipticCurve).publicKey.toHex(true);
}

/**
 * The compressed public key (66 lower-case hex digits) of one private key.
 *
 * @throws {EnvFileError} `"DotenvxPrivateKeyInvalid"` when it is not 64 hex digits of a valid key.
 */
export function publicKeyOf(privateKey: Secret | string, context: DotenvxCallContext = {}): string {
  const text = typeof privateKey === "string" ? privateKey : privateKey.reveal();
  const publicKey = derive(text.trim());
  if (publicKey === undefined) {
    throw invalidKey("derive", { keySource: "the privateKey argument", ...context });
  }
  return publicKey;
}

/** `publicKey` in compressed lower-case hex, or `undefined` when it is not a secp256k1 point. */
export function normalizePublicKey(publicKey: string): string | undefined {
  if (!PUBLIC_KEY_HEX.test(publicKey)) return undefined;
  const { lib, config } = ecies();
  try {
    return lib.PublicKey.fromHex(publicKey, config.ellipticCurve).toHex(true);
  } catch {
    return undefined;
  }
}

/** True when `privateKey` is valid and its public key is `publicKey` (either form, any case). */
export function keyPairMatches(privateKey: Secret | string, publicKey: string): boolean {
  const text = typeof privateKey === "string" ? privateKey : privateKey.reveal();
  const derived = derive(text.trim());
  return derived !== undefined && derived === normalizePublicKey(publicKey);
}

/**
 * Encrypts `plaintext` (UTF-8) for `publicKey`: `encrypted:` + base64, readable by dotenvx with the
 * matching private key. Each call uses a fresh ephemeral key, so the same text encrypts differently.
 *
 * @throws {EnvFileError} `"DotenvxPublicKeyInvalid"` when `publicKey` is not a secp256k1 point.
 */
export function encryptValue(
  publicKey: string,
  plaintext: string | Secret,
  context: DotenvxCallContext = {},
): string {
  const { lib, config } = ecies();
  const key = normalizePublicKey(publicKey);
  if (key === undefined) {
    throw publicKeyInvalid("encrypt", context.at, context.publicKeyName ?? "DOTENV_PUBLIC_KEY");
  }
  const text = typeof plaintext === "string" ? plaintext : plaintext.reveal();
  const payload = lib.encrypt(key, new TextEncoder().encode(text), config);
  return ENCRYPTED_PREFIX + toBase64(payload);
}

/**
 * The ECIES payload of an `encrypted:` value, checked for shape (base64, long enough, an
 * uncompressed ephemeral key) before any key is tried. Whether that key is a curve point is only
 * checked when no key decrypts the value ({@link ephemeralKeyValid}), as it costs a multiplication.
 *
 * @throws {EnvFileError} `"DotenvxCiphertextCorrupted"` naming what is wrong (never the value).
 */
export function decodeCiphertext(value: string, at?: DotenvxValueRef): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(value.slice(ENCRYPTED_PREFIX.length));
  } catch {
    throw ciphertextCorrupted(at, "it is not base64");
  }
  if (bytes.length < EPHEMERAL_KEY_BYTES + NONCE_BYTES + TAG_BYTES) {
    throw ciphertextCorrupted(at, "it is too short to be a dotenvx ciphertext");
  }
  if (bytes[0] !== 4) throw ciphertextCorrupted(at, BAD_EPHEMERAL_KEY);
  return bytes;
}

const BAD_EPHEMERAL_KEY = "its ephemeral public key is not a secp256k1 point";

/** True when the payload's ephemeral public key is a secp256k1 point. */
export function ephemeralKeyValid(payload: Uint8Array): boolean {
  const { lib, config } = ecies();
  try {
    new lib.PublicKey(payload.subarray(0, EPHEMERAL_KEY_BYTES), config.ellipticCurve);
    return true;
  } catch {
    return false;
  }
}

/** The error for a payload that no key decrypts because its ephemeral key is damaged, if it is. */
export function damagedEphemeralKey(payload: Uint8Array, at?: DotenvxValueRef) {
  return ephemeralKeyValid(payload) ? undefined : ciphertextCorrupted(at, BAD_EPHEMERAL_KEY);
}

/** The plain text of `payload` with one private key, or `undefined` when it does not authenticate. */
export function tryDecrypt(privateKey: Secret, payload: Uint8Array): Secret | undefined {
  const { lib, config } = ecies();
  try {
    const plain = lib.decrypt(privateKey.reveal(), payload, config);
    return new Secret(new TextDecoder().decode(plain));
  } catch {
    return undefined; // AES-GCM authentication failed: another key, or a changed value
  }
}

/**
 * The valid private keys among `keys` (each may hold several, comma-separated, as dotenvx allows).
 * Invalid ones are skipped, as dotenvx skips them.
 *
 * @throws {EnvFileError} `"DotenvxPrivateKeyInvalid"` when none is valid.
 */
export function validPrivateKeys(
  keys: Secret | string | readonly (Secret | string)[],
  context: DotenvxCallContext = {},
  op: DotenvxOperation = "decrypt",
): Secret[] {
  const list = Array.isArray(keys) ? keys : [keys as Secret | string];
  const valid = list.flatMap((k) => splitPrivateKeys(k)).filter((k) => isPrivateKeyHex(k.reveal()));
  if (valid.length === 0) throw invalidKey(op, context);
  return valid;
}

/**
 * Decrypts a dotenvx value with the first of `privateKeys` that authenticates it (each entry may
 * hold several keys separated by commas, tried in order, as dotenvx does). A value without the
 * `encrypted:` prefix comes back unchanged, as with dotenvx's `decrypt`. The plain text comes back
 * as a {@link Secret}.
 *
 * @throws {EnvFileError} `"DotenvxCiphertextCorrupted"`, `"DotenvxPrivateKeyInvalid"` or
 * `"DotenvxPrivateKeyWrong"`.
 */
export function decryptValue(
  privateKeys: Secret | string | readonly (Secret | string)[],
  value: string,
  context: DotenvxCallContext = {},
): Secret {
  if (!isEncryptedValue(value)) return new Secret(value);
  const payload = decodeCiphertext(value, context.at);
  for (const key of validPrivateKeys(privateKeys, context)) {
    const plain = tryDecrypt(key, payload);
    if (plain !== undefined) return plain;
  }
  throw damagedEphemeralKey(payload, context.at) ?? privateKeyWrong(
    context.at,
    context.keySource ?? "the privateKeys argument",
    context.privateKeyName ?? "DOTENV_PRIVATE_KEY",
  );
}

function invalidKey(op: DotenvxOperation, context: DotenvxCallContext) {
  return privateKeyInvalid(
    op,
    context.at,
    context.keySource ?? "the privateKeys argument",
    context.privateKeyName ?? "DOTENV_PRIVATE_KEY",
  );
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
