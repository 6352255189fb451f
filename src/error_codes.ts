/**
 * Every `code` an error of this module can have: a closed list, so a `switch` on it is checked.
 * What a service said in its own words goes elsewhere: `armCode` (Azure Resource Manager) and
 * `serviceCode` (the Azure Quantum data plane).
 *
 * @module
 */

/**
 * Why an error of this module happened: one of a closed list, so a `switch` on it is checked.
 *
 * @example Usage
 * ```ts
 * import type { ErrorCode } from "azure-quantum-notebook";
 * const code: ErrorCode = "Unauthorized";
 * ```
 */
export type ErrorCode =
  /** A connection string, or one of its fields, is malformed or invalid. */
  | "ConnectionStringInvalid"
  /** A connection field is missing from options, environment and `.env`. */
  | "ConnectionNotFound"
  /** Two sources describe different workspaces. */
  | "ConnectionConflict"
  /** The ARM endpoint is not an https URL. */
  | "ArmEndpointInvalid"
  /** The emulator's CA file cannot be read. */
  | "EmulatorCaUnreadable"
  /** An emulator state file cannot be read, parsed or written. */
  | "EmulatorStateInvalid"
  /** An explicit `envFile` does not exist. */
  | "EnvFileNotFound"
  /** A `.env` file exists but cannot be read. */
  | "EnvFileReadFailed"
  /** Writing a `.env` file failed; it was left unchanged. */
  | "EnvFileWriteFailed"
  /** A value cannot be written so that dotenv reads it back unchanged. */
  | "EnvFileValueUnsupported"
  /** The service rejected the key or token (HTTP 401). */
  | "Unauthorized"
  /** The identity lacks a role (HTTP 403). */
  | "Forbidden"
  /** The workspace does not exist (HTTP 404). */
  | "WorkspaceNotFound"
  /** Any other error answer of the service (see `statusCode`, `serviceCode` or `armCode`). */
  | "RequestFailed"
  /** A 200 answer without the expected body. */
  | "InvalidResponse"
  /** A next-page link pointed to another host; the key was not sent there. */
  | "NextLinkUntrusted"
  /** No answer: DNS, refused or dropped connection, TLS failure, timeout. */
  | "NetworkUnreachable"
  /** A change was aborted after it was sent: ARM may still carry it out. */
  | "RequestAborted"
  /** A regenerateKey POST dropped and listKeys shows nothing changed. */
  | "RegenerateNotApplied"
  /** A long-running ARM operation ended `Failed`. */
  | "OperationFailed"
  /** A long-running ARM operation ended `Canceled`. */
  | "OperationCanceled"
  /** A long-running ARM operation did not finish in time. */
  | "OperationTimeout"
  /** The wait for a long-running ARM operation was aborted. */
  | "OperationAborted"
  /** ARM sent an operation URL on another host; the token was not sent there. */
  | "OperationUrlUntrusted"
  /** No Microsoft Entra credential is available (sign in). */
  | "CredentialUnavailable"
  /** The credential failed to get a token. */
  | "CredentialFailed"
  /** listKeys returned no key for the slot asked for. */
  | "KeyNotListed"
  /** Resource Manager knows no role definition of the name given. */
  | "RoleNotFound"
  /** A device-code sign-in did not complete (declined, expired, aborted or refused). */
  | "SignInFailed"
  /** A key rotation stopped part-way (a working key is in place). */
  | "RotationStopped"
  /** An encrypted `.env` (dotenvx) holds an encrypted value but declares no public key. */
  | "DotenvxPublicKeyMissing"
  /** The dotenvx public key of a `.env` is not a secp256k1 public key. */
  | "DotenvxPublicKeyInvalid"
  /** No private key was found for an encrypted `.env` (environment or `.env.keys`). */
  | "DotenvxPrivateKeyMissing"
  /** A dotenvx private key is not 64 hex digits or not a valid secp256k1 key. */
  | "DotenvxPrivateKeyInvalid"
  /** The dotenvx private key does not decrypt the value. */
  | "DotenvxPrivateKeyWrong"
  /** The dotenvx private key does not belong to the public key the `.env` declares. */
  | "DotenvxKeyPairMismatch"
  /** An encrypted `.env` value is damaged. */
  | "DotenvxCiphertextCorrupted"
  /** The `.env.keys` file exists but cannot be read. */
  | "DotenvxKeysFileReadFailed"
  /** An environment variable holds a dotenvx `encrypted:` value (only a `.env` is decrypted). */
  | "DotenvxValueInEnvironment"
  /** A Key Vault reference (`@Microsoft.KeyVault(...)`) is malformed. */
  | "KeyVaultReferenceInvalid"
  /** A Key Vault secret does not hold an Azure Quantum connection string. */
  | "KeyVaultSecretNotConnectionString"
  /** The Key Vault has no such secret or version (HTTP 404). */
  | "KeyVaultSecretNotFound"
  /** No Key Vault of that name exists (its host does not resolve). */
  | "KeyVaultNotFound"
  /** The identity lacks a Key Vault role or access policy (HTTP 403). */
  | "KeyVaultForbidden"
  /** The Key Vault secret version is disabled. */
  | "KeyVaultSecretDisabled"
  /** A deleted Key Vault secret of that name is kept for recovery (soft delete). */
  | "KeyVaultSecretDeleted"
  /** Any other error answer of Key Vault. */
  | "KeyVaultRequestFailed"
  /** Key Vault rejected the credential's token (HTTP 401). */
  | "KeyVaultUnauthorized"
  /** No Microsoft Entra credential could get a token for Key Vault. */
  | "KeyVaultCredentialUnavailable"
  /** No answer from Key Vault: DNS, connection, TLS or timeout. */
  | "KeyVaultUnreachable"
  /** A Key Vault secret version just written reads back a different value. */
  | "KeyVaultWriteUnverified"
  /** A Key Vault reference met by a synchronous loader: use `connect()` or `loadConnectionAsync()`. */
  | "KeyVaultReferenceUnresolved"
  /** The Key Vault secret to write holds something other than this workspace's connection string. */
  | "KeyVaultSecretInUse"
  /** A Key Vault call needs a vault: no `vaultUrl` was given and `AZURE_QUANTUM_KEY_VAULT_URL` is not set. */
  | "KeyVaultUrlMissing"
  /** `keyVaultVersions()` got no secret name, and the connection string does not come from Key Vault. */
  | "KeyVaultSecretNameMissing"
  /**
   * A setting points at the local emulator (a loopback ARM endpoint, Key Vault or managed-identity
   * endpoint) for an Azure connection, or at Azure for an emulator connection.
   */
  | "EmulatorMismatch";

/**
 * The codes of this module's errors, as constants (`ErrorCode.Unauthorized === "Unauthorized"`).
 *
 * @example Branching on the code
 * ```ts
 * import { connect, ErrorCode, isQuantumError } from "azure-quantum-notebook";
 * try {
 *   await connect();
 * } catch (e) {
 *   if (isQuantumError(e) && e.code === ErrorCode.ConnectionNotFound) console.log("set up .env first");
 * }
 * ```
 */
export const ErrorCode: { readonly [K in ErrorCode]: K } = Object.freeze({
  ConnectionStringInvalid: "ConnectionStringInvalid",
  ConnectionNotFound: "ConnectionNotFound",
  ConnectionConflict: "ConnectionConflict",
  ArmEndpointInvalid: "ArmEndpointInvalid",
  EmulatorCaUnreadable: "EmulatorCaUnreadable",
  EmulatorStateInvalid: "EmulatorStateInvalid",
  EnvFileNotFound: "EnvFileNotFound",
  EnvFileReadFailed: "EnvFileReadFailed",
  EnvFileWriteFailed: "EnvFileWriteFailed",
  EnvFileValueUnsupported: "EnvFileValueUnsupported",
  Unauthorized: "Unauthorized",
  Forbidden: "Forbidden",
  WorkspaceNotFound: "WorkspaceNotFound",
  RequestFailed: "RequestFailed",
  InvalidResponse: "InvalidResponse",
  NextLinkUntrusted: "NextLinkUntrusted",
  NetworkUnreachable: "NetworkUnreachable",
  RequestAborted: "RequestAborted",
  RegenerateNotApplied: "RegenerateNotApplied",
  OperationFailed: "OperationFailed",
  OperationCanceled: "OperationCanceled",
  OperationTimeout: "OperationTimeout",
  OperationAborted: "OperationAborted",
  OperationUrlUntrusted: "OperationUrlUntrusted",
  CredentialUnavailable: "CredentialUnavailable",
  CredentialFailed: "CredentialFailed",
  KeyNotListed: "KeyNotListed",
  RoleNotFound: "RoleNotFound",
  SignInFailed: "SignInFailed",
  RotationStopped: "RotationStopped",
  DotenvxPublicKeyMissing: "DotenvxPublicKeyMissing",
  DotenvxPublicKeyInvalid: "DotenvxPublicKeyInvalid",
  DotenvxPrivateKeyMissing: "DotenvxPrivateKeyMissing",
  DotenvxPrivateKeyInvalid: "DotenvxPrivateKeyInvalid",
  DotenvxPrivateKeyWrong: "DotenvxPrivateKeyWrong",
  DotenvxKeyPairMismatch: "DotenvxKeyPairMismatch",
  DotenvxCiphertextCorrupted: "DotenvxCiphertextCorrupted",
  DotenvxKeysFileReadFailed: "DotenvxKeysFileReadFailed",
  DotenvxValueInEnvironment: "DotenvxValueInEnvironment",
  KeyVaultReferenceInvalid: "KeyVaultReferenceInvalid",
  KeyVaultSecretNotConnectionString: "KeyVaultSecretNotConnectionString",
  KeyVaultSecretNotFound: "KeyVaultSecretNotFound",
  KeyVaultNotFound: "KeyVaultNotFound",
  KeyVaultForbidden: "KeyVaultForbidden",
  KeyVaultSecretDisabled: "KeyVaultSecretDisabled",
  KeyVaultSecretDeleted: "KeyVaultSecretDeleted",
  KeyVaultRequestFailed: "KeyVaultRequestFailed",
  KeyVaultUnauthorized: "KeyVaultUnauthorized",
  KeyVaultCredentialUnavailable: "KeyVaultCredentialUnavailable",
  KeyVaultUnreachable: "KeyVaultUnreachable",
  KeyVaultWriteUnverified: "KeyVaultWriteUnverified",
  KeyVaultReferenceUnresolved: "KeyVaultReferenceUnresolved",
  KeyVaultSecretInUse: "KeyVaultSecretInUse",
  KeyVaultUrlMissing: "KeyVaultUrlMissing",
  KeyVaultSecretNameMissing: "KeyVaultSecretNameMissing",
  EmulatorMismatch: "EmulatorMismatch",
});

/** The code of an error answer: `Unauthorized` (401), `Forbidden` (403), `WorkspaceNotFound` (404), else `RequestFailed`. */
export function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthorized;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.WorkspaceNotFound;
  return ErrorCode.RequestFailed;
}
