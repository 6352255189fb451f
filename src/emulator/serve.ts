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
  /** Largest request body accepted; a larger one gets 413 before more of it is read. @default 1 MiB */
  maxBodyBytes?: number;
  /**
   * Let the listener and its connections keep the process alive, as a server process needs. Off,
   * they are unref'd: a script ends once its own work (its requests included, which its client
   * side holds open) is done. @default false
   */
  keepProcessAlive?: boolean;
}

/**
 * The default request-body limit: 1 MiB, far above anything a client of this emulator sends (the
 * largest, a workspace PUT, is about 2 KB).
 */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/** A listening server. */
export interface RunningServer {
  /** The port it listens on. */
  port: number;
  /** Stops listening and closes every connection, idle or not. */
  close(): Promise<void>;
}

// Not `for await`: leaving that loop destroys the socket before the 413 could be sent.
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off("data", onData);
      req.pause();
      reject(new BodyTooLarge());
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

async function toRequest(
  req: http.IncomingMessage,
  origin: string,
  maxBodyBytes: number,
): Promise<Request> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  // Refuse on the declared length, and count what arrives (chunked bodies declare none).
  if (Number(req.headers["content-length"] ?? 0) > maxBodyBytes) throw new BodyTooLarge();
  const body = await readBody(req, maxBodyBytes);
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(new URL(req.url ?? "/", origin), {
    method: req.method,
    headers,
    body: hasBody ? new Uint8Array(body) : undefined,
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

function tooLarge(req: http.IncomingMessage, res: http.ServerResponse, limit: number): void {
  const body = JSON.stringify({
    error: {
      code: "RequestEntityTooLarge",
      message: `The request body is larger than ${limit} bytes, the most this emulator accepts.`,
    },
  });
  res.writeHead(413, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(Buffer.byteLength(body)),
    connection: "close",
  });
  // Close once the answer is out, so the rest of the body is never read.
  res.end(body, () => req.socket.destroy());
}

/**
 * Serves a pure handler over `node:https` (or `node:http` without `tls`). Works under Node and
 * Deno (whose `node:https` is compatible). A handler that throws {@link DropConnection} gets its
 * socket destroyed before any byte of a response (or part-way through the response it carries);
 * any other throw becomes a plain 500. A request body over `maxBodyBytes` is answered 413 (with
 * `connection: close`) as soon as its declared length or its bytes so far exceed the limit, and
 * the connection is closed without reading the rest; the handler never sees it.
 *
 * @param handler The pure handler.
 * @param options Port, address and TLS material.
 * @returns The running server.
 */
export async function serve(handler: Handler, options: ServeOptions = {}): Promise<RunningServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  const scheme = options.tls ? "https" : "http";
  let origin = "";
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isInteger(maxBodyBytes) && maxBodyBytes >= 0)) {
    throw new RangeError(
      `Cannot set maxRequestBodyBytes: it must be an integer >= 0, not ${maxBodyBytes}`,
    );
  }
  const listener = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    let response: Response;
    try {
      response = await handler(await toRequest(req, origin, maxBodyBytes));
    } catch (e) {
      if (e instanceof BodyTooLarge) return tooLarge(req, res, maxBodyBytes);
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
  if (!options.keepProcessAlive) {
    server.unref();
    // Accepted sockets too: an idle keep-alive connection must not hold the process for the
    // server's keep-alive timeout. A request in flight is held open by its client.
    server.on("connection", (socket: { unref(): unknown }) => socket.unref());
  }
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
