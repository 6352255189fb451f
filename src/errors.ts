/**
 * One small error hierarchy for the whole module. Every error has a stable `code`, a message in the
 * form "Cannot <do what>: <what is wrong>. <how to fix>", and never carries a key, a connection
 * string or a token in its message or its own properties.
 *
 * Guards (`isQuantumError()` and friends) match on `name` as well as `instanceof`: tslab runs cells
 * in a vm context, where a class from another realm fails `instanceof`.
 *
 * @module
 */

/** Options every error of this module accepts. */
export interface QuantumErrorOptions {
  /** The underlying error; it must not hold secrets either. */
  cause?: unknown;
}

/**
 * Base class of every error this module throws on purpose.
 *
 * @example Usage
 * ```ts
 * import { isQuantumError, parseConnectionString } from "azure-quantum-notebook";
 * try {
 *   parseConnectionString("nonsense");
 * } catch (e) {
 *   if (isQuantumError(e)) console.log(e.code, e.message);
 * }
 * ```
 */
export class QuantumError extends Error {
  override name: string = "QuantumError";
  /** A stable, machine-readable reason, e.g. `"ConnectionStringInvalid"`. */
  readonly code: string;

  constructor(code: string, message: string, options: QuantumErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/**
 * A connection string (or one of its fields) is malformed or invalid. `field` names the field.
 *
 * @example Usage
 * ```ts
 * import { ConnectionStringError } from "azure-quantum-notebook";
 * const e = new ConnectionStringError("WorkspaceName", "Cannot parse connection string: ...");
 * console.log(e.field); // "WorkspaceName"
 * ```
 */
export class ConnectionStringError extends QuantumError {
  override name = "ConnectionStringError" as const;
  /** The connection-string field at fault (`SubscriptionId`, `ApiKey`, ...), or `undefined` for the whole string. */
  readonly field: string | undefined;

  constructor(field: string | undefined, message: string, options: QuantumErrorOptions = {}) {
    super("ConnectionStringInvalid", message, options);
    this.field = field;
  }
}

/**
 * No usable connection could be assembled from options, environment and `.env`: a field is
 * missing, or two sources contradict each other (`code` is `"ConnectionNotFound"` or
 * `"ConnectionConflict"`).
 *
 * @example Usage
 * ```ts
 * import { ConfigurationError } from "azure-quantum-notebook";
 * const e = new ConfigurationError("ConnectionNotFound", "Cannot load connection: ...");
 * console.log(e.code);
 * ```
 */
export class ConfigurationError extends QuantumError {
  override name = "ConfigurationError" as const;
}

/**
 * Reading or writing a `.env` file failed; the file is left as it was.
 *
 * @example Usage
 * ```ts
 * import { EnvFileError } from "azure-quantum-notebook";
 * const e = new EnvFileError("EnvFileWriteFailed", "Cannot update .env: ...", "/repo/.env");
 * console.log(e.path);
 * ```
 */
export class EnvFileError extends QuantumError {
  override name = "EnvFileError" as const;
  /** The `.env` file concerned. */
  readonly path: string;

  constructor(code: string, message: string, path: string, options: QuantumErrorOptions = {}) {
    super(code, message, options);
    this.path = path;
  }
}

/** What every HTTP-level error of this module records about the failed request (never secrets). */
export interface RequestErrorDetails extends QuantumErrorOptions {
  /** HTTP status, or `undefined` when no response came (network, TLS, timeout). */
  statusCode?: number;
  /** `x-ms-request-id` of the response, for support requests. */
  requestId?: string;
  /** Request method. */
  method?: string;
  /** Request URL without its query string. */
  url?: string;
}

/**
 * A request to the Azure Quantum data plane or to Azure Resource Manager failed.
 *
 * @example Usage
 * ```ts
 * import { isRequestError } from "azure-quantum-notebook";
 * function explain(e: unknown) {
 *   if (isRequestError(e)) console.log(e.statusCode, e.requestId);
 * }
 * ```
 */
export class RequestError extends QuantumError {
  override name: string = "RequestError";
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;

  constructor(code: string, message: string, details: RequestErrorDetails = {}) {
    super(code, message, details);
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
    this.method = details.method;
    this.url = details.url;
  }
}

/**
 * The service rejected the credential (HTTP 401): a regenerated or disabled access key, or a token
 * that is not valid for the workspace.
 *
 * @example Usage
 * ```ts
 * import { isAuthenticationError } from "azure-quantum-notebook";
 * const rejected = (e: unknown) => isAuthenticationError(e);
 * ```
 */
export class AuthenticationError extends RequestError {
  override name = "AuthenticationError" as const;
}

/**
 * The workspace (or another resource) does not exist (HTTP 404).
 *
 * @example Usage
 * ```ts
 * import { isNotFoundError } from "azure-quantum-notebook";
 * const missing = (e: unknown) => isNotFoundError(e);
 * ```
 */
export class NotFoundError extends RequestError {
  override name = "NotFoundError" as const;
}

/**
 * No response: DNS, connection refused or dropped, TLS failure, or the per-request timeout.
 *
 * @example Usage
 * ```ts
 * import { isNetworkError } from "azure-quantum-notebook";
 * const offline = (e: unknown) => isNetworkError(e);
 * ```
 */
export class NetworkError extends RequestError {
  override name = "NetworkError" as const;
}

/** Details of an Azure Resource Manager error response. */
export interface ArmErrorDetails extends RequestErrorDetails {
  /** The ARM error `code`, e.g. `"AuthorizationFailed"`. */
  armCode?: string;
  /** The ARM error `message`, as the service sent it. */
  armMessage?: string;
  /** What the user can do about it. */
  hint?: string;
}

/**
 * Azure Resource Manager answered with an error body (`{"error":{"code","message"}}`), or a
 * long-running operation ended `Failed` or `Canceled`.
 *
 * @example Usage
 * ```ts
 * import { isArmError } from "azure-quantum-notebook";
 * function explain(e: unknown) {
 *   if (isArmError(e)) console.log(e.armCode, e.hint);
 * }
 * ```
 */
export class ArmError extends RequestError {
  override name = "ArmError" as const;
  readonly armCode: string | undefined;
  readonly armMessage: string | undefined;
  readonly hint: string | undefined;

  constructor(code: string, message: string, details: ArmErrorDetails = {}) {
    super(code, message, details);
    this.armCode = details.armCode;
    this.armMessage = details.armMessage;
    this.hint = details.hint;
  }
}

/**
 * A key rotation stopped part-way. `stoppedAt` names the step; the kernel and `.env` still hold a
 * key that works, and `report` is the timeline of what ran.
 *
 * @example Usage
 * ```ts
 * import { isRotationError } from "azure-quantum-notebook";
 * function explain(e: unknown) {
 *   if (isRotationError(e)) console.log(e.stoppedAt);
 * }
 * ```
 */
export class RotationError extends QuantumError {
  override name = "RotationError" as const;
  /** The step that failed. */
  readonly stoppedAt: string;
  /** The displayable timeline of the steps that ran (a `RotationReport`). */
  readonly report: unknown;

  constructor(
    message: string,
    stoppedAt: string,
    report: unknown,
    options: QuantumErrorOptions = {},
  ) {
    super("RotationStopped", message, options);
    this.stoppedAt = stoppedAt;
    this.report = report;
  }
}
