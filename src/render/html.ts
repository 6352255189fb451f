import { JUPYTER_DISPLAY, type MimeBundle } from "../displayable.ts";
import { escapeHtml } from "./escape_html.ts";

// A registry symbol, so that a fragment made by a second copy of this module still counts as HTML.
const BRAND = Symbol.for("azure-quantum-notebook.Html");

/**
 * A fragment of HTML that is already safe: the {@link html} template and {@link raw} make them,
 * and interpolating one into `html` does not escape it again. `plain` is the fragment's
 * `text/plain` rendering, when it has a better one than its tags stripped.
 *
 * @example Reading a fragment
 * ```ts
 * import { html } from "azure-quantum-notebook";
 * const h = html`<b>${"a < b"}</b>`;
 * h.value; // "<b>a &lt; b</b>"
 * String(h); // the same
 * ```
 */
export class Html {
  /** The HTML source. */
  readonly value: string;
  /** Text shown instead of this fragment in `text/plain` output, if set. */
  readonly plain: string | undefined;

  /** A fragment of trusted HTML `value`, shown as `plain` in text. */
  constructor(value: string, plain?: string) {
    this.value = value;
    this.plain = plain;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The HTML source, so a fragment works wherever a string does. */
  toString(): string {
    return this.value;
  }

  /** Displays as `text/html`, with `plain` (or the tags stripped) as `text/plain`. */
  toMimeBundle(): MimeBundle {
    return { "text/plain": this.plain ?? htmlToText(this.value), "text/html": this.value };
  }

  /** Deno's kernel renders a fragment left as a cell's last expression. */
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.toMimeBundle();
  }
}

/** True for an {@link Html} fragment (also one from another copy of this module). */
export function isHtml(value: unknown): value is Html {
  return value instanceof Html ||
    (typeof value === "object" && value !== null &&
      (value as Record<symbol, unknown>)[BRAND] === true &&
      typeof (value as Html).value === "string");
}

/**
 * Marks trusted HTML so that {@link html} inserts it unescaped. Never pass service or user data.
 *
 * @param value Trusted HTML source.
 * @param plain Optional `text/plain` rendering of the fragment.
 * @returns The fragment.
 *
 * @example Inserting markup built elsewhere
 * ```ts
 * import { html, raw } from "azure-quantum-notebook";
 * html`<p>${raw("<em>trusted</em>")}</p>`.value; // "<p><em>trusted</em></p>"
 * ```
 */
export function raw(value: string, plain?: string): Html {
  return new Html(String(value), plain);
}

/** What the {@link html} template accepts as an interpolation. */
export type HtmlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Html
  | readonly HtmlValue[];

function append(out: string[], value: HtmlValue): void {
  if (value === null || value === undefined || typeof value === "boolean") return;
  if (Array.isArray(value)) {
    for (const v of value) append(out, v);
  } else if (isHtml(value)) {
    out.push(value.value);
  } else {
    out.push(escapeHtml(String(value)));
  }
}

/**
 * An escaping HTML template tag, like hono's: every interpolation is escaped unless it is an
 * {@link Html} fragment (from `html` itself or {@link raw}); arrays are flattened; `null`,
 * `undefined` and booleans render as nothing, so `${cond && html`…`}` works.
 *
 * Unlike `Deno.jupyter.html`, which concatenates interpolations as they are. A fragment is
 * displayable: `await display(html`…`)` shows it as HTML.
 *
 * Note: `deno fmt` reformats templates tagged `html` (it adds line breaks and indentation, which
 * end up in the output); this module's renderers import the tag as `h` for that reason.
 *
 * @returns The fragment.
 *
 * @example Escaped interpolation
 * ```ts
 * import { html } from "azure-quantum-notebook";
 * const name = 'John "Johnny" Smith';
 * html`<p>I'm ${name}.</p>`.value; // "<p>I'm John &quot;Johnny&quot; Smith.</p>"
 * html`<ul>${["a", "b"].map((x) => html`<li>${x}</li>`)}</ul>`.value; // "<ul><li>a</li><li>b</li></ul>"
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  const out: string[] = [strings[0]];
  for (let i = 0; i < values.length; i++) {
    append(out, values[i]);
    out.push(strings[i + 1]);
  }
  return new Html(out.join(""));
}

const DECODE: Record<string, string> = {
  "&amp;": "&",
  "&lt;": "<",
  "&gt;": ">",
  "&quot;": '"',
  "&#39;": "'",
  "&nbsp;": " ",
};

/** Tags dropped, the common entities decoded: a fallback `text/plain` for an HTML fragment. */
export function htmlToText(source: string): string {
  return source
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&(?:amp|lt|gt|quot|#39|nbsp);/g, (e) => DECODE[e]);
}
