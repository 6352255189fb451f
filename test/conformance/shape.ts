/**
 * Compares an answer with a recorded exchange: status, the headers clients act on, and the body's
 * shape (field names, types, casing, and the values listed as exact). Returns differences as short
 * lines such as `status 400, recorded 200` or `body /properties/usable: missing`, which the
 * allow-list matches by prefix.
 *
 * @module
 */
import type { RecordedExchange } from "./exchanges.ts";

/** An answer as the suites see it, from the emulator or from Azure. */
export interface Answer {
  status: number;
  /** Lowercase names. */
  headers: Record<string, string | undefined>;
  text: string;
}

type Kind = "null" | "array" | "object" | "string" | "number" | "boolean";

function kindOf(value: unknown): Kind {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as Kind;
}

/** `/a/*\/b` matches `/a/0/b`. */
function matches(patterns: readonly string[] | undefined, path: string): boolean {
  return (patterns ?? []).some((p) =>
    new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]+")}$`).test(path)
  );
}

function compare(
  recorded: unknown,
  actual: unknown,
  path: string,
  rules: NonNullable<RecordedExchange["shape"]>,
  out: string[],
): void {
  const at = path === "" ? "/" : path;
  if (matches(rules.exact, path)) {
    if (JSON.stringify(recorded) !== JSON.stringify(actual)) {
      out.push(`body ${at}: ${JSON.stringify(actual)}, recorded ${JSON.stringify(recorded)}`);
    }
    return;
  }
  const want = kindOf(recorded);
  const got = kindOf(actual);
  if (want !== got && !(got === "null" && matches(rules.nullable, path))) {
    out.push(`body ${at}: ${got}, recorded ${want}`);
    return;
  }
  if (want === "array") {
    const [a, b] = [recorded as unknown[], actual as unknown[]];
    if (a.length === 0 && b.length > 0) out.push(`body ${at}: ${b.length} items, recorded none`);
    if (a.length > 0 && b.length === 0) out.push(`body ${at}: no items, recorded ${a.length}`);
    if (a.length > 0) b.forEach((item, i) => compare(a[0], item, `${path}/${i}`, rules, out));
  } else if (want === "object") {
    const [a, b] = [recorded as Record<string, unknown>, actual as Record<string, unknown>];
    for (const key of Object.keys(a)) {
      const child = `${path}/${key}`;
      if (!(key in b)) {
        if (!matches(rules.optional, child)) out.push(`body ${child}: missing`);
      } else compare(a[key], b[key], child, rules, out);
    }
    for (const key of Object.keys(b)) {
      const child = `${path}/${key}`;
      if (!(key in a) && !matches(rules.optional, child)) {
        const sameName = Object.keys(a).find((k) => k.toLowerCase() === key.toLowerCase());
        out.push(
          sameName ? `body ${child}: casing, recorded ${sameName}` : `body ${child}: not recorded`,
        );
      }
    }
  }
}

/**
 * The differences between `answer` and what `exchange` recorded; `[]` when they agree. Every answer
 * must also carry `x-ms-request-id` (the recorders dropped it; Azure sends it on every answer).
 *
 * @example Usage
 * ```ts
 * import { differences } from "./shape.ts";
 * // differences(exchange("arm.listKeys"), answer) // ["body /primaryKey/createdAt: not recorded"]
 * ```
 */
export function differences(exchange: RecordedExchange, answer: Answer): string[] {
  const out: string[] = [];
  const res = exchange.response;
  if (answer.status !== res.status) out.push(`status ${answer.status}, recorded ${res.status}`);
  if (!answer.headers["x-ms-request-id"]) out.push("header x-ms-request-id: missing");
  for (const name of res.present ?? []) {
    if (answer.headers[name] === undefined) out.push(`header ${name}: missing`);
  }
  for (const name of res.absent ?? []) {
    if (answer.headers[name] !== undefined) out.push(`header ${name}: sent, recorded none`);
  }
  for (const [name, value] of Object.entries(res.headerValues ?? {})) {
    if (answer.headers[name] !== value) {
      out.push(`header ${name}: ${JSON.stringify(answer.headers[name])}, recorded ${JSON.stringify(value)}`);
    }
  }
  if (res.body === null) {
    if (answer.text !== "") out.push("body: not empty, recorded empty");
    return out;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    out.push("body: not JSON, recorded JSON");
    return out;
  }
  compare(res.body, body, "", exchange.shape ?? {}, out);
  return out;
}

/**
 * The shape differences between a body a client sent and the recorded request body.
 *
 * @example Usage
 * ```ts
 * import { bodyDifferences } from "./shape.ts";
 * bodyDifferences({ keys: ["Primary"] }, { keys: ["Secondary"] }); // []
 * ```
 */
export function bodyDifferences(
  recorded: unknown,
  actual: unknown,
  rules: NonNullable<RecordedExchange["shape"]> = {},
): string[] {
  const out: string[] = [];
  compare(recorded, actual, "", rules, out);
  return out;
}
