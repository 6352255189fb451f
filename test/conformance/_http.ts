/**
 * One HTTPS request with Node's `https`, trusting `ca` only when given (the emulator's CA; Azure
 * needs none), read in full into an {@link Answer}. Node's global `fetch` takes no per-request CA.
 *
 * @module
 */
import http from "node:http";
import https from "node:https";
import type { Answer } from "./shape.ts";

export interface HttpRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  ca?: string;
}

export function request(r: HttpRequest): Promise<Answer> {
  const target = new URL(r.url);
  const body = r.body === undefined ? undefined : JSON.stringify(r.body);
  const headers: Record<string, string> = { accept: "application/json", ...r.headers };
  if (body !== undefined) {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(body));
  } else if (r.method === "POST" || r.method === "PUT") {
    headers["content-length"] = "0"; // as the CLI sent listKeys
  }
  const lib = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(target, {
      method: r.method,
      headers,
      agent: false,
      ...(r.ca ? { ca: r.ca } : {}),
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const out: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(res.headers)) out[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers: out, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}
