/** The emulator's listeners. */
export type ListenerName = "dataPlane" | "arm" | "identity" | "vault" | "login";

/** What a fault does: an HTTP error status, or a connection dropped before any response byte. */
export type FaultKind = 429 | 500 | 503 | "drop";

/** A fault rule: the next `count` requests that match get `fault` instead of their answer. */
export interface FaultRule {
  /** What to inject. */
  fault: FaultKind;
  /** How many matching requests it hits. @default 1 */
  count?: number;
  /** Only requests with this method (case-insensitive). */
  method?: string;
  /** Only requests whose path (with query) contains this substring. */
  path?: string;
  /** Only requests to this listener. */
  listener?: ListenerName;
  /** `Retry-After` of a 429 or 503, in seconds. @default 1 */
  retryAfterSeconds?: number;
  /**
   * When a `"drop"` happens: `"request"` drops the connection before the request is handled
   * (nothing changed); `"response"` handles it (a POST's change happens) and drops the connection
   * part-way through the answer: after the status line and headers and half the body, or before
   * any byte when there is no body. @default "request"
   */
  at?: "request" | "response";
}

/**
 * Thrown by a handler when the connection must be dropped: the server adapter destroys the socket
 * without sending a byte (or, when `response` is set, after sending part of it). A pure handler
 * cannot express "no response", so this is its marker.
 *
 * @example Usage
 * ```ts
 * import { DropConnection } from "azure-quantum-notebook/emulator";
 * try {
 *   throw new DropConnection();
 * } catch (e) {
 *   if (e instanceof DropConnection) console.log("socket.destroy()");
 * }
 * ```
 */
export class DropConnection extends Error {
  /** Always `"DropConnection"`. */
  override name = "DropConnection" as const;
  /** For a drop `at: "response"`: the answer, of which the server adapter sends only a part. */
  readonly response: Response | undefined;

  /** Drops the connection (after `response` is computed, when given). */
  constructor(response?: Response) {
    super(
      "Cannot answer request: the emulator drops this connection on purpose (fault injection)",
    );
    this.response = response;
  }
}

/**
 * Parses the CLI form of a fault: `kind[:count[:listener[:method[:pathSubstring]]]]`, e.g.
 * `429:3`, `drop:1:arm`, `503:2:dataPlane:GET:/providerStatus`.
 *
 * @param text The flag value.
 * @returns The rule.
 * @throws {RangeError} When the kind, count or listener is not valid.
 *
 * @example Usage
 * ```ts
 * import { parseFault } from "azure-quantum-notebook/emulator";
 * parseFault("429:3"); // { fault: 429, count: 3 }
 * ```
 */
export function parseFault(text: string): FaultRule {
  const [kind = "", count, listener, method, ...path] = text.split(":");
  const fault: FaultKind | undefined = kind === "drop"
    ? "drop"
    : (["429", "500", "503"].includes(kind) ? Number(kind) as FaultKind : undefined);
  if (fault === undefined) {
    throw new RangeError(
      `Cannot parse fault "${text}": kind must be 429, 500, 503 or drop. Use e.g. --fault 429:3`,
    );
  }
  const rule: FaultRule = { fault };
  if (count) {
    const n = count === "*" ? Infinity : Number(count);
    if (!(n >= 1) || (!Number.isInteger(n) && n !== Infinity)) {
      throw new RangeError(`Cannot parse fault "${text}": count must be a positive integer or *`);
    }
    rule.count = n;
  }
  if (listener) {
    if (!["dataPlane", "arm", "identity", "vault", "login"].includes(listener)) {
      throw new RangeError(
        `Cannot parse fault "${text}": listener must be dataPlane, arm, identity, vault or login`,
      );
    }
    rule.listener = listener as ListenerName;
  }
  if (method) rule.method = method;
  if (path.length) rule.path = path.join(":");
  return rule;
}

/**
 * Holds the active fault rules and hands out faults to matching requests, first rule first.
 */
export class FaultInjector {
  #rules: { rule: FaultRule; left: number }[] = [];

  /** Replaces all rules. */
  set(rules: readonly FaultRule[]): void {
    this.#rules = rules.map((rule) => ({ rule: { ...rule }, left: rule.count ?? 1 }));
  }

  /** Adds a rule after the existing ones. */
  add(rule: FaultRule): void {
    this.#rules.push({ rule: { ...rule }, left: rule.count ?? 1 });
  }

  /** The rules still active, with the hits they have left as `count`. */
  list(): FaultRule[] {
    return this.#rules.map(({ rule, left }) => ({ ...rule, count: left }));
  }

  /** The fault for this request, if a rule matches (and uses one of its hits). */
  take(listener: ListenerName, method: string, pathAndQuery: string): FaultRule | undefined {
    const hit = this.#rules.find(({ rule }) =>
      (rule.listener === undefined || rule.listener === listener) &&
      (rule.method === undefined || rule.method.toUpperCase() === method.toUpperCase()) &&
      (rule.path === undefined || pathAndQuery.includes(rule.path))
    );
    if (!hit) return undefined;
    hit.left -= 1;
    if (hit.left <= 0) this.#rules = this.#rules.filter((r) => r !== hit);
    return hit.rule;
  }
}
