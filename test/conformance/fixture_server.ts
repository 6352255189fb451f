/**
 * The recorded answers over HTTPS on loopback, for clients that take no `fetch` (Key Vault's
 * `SecretClient`): each request is handed to a {@link fixtureFetch} and its answer written back.
 * The certificate is for 127.0.0.1, signed by a fresh CA the client is given.
 *
 * @module
 */
import https from "node:https";
import type { AddressInfo } from "node:net";
import { createTlsMaterial } from "../../src/emulator/tls.ts";
import type { fixtureFetch } from "./fixture_fetch.ts";

/** A running fixture server: its base URL (`https://127.0.0.1:<port>/`), CA, and `close()`. */
export interface FixtureServer {
  url: string;
  ca: string;
  close(): Promise<void>;
}

/** Serves `fixture` on 127.0.0.1 over HTTPS. */
export async function serveFixture(fixture: ReturnType<typeof fixtureFetch>): Promise<FixtureServer> {
  const tls = await createTlsMaterial();
  const server = https.createServer({ key: tls.privateKey, cert: tls.certificate }, async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const answer = await fixture.fetch(
      new Request(`https://127.0.0.1${req.url}`, { method: req.method, headers, ...(body.length ? { body } : {}) }),
    );
    res.writeHead(answer.status, Object.fromEntries(answer.headers));
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    ca: tls.caCertificate,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
