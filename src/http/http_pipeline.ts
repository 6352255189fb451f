import type { HttpClient, Pipeline } from "@azure/core-rest-pipeline";
import type { TokenCredential } from "@azure/core-auth";
import { NetworkError } from "../request_errors.ts";
import { VERSION } from "../version.ts";
import type { ApiKeyProvider } from "./api_key_policy.ts";
import type { TokenCredentialLike } from "../config/credential.ts";
import type { FetchLike, RetryOptions } from "../config/client_options.ts";
import type { RetryEvent } from "./retry_strategy.ts";

/** How a client talks HTTP: trust, retries, timeout and authentication. */
export interface HttpPipelineOptions {
  /** PEM CA certificate(s) trusted for this pipeline's requests only (the emulator's CA). */
  ca?: string;
  /** Send through this `fetch`-compatible function instead of Node's HTTPS stack (tests). */
  fetch?: FetchLike;
  /** Retry bounds. */
  retry?: RetryOptions;
  /** Per-attempt timeout in ms. @default 30_000 */
  timeoutMs?: number;
  /** Data-plane access key, read on every request. */
  apiKey?: ApiKeyProvider;
  /** Microsoft Entra credential, with `scopes`, for a bearer token. */
  credential?: TokenCredentialLike;
  /** Token scopes for `credential`. */
  scopes?: string | string[];
  /** Called before each retry's wait (progress displays hook in here). */
  onRetry?: (event: RetryEvent) => void;
}

/** One request. A non-string `body` is sent as JSON. */
export interface HttpRequestInit {
  method: "GET" | "PUT" | "PATCH" | "POST" | "DELETE";
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /** Overrides the per-attempt timeout for this request. */
  timeoutMs?: number;
  /** Called before each retry's wait, for this request only. */
  onRetry?: (event: RetryEvent) => void;
  /**
   * Safe to send again after a dropped connection although the method is not idempotent (a
   * read-only POST such as ARM's `listKeys`). @default by method: GET, HEAD, PUT, DELETE, OPTIONS
   */
  idempotent?: boolean;
}

/** A response, whatever its status. */
export interface HttpResponse {
  status: number;
  headers: { get(name: string): string | undefined };
  text: string;
  /** `x-ms-request-id`, when the service sent one. */
  requestId: string | undefined;
  /** The parsed JSON body, or `undefined` for an empty or non-JSON body. */
  json<T = unknown>(): T | undefined;
}

/** Sends requests; `requestCount` counts attempts that reached the transport (retries included). */
export interface HttpPipeline {
  send(init: HttpRequestInit): Promise<HttpResponse>;
  readonly requestCount: number;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|certificate/i;
const DROPPED_RESPONSE = "RESPONSE_DROPPED";

/**
 * Builds the pipeline both clients use: user agent `azure-quantum-notebook/<version>`, client
 * request id, bounded retries honouring `Retry-After`, a per-attempt timeout, the redacting log
 * policy, and api-key or bearer-token auth. Transport failures become a {@link NetworkError}
 * naming the host, never a header.
 */
export function createHttpPipeline(options: HttpPipelineOptions = {}): HttpPipeline {
  let requestCount = 0;
  const perRequestRetry = new WeakMap<object, (e: RetryEvent) => void>();
  const replayable = new WeakSet<object>();
  const onRetry = (e: RetryEvent, request: object) => {
    options.onRetry?.(e);
    perRequestRetry.get(request)?.(e);
  };
  // core-rest-pipeline (and the policies below) are imported on the first request, not when this
  // module loads: importing the package stays cheap for a kernel that is restarted all day.
  let built: Promise<{ pipeline: Pipeline; client: HttpClient }> | undefined;
  // One settings object per pipeline: core-rest-pipeline caches its keep-alive https.Agent by
  // this object's identity, so a fresh `{ ca }` per request would open a new TLS connection for
  // every request.
  const tlsSettings = options.ca ? { ca: options.ca } : undefined;
  const build = async () => {
    const [core, { quantumRetryStrategy }] = await Promise.all([loadCore(), import("./retry_strategy.ts")]);
    const maxRetries = options.retry?.maxRetries ?? 4;
    const pipeline = core.createEmptyPipeline();
    pipeline.addPolicy(core.userAgentPolicy({ userAgentPrefix: `azure-quantum-notebook/${VERSION}` }));
    pipeline.addPolicy(core.setClientRequestIdPolicy());
    pipeline.addPolicy(
      core.retryPolicy(
        [quantumRetryStrategy(options.retry, onRetry, Date.now, (r) => replayable.has(r))],
        { maxRetries },
      ),
      { phase: "Retry" },
    );
    if (options.apiKey) {
      const { apiKeyPolicy } = await import("./api_key_policy.ts");
      pipeline.addPolicy(apiKeyPolicy(options.apiKey), { phase: "Sign" });
    }
    if (options.credential) {
      pipeline.addPolicy(
        core.bearerTokenAuthenticationPolicy({
          // The narrower TokenCredentialLike is what the policy calls; the full options pass through.
          credential: options.credential as TokenCredential,
          scopes: options.scopes ?? [],
        }),
        { phase: "Sign" },
      );
    }
    pipeline.addPolicy(core.logPolicy(), { afterPhase: "Sign" });
    pipeline.addPolicy({
      name: "quantumCountRequests",
      sendRequest(request, next) {
        requestCount++;
        return next(request);
      },
    }, { afterPhase: "Sign" });
    // Node's client reports a connection that drops while the body is read as a RestError
    // without `request` (code PARSE_ERROR), which the retry strategy cannot place: a GET cut off
    // mid-response was never retried. Name it, and attach the request.
    pipeline.addPolicy({
      name: "quantumDroppedResponse",
      async sendRequest(request, next) {
        try {
          return await next(request);
        } catch (e) {
          if (!core.isRestError(e) || e.request !== undefined) throw e;
          const dropped = e.code === core.RestError.PARSE_ERROR;
          throw new core.RestError(e.message, {
            code: dropped ? DROPPED_RESPONSE : e.code,
            statusCode: e.statusCode,
            request,
          });
        }
      },
    }, { afterPhase: "Sign" });
    const client = options.fetch
      ? (await import("./fetch_http_client.ts")).fetchHttpClient(options.fetch, core)
      : core.createDefaultHttpClient();
    return { pipeline, client };
  };

  return {
    get requestCount() {
      return requestCount;
    },
    async send(init: HttpRequestInit): Promise<HttpResponse> {
      init.signal?.throwIfAborted();
      const core = await loadCore();
      const { pipeline, client } = await (built ??= build());
      const headers = core.createHttpHeaders({ accept: "application/json", ...init.headers });
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === "string" ? init.body : JSON.stringify(init.body);
        if (!headers.has("content-type")) headers.set("content-type", "application/json");
      }
      const request = core.createPipelineRequest({
        url: init.url,
        method: init.method,
        headers,
        body,
        abortSignal: init.signal,
        timeout: init.timeoutMs ?? options.timeoutMs ?? 30_000,
      });
      if (tlsSettings) request.tlsSettings = tlsSettings;
      if (init.onRetry) perRequestRetry.set(request, init.onRetry);
      if (init.idempotent) replayable.add(request);
      try {
        const response = await pipeline.sendRequest(client, request);
        const text = response.bodyAsText ?? "";
        return {
          status: response.status,
          headers: { get: (name) => response.headers.get(name) },
          text,
          requestId: response.headers.get("x-ms-request-id"),
          json<T>() {
            if (!text.trim()) return undefined;
            try {
              return JSON.parse(text) as T;
            } catch {
              return undefined;
            }
          },
        };
      } catch (e) {
        if (init.signal?.aborted) throw init.signal.reason;
        throw toNetworkError(e, init, core.isRestError(e));
      }
    },
  };
}

let corePromise: Promise<typeof import("@azure/core-rest-pipeline")> | undefined;
function loadCore(): Promise<typeof import("@azure/core-rest-pipeline")> {
  corePromise ??= import("@azure/core-rest-pipeline");
  return corePromise;
}

function toNetworkError(e: unknown, init: HttpRequestInit, isRestError: boolean): Error {
  const url = new URL(init.url);
  const where = `${init.method} ${url.origin}${url.pathname}`;
  const code = isRestError ? String((e as { code?: unknown }).code ?? "") : "";
  const reason = withoutHeaderValues((e as Error)?.message ?? String(e), e);
  let message: string;
  if (code === DROPPED_RESPONSE) {
    message = `Cannot read the answer of ${url.origin}: the connection dropped in the middle of the ` +
      `response (${where}), so the request may have been carried out. ` +
      "Check the result before sending it again";
  } else if ((e as Error)?.name === "AbortError" || /timeout|timed out/i.test(reason)) {
    message = `Cannot reach ${url.origin}: no response in time (${where}). ` +
      "Check the endpoint and your network, or raise the timeout";
  } else if (TLS_CODES.test(code) || TLS_CODES.test(reason)) {
    message =
      `Cannot reach ${url.origin}: its TLS certificate is not trusted (${sanitize(reason)}). ` +
      "For the local emulator, set AZURE_QUANTUM_EMULATOR_CA to its CA file or pass the `ca` option";
  } else {
    message = `Cannot reach ${url.origin}: ${sanitize(reason)} (${where}). ` +
      "Check the endpoint in your connection string and your network connection";
  }
  // The core error's `request` holds the headers (and so the key): keep only its code as cause.
  return new NetworkError("NetworkUnreachable", message, {
    method: init.method,
    url: `${url.origin}${url.pathname}`,
    cause: code ? { code } : undefined,
  });
}

// A runtime's message may quote a header value it refused (Deno and undici do: `Headers.set:
// "<value>" is an invalid header value`), and a header value may be the key or a token: none of
// the request's header values stays in the text.
function withoutHeaderValues(text: string, e: unknown): string {
  const headers = (e as { request?: { headers?: Iterable<[string, string]> } })?.request?.headers;
  if (!headers || typeof headers[Symbol.iterator] !== "function") return text;
  for (const [, value] of headers) {
    if (value.length >= 8) text = text.split(value).join("[header value]");
  }
  return text;
}

// Transport messages name hosts and codes; strip anything that looks like a query string.
function sanitize(text: string): string {
  return text.replace(/\?[^\s]*/g, "").slice(0, 200);
}
