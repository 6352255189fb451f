/**
 * One encrypted `.env`: its key names and public key, decrypting its values with the private key
 * found for it, and encrypting new values for it. What the loader and the writer call.
 *
 * @module
 */

import type { EnvFileDecryption } from "../connection/connection_info.ts";
import { Secret } from "../connection/secret.ts";
import { dotenvxKeyNames, isEncryptedValue } from "./dotenvx.ts";
import {
  damagedEphemeralKey,
  decodeCiphertext,
  encryptValue,
  normalizePublicKey,
  publicKeyOf,
  tryDecrypt,
  validPrivateKeys,
} from "./dotenvx_crypto.ts";
import {
  ciphertextCorrupted,
  type DotenvxValueRef,
  keyPairMismatch,
  privateKeyMissing,
  privateKeyWrong,
  publicKeyInvalid,
  publicKeyMissing,
} from "./dotenvx_errors.ts";
import {
  findPrivateKey,
  type FindPrivateKeyOptions,
  type FoundPrivateKey,
  type PrivateKeySearch,
} from "./dotenvx_private_key.ts";

/**
 * A `.env` file read as dotenvx reads it. The file's variables and any private key stay in private
 * fields: inspecting, spreading or serializing the object shows names and the public key only.
 * The private key is looked for once, on the first call that needs it.
 */
export class DotenvxEnvFile {
  /** The `.env` file. */
  readonly path: string;
  /** `DOTENV_PUBLIC_KEY[_<ENVIRONMENT>]`: the file's own, else the one dotenvx would write. */
  readonly publicKeyName: string;
  /** `DOTENV_PRIVATE_KEY[_<ENVIRONMENT>]`, matching {@link publicKeyName}. */
  readonly privateKeyName: string;
  /** The public key as the file holds it, or `undefined` (a clear-text file). */
  readonly publicKey: string | undefined;
  readonly #vars: Record<string, string>;
  readonly #options: FindPrivateKeyOptions;
  #search: PrivateKeySearch | undefined;
  #pairs: KeyPair[] | undefined;
  #normalized: string | undefined;
  #usedKey: Secret | undefined;
  readonly #decrypted = new Set<string>();

  /**
   * @param path The `.env` file (its folder is where `.env.keys` is looked for).
   * @param vars Its variables, as `dotenv`'s `parse` reads them (in file order).
   * @param options Where to look for the private key.
   */
  constructor(path: string, vars: Record<string, string>, options: FindPrivateKeyOptions = {}) {
    this.path = path;
    const names = dotenvxKeyNames(path, vars);
    this.publicKeyName = names.publicKeyName;
    this.privateKeyName = names.privateKeyName;
    const publicKey = vars[names.publicKeyName];
    this.publicKey = publicKey === undefined || publicKey === "" ? undefined : publicKey;
    this.#vars = { ...vars };
    this.#options = options;
  }

  /** The variables whose values are `encrypted:`, in file order. */
  get encryptedVariables(): string[] {
    return Object.keys(this.#vars).filter((name) => isEncryptedValue(this.#vars[name]));
  }

  /** True when `variable` holds an `encrypted:` value. */
  isEncrypted(variable: string): boolean {
    return isEncryptedValue(this.#vars[variable]);
  }

  /**
   * The value of `variable`, decrypted when it is `encrypted:` (a clear value, which dotenvx also
   * allows, comes back as it is). Among the private keys found, those of the file's public key are
   * tried first, then the others (a comma-separated list may hold an older key).
   *
   * @throws {TypeError} when the file has no such variable.
   * @throws {EnvFileError} `"DotenvxPublicKeyMissing"`, `"DotenvxPublicKeyInvalid"`,
   * `"DotenvxCiphertextCorrupted"`, `"DotenvxPrivateKeyMissing"`, `"DotenvxPrivateKeyInvalid"`,
   * `"DotenvxKeyPairMismatch"` (a key decrypts it but is not the file's), `"DotenvxPrivateKeyWrong"`
   * or `"DotenvxKeysFileReadFailed"`.
   */
  decrypt(variable: string): Secret {
    const value = this.#value(variable);
    if (!isEncryptedValue(value)) return new Secret(value);
    const at: DotenvxValueRef = { path: this.path, variable };
    const publicKey = this.#publicKey("decrypt", at);
    const payload = decodeCiphertext(value, at);
    const found = this.#found(at);
    const pairs = this.#keyPairs("decrypt", at, found);
    const own = pairs.filter((pair) => pair.publicKey === publicKey);
    const others = pairs.filter((pair) => pair.publicKey !== publicKey);
    for (const { privateKey } of [...own, ...others]) {
      const plain = tryDecrypt(privateKey, payload);
      if (plain === undefined) continue;
      if (own.length === 0) {
        throw keyPairMismatch("decrypt", at, found.description, this.publicKeyName, true);
      }
      this.#usedKey = privateKey;
      this.#decrypted.add(variable);
      return plain;
    }
    const damaged = damagedEphemeralKey(payload, at);
    if (damaged) throw damaged;
    if (own.length > 0) {
      throw ciphertextCorrupted(
        at,
        `it does not decrypt with the private key of ${this.publicKeyName}: it was changed, or encrypted for another key`,
      );
    }
    throw privateKeyWrong(at, found.description, this.privateKeyName, this.publicKeyName);
  }

  /**
   * `plaintext` encrypted for this file's public key (`encrypted:` + base64), to be written as the
   * value of `variable`. When a private key is found for the file, it must belong to the public key
   * first, so that what is written can be read back; without one (a machine that only encrypts, as
   * dotenvx allows) the public key alone is used.
   *
   * @throws {EnvFileError} `"DotenvxPublicKeyMissing"` (encrypt the file first),
   * `"DotenvxPublicKeyInvalid"`, `"DotenvxKeyPairMismatch"`, `"DotenvxPrivateKeyInvalid"` or
   * `"DotenvxKeysFileReadFailed"`.
   */
  encrypt(variable: string, plaintext: string | Secret): string {
    const at: DotenvxValueRef = { path: this.path, variable };
    const publicKey = this.#publicKey("encrypt", at);
    this.#checkPair("encrypt", at);
    return encryptValue(publicKey, plaintext, { at, publicKeyName: this.publicKeyName });
  }

  /**
   * The private key found for this file, checked against its public key; `undefined` when none is
   * found. Call it before writing, to fail before anything changes.
   *
   * @throws {EnvFileError} `"DotenvxPublicKeyMissing"`, `"DotenvxPublicKeyInvalid"`,
   * `"DotenvxPrivateKeyInvalid"`, `"DotenvxKeyPairMismatch"` or `"DotenvxKeysFileReadFailed"`.
   */
  checkPrivateKey(variable = this.privateKeyName): FoundPrivateKey | undefined {
    const at: DotenvxValueRef = { path: this.path, variable };
    this.#publicKey("encrypt", at);
    return this.#checkPair("encrypt", at);
  }

  /**
   * What has been decrypted so far and with which key (its fingerprint and where it was found), for
   * display; `undefined` before the first decryption of an `encrypted:` value.
   */
  decryption(): EnvFileDecryption | undefined {
    const found = this.#search?.found;
    if (this.#usedKey === undefined || found === undefined) return undefined;
    return {
      path: this.path,
      variables: [...this.#decrypted],
      privateKeyName: this.privateKeyName,
      privateKeyFingerprint: this.#usedKey.fingerprint,
      privateKeySource: found.description,
    };
  }

  /** Names and public key only. */
  toJSON(): Record<string, unknown> {
    return {
      path: this.path,
      publicKeyName: this.publicKeyName,
      publicKey: this.publicKey,
      privateKeyName: this.privateKeyName,
      encryptedVariables: this.encryptedVariables,
    };
  }

  #value(variable: string): string {
    const value = this.#vars[variable];
    if (value === undefined) {
      throw new TypeError(`Cannot decrypt ${variable}: ${this.path} has no such variable`);
    }
    return value;
  }

  #publicKey(op: "decrypt" | "encrypt", at: DotenvxValueRef): string {
    if (this.publicKey === undefined) {
      throw publicKeyMissing(op, at, this.publicKeyName, op === "decrypt" || this.encryptedVariables.length > 0);
    }
    this.#normalized ??= normalizePublicKey(this.publicKey);
    if (this.#normalized === undefined) throw publicKeyInvalid(op, at, this.publicKeyName);
    return this.#normalized;
  }

  // Each key's public key is derived once per file: a derivation costs a point multiplication.
  #keyPairs(op: "decrypt" | "encrypt", at: DotenvxValueRef, found: FoundPrivateKey): KeyPair[] {
    this.#pairs ??= validPrivateKeys(found.value, {
      at,
      keySource: found.description,
      privateKeyName: this.privateKeyName,
      publicKeyName: this.publicKeyName,
    }, op).map((privateKey) => ({ privateKey, publicKey: publicKeyOf(privateKey) }));
    return this.#pairs;
  }

  #lookup(): PrivateKeySearch {
    this.#search ??= findPrivateKey(
      this.path,
      { publicKeyName: this.publicKeyName, privateKeyName: this.privateKeyName },
      this.#options,
    );
    return this.#search;
  }

  #found(at: DotenvxValueRef): FoundPrivateKey {
    const search = this.#lookup();
    if (search.found === undefined) {
      throw privateKeyMissing(at, this.privateKeyName, this.publicKeyName, search.keysPath);
    }
    return search.found;
  }

  #checkPair(op: "encrypt", at: DotenvxValueRef): FoundPrivateKey | undefined {
    const found = this.#lookup().found;
    if (found === undefined) return undefined;
    const publicKey = this.#publicKey(op, at);
    if (!this.#keyPairs(op, at, found).some((pair) => pair.publicKey === publicKey)) {
      throw keyPairMismatch(op, at, found.description, this.publicKeyName, false);
    }
    return found;
  }
}

interface KeyPair {
  privateKey: Secret;
  /** Compressed, lower-case hex. */
  publicKey: string;
}
