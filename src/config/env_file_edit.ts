/**
 * Pure editing of `.env` text: set one variable, keep every other byte.
 *
 * @module
 */

import { parseDotenv as parse } from "../_builtins.ts";
import { escapeRegExp } from "../_text.ts";

const NAME = /^[\w.-]+$/;

/**
 * Quotes `value` so that `dotenv`'s `parse` reads it back unchanged: single quotes when it holds
 * no `'` (keys and connection strings, with their `; = / +`, always take this form), else double
 * quotes when it holds no `"` and no backslash escape that dotenv would expand, else backticks.
 *
 * @throws {RangeError} when no quoting fits (the value holds all three quote characters).
 */
export function quoteEnvValue(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"') && !/\\[nr]/.test(value)) return `"${value}"`;
  if (!value.includes("`")) return `\`${value}\``;
  throw new RangeError(
    "Cannot quote .env value: it holds ', \" and ` at once. Use a value without one of them",
  );
}

/** The result of {@link setEnvVariable}. */
export interface EnvTextEdit {
  /** The new text. */
  text: string;
  /** How many assignments were replaced (0: the variable was appended). */
  replaced: number;
}

interface Line {
  body: string;
  eol: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  const re = /([^\r\n]*)(\r\n|\n|\r|$)/g;
  for (let m = re.exec(text); m !== null && m.index < text.length; m = re.exec(text)) {
    lines.push({ body: m[1], eol: m[2] });
    if (m[0] === "") re.lastIndex++;
  }
  return lines;
}

/**
 * Where an old quoted value ends, read as dotenv reads it: the FIRST unescaped quote character of
 * the same kind closes it (`\'` is escaped), across lines, and only when nothing but spaces and
 * a comment follow it on its line. Otherwise dotenv reads the value unquoted, up to the end of its
 * first line: `undefined` (every later line stays as it is, comments included).
 */
function closingQuote(lines: Line[], start: number, rest: string): [number, string] | undefined {
  const q = rest[0];
  let text = rest.slice(1);
  for (let i = start; i < lines.length; i++) {
    for (let at = 0; at < text.length; at++) {
      if (text[at] === "\\" && text[at + 1] === q) {
        at++;
        continue;
      }
      if (text[at] !== q) continue;
      const after = text.slice(at + 1);
      return /^\s*(#.*)?$/.test(after) ? [i, after] : undefined;
    }
    if (i + 1 < lines.length) text = lines[i + 1].body;
  }
  return undefined;
}

/**
 * The self-check of a multi-line replacement: the lines it removes must be exactly the old value as
 * dotenv reads it (`text` is the old value's text between its quotes, as this editor found it).
 */
function sameAsDotenv(block: string, name: string, quote: string, text: string): boolean {
  const read = parse(block)[name];
  const expanded = quote === '"' ? text.replace(/\\n/g, "\n").replace(/\\r/g, "\r") : text;
  return read === expanded;
}

/**
 * Sets `name` to `value` in `.env` text. Every assignment of `name` (`NAME=…`, `export NAME=…`,
 * `NAME: …`, quoted values spanning several lines) is replaced in place, keeping its `export`,
 * spacing and trailing comment; when there is none, `NAME='value'` is appended. Every other line,
 * comment, blank line and line ending (LF, CRLF) is kept byte for byte. The result is checked with
 * `dotenv`'s `parse`: `name` reads back as `value` and every other variable is unchanged.
 *
 * @throws {TypeError} when `name` is not a valid variable name.
 * @throws {RangeError} when the value cannot be written so that dotenv reads it back unchanged.
 */
export function setEnvVariable(text: string, name: string, value: string): EnvTextEdit {
  if (typeof name !== "string" || !NAME.test(name)) {
    throw new TypeError("Cannot set .env variable: the name must match [A-Za-z0-9_.-]+");
  }
  if (typeof value !== "string") {
    throw new TypeError("Cannot set .env variable: value must be a string");
  }
  const quoted = quoteEnvValue(value);
  const head = new RegExp(`^(\\s*(?:export\\s+)?${escapeRegExp(name)}(?:\\s*=|:(?=\\s)))(.*)$`);
  const lines = splitLines(text);
  const out: string[] = [];
  let replaced = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = head.exec(lines[i].body);
    if (m === null) {
      out.push(lines[i].body + lines[i].eol);
      continue;
    }
    const [, prefix, rest] = m;
    const lead = /^\s*/.exec(rest)![0];
    const old = rest.slice(lead.length);
    let trailing = /^[^#]*?(\s*#.*)?$/.exec(old)?.[1] ?? "";
    let last = i;
    if (old !== "" && "'\"`".includes(old[0])) {
      const close = closingQuote(lines, i, old);
      if (close !== undefined) [last, trailing] = close;
    }
    if (last > i) {
      // Every line but the replaced assignments (comments and blank lines too) must be kept:
      // the continuation lines removed must be the old value's, as dotenv reads them.
      const block = lines.slice(i, last + 1).map((l) => l.body + l.eol).join("");
      const inner = [old.slice(1), ...lines.slice(i + 1, last).map((l) => l.body)];
      const end = lines[last].body;
      inner.push(end.slice(0, end.length - trailing.length - 1));
      if (!sameAsDotenv(block, name, old[0], inner.join("\n"))) {
        throw new RangeError(
          `Cannot set .env variable: the old value of ${name} spans lines that dotenv reads otherwise. Edit the file by hand`,
        );
      }
    }
    out.push(prefix + lead + quoted + trailing + lines[last].eol);
    replaced++;
    i = last;
  }
  if (replaced === 0) {
    const eol = lines.find((l) => l.eol !== "")?.eol ?? "\n";
    if (lines.length > 0 && lines[lines.length - 1].eol === "") out.push(eol);
    out.push(`${name}=${quoted}${eol}`);
  }
  const result = out.join("");
  const before = parse(text);
  const after = parse(result);
  const changed = new Set([...Object.keys(before), ...Object.keys(after)]);
  changed.delete(name);
  if (after[name] !== value || [...changed].some((k) => before[k] !== after[k])) {
    throw new RangeError(
      `Cannot set .env variable: ${name} cannot be written so that dotenv reads it back unchanged. Edit the file by hand`,
    );
  }
  return { text: result, replaced };
}
