import { type HtmlValue, isHtml } from "./html.ts";
import { htmlToText } from "./_html_to_text.ts";

/**
 * One line of terminal text: control characters (newlines, tabs, ANSI escapes from service data)
 * become spaces, so they can neither break a table's alignment nor drive the terminal.
 */
export function oneLine(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

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
