import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_BODY_BYTES, type RunningServer, serve } from "../../src/emulator/serve.ts";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { client, send } from "./_https.ts";

/** Sends headers and `sent` bytes of a body, then waits for the answer (status, ms, bytes read). */
function upload(
  port: number,
  headers: Record<string, string>,
  sent: Buffer,
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: "127.0.0.1", port, method: "POST", path: "/x", headers },
      (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on(
          "end",
          () => resolve({ status: res.statusCode!, body, connection: res.headers.connection }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", () => {}); // the server closes the socket while we could still be writing
    req.write(sent);
  });
}

describe("serve(): request-body limit", () => {
  let seen: number[];
  let server: RunningServer;
  beforeAll(async () => {
    seen = [];
    server = await serve(async (r) => {
      seen.push((await r.arrayBuffer()).byteLength);
      return new Response("ok");
    }, { maxBodyBytes: 1000 });
  });
  afterAll(() => server.close());

  // Issue 13 #8: on main the whole body was buffered before routing or auth (1.5 GiB took 4.7 GB RSS).
  it("answers 413 on a declared length over the limit before reading the body", async () => {
    const res = await upload(
      server.port,
      { "content-length": String(1.5 * 1024 ** 3) },
      Buffer.alloc(10),
    );
    expect(res.status).toBe(413);
    expect(res.connection).toBe("close");
    expect(JSON.parse(res.body)).toEqual({
      error: {
        code: "RequestEntityTooLarge",
        message: "The request body is larger than 1000 bytes, the most this emulator accepts.",
      },
    });
    expect(seen).toEqual([]);
  });

  it("answers 413 once a chunked body passes the limit, without waiting for its end", async () => {
    const res = await upload(server.port, { "transfer-encoding": "chunked" }, Buffer.alloc(1001));
    expect(res.status).toBe(413);
    expect(seen).toEqual([]);
  });

  it("passes a body at the limit on to the handler", async () => {
    const res = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: "127.0.0.1", port: server.port, method: "POST", path: "/x" },
        (r) => resolve(r.resume().statusCode!),
      );
      req.on("error", reject);
      req.end(Buffer.alloc(1000));
    });
    expect(res).toBe(200);
    expect(seen).toEqual([1000]);
  });

  it("defaults to 1 MiB and refuses a negative limit", async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(1024 * 1024);
    await expect(serve(() => Promise.resolve(new Response("")), { maxBodyBytes: -1 })).rejects
      .toThrow(
        "Cannot set maxRequestBodyBytes: it must be an integer >= 0, not -1",
      );
  });
});

describe("startEmulator({ maxRequestBodyBytes })", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ maxRequestBodyBytes: 4096 });
  });
  afterAll(() => emulator.stop());

  it("applies the limit to ARM before authentication, and normal requests still pass", async () => {
    const c = client(emulator);
    const big = await c.arm("PUT", "?api-version=2025-12-15-preview", "x".repeat(5000), {});
    expect(big.status).toBe(413);
    expect(emulator.control.requestCount({ listener: "arm" })).toBe(0);
    const ok = await c.arm("POST", "/listKeys?api-version=2025-12-15-preview");
    expect(ok.status).toBe(200);
  });

  it("applies it to the Key Vault and the authority listeners too", async () => {
    const body = "x".repeat(5000);
    for (
      const [listener, url] of [
        ["vault", `${emulator.keyVaultUrl}secrets/big?api-version=2025-07-01`],
        ["login", `${emulator.authorityHost}/organizations/oauth2/v2.0/token`],
      ] as const
    ) {
      const res = await send(url, {
        method: listener === "vault" ? "PUT" : "POST",
        body,
        ca: emulator.caCertificate,
      });
      expect([listener, res.status, res.json().error.code]).toEqual([
        listener,
        413,
        "RequestEntityTooLarge",
      ]);
      expect(emulator.control.requestCount({ listener })).toBe(0);
    }
  });
});
