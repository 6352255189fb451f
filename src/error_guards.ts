/**
 * Type guards for the errors of `errors.ts`. They match on `name` as well as `instanceof`: tslab
 * runs cells in a vm context, where a class from another realm fails `instanceof`.
 *
 * @module
 */
import {
  ArmError,
  AuthenticationError,
  ConfigurationError,
  ConnectionStringError,
  EnvFileError,
  NetworkError,
  NotFoundError,
  QuantumError,
  RequestError,
  RotationError,
} from "./errors.ts";

function guard<T extends Error>(cls: abstract new (...args: any[]) => T, ...names: string[]) {
  return (value: unknown): value is T =>
    value instanceof cls ||
    (value instanceof Object && names.includes(String((value as { name?: unknown }).name)) &&
      typeof (value as { message?: unknown }).message === "string");
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
export const isQuantumError: (value: unknown) => value is QuantumError = guard(
  QuantumError,
  "QuantumError",
  "ConnectionStringError",
  "ConfigurationError",
  "EnvFileError",
  "RequestError",
  "AuthenticationError",
  "NotFoundError",
  "NetworkError",
  "ArmError",
  "RotationError",
);

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
  "ConnectionStringError",
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
  "ConfigurationError",
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
export const isEnvFileError: (value: unknown) => value is EnvFileError = guard(
  EnvFileError,
  "EnvFileError",
);

/**
 * True for any {@link RequestError}, including its subclasses.
 *
 * @example Usage
 * ```ts
 * import { isRequestError } from "azure-quantum-notebook";
 * isRequestError(new Error("x")); // false
 * ```
 */
export const isRequestError: (value: unknown) => value is RequestError = guard(
  RequestError,
  "RequestError",
  "AuthenticationError",
  "NotFoundError",
  "NetworkError",
  "ArmError",
);

/**
 * True for an {@link AuthenticationError}.
 *
 * @example Usage
 * ```ts
 * import { isAuthenticationError } from "azure-quantum-notebook";
 * isAuthenticationError(new Error("x")); // false
 * ```
 */
export const isAuthenticationError: (value: unknown) => value is AuthenticationError = guard(
  AuthenticationError,
  "AuthenticationError",
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
export const isNotFoundError: (value: unknown) => value is NotFoundError = guard(
  NotFoundError,
  "NotFoundError",
);

/**
 * True for a {@link NetworkError}.
 *
 * @example Usage
 * ```ts
 * import { isNetworkError } from "azure-quantum-notebook";
 * isNetworkError(new Error("x")); // false
 * ```
 */
export const isNetworkError: (value: unknown) => value is NetworkError = guard(
  NetworkError,
  "NetworkError",
);

/**
 * True for an {@link ArmError}.
 *
 * @example Usage
 * ```ts
 * import { isArmError } from "azure-quantum-notebook";
 * isArmError(new Error("x")); // false
 * ```
 */
export const isArmError: (value: unknown) => value is ArmError = guard(ArmError, "ArmError");

/**
 * True for a {@link RotationError}.
 *
 * @example Usage
 * ```ts
 * import { isRotationError } from "azure-quantum-notebook";
 * isRotationError(new Error("x")); // false
 * ```
 */
export const isRotationError: (value: unknown) => value is RotationError = guard(
  RotationError,
  "RotationError",
);
