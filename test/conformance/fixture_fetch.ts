/**
 * A `fetch` that answers as Azure did in the recordings: it serves a recorded exchange for a request
 * with the same method, path, api-version, query and auth scheme (our sample body, the recorded
 * status and headers), and refuses anything else. Injected into the public API as `fetch` and
 * `armFetch` (and behind an HTTPS server on loopback for Key Vault's `SecretClient`, which takes no
 * fetch), it shows how this module's clients read the real service's answers.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { EXCHANGES, FIXTURE, type RecordedExchange, requestPath } from "./exchanges.ts";

/** What a test may vary per call, within the recorded shape: the values, e.g. a regenerated key. */
export type Respond = (exchangeId: string, call: number) => unknown;

/** A request the fixture had no recorded exchange for. */
export interface Unserved {
  method: string;
  url: string;
  auth: string;
}

const ARM_HOST = "management.azure.com";
const OPERATION_QUERY = "t=638900000000000000&c=fixture&s=fixture&h=fixture"; // signed in Azure

function authOf(req: Request): string {
  if (req.headers.has("x-ms-quantum-api-key")) return "apiKey";
  return /^Bearer \S+$/.test(req.headers.get("authorization") ?? "") ? "bearer" : "none";
}

// The listener's host: ARM's, a regional data plane's, a vault's (a loopback one in the tests).
function hostOk(e: RecordedExchange, url: URL): boolean {
  const listener = e.request.listener;
  if (listener === "arm") return url.host === ARM_HOST;
  if (listener === "dataPlane") return url.host.endsWith(".quantum.azure.com");
  return url.hostname === "127.0.0.1" || url.hostname.endsWith(".vault.azure.net");
}

// The request path of `e` at `apiVersion`, as a pattern: `{name}` (a new GUID) matches any GUID.
function pathOk(e: RecordedExchange, url: URL, apiVersion: string): boolean {
  const [path, query] = requestPath(e, FIXTURE, FIXTURE.operationId, apiVersion).split("?");
  const pattern = path!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(FIXTURE.assignmentName, "[0-9a-f-]{36}");
  const wanted = new URLSearchParams(query);
  const queryOk = [...wanted].every(([k, v]) => url.searchParams.get(k) === v) &&
    [...url.searchParams.keys()].every((k) => wanted.has(k) || OPERATION_QUERY.includes(`${k}=`));
  return new RegExp(`^${pattern}$`).test(url.pathname) && queryOk;
}

function matches(e: RecordedExchange, req: Request, url: URL): boolean {
  const r = e.request;
  const versions = [r.apiVersion, ...(r.clientApiVersion ? [r.clientApiVersion] : [])];
  return hostOk(e, url) && req.method === r.method && authOf(req) === r.auth &&
    versions.some((v) => pathOk(e, url, v));
}

/**
 * The recorded answer of `e` as a `Response` (our sample body, or `body`).
 *
 * @example Usage
 * ```ts
 * import { responseFor } from "./fixture_fetch.ts";
 * import { exchange } from "./exchanges.ts";
 * responseFor(exchange("dataPlane.jobs.keysDisabled")).status; // 401
 * ```
 */
export function responseFor(e: RecordedExchange, body: unknown = e.response.body): Response {
  return new Response(body === null ? null : JSON.stringify(body), {
    status: e.response.status,
    headers: headersFor(e),
  });
}

function headersFor(e: RecordedExchange): Headers {
  const h = new Headers({ "x-ms-request-id": randomUUID() });
  if (e.response.body !== null) h.set("content-type", "application/json; charset=utf-8");
  if (e.id === "arm.regenerateKey") h.set("content-type", "application/json; charset=utf-8"); // recorded so, on an empty 204
  for (const name of e.response.present ?? []) {
    if (name === "azure-asyncoperation") {
      const op = `https://${ARM_HOST}/providers/Microsoft.Quantum/locations/EASTUS/operationStatuses/` +
        `${encodeURIComponent(FIXTURE.operationId)}?api-version=${e.request.apiVersion}&${OPERATION_QUERY}`;
      h.set(name, op);
    } else if (name === "etag") h.set(name, '"fixture-etag"');
    else if (name === "www-authenticate" && e.request.listener === "vault") {
      // Key Vault's challenge names the tenant's authority and the resource a token must be for.
      h.set(name, `Bearer authorization="https://login.microsoftonline.com/${FIXTURE.tenantId}", resource="https://vault.azure.net"`);
    }
  }
  for (const [name, value] of Object.entries(e.response.headerValues ?? {})) h.set(name, value);
  return h;
}

/**
 * A fetch serving the recorded exchanges. Exchanges with the same request (an operation seen
 * running, then done) are served in their recorded order, the last one repeating.
 *
 * @param respond Replaces the sample body of a call (same shape, other values).
 * @returns The fetch, the ids served in order, the requests it could not serve, and the bodies sent.
 */
export function fixtureFetch(respond: Respond = () => undefined) {
  const served: string[] = [];
  const unserved: Unserved[] = [];
  const sent: { id: string; body: unknown }[] = [];
  const fetch = async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const candidates = EXCHANGES.filter((e) => matches(e, req, url));
    if (candidates.length === 0) {
      unserved.push({ method: req.method, url: `${url.origin}${url.pathname}${url.search}`, auth: authOf(req) });
      return new Response(JSON.stringify({ error: { code: "NotRecorded", message: "no recorded exchange" } }), {
        status: 418,
        headers: { "content-type": "application/json" },
      });
    }
    const calls = served.filter((id) => candidates.some((c) => c.id === id)).length;
    const e = candidates[Math.min(calls, candidates.length - 1)]!;
    const call = served.filter((id) => id === e.id).length;
    served.push(e.id);
    const text = await req.text();
    sent.push({ id: e.id, body: text === "" ? undefined : JSON.parse(text) });
    return responseFor(e, respond(e.id, call) ?? e.response.body);
  };
  return { fetch, served, unserved, sent };
}
