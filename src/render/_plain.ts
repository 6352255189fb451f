/**
 * The `text/plain` side of the renderers: cell text, padding and widths.
 *
 * @module
 */

import type { MimeBundle } from "../displayable.ts";
import { htmlToText, type HtmlValue, isHtml } from "./html.ts";
import type { Rendered } from "./render_table.ts";


/** The `text/plain` form of a cell or row value; `null`/`undefined` give `""`. */
export function textOf(value: HtmlValue): string {
  if (value === null || value === undefined || typeof value === "boolean") return "";
  if (Array.isArray(value)) return value.map(textOf).join("");
  if (isHtml(value)) return value.plain ?? htmlToText(value.value);
  return String(value);
}

/** Pads `text` to `width` columns, on the left for `right` alignment. */
export function pad(text: string, width: number, align: "left" | "right" | "center"): string {
  const gap = Math.max(0, width - [...text].length);
  if (align === "right") return " ".repeat(gap) + text;
  if (align === "center") {
    const left = Math.floor(gap / 2);
    return " ".repeat(left) + text + " ".repeat(gap - left);
  }
  return text + " ".repeat(gap);
}

/** Width of `text` in code points (close enough for ids, numbers and durations). */
export function widthOf(text: string): number {
  return [...text].length;
}

/** `n` and the word, plural unless `n` is 1: `plural(2, "target")` is `"2 targets"`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * A rendered card or table with `data` as its `application/json`, made plain JSON (dates as ISO
 * strings), as `JSON.stringify(result)` gives it.
 */
export function bundleOf({ html, text }: Rendered, data: unknown): MimeBundle {
  return { "text/plain": text, "text/html": html, "application/json": JSON.parse(JSON.stringify(data)) };
}
