/**
 * Rotation's key probes trust a custom CA only for a loopback endpoint (issue 13, finding 13):
 * the CA the emulator needs is never passed on for an Azure endpoint.
 */
import { describe, expect, it, vi } from "vitest";
import type { HttpPipelineOptions } from "../../src/http/http_pipeline.ts";

const made: HttpPipelineOptions[] = [];
vi.mock("../../src/http/http_pipeline.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/http/http_pipeline.ts")>();
  return {
    ...real,
    createHttpPipeline: (options: HttpPipelineOptions) => {
      made.push(options);
      return real.createHttpPipeline(options);
    },
  };
});

const { parseConnectionString } = await import("../../src/connection/connection_string.ts");
const { Secret } = await import("../../src/connection/secret.ts");
const { Workspace } = await import("../../src/workspace/workspace.ts");
const { probeKey } = await import("../../src/keys/key_probe.ts");

const PEM = "-----BEGIN CERTIFICATE-----\nnot a real one\n-----END CERTIFICATE-----\n";
const cs = (endpoint: string) =>
  "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;WorkspaceName=ws;" +
  `ApiKey=k;QuantumEndpoint=${endpoint};`;
const ok = () => Promise.resolve(new Response('{"value":[]}', { status: 200 }));

describe("probeKey()", () => {
  it("passes no custom CA for an Azure endpoint, even when one is configured", async () => {
    made.length = 0;
    const info = parseConnectionString(cs("https://eastus.quantum.azure.com/"));
    const ws = new Workspace(info, { ca: PEM, fetch: ok, env: {} });
    await ws.dataPlane(); // the workspace's own client is made on first use
    expect(await probeKey(ws, new Secret("other-key"))).toBe("accepted");
    expect(made.length).toBeGreaterThanOrEqual(2); // the workspace's own pipeline, and the probe's
    expect(made.map((o) => o.ca)).toEqual(made.map(() => undefined));
  });

  it("passes it for a loopback endpoint (the emulator), so the test above can fail", async () => {
    made.length = 0;
    const info = parseConnectionString(cs("https://127.0.0.1:4443/"));
    const ws = new Workspace(info, { ca: PEM, fetch: ok, env: {} });
    expect(await probeKey(ws, new Secret("other-key"))).toBe("accepted");
    expect(made.at(-1)?.ca).toBe(PEM);
  });
});
