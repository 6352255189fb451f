import type { EncryptEnvFileOptions, EnvEncryptionData } from "./config/encrypt_in_place.ts";
import { DataResult, type MimeBundle } from "./displayable.ts";
import { renderEnvEncryption } from "./render/env_encryption_card.ts";

/** The fields of an {@link EnvEncryptionReport}. */
export interface EnvEncryptionReport extends Readonly<EnvEncryptionData> {}

/**
 * What `encryptEnvFile()` changed: the variables it encrypted, the key pair by name and
 * fingerprint, where the private key is, warnings, and what to do next. Renders as a card; holds
 * no value and no key.
 *
 * @example Usage
 * ```ts
 * import { encryptEnvFile } from "azure-quantum-notebook";
 * const report = await encryptEnvFile(".env");
 * report.encrypted; // ["AZURE_QUANTUM_CONNECTION_STRING"]
 * report.nextSteps.forEach((step) => console.log(step));
 * ```
 */
export class EnvEncryptionReport extends DataResult<EnvEncryptionData> {
  /** The card: what was encrypted, the keys by fingerprint, warnings, next steps. */
  toMimeBundle(): MimeBundle {
    return renderEnvEncryption(this);
  }
}

/**
 * Encrypts the secrets of a clear-text `.env` in place, in the dotenvx format that
 * `connect()`, `loadConnection()` and the dotenvx tools read: by default the connection string and
 * the Entra credential secrets (`SECRET_ENV_VARIABLES`), or the `variables` you name, or `"all"`.
 *
 * A file without a key pair gets one, as `dotenvx encrypt` makes it: the private key
 * (`DOTENV_PRIVATE_KEY`, or `DOTENV_PRIVATE_KEY_<ENVIRONMENT>` for `.env.<environment>`) is
 * appended to `.env.keys` beside the file (0600) BEFORE the `.env` changes, so a crash never leaves
 * encrypted values without their key; then `DOTENV_PUBLIC_KEY` goes on top of the `.env` and the
 * values are replaced in one atomic write that keeps every other line. A private key already set
 * (the `privateKey` option, the environment, `.env.keys`) is used instead of a new pair. Values
 * already encrypted are left as they are, so running it twice changes nothing.
 *
 * @param path The `.env` file. @default the `.env` `connect()` would read (searched from `cwd`)
 * @param options Which variables, where to look for keys, the git check.
 * @returns A report of what changed, with a warning when `.env.keys` is not ignored by git.
 * @throws {EnvFileError} `"EnvFileNotFound"`, a `Dotenvx…` code when the keys found do not fit the
 * file, or `"EnvFileWriteFailed"`; nothing is changed then, and no message holds a value.
 * @example Encrypt the connection string of the project's `.env`
 * ```ts
 * import { connect, encryptEnvFile } from "azure-quantum-notebook";
 * const report = await encryptEnvFile(); // the .env connect() reads
 * report; // shows what changed and what to do next
 * const ws = await connect(); // decrypts it with the key in .env.keys
 * ```
 */
export async function encryptEnvFile(
  path?: string,
  options: EncryptEnvFileOptions = {},
): Promise<EnvEncryptionReport> {
  // The encryption and the .env writer are imported on first call (bench/ row 1).
  const { encryptInPlace } = await import("./config/encrypt_in_place.ts");
  return new EnvEncryptionReport(await encryptInPlace(path, options));
}
