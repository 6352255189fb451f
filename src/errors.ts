/**
 * One small error hierarchy for the whole module. Every error has a `code` from the closed list
 * {@link ErrorCode}, a message in the form "Cannot <do what>: <what is wrong>. <how to fix>" (no
 * final period, quoted values in double quotes), and never carries a key, a connection string or a
 * token in its message or its own properties.
 *
 * The `is…Error()` guards match on `instanceof`, or on a brand every error carries under
 * `Symbol.for("azure-quantum-notebook.error")`: the names of its class and of its base classes. So
 * they also work across realms (tslab runs cells in a vm context, where `instanceof` fails), need
 * no list of subclasses, and never take another library's error of the same name for ours.
 *
 * @module
 */

import type { ErrorCode } from "./error_codes.ts";

const BRAND = Symbol.for("azure-quantum-notebook.error");

/**
 * Options every error of this module accepts.
 *
 * @example Usage
 * ```ts
 * import type { QuantumErrorOptions } from "azure-quantum-notebook";
 * const options: QuantumErrorOptions = { cause: new Error("underlying") };
 * ```
 */
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
  /** The class name (also what the brand records). */
  override name: string = "QuantumError";
  /** Why it failed, from the closed list {@link ErrorCode}. */
  readonly code: ErrorCode;

  /** An error with `code` and `message` (and `options.cause`). */
  constructor(code: ErrorCode, message: string, options: QuantumErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    const lineage: string[] = [];
    for (let c: unknown = new.target; c !== Error && typeof c === "function"; c = Object.getPrototypeOf(c)) {
      lineage.push(c.name);
    }
    Object.defineProperty(this, BRAND, { value: Object.freeze(lineage) });
  }
}

/** The class names an error of this module descends from (its brand), or `[]`. */
function lineageOf(value: unknown): readonly unknown[] {
  const brand = (value as Record<symbol, unknown> | null | undefined)?.[BRAND];
  return Array.isArray(brand) ? brand : [];
}

function guard<T extends QuantumError>(
  cls: abstract new (...args: never[]) => T,
): (value: unknown) => value is T {
  return (value: unknown): value is T =>
    value instanceof cls ||
    (lineageOf(value).includes(cls.name) && typeof (value as Error).message === "string");
}

/**
 * A connection string (or one of its fields) is malformed or invalid. `field` names the field.
 *
 * @example Usage
 * ```ts
 * import { isConnectionStringError, parseConnectionString } from "azure-quantum-notebook";
 * try {
 *   parseConnectionString("SubscriptionId=x");
 * } catch (e) {
 *   if (isConnectionStringError(e)) console.log(e.field);
 * }
 * ```
 */
export class ConnectionStringError extends QuantumError {
  /** Always `"ConnectionStringError"`. */
  override name = "ConnectionStringError" as const;
  /** The connection-string field at fault (`SubscriptionId`, `ApiKey`, ...), or `undefined` for the whole string. */
  readonly field: string | undefined;

  /** An error about `field` (a connection-string field name) with `message`. */
  constructor(field: string | undefined, message: string, options: QuantumErrorOptions = {}) {
    super("ConnectionStringInvalid", message, options);
    this.field = field;
  }
}

/**
 * No usable configuration: a connection field is missing, two sources contradict each other, or
 * a setting (ARM endpoint, emulator CA or state file) is unusable.
 *
 * @example Usage
 * ```ts
 * import { connect, ErrorCode, isConfigurationError } from "azure-quantum-notebook";
 * try {
 *   await connect();
 * } catch (e) {
 *   if (isConfigurationError(e) && e.code === ErrorCode.ConnectionNotFound) console.log(e.message);
 * }
 * ```
 */
export class ConfigurationError extends QuantumError {
  /** Always `"ConfigurationError"`. */
  override name = "ConfigurationError" as const;
}

/**
 * Reading or writing a `.env` file failed; the file is left as it was.
 *
 * @example Usage
 * ```ts
 * import { isEnvFileError, updateEnvFile } from "azure-quantum-notebook";
 * try {
 *   await updateEnvFile("/read-only/.env", "A", "1");
 * } catch (e) {
 *   if (isEnvFileError(e)) console.log(e.path);
 * }
 * ```
 */
export class EnvFileError extends QuantumError {
  /** Always `"EnvFileError"`. */
  override name = "EnvFileError" as const;
  /** The `.env` file concerned. */
  readonly path: string;

  /** An error about the `.env` file at `path`. */
  constructor(code: ErrorCode, message: string, path: string, options: QuantumErrorOptions = {}) {
    super(code, message, options);
    this.path = path;
  }
}

/**
 * What every HTTP-level error of this module records about the failed request (never secrets).
 *
 * @example Usage
 * ```ts
 * import type { RequestErrorDetails } from "azure-quantum-notebook";
 * const details: RequestErrorDetails = { statusCode: 503, method: "GET" };
 * ```
 */
export interface RequestErrorDetails extends QuantumErrorOptions {
  /** HTTP status, or `undefined` when no response came (network, TLS, timeout). */
  statusCode?: number;
  /** `x-ms-request-id` of the response, for support requests. */
  requestId?: string;
  /** Request method. */
  method?: string;
  /** Request URL without its query string. */
  url?: string;
  /** The data plane's own error code (`error.code` of its answer), e.g. `"ServiceUnavailable"`. */
  serviceCode?: string;
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
  /** The class name. */
  override name: string = "RequestError";
  /** HTTP status, or `undefined` when no response came. */
  readonly statusCode: number | undefined;
  /** `x-ms-request-id` of the response. */
  readonly requestId: string | undefined;
  /** Request method. */
  readonly method: string | undefined;
  /** Request URL without its query string. */
  readonly url: string | undefined;
  /** The data plane's own error code, when it sent one. */
  readonly serviceCode: string | undefined;

  /** An error about a request, with what is known of it. */
  constructor(code: ErrorCode, message: string, details: RequestErrorDetails = {}) {
    super(code, message, details);
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
    this.method = details.method;
    this.url = details.url;
    this.serviceCode = details.serviceCode;
  }
}

/**
 * The data plane rejected the credential (HTTP 401, `code` `"Unauthorized"`; or 403,
 * `"Forbidden"`): a regenerated or disabled access key, or a token that is not valid for the
 * workspace. (Its name differs from `@azure/identity`'s `AuthenticationError`, a failed sign-in.)
 *
 * @example Usage
 * ```ts
 * import { connect, isUnauthorizedError } from "azure-quantum-notebook";
 * try {
 *   await connect();
 * } catch (e) {
 *   if (isUnauthorizedError(e)) console.log("key rejected: regenerated, or keys disabled?");
 * }
 * ```
 */
export class UnauthorizedError extends RequestError {
  /** Always `"UnauthorizedError"`. */
  override name = "UnauthorizedError" as const;
}

/**
 * The workspace (or another resource) does not exist (HTTP 404).
 *
 * @example Usage
 * ```ts
 * import { connect, isNotFoundError } from "azure-quantum-notebook";
 * try {
 *   await connect({ workspaceName: "no-such-workspace" });
 * } catch (e) {
 *   if (isNotFoundError(e)) console.log(e.message);
 * }
 * ```
 */
export class NotFoundError extends RequestError {
  /** Always `"NotFoundError"`. */
  override name = "NotFoundError" as const;
}

/**
 * No response: DNS, connection refused or dropped, TLS failure, or the per-request timeout.
 *
 * @example Usage
 * ```ts
 * import { connect, isNetworkError } from "azure-quantum-notebook";
 * try {
 *   await connect();
 * } catch (e) {
 *   if (isNetworkError(e)) console.log("offline?", e.message);
 * }
 * ```
 */
export class NetworkError extends RequestError {
  /** Always `"NetworkError"`. */
  override name = "NetworkError" as const;
}

/**
 * Details of an Azure Resource Manager error.
 *
 * @example Usage
 * ```ts
 * import type { ArmErrorDetails } from "azure-quantum-notebook";
 * const details: ArmErrorDetails = { statusCode: 403, armCode: "AuthorizationFailed" };
 * ```
 */
export interface ArmErrorDetails extends RequestErrorDetails {
  /** The ARM error `code`, e.g. `"AuthorizationFailed"`. */
  armCode?: string;
  /** The ARM error `message`, as the service sent it. */
  armMessage?: string;
  /** What the user can do about it. */
  hint?: string;
}

/**
 * Azure Resource Manager answered with an error, a long-running operation ended `Failed` or
 * `Canceled`, or no Microsoft Entra token could be had. ARM's own code is in `armCode`.
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
  /** Always `"ArmError"`. */
  override name = "ArmError" as const;
  /** ARM's own error code, e.g. `"AuthorizationFailed"`. */
  readonly armCode: string | undefined;
  /** ARM's own error message. */
  readonly armMessage: string | undefined;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  /** An error of ARM, with its own code and message. */
  constructor(code: ErrorCode, message: string, details: ArmErrorDetails = {}) {
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
  /** Always `"RotationError"`. */
  override name = "RotationError" as const;
  /** The step that failed. */
  readonly stoppedAt: string;
  /** The displayable timeline of the steps that ran (a `RotationReport`). */
  readonly report: unknown;

  /** A rotation stopped at `stoppedAt`, with the timeline `report`. */
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

/**
 * True for any error of this module, also across realms (tslab's vm context).
 *
 * @example Usage
 * ```ts
 * import { isQuantumError } from "azure-quantum-notebook";
 * isQuantumError(new Error("x")); // false
 * ```
 */
export const isQuantumError: (value: unknown) => value is QuantumError = guard(QuantumError);

/**
 * True for a {@link ConnectionStringError}.
 *
 * @example Usage
 * ```ts
 * import { isConnectionStringError } from "azure-quantum-notebook";
 * isConnectionStringError(new Error("x")); // false
 * ```
 */
export const isConnectionStringError: (value: unknown) => value is ConnectionStringError = guard(
  ConnectionStringError,
);

/**
 * True for a {@link ConfigurationError}.
 *
 * @example Usage
 * ```ts
 * import { isConfigurationError } from "azure-quantum-notebook";
 * isConfigurationError(new Error("x")); // false
 * ```
 */
export const isConfigurationError: (value: unknown) => value is ConfigurationError = guard(
  ConfigurationError,
);

/**
 * True for an {@link EnvFileError}.
 *
 * @example Usage
 * ```ts
 * import { isEnvFileError } from "azure-quantum-notebook";
 * isEnvFileError(new Error("x")); // false
 * ```
 */
export const isEnvFileError: (value: unknown) => value is EnvFileError = guard(EnvFileError);

/**
 * True for any {@link RequestError}, including its subclasses.
 *
 * @example Usage
 * ```ts
 * import { isRequestError } from "azure-quantum-notebook";
 * isRequestError(new Error("x")); // false
 * ```
 */
export const isRequestError: (value: unknown) => value is RequestError = guard(RequestError);

/**
 * True for an {@link UnauthorizedError}.
 *
 * @example Usage
 * ```ts
 * import { isUnauthorizedError } from "azure-quantum-notebook";
 * isUnauthorizedError(new Error("x")); // false
 * ```
 */
export const isUnauthorizedError: (value: unknown) => value is UnauthorizedError = guard(
  UnauthorizedError,
);

/**
 * True for a {@link NotFoundError}.
 *
 * @example Usage
 * ```ts
 * import { isNotFoundError } from "azure-quantum-notebook";
 * isNotFoundError(new Error("x")); // false
 * ```
 */
export const isNotFoundError: (value: unknown) => value is NotFoundError = guard(NotFoundError);

/**
 * True for a {@link NetworkError}.
 *
 * @example Usage
 * ```ts
 * import { isNetworkError } from "azure-quantum-notebook";
 * isNetworkError(new Error("x")); // false
 * ```
 */
export const isNetworkError: (value: unknown) => value is NetworkError = guard(NetworkError);

/**
 * True for an {@link ArmError}.
 *
 * @example Usage
 * ```ts
 * import { isArmError } from "azure-quantum-notebook";
 * isArmError(new Error("x")); // false
 * ```
 */
export const isArmError: (value: unknown) => value is ArmError = guard(ArmError);

/**
 * True for a {@link RotationError}.
 *
 * @example Usage
 * ```ts
 * import { isRotationError } from "azure-quantum-notebook";
 * isRotationError(new Error("x")); // false
 * ```
 */
export const isRotationError: (value: unknown) => value is RotationError = guard(RotationError);

/**
 * Deprecated name of {@link UnauthorizedError}; it is the same class.
 *
 * @deprecated Use `UnauthorizedError`: `@azure/identity` has an `AuthenticationError` of its own.
 */
export const AuthenticationError: typeof UnauthorizedError = UnauthorizedError;
/**
 * Deprecated name of {@link UnauthorizedError}.
 *
 * @deprecated Use `UnauthorizedError`.
 */
export type AuthenticationError = UnauthorizedError;
/**
 * Deprecated name of {@link isUnauthorizedError}.
 *
 * @deprecated Use `isUnauthorizedError`.
 */
export const isAuthenticationError: (value: unknown) => value is UnauthorizedError =
  isUnauthorizedError;
