import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { DropConnection } from "./faults.ts";
import type { Handler } from "./handler.ts";

/** Options of {@link serve}. */
export interface ServeOptions {
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Address to listen on. @default "127.0.0.1" */
  hostname?: string;
  /** Key and certificate (PEM) for HTTPS; plain HTTP without. */
  tls?: { key: string; cert: string };
}

/** A listening server. */
export interface RunningServer {
  /** The port it listens on. */
  port: number;
  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void>;
}

async function toRequest(req: http.IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? Buffer.concat(chunks) : undefined,
  });
}

/** Sends the status line, headers and half the body of `response` (if any), then cuts the socket. */
async function dropMidResponse(
  response: Response | undefined,
  res: http.ServerResponse,
  destroy: () => void,
): Promise<void> {
  const body = response ? Buffer.from(await response.arrayBuffer()) : Buffer.alloc(0);
  if (!response || body.length < 2) return destroy();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  headers["content-length"] = String(body.length);
  res.writeHead(response.status, headers);
  // Let the first half reach the client before the socket goes.
  res.write(body.subarray(0, body.length >> 1), () => setTimeout(destroy, 10));
}

/**
 * Serves a pure handler over `node:https` (or `node:http` without `tls`). Works under Node and
 * Deno (whose `node:https` is compatible). A handler that throws {@link DropConnection} gets its
 * socket destroyed before any byte of a response (or part-way through the response it carries);
 * any other throw becomes a plain 500.
 *
 * @param handler The pure handler.
 * @param options Port, address and TLS material.
 * @returns The running server.
 *
 * @example Usage
 * ```ts
 * import { serve } from "./serve.ts";
 * const server = await serve(async () => new Response("ok"), { port: 0 });
 * await server.close();
 * ```
 */
export async function serve(handler: Handler, options: ServeOptions = {}): Promise<RunningServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const scheme = options.tls ? "https" : "http";
  let origin = "";
  const listener = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let response: Response;
    try {
      response = await handler(await toRequest(req, origin));
    } catch (e) {
      if (e instanceof DropConnection) {
        await dropMidResponse(e.response, res, () => req.socket.destroy());
        return;
      }
      response = new Response("Internal emulator error", { status: 500 });
    }
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    if (response.status === 204 || response.status === 304) delete headers["content-length"];
    else headers["content-length"] = String(body.length);
    res.writeHead(response.status, headers);
    res.end(body);
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  origin = `${scheme}://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
