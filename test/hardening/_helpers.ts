/**
 * Shared by the hardening suites: the emulator's secrets over time, the tokens it signs, everything
 * a value exposes, an allow-list check of rendered HTML, and capture of console, stdio and the
 * Azure SDK's logs.
 */
import { Console } from "node:console";
import { Writable } from "node:stream";
import { format, inspect } from "node:util";
import { expect } from "vitest";
import type { Emulator } from "../../src/emulator/mod.ts";
import { TokenIssuer } from "../../src/emulator/tokens.ts";
import { exposed } from "../keys/_emulator.ts";

/** A JWT as the emulator (and Entra ID) issue them. */
export const JWT_SHAPE = /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/;

/**
 * Every secret an emulator held while a test ran: each key, before and after regeneration, each
 * connection string, the IDENTITY_HEADER, and any token added with {@link SecretBook.add}.
 */
export class SecretBook {
  readonly #seen = new Set<string>();
  readonly #emulator: Emulator;

  constructor(emulator: Emulator) {
    this.#emulator = emulator;
    this.snapshot();
  }

  /** Records the emulator's current keys, connection strings and identity header. */
  snapshot(): this {
    const keys = this.#emulator.control.keys();
    const env = this.#emulator.env;
    for (const key of [keys.primary, keys.secondary]) this.add(key.reveal());
    this.add(this.#emulator.connectionString.reveal(), env.IDENTITY_HEADER.reveal());
    const ws = this.#emulator.workspace;
    for (const key of [keys.primary, keys.secondary]) {
      this.add(
        `SubscriptionId=${ws.subscriptionId};ResourceGroupName=${ws.resourceGroup};` +
          `WorkspaceName=${ws.workspaceName};ApiKey=${key.reveal()};QuantumEndpoint=${this.#emulator.endpoint};`,
      );
    }
    return this;
  }

  add(...secrets: string[]): this {
    for (const s of secrets) if (s) this.#seen.add(s);
    return this;
  }

  get all(): string[] {
    return [...this.#seen];
  }

  /** Secrets found in `text` (by length only, so a failure message leaks nothing either). */
  foundIn(text: string): string[] {
    return this.all.filter((s) => text.includes(s)).map((s) => `a ${s.length}-char secret`);
  }

  /** Asserts that no secret and no JWT appears in `text`. */
  expectAbsent(text: string, where: string): void {
    expect(this.foundIn(text), `secret in ${where}`).toEqual([]);
    expect(JWT_SHAPE.test(text), `token in ${where}`).toBe(false);
  }

  /** Asserts nothing that `values` expose (JSON, inspect, bundles, errors and causes) leaks. */
  expectNoLeak(where: string, ...values: unknown[]): void {
    for (const value of values) this.expectAbsent(everything(value), where);
  }
}

/** JSON, inspect (with hidden fields), MIME bundles, and for errors message, stack, props, causes. */
export function everything(value: unknown): string {
  if (typeof value === "string") return value;
  return [exposed(value), inspect(value, { depth: 12, showHidden: true, getters: true })].join(
    "\n",
  );
}

/** What `console.table(value)` prints, with a real console (into a buffer). */
export function tableOf(value: unknown): string {
  let out = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      out += String(chunk);
      done();
    },
  });
  new Console({ stdout: stream, stderr: stream, colorMode: false }).table(value);
  return out;
}

/**
 * Every plain view of `value` that skips its custom inspect and JSON hooks: `console.table`,
 * a spread, `Object.entries`, `structuredClone` (or that it cannot be cloned), each printed
 * deeply, with hidden properties and getters, and as JSON.
 */
export function plainViews(value: unknown): string {
  const deep = { depth: 12, showHidden: true, getters: true };
  const parts = [tableOf(value)];
  if (value !== null && typeof value === "object") {
    const spread = { ...(value as object) };
    const entries = Object.entries(value as object);
    parts.push(inspect(spread, deep), inspect(entries, deep));
    for (const [, v] of entries) parts.push(tableOf(v));
    try {
      parts.push(JSON.stringify(spread), JSON.stringify(entries));
    } catch {
      // circular: inspect covers it
    }
    try {
      parts.push(inspect(structuredClone(value), deep));
    } catch (e) {
      parts.push(String((e as Error).name)); // DataCloneError: nothing copied
    }
  }
  return parts.join("\n");
}

const TAGS = new Set([
  "a",
  "b",
  "br",
  "caption",
  "code",
  "details",
  "div",
  "em",
  "h1",
  "h2",
  "h3",
  "li",
  "ol",
  "p",
  "pre",
  "section",
  "small",
  "span",
  "strong",
  "summary",
  "table",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
]);
const ATTRIBUTES = new Set([
  "style",
  "href",
  "title",
  "target",
  "rel",
  "colspan",
  "rowspan",
  "scope",
  "class",
  "role",
  "open",
]);

/**
 * Checks HTML a renderer produced against an allow-list: only harmless tags, no event-handler or
 * unknown attribute, every `href` an absolute http(s) URL, no `<script`, `<img`, `<iframe`,
 * `<svg`, `javascript:`/`vbscript:`/`data:` link. Returns the problems found (empty when clean).
 */
export function htmlProblems(html: string): string[] {
  const problems: string[] = [];
  if (/<\s*(script|img|iframe|svg|object|embed|style|link|meta|base|form|input)\b/i.test(html)) {
    problems.push("a dangerous tag");
  }
  if (/href\s*=\s*["']?\s*(javascript|vbscript|data):/i.test(html)) problems.push("a script href");
  const tag =
    /<\/?([a-zA-Z][\w-]*)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
  for (const m of html.matchAll(tag)) {
    const name = m[1].toLowerCase();
    if (!TAGS.has(name)) problems.push(`tag <${name}>`);
    const attrs = /([^\s=>/]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
    for (const a of m[2].matchAll(attrs)) {
      const attr = a[1].toLowerCase();
      if (!ATTRIBUTES.has(attr) && !attr.startsWith("aria-") && !attr.startsWith("data-")) {
        problems.push(`attribute ${attr} on <${name}>`);
      }
      const value = a[3] ?? a[4] ?? a[5] ?? "";
      if (attr === "href" && !/^https?:\/\/[^\s"'<>]+$/i.test(value)) {
        problems.push(`href ${JSON.stringify(value.slice(0, 40))}`);
      }
      if (a[5] !== undefined) problems.push(`unquoted attribute ${attr}`);
    }
  }
  // Anything tag-like left over that the tag pattern did not accept is injected markup.
  const stray = html.replace(tag, "").match(/<[a-zA-Z/!?]/g);
  if (stray) problems.push(`${stray.length} unparsed "<"`);
  return problems;
}

/** Asserts every `text/html` in `bundles` passes {@link htmlProblems}. */
export function expectSafeHtml(where: string, ...htmls: (string | undefined)[]): void {
  for (const html of htmls) {
    expect(typeof html, `${where}: no text/html`).toBe("string");
    expect(htmlProblems(html!), where).toEqual([]);
  }
}

/** What console.* and process.stdout/stderr.write received while `fn` ran. */
export async function captureOutput<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; output: string }> {
  const chunks: string[] = [];
  const methods = ["log", "info", "warn", "error", "debug", "trace", "dir", "table"] as const;
  const saved = methods.map((m) => [m, console[m]] as const);
  for (const m of methods) {
    console[m] = (...args: unknown[]) => void chunks.push(args.map((a) => inspect(a)).join(" "));
  }
  const writes = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString());
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof stream.write;
    return () => void (stream.write = write);
  });
  try {
    const value = await fn();
    return { value, output: chunks.join("\n") };
  } finally {
    for (const [m, f] of saved) (console as unknown as Record<string, unknown>)[m] = f;
    for (const restore of writes) restore();
  }
}

/**
 * Adds every token the emulator signs from now on (access tokens and ID tokens: `issue()` signs
 * through `sign()`) to `into`, so a leak check can look for them; the function returned stops.
 */
export function recordSignedTokens(into: Set<string>): () => void {
  const sign = TokenIssuer.prototype.sign;
  TokenIssuer.prototype.sign = function (...args: Parameters<typeof sign>) {
    const token = sign.apply(this, args);
    into.add(token);
    return token;
  };
  return () => void (TokenIssuer.prototype.sign = sign);
}

/** Turns the Azure SDK's logging to verbose and adds each line it logs to `into`. */
export async function captureAzureLogs(into: string[]): Promise<void> {
  const logger = await import("@azure/logger");
  logger.setLogLevel("verbose");
  logger.AzureLogger.log = (...args: unknown[]) => void into.push(format(...args));
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
