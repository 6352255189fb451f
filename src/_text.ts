/**
 * Text helpers for anything that reaches a terminal or an error message from outside (service
 * answers, user data), and for matching user text: one copy each, used by the clients and the
 * renderers.
 *
 * @module
 */

/**
 * One line of terminal text: each control character (newline, tab, an ANSI escape's ESC) becomes a
 * space, so service data can neither break a table's alignment nor drive the terminal. The length
 * is kept.
 */
export function oneLine(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

/**
 * Service text for our error messages: runs of white space and control characters become one
 * space, trimmed, and at most `max` characters (ending in `...` when cut).
 */
export function clip(text: string, max = 300): string {
  const line = text.replace(/[\s\p{Cc}]+/gu, " ").trim();
  return line.length > max ? line.slice(0, max - 3) + "..." : line;
}

/** `text` as a regular expression that matches it literally. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A sentence (such as one of the Python SDK's) as the end of our messages, which have no final period. */
export function withoutFinalPeriod(sentence: string): string {
  return sentence.replace(/\.$/, "");
}

/**
 * Service or library text for our messages, with every long run of base64/JWT-like characters
 * (a token, a device code, a key) replaced by `[redacted]`, then clipped.
 */
export function redactTokens(text: string, max = 300): string {
  return clip(text.replace(/[A-Za-z0-9+/=_.-]{32,}/g, "[redacted]"), max);
}
