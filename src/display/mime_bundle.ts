/**
 * The shapes every renderer returns and every kernel adapter delivers.
 *
 * @module
 */

/** A Jupyter MIME bundle. `text/plain` is always present, so terminals have something to print. */
export interface MimeBundle {
  "text/plain": string;
  "text/html"?: string;
  "application/json"?: unknown;
  [mime: string]: unknown;
}

/** Deno's kernel renders a last expression through this global symbol (no import needed). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/**
 * Anything that renders itself: every result object of this module.
 *
 * @example Usage
 * ```ts
 * import type { Displayable, MimeBundle } from "azure-quantum-notebook";
 * const hello: Displayable = { toMimeBundle: (): MimeBundle => ({ "text/plain": "hi" }) };
 * ```
 */
export interface Displayable {
  /** The bundle this value displays as: pure, no I/O. */
  toMimeBundle(): MimeBundle;
}

/**
 * True when `value` has a `toMimeBundle()` method.
 *
 * @example Usage
 * ```ts
 * import { isDisplayable } from "azure-quantum-notebook";
 * isDisplayable({}); // false
 * ```
 */
export function isDisplayable(value: unknown): value is Displayable {
  return typeof (value as Displayable | null)?.toMimeBundle === "function";
}
