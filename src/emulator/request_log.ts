import type { ListenerName } from "./faults.ts";
import { positiveInteger } from "./knob_values.ts";

/** How a request authenticated (or tried to): never the credential itself. */
export type AuthScheme = "apiKey" | "bearer" | "identityHeader" | "none";

/** One request the emulator received. Secret headers are left out. */
export interface RequestLogEntry {
  /** 1, 2, 3… in arrival order over all listeners. */
  seq: number;
  /** Arrival time, ISO 8601. */
  time: string;
  /** Which listener answered. */
  listener: ListenerName;
  /** The request method. */
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query string without `?` (no secrets travel in queries here). */
  query: string;
  /** The `x-ms-request-id` the emulator answered with. */
  requestId: string;
  /** How the request authenticated. */
  auth: AuthScheme;
  /** Final status; `0` for a dropped connection; `undefined` while in flight. */
  status?: number;
  /** The injected fault, if any. */
  fault?: 429 | 500 | 503 | "drop";
  /** Request headers except `authorization`, `x-ms-quantum-api-key`, `x-identity-header`, `cookie`. */
  headers: Record<string, string>;
}

/** Selects log entries; every given field must match. */
export interface RequestLogFilter {
  /** Only this listener. */
  listener?: ListenerName;
  /** Only this method. */
  method?: string;
  /** Substring of the path. */
  path?: string;
  /** Only this status. */
  status?: number;
}

const SECRET_HEADERS = new Set([
  "authorization",
  "x-ms-quantum-api-key",
  "x-identity-header",
  "cookie",
]);

/** How many entries a {@link RequestLog} keeps by default. */
export const DEFAULT_REQUEST_LOG_SIZE = 1000;

/**
 * Records requests, per listener, with method and path, for tests and benchmarks. It is a ring
 * buffer: it keeps the last `size` entries, so a long-running emulator (a notebook kernel) does not
 * grow without bound.
 */
export class RequestLog {
  #entries: RequestLogEntry[] = [];
  #seq = 0;
  readonly #size: number;

  /** @param size Entries kept; older ones are forgotten first. @default 1000 */
  constructor(size: number = DEFAULT_REQUEST_LOG_SIZE) {
    this.#size = positiveInteger("requestLogSize", size);
  }

  /** Adds an entry for `req` and returns it, so its status can be filled in later. */
  record(
    listener: ListenerName,
    req: Request,
    requestId: string,
    auth: AuthScheme,
    now: number,
  ): RequestLogEntry {
    const url = new URL(req.url);
    const headers: Record<string, string> = {};
    req.headers.forEach((value, name) => {
      if (!SECRET_HEADERS.has(name.toLowerCase())) headers[name.toLowerCase()] = value;
    });
    const entry: RequestLogEntry = {
      seq: ++this.#seq,
      time: new Date(now).toISOString(),
      listener,
      method: req.method,
      path: url.pathname,
      query: url.search.replace(/^\?/, ""),
      requestId,
      auth,
      headers,
    };
    this.#entries.push(entry);
    // Drop in batches, so a full log does not shift its array on every request.
    if (this.#entries.length > this.#size + Math.ceil(this.#size / 8)) {
      this.#entries = this.#entries.slice(-this.#size);
    }
    return entry;
  }

  /** Copies of the entries matching `filter` among the last `size`, oldest first. */
  entries(filter: RequestLogFilter = {}): RequestLogEntry[] {
    return this.#entries.slice(-this.#size).filter((e) =>
      (filter.listener === undefined || e.listener === filter.listener) &&
      (filter.method === undefined || e.method.toUpperCase() === filter.method.toUpperCase()) &&
      (filter.path === undefined || e.path.includes(filter.path)) &&
      (filter.status === undefined || e.status === filter.status)
    ).map((e) => structuredClone(e));
  }

  /** How many entries match `filter`. */
  count(filter: RequestLogFilter = {}): number {
    return this.entries(filter).length;
  }

  /** Forgets every entry (sequence numbers keep counting). */
  reset(): void {
    this.#entries = [];
  }
}
