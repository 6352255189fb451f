import { JUPYTER_DISPLAY, type MimeBundle } from "../display/mime_bundle.ts";

/**
 * Base of the key manager's result objects: one pure `toMimeBundle()` gives the Jupyter display
 * (`Symbol.for("Jupyter.display")`), the Node and Deno inspect text and `toJSON()`.
 *
 * @example Usage
 * ```ts
 * import { DisplayableResult } from "../display/displayable_result.ts";
 * class Hello extends DisplayableResult {
 *   toMimeBundle() {
 *     return { "text/plain": "hi", "application/json": { hi: true } };
 *   }
 * }
 * ```
 */
export abstract class DisplayableResult {
  /** The bundle this result displays as: `text/plain`, `text/html` and `application/json`. */
  abstract toMimeBundle(): MimeBundle;

  [JUPYTER_DISPLAY](): MimeBundle {
    return this.toMimeBundle();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toMimeBundle()["text/plain"];
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toMimeBundle()["text/plain"];
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
