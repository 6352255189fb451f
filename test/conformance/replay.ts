/**
 * Sends a recorded exchange's request to a target (the emulator, or a real workspace in the live
 * suite), with the target's identifiers and credentials, and returns its answer.
 *
 * @module
 */
import { request } from "./_http.ts";
import { type RecordedExchange, requestPath } from "./exchanges.ts";
import type { Answer } from "./shape.ts";

/** Where to send: a workspace's endpoints and credentials. */
export interface Target {
  name: string;
  ids: { subscriptionId: string; resourceGroup: string; workspaceName: string };
  /** Data-plane base URL. */
  dataPlane: string;
  /** ARM base URL, no trailing slash. */
  arm: string;
  /** Key Vault base URL (the emulator's vault; a real vault in the live suite), if any. */
  vault?: string;
  /** CA to trust (the emulator's); none for Azure. */
  ca?: string;
  /** A bearer token for ARM, the data plane or Key Vault. */
  token(audience: "arm" | "dataPlane" | "vault"): Promise<string>;
  /** An access key of the workspace. */
  key(): Promise<string>;
}

/** The body a client PUTs to change `apiKeyEnabled`, built from a GET as the CLI does. */
export function cliPutBody(resource: Record<string, any>, apiKeyEnabled: boolean): unknown {
  return {
    tags: resource.tags ?? {},
    location: resource.location,
    properties: {
      providers: resource.properties?.providers ?? [],
      storageAccount: resource.properties?.storageAccount,
      apiKeyEnabled,
    },
    identity: { type: resource.identity?.type ?? "SystemAssigned" },
  };
}

/**
 * Sends `exchange`'s request to `target`. `url` replaces the path (an operation URL from a PUT);
 * `body` replaces the recorded body (a PUT built from the target's own resource).
 */
export async function replay(
  target: Target,
  exchange: RecordedExchange,
  options: { url?: string; body?: unknown; auth?: RecordedExchange["request"]["auth"] } = {},
): Promise<Answer> {
  const r = exchange.request;
  const base = r.listener === "arm"
    ? target.arm
    : (r.listener === "vault" ? target.vault ?? "" : target.dataPlane).replace(/\/$/, "");
  const url = options.url ?? base + requestPath(exchange, target.ids);
  const auth = options.auth ?? r.auth;
  const headers: Record<string, string> = auth === "apiKey"
    ? { "x-ms-quantum-api-key": await target.key() }
    : auth === "none"
    ? {}
    : { authorization: `Bearer ${await target.token(r.listener)}` };
  return request({
    method: r.method,
    url,
    headers,
    body: "body" in options ? options.body : r.body,
    ca: target.ca,
  });
}
