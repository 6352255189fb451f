/**
 * One small error hierarchy for the whole module. Every error has a `code` from the closed list
 * {@link ErrorCode}, a message in the form "Cannot <do what>: <what is wrong>. <how to fix>" (no
 * final period, quoted values in double quotes), and never carries a key, a connection string or a
 * token in its message or its own properties.
 *
 * HTTP-level errors are in `request_errors.ts`. The `is…Error()` guards match on `instanceof`, or
 * on a brand every error carries under `Symbol.for("azure-quantum-notebook.error")`: the names of
 * its class and of its base classes. So they also work across realms (tslab runs cells in a vm
 * context, where `instanceof` fails), need no list of subclasses, and never take another
 * library's error of the same name for ours.
 *
 * @module
 */

import { errorDisplay, JUPYTER_DISPLAY, type MimeBundle } from "./displayable.ts";
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

  /** Deno's kernel renders a caught error left as a cell's last value as the error card. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return errorDisplay.render(this);
  }
}

/** The class names an error of this module descends from (its brand), or `[]`. */
function lineageOf(value: unknown): readonly unknown[] {
  const brand = (value as Record<symbol, unknown> | null | undefined)?.[BRAND];
  return Array.isArray(brand) ? brand : [];
}

/** A guard for `cls`: `instanceof`, or the brand of another realm's copy (internal). */
export function errorGuard<T extends QuantumError>(
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
 * True for any error of this module, also one from another realm (tslab's vm context).
 *
 * @example Usage
 * ```ts
 * import { isQuantumError } from "azure-quantum-notebook";
 * isQuantumError(new Error("x")); // false
 * ```
 */
export const isQuantumError: (value: unknown) => value is QuantumError = errorGuard(QuantumError);

/** True for a {@link ConnectionStringError}, also one from another realm. */
export const isConnectionStringError: (value: unknown) => value is ConnectionStringError = errorGuard(
  ConnectionStringError,
);

/** True for a {@link ConfigurationError}, also one from another realm. */
export const isConfigurationError: (value: unknown) => value is ConfigurationError = errorGuard(
  ConfigurationError,
);

/** True for an {@link EnvFileError}, also one from another realm. */
export const isEnvFileError: (value: unknown) => value is EnvFileError = errorGuard(EnvFileError);

/** True for a {@link RotationError}, also one from another realm. */
export const isRotationError: (value: unknown) => value is RotationError = errorGuard(RotationError);
