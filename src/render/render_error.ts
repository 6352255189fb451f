// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { html as h, raw } from "./html.ts";
import { oneLine } from "../_text.ts";
import { badge } from "./badge.ts";
import { FONT, MUTED, TONES } from "./_style.ts";
import { errorDisplay, type MimeBundle } from "../displayable.ts";

// Fields of this module's errors worth showing (never the stack: it is noise in a notebook).
const DETAILS: readonly (readonly [key: string, label: string])[] = [
  ["statusCode", "status"],
  ["method", "method"],
  ["url", "url"],
  ["requestId", "request id"],
  ["armCode", "ARM code"],
  ["field", "field"],
  ["path", "file"],
  ["stoppedAt", "stopped at"],
  ["hint", "hint"],
];

function str(value: unknown): string | undefined {
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
}

/**
 * An error as a MIME bundle: name, `code`, message, the request details this module's errors
 * carry (status, method, URL, request id, ARM code, hint, …) and the cause's name and message.
 * Everything is escaped. The stack is left out.
 *
 * @param error Any thrown value.
 * @returns `text/plain`, `text/html` and `application/json`.
 */
export function renderError(error: unknown): MimeBundle {
  const e =
    (typeof error === "object" && error !== null ? error : { message: String(error) }) as Record<
      string,
      unknown
    >;
  const name = str(e.name) ?? "Error";
  const code = str(e.code);
  const message = str(e.message) ?? "";
  const details = DETAILS.flatMap(([key, label]) => {
    const v = str(e[key]);
    return v === undefined || v === "" ? [] : [[label, v] as const];
  });
  const cause = e.cause as Record<string, unknown> | undefined;
  const causeText = typeof cause === "object" && cause !== null
    ? `${str(cause.name) ?? "Error"}: ${str(cause.message) ?? ""}`
    : str(cause);
  if (causeText !== undefined) details.push(["cause", causeText]);

  const head = `${name}${code ? ` [${code}]` : ""}: ${message}`;
  // Line breaks of the message stay; other control characters (ANSI escapes) become spaces.
  const text = [
    head.split("\n").map(oneLine).join("\n"),
    ...details.map(([l, v]) => `  ${l}: ${oneLine(v)}`),
  ]
    .join("\n");

  const rows = details.map(([l, v]) =>
    h`<div style="${raw(MUTED)}">${l}</div><div style="overflow-wrap:anywhere">${v}</div>`
  );
  const gridStyle =
    "display:grid;grid-template-columns:max-content auto;gap:2px 12px;margin-top:6px;font-size:12px";
  const grid = rows.length ? h`<div style="${gridStyle}">${rows}</div>` : null;
  const box = `${FONT};border-left:4px solid ${TONES.bad};padding:6px 12px`;
  const codePart = code ? h` <code>${code}</code>` : null;
  const title = h`<div>${badge(name, "bad")}${codePart}</div>`;
  const body = h`<div style="white-space:pre-wrap;margin-top:4px">${message}</div>`;
  const markup = h`<div style="${raw(box)}">${title}${body}${grid}</div>`;

  const json: Record<string, string> = { name, message };
  if (code) json.code = code;
  for (const [l, v] of details) json[l] = v;
  return { "text/plain": text, "text/html": markup.value, "application/json": json };
}

// This module's errors display through renderError as a cell's last value too (see errorDisplay).
errorDisplay.render = renderError;
