import { util } from "../_builtins.ts";
import { isDisplayable, JUPYTER_DISPLAY, type MimeBundle } from "../displayable.ts";
import { htmlToText } from "../render/html.ts";
import { renderError } from "../render/render_error.ts";

const MIME_KEY = /^[a-z]+\/[-+.\w]+$/i;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * True for a plain object whose keys all look like MIME types (`{"text/html": …}`): what
 * `display()` sends as it is.
 */
export function isMimeBundle(value: unknown): value is MimeBundle {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => MIME_KEY.test(k));
}

function isError(value: unknown): value is Error {
  return value instanceof Error || Object.prototype.toString.call(value) === "[object Error]";
}

/**
 * A bundle every kernel can send: `text/plain` always present, `undefined` entries dropped, and
 * non-string entries (such as `application/json`) made plain JSON, since both kernels serialise
 * the message as JSON. An entry that cannot be serialised is dropped.
 */
function normalizeBundle(bundle: Record<string, unknown>): MimeBundle {
  const out: Record<string, unknown> = {};
  for (const [mime, v] of Object.entries(bundle)) {
    if (v === undefined) continue;
    if (typeof v === "string") {
      out[mime] = v;
      continue;
    }
    try {
      const json = JSON.stringify(v);
      if (json !== undefined) out[mime] = JSON.parse(json);
    } catch {
      // e.g. a cycle or a BigInt: the other representations still display
    }
  }
  if (typeof out["text/plain"] !== "string") {
    out["text/plain"] = typeof out["text/html"] === "string"
      ? htmlToText(out["text/html"] as string)
      : `[${Object.keys(out).join(", ")}]`;
  }
  return out as MimeBundle;
}

/**
 * The MIME bundle `display()` sends for `value`:
 * a `Displayable` (a `Secret` too: its mask and fingerprint) → `toMimeBundle()`; an object
 * with `Symbol.for("Jupyter.display")` → what that returns; an `Error` → {@link renderError};
 * a MIME bundle → itself; a string → itself as text; anything else → `util.inspect` text.
 *
 * @param value What to display.
 * @returns A normalised bundle with `text/plain`.
 */
export async function mimeBundleOf(value: unknown): Promise<MimeBundle> {
  if (isDisplayable(value)) return normalizeBundle(value.toMimeBundle());
  const hook = (value as { [JUPYTER_DISPLAY]?: unknown } | null)?.[JUPYTER_DISPLAY];
  if (typeof value === "object" && value !== null && typeof hook === "function") {
    const bundle = await hook.call(value);
    if (isPlainObject(bundle)) return normalizeBundle(bundle);
  }
  if (isError(value)) return normalizeBundle(renderError(value));
  if (isMimeBundle(value)) return normalizeBundle(value);
  if (typeof value === "string") return { "text/plain": value };
  return { "text/plain": util().inspect(value, { colors: false, depth: 4 }) };
}
