import { describe, expect, it } from "vitest";
import { createHttpPipeline } from "../../src/http/http_pipeline.ts";
import { Secret } from "../../src/connection/secret.ts";
import { isNetworkError } from "../../src/request_errors.ts";
import type { RetryEvent } from "../../src/http/retry_strategy.ts";

const URL_ = "https://eastus.quantum.azure.com/subscriptions/s/x?api-version=1";
const KEY = "k3y-VALUE-that-must-never-leak-0123456789abcdefghijklmnopqrstuvwxyz";

function scripted(responses: Array<(req: Request) => Response | Promise<Response>>) {
  const seen: Request[] = [];
  const fetch = (req: Request) => {
    seen.push(req);
    const next = responses[Math.min(seen.length - 1, responses.length - 1)];
    return Promise.resolve(next(req));
  };
  return { fetch, seen };
}

const ok = () => new Response('{"value":[]}', { status: 200, headers: { "x-ms-request-id": "rid-1" } });

describe("createHttpPipeline()", () => {
  it("sends the user agent, accept header and the current api key", async () => {
    const source = { key: new Secret(KEY) };
    const { fetch, seen } = scripted([ok]);
    const http = createHttpPipeline({ fetch, apiKey: source });
    const res = await http.send({ method: "GET", url: URL_ });
    expect(res.status).toBe(200);
    expect(res.requestId).toBe("rid-1");
    expect(res.json()).toEqual({ value: [] });
    expect(seen[0].headers.get("x-ms-quantum-api-key")).toBe(KEY);
    expect(seen[0].headers.get("user-agent")).toMatch(/^azure-quantum-notebook\/0\.1\.0/);
    source.key = new Secret("other-key");
    await http.send({ method: "GET", url: URL_ });
    expect(seen[1].headers.get("x-ms-quantum-api-key")).toBe("other-key");
    expect(http.requestCount).toBe(2);
  });

  it("retries a 429 after its Retry-After and reports the retry", async () => {
    const { fetch, seen } = scripted([
      () => new Response("", { status: 429, headers: { "retry-after": "1" } }),
      ok,
    ]);
    const events: RetryEvent[] = [];
    const http = createHttpPipeline({ fetch, onRetry: (e) => events.push(e) });
    const t0 = performance.now();
    const res = await http.send({ method: "GET", url: URL_ });
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(990);
    expect(seen).toHaveLength(2);
    expect(events).toEqual([{
      attempt: 1,
      maxRetries: 4,
      status: 429,
      errorCode: undefined,
      delayMs: 1000,
      method: "GET",
      url: "https://eastus.quantum.azure.com/subscriptions/s/x",
    }]);
  });

  it("gives up on a persistent 503 after maxRetries and returns the last response", async () => {
    const { fetch, seen } = scripted([() => new Response("", { status: 503 })]);
    const http = createHttpPipeline({ fetch, retry: { maxRetries: 2, baseDelayMs: 10 } });
    const res = await http.send({ method: "GET", url: URL_ });
    expect(res.status).toBe(503);
    expect(seen).toHaveLength(3);
  });

  it("stops retrying once the total time bound would be exceeded", async () => {
    const { fetch, seen } = scripted([() => new Response("", { status: 503, headers: { "retry-after": "5" } })]);
    const http = createHttpPipeline({ fetch, retry: { maxRetries: 10, maxElapsedMs: 1000 } });
    const res = await http.send({ method: "GET", url: URL_ });
    expect(res.status).toBe(503);
    expect(seen).toHaveLength(1);
  });

  it("retries a dropped GET but never replays a dropped POST", async () => {
    const drop = () => {
      throw new TypeError("socket hang up");
    };
    const get = scripted([drop, ok]);
    const http = createHttpPipeline({ fetch: get.fetch, retry: { baseDelayMs: 5 } });
    expect((await http.send({ method: "GET", url: URL_ })).status).toBe(200);
    expect(get.seen).toHaveLength(2);

    const post = scripted([drop, ok]);
    const http2 = createHttpPipeline({ fetch: post.fetch, apiKey: { key: new Secret(KEY) }, retry: { baseDelayMs: 5 } });
    const err = await http2.send({ method: "POST", url: URL_, body: { keys: ["Primary"] } }).catch((e) => e);
    expect(post.seen).toHaveLength(1);
    expect(isNetworkError(err)).toBe(true);
    expect(err.message).toBe(
      "Cannot reach https://eastus.quantum.azure.com: socket hang up (POST https://eastus.quantum.azure.com/subscriptions/s/x). " +
        "Check the endpoint in your connection string and your network connection",
    );
    const everything = JSON.stringify(err, Object.getOwnPropertyNames(err)) + String(err.stack) + JSON.stringify(err.cause);
    expect(everything).not.toContain(KEY);
  });

  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const { fetch } = scripted([() => new Response("", { status: 503, headers: { "retry-after": "5" } })]);
    const http = createHttpPipeline({ fetch });
    setTimeout(() => controller.abort(new Error("stop")), 50);
    const err = await http.send({ method: "GET", url: URL_, signal: controller.signal }).catch((e) => e);
    expect(err.message).toBe("stop");
  });
});
