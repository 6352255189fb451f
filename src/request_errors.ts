/**
 * The errors of a request to the Azure Quantum data plane or Azure Resource Manager: what failed,
 * the HTTP status and request id, and what the service said in its own words (`serviceCode`,
 * `armCode`). Never a key or a token.
 *
 * @module
 */

import type { ErrorCode } from "./error_codes.ts";
import { errorGuard, QuantumError, type QuantumErrorOptions } from "./errors.ts";

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

/** True for any {@link RequestError}, its subclasses included, also from another realm. */
export const isRequestError: (value: unknown) => value is RequestError = errorGuard(RequestError);

/** True for an {@link UnauthorizedError}, also one from another realm. */
export const isUnauthorizedError: (value: unknown) => value is UnauthorizedError = errorGuard(
  UnauthorizedError,
);

/** True for a {@link NotFoundError}, also one from another realm. */
export const isNotFoundError: (value: unknown) => value is NotFoundError = errorGuard(NotFoundError);

/** True for a {@link NetworkError}, also one from another realm. */
export const isNetworkError: (value: unknown) => value is NetworkError = errorGuard(NetworkError);

/** True for an {@link ArmError}, also one from another realm. */
export const isArmError: (value: unknown) => value is ArmError = errorGuard(ArmError);

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
