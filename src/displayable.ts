/**
 * What every displayable value of this module shares: the MIME bundle shape, the symbols the
 * kernels and inspectors look for, and the one base class of every result object.
 *
 * @module
 */

/** A Jupyter MIME bundle. `text/plain` is always present, so terminals have something to print. */
export interface MimeBundle {
  /** Text for terminals and logs. */
  "text/plain": string;
  /** HTML for notebooks. */
  "text/html"?: string;
  /** The data. */
  "application/json"?: unknown;
  /** Any other MIME type. */
  [mime: string]: unknown;
}

/** Deno's kernel renders a last expression through this global symbol (no import needed). */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;
/** Node's `util.inspect` hook. */
export const NODE_INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;
/** `Deno.inspect`'s hook. */
export const DENO_INSPECT: unique symbol = Symbol.for("Deno.customInspect") as never;

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

/**
 * The base of every displayable object of this module (results, `TargetList`, `Workspace`,
 * `Emulator`): one pure `toMimeBundle()` gives the Jupyter display, the Node and Deno inspect text,
 * `toString()` and `toJSON()`.
 *
 * @example Usage
 * ```ts
 * import { DisplayableBase, type MimeBundle } from "azure-quantum-notebook";
 * class Hello extends DisplayableBase {
 *   toMimeBundle(): MimeBundle {
 *     return { "text/plain": "hi", "application/json": { hi: true } };
 *   }
 * }
 * console.log(`${new Hello()}`); // hi
 * ```
 */
export abstract class DisplayableBase implements Displayable {
  /** The bundle this value displays as: `text/plain`, and `text/html` and `application/json`. */
  abstract toMimeBundle(): MimeBundle;

  /** Deno's kernel renders a cell's last value through this. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.toMimeBundle();
  }

  /** Node's `util.inspect` (and `console.log`) print the `text/plain` rendering. */
  [NODE_INSPECT](): string {
    return this.toString();
  }

  /** `Deno.inspect` (and `console.log`) print the `text/plain` rendering. */
  [DENO_INSPECT](): string {
    return this.toString();
  }

  /** The bundle's `application/json` (fingerprints only, never a key). */
  toJSON(): unknown {
    return this.toMimeBundle()["application/json"];
  }

  /** The `text/plain` rendering. */
  toString(): string {
    return this.toMimeBundle()["text/plain"];
  }
}

/**
 * The base of a result made of plain data: the constructor copies `data`'s fields onto the
 * result. A subclass declares them with an interface of the same name, and renders them:
 * `interface KeyToggleResult extends Readonly<KeyToggleData> {}` and
 * `class KeyToggleResult extends DataResult<KeyToggleData>`.
 *
 * @example Usage
 * ```ts
 * import { DataResult, type MimeBundle } from "azure-quantum-notebook";
 * interface Greeting extends Readonly<{ name: string }> {}
 * class Greeting extends DataResult<{ name: string }> {
 *   toMimeBundle(): MimeBundle {
 *     return { "text/plain": `Hello, ${this.name}` };
 *   }
 * }
 * console.log(`${new Greeting({ name: "Ada" })}`); // Hello, Ada
 * ```
 */
export abstract class DataResult<T extends object> extends DisplayableBase {
  /** A result holding `data`'s fields. */
  constructor(data: T) {
    super();
    Object.assign(this, data);
  }
}

/**
 * How this module's errors display as a cell's last value (their `Symbol.for("Jupyter.display")`
 * hook). Errors live in the base layer and cannot import a renderer, so `render/render_error.ts`,
 * which `display()` loads, sets `render` when it is imported; until then errors show as text.
 *
 * @internal
 */
export const errorDisplay: { render: (error: unknown) => MimeBundle } = {
  render: (error) => ({ "text/plain": String(error) }),
};
