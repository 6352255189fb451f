import type {
  PipelineRequest,
  RestError,
  RetryStrategy,
} from "@azure/core-rest-pipeline";
import type { RetryOptions } from "../config/client_options.ts";

/** What a retry observer learns before the wait starts. */
export interface RetryEvent {
  /** 1 for the first retry. */
  attempt: number;
  maxRetries: number;
  /** HTTP status that caused the retry, or undefined for a network error. */
  status: number | undefined;
  /** Network error code (`ECONNRESET`, ...), when no response came. */
  errorCode: string | undefined;
  delayMs: number;
  method: string;
  /** URL without its query string. */
  url: string;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EPIPE",
  "ECONNABORTED",
  "UND_ERR_SOCKET",
  "REQUEST_SEND_ERROR",
  // The connection dropped while the response body was being read (see http_pipeline.ts).
  "RESPONSE_DROPPED",
]);
// Methods whose repetition cannot change state twice; a POST whose connection dropped may
// already have run (regenerateKey twice would also kill the new key), so it is never replayed.
const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

/**
 * The wait a response asks for, in ms: `retry-after-ms`, `x-ms-retry-after-ms`, or `Retry-After`
 * (seconds or an HTTP date); `undefined` when it asks for none.
 */
export function retryAfterMs(
  response: { headers: { get(name: string): string | null | undefined } } | undefined,
  now = Date.now(),
): number | undefined {
  if (!response) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = Number(response.headers.get(name));
    if (response.headers.get(name) && Number.isFinite(v) && v >= 0) return v;
  }
  const raw = response.headers.get("retry-after");
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

/**
 * The one retry strategy of both clients: retries 429/500/502/503/504 (any method: the service
 * answered, so it refused the request) and dropped connections (idempotent methods only, or
 * requests `isIdempotent` vouches for, such as the read-only `listKeys` POST), honouring
 * `Retry-After`, bounded in count and total time.
 */
export function quantumRetryStrategy(
  options: RetryOptions = {},
  onRetry?: (event: RetryEvent, request: PipelineRequest) => void,
  now: () => number = Date.now,
  isIdempotent: (request: PipelineRequest) => boolean = () => false,
): RetryStrategy {
  const maxRetries = options.maxRetries ?? 4;
  const base = options.baseDelayMs ?? 400;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const maxElapsed = options.maxElapsedMs ?? 60_000;
  const started = new WeakMap<object, number>();

  return {
    name: "quantumRetryStrategy",
    retry({ retryCount, response, responseError }) {
      const request = response?.request ?? (responseError as RestError | undefined)?.request;
      if (!request) return { skipStrategy: true };
      const method = request.method.toUpperCase();
      let delay: number;
      if (response && RETRY_STATUSES.has(response.status)) {
        const jitter = 0.8 + Math.random() * 0.4;
        delay = retryAfterMs(response, now()) ?? Math.round(base * 2 ** retryCount * jitter);
      } else if (!response && responseError && NETWORK_CODES.has(String(responseError.code))) {
        if (!IDEMPOTENT.has(method) && !isIdempotent(request)) return { skipStrategy: true };
        delay = Math.round(base * 2 ** retryCount * (0.8 + Math.random() * 0.4));
      } else {
        return { skipStrategy: true };
      }
      // Only requests that may be retried are timed: a WeakMap entry for every successful
      // request costs more than the rest of this function (bench/ row 2).
      if (!started.has(request)) started.set(request, now());
      delay = Math.min(delay, maxDelay);
      const elapsed = now() - started.get(request)!;
      if (retryCount >= maxRetries || elapsed + delay > maxElapsed) return { skipStrategy: true };
      onRetry?.({
        attempt: retryCount + 1,
        maxRetries,
        status: response?.status,
        errorCode: response ? undefined : String(responseError?.code ?? ""),
        delayMs: delay,
        method,
        url: request.url.split("?")[0],
      }, request);
      return { retryAfterInMs: delay };
    },
  };
}
