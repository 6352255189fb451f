/**
 * The emulator's env file in the dotenvx format: with `--write-env FILE --encrypt`, or when FILE is
 * encrypted already (then always: clear text never goes into a file that holds ciphertext), every
 * variable the emulator writes (its secrets and its endpoints) is encrypted for the file's public
 * key, the key pair made first when the file has none (private key to `.env.keys` beside it).
 * All of them, not only the secrets: as `dotenvx encrypt` and `dotenvx set` do by default, and as
 * `updateEnvFile` does for any variable it writes into such a file, so no value that was
 * ciphertext (say after `dotenvx encrypt`) ever comes back in clear text, whatever its name.
 *
 * @module
 */
import { parse } from "dotenv";
import { SECRET_ENV_VARIABLES } from "../config/connection_sources.ts";
import { type EncryptedWrite, prepareEncryptedWrite } from "../config/encrypted_write.ts";
import { isDotenvxFile } from "../config/dotenvx.ts";
import { DotenvxEnvFile } from "../config/dotenvx_env_file.ts";
import { gitIgnores } from "../config/git_ignores.ts";

/**
 * The values `names` have in `existing` as they read: an encrypted one decrypted (with
 * `DOTENV_PRIVATE_KEY` or the `.env.keys` beside the file), so that what it points at can be
 * judged. `undefined` for a clear-text file (its own values are what they read).
 *
 * @throws {EnvFileError} a `Dotenvx…` code when an encrypted value cannot be decrypted.
 */
export function readableValues(
  target: string,
  existing: string | undefined,
  names: readonly string[],
): Record<string, string> | undefined {
  if (existing === undefined) return undefined;
  const vars = parse(existing);
  if (!isDotenvxFile(vars)) return undefined;
  const file = new DotenvxEnvFile(target, vars);
  const values = { ...vars };
  for (const name of names) if (file.isEncrypted(name)) values[name] = file.decrypt(name).reveal();
  return values;
}

/** What {@link encryptEmulatorEnv} prepared: the text to merge into and the values to write. */
export interface EncryptedEmulatorEnv {
  /** The existing text, with dotenvx's public-key header on top when the key pair was just made. */
  existing: string | undefined;
  /** The text a new file starts with (the header), before the emulator's lines. */
  header: string;
  /** The emulator's variables, every one encrypted. */
  env: Record<string, string>;
  /** The key pair and where the private key is. */
  encryption: EncryptedWrite;
}

/**
 * Encrypts every one of the emulator's variables for the file at `target` (making its key pair first
 * when it has none: the private key goes to `.env.keys` before the file is written); `undefined`
 * when the file is clear text (or new) and `encrypt` is not asked.
 *
 * @throws {EnvFileError} a `Dotenvx…` code when the keys found do not fit the file, or
 * `"EnvFileWriteFailed"` when `.env.keys` cannot be written.
 */
export async function encryptEmulatorEnv(
  target: string,
  existing: string | undefined,
  env: Record<string, string>,
  encrypt: boolean,
): Promise<EncryptedEmulatorEnv | undefined> {
  const secrets = Object.keys(env).filter((name) => SECRET_ENV_VARIABLES.includes(name));
  const encryption = await prepareEncryptedWrite(target, existing ?? "", {
    encrypt,
    variable: secrets[0],
    isIgnoredByGit: gitIgnores,
  });
  if (encryption === undefined) return undefined;
  const encrypted: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) encrypted[name] = encryption.encrypt(name, value);
  return {
    existing: existing === undefined ? undefined : encryption.text,
    header: existing === undefined ? encryption.text : "",
    env: encrypted,
    encryption,
  };
}
