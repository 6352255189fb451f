/**
 * The errors of encrypted `.env` files: `EnvFileError`s whose message names the file, the variable
 * and the fix, never a value (no key, no ciphertext, no plain text).
 *
 * @module
 */

import type { ErrorCode } from "../error_codes.ts";
import { ConfigurationError, EnvFileError } from "../errors.ts";

/** The `code` of every error this module's dotenvx support throws (the `Dotenvx…` codes of {@link ErrorCode}). */
export type DotenvxErrorCode = Extract<ErrorCode, `Dotenvx${string}`>;

/** Which value an operation was about, for the message. */
export interface DotenvxValueRef {
  /** The `.env` file. */
  path: string;
  /** The variable whose value is decrypted or encrypted. */
  variable: string;
}

/** Where a private key came from, in words: `the DOTENV_PRIVATE_KEY environment variable`. */
export type KeySourceText = string;

/** What was being done: decrypting or encrypting a value, or deriving a key's public key. */
export type DotenvxOperation = "decrypt" | "encrypt" | "derive";

function subject(op: DotenvxOperation, at: DotenvxValueRef | undefined): string {
  if (op === "derive") return "Cannot derive the public key";
  if (at === undefined) return `Cannot ${op} the value`;
  return `Cannot ${op} ${at.variable} ${op === "decrypt" ? "in" : "for"} ${at.path}`;
}

function fail(
  code: DotenvxErrorCode,
  message: string,
  path: string | undefined,
): EnvFileError {
  return new EnvFileError(code, message, path ?? "");
}

/**
 * A file that declares no public key: decrypting an encrypted value of it, or encrypting for it
 * (`holdsEncrypted`: the file has encrypted values already, so its key line was lost, not never made).
 */
export function publicKeyMissing(
  op: "decrypt" | "encrypt",
  at: DotenvxValueRef,
  publicKeyName: string,
  holdsEncrypted: boolean = op === "decrypt",
): EnvFileError {
  const restore =
    `Restore the ${publicKeyName} line that dotenvx wrote at the top of the file (from version control)`;
  const fix = op === "decrypt"
    ? `${restore}, or set the value again in clear text and encrypt the file`
    : holdsEncrypted
    ? restore
    : `Encrypt the file first, which creates ${publicKeyName} and its private key`;
  const held = op === "decrypt" ? " but holds an encrypted value" : holdsEncrypted ? " but holds encrypted values" : "";
  return fail(
    "DotenvxPublicKeyMissing",
    `${subject(op, at)}: the file declares no ${publicKeyName}${held}. ${fix}`,
    at.path,
  );
}

/** The public key in the file (or given) is not a secp256k1 point. */
export function publicKeyInvalid(
  op: "decrypt" | "encrypt",
  at: DotenvxValueRef | undefined,
  publicKeyName: string,
): EnvFileError {
  return fail(
    "DotenvxPublicKeyInvalid",
    `${subject(op, at)}: ${publicKeyName} is not a secp256k1 public key ` +
      `(66 hex digits starting with 02 or 03). Restore the ${publicKeyName} line that dotenvx wrote, from version control`,
    at?.path,
  );
}

/** No private key in any place that was searched. */
export function privateKeyMissing(
  at: DotenvxValueRef,
  privateKeyName: string,
  publicKeyName: string,
  keysPath: string,
): EnvFileError {
  return fail(
    "DotenvxPrivateKeyMissing",
    `${subject("decrypt", at)}: no private key was found (looked for the ${privateKeyName} ` +
      `environment variable and for ${privateKeyName} in ${keysPath}). Set ${privateKeyName} to the ` +
      `private key of ${publicKeyName}, or put the .env.keys file that dotenvx wrote beside ${at.path}`,
    at.path,
  );
}

/** The private key is not 64 hex digits, or not a valid secp256k1 scalar. */
export function privateKeyInvalid(
  op: DotenvxOperation,
  at: DotenvxValueRef | undefined,
  source: KeySourceText,
  privateKeyName: string,
): EnvFileError {
  return fail(
    "DotenvxPrivateKeyInvalid",
    `${subject(op, at)}: ${source} holds no valid private key (64 hex digits, several separated ` +
      `by commas). Copy the whole ${privateKeyName} value from the .env.keys file that dotenvx wrote`,
    at?.path,
  );
}

/** The private key neither belongs to the file's public key nor decrypts the value. */
export function privateKeyWrong(
  at: DotenvxValueRef | undefined,
  source: KeySourceText,
  privateKeyName: string,
  publicKeyName?: string,
): EnvFileError {
  const what = publicKeyName === undefined
    ? `the private key from ${source} does not decrypt it`
    : `the private key from ${source} does not decrypt it and does not belong to ${publicKeyName} in the file`;
  const fix = at === undefined
    ? "Use the private key of the public key it was encrypted for"
    : `Use the ${privateKeyName} that was created with this file (in the .env.keys file beside it where it was encrypted)`;
  return fail("DotenvxPrivateKeyWrong", `${subject("decrypt", at)}: ${what}. ${fix}`, at?.path);
}

/** The private key is valid but its public key is not the one the file declares. */
export function keyPairMismatch(
  op: "decrypt" | "encrypt",
  at: DotenvxValueRef,
  source: KeySourceText,
  publicKeyName: string,
  decrypts: boolean,
): EnvFileError {
  const what = decrypts
    ? `the private key from ${source} decrypts it but does not belong to ${publicKeyName} in the ` +
      `file, so values encrypted for that public key could not be read back`
    : `the private key from ${source} does not belong to ${publicKeyName} in the file`;
  return fail(
    "DotenvxKeyPairMismatch",
    `${subject(op, at)}: ${what}. Restore ${publicKeyName} from version control, or use the ` +
      `private key that belongs to it`,
    at.path,
  );
}

/** The value is not a dotenvx ciphertext, or fails authentication with the right key. */
export function ciphertextCorrupted(
  at: DotenvxValueRef | undefined,
  reason: string,
): EnvFileError {
  return fail(
    "DotenvxCiphertextCorrupted",
    `${subject("decrypt", at)}: the encrypted value is damaged (${reason}). Restore the line ` +
      `from version control, or set the value again in clear text and encrypt the file`,
    at?.path,
  );
}

/** `.env.keys` exists but could not be read. */
export function keysFileReadFailed(
  keysPath: string,
  privateKeyName: string,
  code: string | undefined,
): EnvFileError {
  return fail(
    "DotenvxKeysFileReadFailed",
    `Cannot read ${keysPath}: the file could not be read${code ? ` (${code})` : ""}. Make it ` +
      `readable by this user (chmod 600 ${keysPath}), or set ${privateKeyName} in the environment`,
    keysPath,
  );
}

/**
 * An `encrypted:` value in the process environment (say from `node --env-file` on an encrypted
 * file): only a `.env` file, with its public key and private key, is decrypted.
 */
export function encryptedInEnvironment(variable: string): ConfigurationError {
  return new ConfigurationError(
    "DotenvxValueInEnvironment",
    `Cannot load connection: env ${variable} holds a dotenvx-encrypted value ("encrypted:…"), ` +
      "which is only decrypted when read from a .env file. Unset it and let connect() read the " +
      "encrypted .env, or start the process with dotenvx run -- …",
  );
}
