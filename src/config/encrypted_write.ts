/**
 * Keeping an encrypted `.env` encrypted: what a `.env` writer calls on the text it has read, before
 * its edit. A dotenvx file (one that declares `DOTENV_PUBLIC_KEY…` or holds an `encrypted:` value)
 * gets every new value encrypted for its public key, never clear text. A clear-text file stays clear
 * unless encryption is asked for; then its key pair is made first, and the private key is written to
 * `.env.keys` before the `.env` changes, so a crash never leaves encrypted values without their key.
 *
 * @module
 */

import { parseDotenv, path as nodePath } from "../_builtins.ts";
import type { Secret } from "../connection/secret.ts";
import { EnvFileError } from "../errors.ts";
import {
  addPublicKeyHeader,
  appendPrivateKeyEntry,
  type DotenvxKeyNames,
  dotenvxKeyNames,
  isDotenvxFile,
} from "./dotenvx.ts";
import { generateKeyPair, publicKeyOf, validPrivateKeys } from "./dotenvx_crypto.ts";
import { DotenvxEnvFile } from "./dotenvx_env_file.ts";
import { findPrivateKey, type FoundPrivateKey } from "./dotenvx_private_key.ts";
import { readTextFileSync } from "./env_file.ts";
import type { EnvDecryptOptions } from "./env_file_values.ts";
import { lockPathFor, withFileLock } from "./file_lock.ts";
import { type EnvFileSystem, errorCode, writePrivateFile } from "./private_file.ts";

/** Options of {@link prepareEncryptedWrite}. */
export interface EncryptedWriteOptions extends EnvDecryptOptions {
  /** The variable about to be written, for messages. */
  variable?: string;
  /** Encrypt also when the file is clear text or new: its key pair is made first. @default false */
  encrypt?: boolean;
  /** Tells whether git ignores a path; `false` skips the `.env.keys` check. */
  isIgnoredByGit?: ((path: string) => Promise<boolean | undefined>) | false;
  /** Replacements for `node:fs/promises` calls (the `.env.keys` write). */
  fs?: Partial<EnvFileSystem>;
}

/** How to write into one encrypted `.env`: its text to edit and the encryption of new values. */
export interface EncryptedWrite {
  /** The text to edit: as read, with dotenvx's public-key header on top when the pair was just made. */
  text: string;
  /** `DOTENV_PUBLIC_KEY[_<ENVIRONMENT>]`. */
  publicKeyName: string;
  /** `DOTENV_PRIVATE_KEY[_<ENVIRONMENT>]`. */
  privateKeyName: string;
  /** The file's public key (compressed, 66 hex digits). */
  publicKey: string;
  /** The `.env.keys` file a new private key was added to, when this call made the key pair. */
  keysFile: string | undefined;
  /** Where the file's private key is, in words; `undefined` when none is found on this machine. */
  privateKeySource: string | undefined;
  /** The `.env.keys` file that holds the private key, when that is where it is. */
  privateKeyFile: string | undefined;
  /** Advice for the user: `.env.keys` not ignored by git. */
  warnings: string[];
  /** `value` encrypted for the file's public key (`encrypted:…`), to be written as `name`. */
  encrypt(name: string, value: string | Secret): string;
}

/**
 * How to write new values into the `.env` at `path` whose current text is `text`: `undefined` for
 * a clear-text file when `encrypt` is not asked (write clear text), else the encryption to apply.
 * Checks, before anything changes, that a private key found for the file belongs to its public key.
 *
 * @throws {EnvFileError} `"DotenvxPublicKeyMissing"` (encrypted values but no public key),
 * `"DotenvxPublicKeyInvalid"`, `"DotenvxKeyPairMismatch"`, `"DotenvxPrivateKeyInvalid"`,
 * `"DotenvxKeysFileReadFailed"`, or `"EnvFileWriteFailed"` when `.env.keys` cannot be written.
 */
export async function prepareEncryptedWrite(
  path: string,
  text: string,
  options: EncryptedWriteOptions = {},
): Promise<EncryptedWrite | undefined> {
  const vars = parseDotenv(text);
  const keyOptions = {
    privateKey: options.privateKey,
    env: options.env,
    readTextFile: options.readTextFile,
  };
  let edited = text;
  let keysFile: string | undefined;
  if (!isDotenvxFile(vars)) {
    if (options.encrypt !== true) return undefined;
    const names = dotenvxKeyNames(path, vars);
    const pair = await keyPairFor(path, names, options);
    keysFile = pair.keysFile;
    edited = addPublicKeyHeader(text, {
      fileName: nodePath().basename(path),
      publicKeyName: names.publicKeyName,
      publicKey: pair.publicKey,
    });
  }
  const file = new DotenvxEnvFile(path, parseDotenv(edited), keyOptions);
  const found: FoundPrivateKey | undefined = file.checkPrivateKey(options.variable);
  const warnings: string[] = [];
  const keysPath = keysFile ?? (found?.kind === "env-keys" ? found.path : undefined);
  const check = options.isIgnoredByGit ?? false;
  if (
    keysPath !== undefined && check !== false &&
    (await check(keysPath).catch(() => undefined)) === false
  ) {
    warnings.push(
      `${keysPath} is not ignored by git. Add ".env.keys" to .gitignore: it holds the private key that decrypts ${
        nodePath().basename(path)
      }.`,
    );
  }
  return {
    text: edited,
    publicKeyName: file.publicKeyName,
    privateKeyName: file.privateKeyName,
    publicKey: file.publicKey!,
    keysFile,
    privateKeySource: found?.description,
    privateKeyFile: keysPath,
    warnings,
    encrypt: (name, value) => file.encrypt(name, value),
  };
}

/**
 * The public key for a clear-text file that is being encrypted: a private key already set for it
 * (the option, the environment, `.env.keys`) is used, as `dotenvx encrypt` does; else a new pair is
 * made and its private key appended to `.env.keys` (0600) before the caller writes the `.env`.
 */
async function keyPairFor(
  path: string,
  names: DotenvxKeyNames,
  options: EncryptedWriteOptions,
): Promise<{ publicKey: string; keysFile: string | undefined }> {
  const search = findPrivateKey(path, names, options);
  if (search.found !== undefined) {
    const [key] = validPrivateKeys(search.found.value, {
      at: { path, variable: names.privateKeyName },
      keySource: search.found.description,
      privateKeyName: names.privateKeyName,
      publicKeyName: names.publicKeyName,
    }, "encrypt");
    return { publicKey: publicKeyOf(key), keysFile: undefined };
  }
  const pair = generateKeyPair();
  const read = options.readTextFile ?? readTextFileSync;
  // `.env.keys` may hold the keys of several files (`.env`, `.env.production`): its own lock, so
  // two processes encrypting two of them never lose one's private key (taken inside the `.env`'s
  // lock, never the other way round).
  await withFileLock(lockPathFor(search.keysPath), async () => {
    const keysText = appendPrivateKeyEntry(read(search.keysPath) ?? "", {
      privateKeyName: names.privateKeyName,
      privateKey: pair.privateKey,
      fileName: nodePath().basename(path),
    });
    try {
      await writePrivateFile(search.keysPath, keysText.reveal(), { fs: options.fs });
    } catch (e) {
      throw new EnvFileError(
        "EnvFileWriteFailed",
        `Cannot encrypt ${
          nodePath().basename(path)
        }: writing its private key to ${search.keysPath} failed (${
          errorCode(e)
        }); nothing was changed. Check the folder's permissions and free space, then try again`,
        search.keysPath,
      );
    }
  }, { what: search.keysPath });
  return { publicKey: pair.publicKey, keysFile: search.keysPath };
}
