import http from "node:http";
import https from "node:https";
import type { Emulator } from "../../src/emulator/mod.ts";

/** A response read in full. */
export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: () => any;
}

/** Options of {@link send}. */
export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | object;
  /** CA to trust (PEM); only this CA, never "insecure". */
  ca?: string;
}

/**
 * One request over node:https (or node:http for http: URLs), trusting only `ca`. Node's global
 * fetch cannot take a per-request CA, hence this helper. Rejects on network or TLS errors.
 */
export function send(url: string | URL, options: SendOptions = {}): Promise<Reply> {
  const target = new URL(url);
  const body = options.body === undefined
    ? undefined
    : typeof options.body === "string"
    ? options.body
    : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...options.headers };
  if (body !== undefined) {
    headers["content-type"] ??= "application/json";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  const lib = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(target, {
      method: options.method ?? "GET",
      headers,
      agent: false,
      ...(target.protocol === "https:" ? { ca: options.ca } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          text,
          json: () => JSON.parse(text),
        });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Paths and calls bound to one emulator. */
export function client(emulator: Emulator) {
  const ws = emulator.workspace;
  const P = `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}` +
    `/providers/Microsoft.Quantum/workspaces/${ws.workspaceName}`;
  const ca = emulator.caCertificate;
  const key = () => emulator.control.keys().primary.reveal();
  const armToken = () => emulator.control.issueToken().reveal();
  return {
    P,
    key,
    armToken,
    /** GET on the data plane; path relative to the workspace, e.g. `providerStatus?api-version=…`. */
    data: (path: string, headers: Record<string, string> = { "x-ms-quantum-api-key": key() }) =>
      send(new URL(P.slice(1) + "/" + path, emulator.endpoint), { headers, ca }),
    /** An ARM call on `P + path` with a valid token unless headers say otherwise. */
    arm: (method: string, path: string, body?: object | string, headers?: Record<string, string>) =>
      send(emulator.armEndpoint + P + path, {
        method,
        body,
        ca,
        headers: headers ?? { authorization: `Bearer ${armToken()}` },
      }),
    /** GET an absolute URL on the emulator (nextLink, Azure-AsyncOperation). */
    get: (url: string, headers: Record<string, string>) => send(url, { headers, ca }),
  };
}

export const DP_VERSION = "2025-12-01-preview";
export const ARM_VERSION = "2025-12-15-preview";
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
