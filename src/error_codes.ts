/**
 * Every `code` an error of this module can have: a closed list, so a `switch` on it is checked.
 * What a service said in its own words goes elsewhere: `armCode` (Azure Resource Manager) and
 * `serviceCode` (the Azure Quantum data plane).
 *
 * @module
 */

/**
 * The codes of this module's errors, as constants.
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
export const ErrorCode = Object.freeze({
  /** A connection string, or one of its fields, is malformed or invalid. */
  ConnectionStringInvalid: "ConnectionStringInvalid",
  /** A connection field is missing from options, environment and `.env`. */
  ConnectionNotFound: "ConnectionNotFound",
  /** Two sources describe different workspaces. */
  ConnectionConflict: "ConnectionConflict",
  /** The ARM endpoint is not an https URL. */
  ArmEndpointInvalid: "ArmEndpointInvalid",
  /** The emulator's CA file cannot be read. */
  EmulatorCaUnreadable: "EmulatorCaUnreadable",
  /** An emulator state file cannot be read, parsed or written. */
  EmulatorStateInvalid: "EmulatorStateInvalid",
  /** An explicit `envFile` does not exist. */
  EnvFileNotFound: "EnvFileNotFound",
  /** A `.env` file exists but cannot be read. */
  EnvFileReadFailed: "EnvFileReadFailed",
  /** Writing a `.env` file failed; it was left unchanged. */
  EnvFileWriteFailed: "EnvFileWriteFailed",
  /** A value cannot be written so that dotenv reads it back unchanged. */
  EnvFileValueUnsupported: "EnvFileValueUnsupported",
  /** The service rejected the key or token (HTTP 401). */
  Unauthorized: "Unauthorized",
  /** The identity lacks a role (HTTP 403). */
  Forbidden: "Forbidden",
  /** The workspace does not exist (HTTP 404). */
  WorkspaceNotFound: "WorkspaceNotFound",
  /** Any other error answer of the service (see `statusCode`, `serviceCode` or `armCode`). */
  RequestFailed: "RequestFailed",
  /** A 200 answer without the expected body. */
  InvalidResponse: "InvalidResponse",
  /** A next-page link pointed to another host; the key was not sent there. */
  NextLinkUntrusted: "NextLinkUntrusted",
  /** No answer: DNS, refused or dropped connection, TLS failure, timeout. */
  NetworkUnreachable: "NetworkUnreachable",
  /** A change was aborted after it was sent: ARM may still carry it out. */
  RequestAborted: "RequestAborted",
  /** A regenerateKey POST dropped and listKeys shows nothing changed. */
  RegenerateNotApplied: "RegenerateNotApplied",
  /** A long-running ARM operation ended `Failed`. */
  OperationFailed: "OperationFailed",
  /** A long-running ARM operation ended `Canceled`. */
  OperationCanceled: "OperationCanceled",
  /** A long-running ARM operation did not finish in time. */
  OperationTimeout: "OperationTimeout",
  /** The wait for a long-running ARM operation was aborted. */
  OperationAborted: "OperationAborted",
  /** ARM sent an operation URL on another host; the token was not sent there. */
  OperationUrlUntrusted: "OperationUrlUntrusted",
  /** No Microsoft Entra credential is available (sign in). */
  CredentialUnavailable: "CredentialUnavailable",
  /** The credential failed to get a token. */
  CredentialFailed: "CredentialFailed",
  /** listKeys returned no key for the slot asked for. */
  KeyNotListed: "KeyNotListed",
  /** A key rotation stopped part-way (a working key is in place). */
  RotationStopped: "RotationStopped",
} as const);

/**
 * One of the {@link ErrorCode} values.
 *
 * @example Usage
 * ```ts
 * import type { ErrorCode } from "azure-quantum-notebook";
 * const code: ErrorCode = "Unauthorized";
 * ```
 */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The code of an error answer: `Unauthorized` (401), `Forbidden` (403), `WorkspaceNotFound` (404), else `RequestFailed`. */
export function errorCodeForStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthorized;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.WorkspaceNotFound;
  return ErrorCode.RequestFailed;
}
