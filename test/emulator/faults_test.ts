import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, parseFault, startEmulator } from "../../src/emulator/mod.ts";
import { client, DP_VERSION, UUID } from "./_https.ts";

let emulator: Emulator;
let c: ReturnType<typeof client>;
const status = `providerStatus?api-version=${DP_VERSION}`;

beforeAll(async () => {
  emulator = await startEmulator();
  c = client(emulator);
});
afterAll(() => emulator.stop());
afterEach(() => {
  emulator.control.setFaults([]);
  emulator.control.setLatency(0);
  emulator.control.resetLog();
});

describe("fault injection", () => {
  it("429 with Retry-After for the next N matching requests, then normal answers", async () => {
    emulator.control.setFaults([{
      fault: 429,
      count: 2,
      retryAfterSeconds: 7,
      listener: "dataPlane",
    }]);
    for (let i = 0; i < 2; i++) {
      const res = await c.data(status);
      expect(res.status).toBe(429);
      expect(res.headers["retry-after"]).toBe("7");
      expect(res.headers["x-ms-error-code"]).toBe("TooManyRequests");
      expect(res.headers["x-ms-request-id"]).toMatch(UUID);
    }
    expect((await c.data(status)).status).toBe(200);
    expect(emulator.control.faults()).toEqual([]);
  });

  it("503 with Retry-After and 500 on ARM, in ARM's error body", async () => {
    emulator.control.setFaults([{ fault: 503, listener: "arm" }, { fault: 500, listener: "arm" }]);
    const first = await c.arm("GET", "?api-version=2025-12-15-preview");
    expect([first.status, first.json().error.code, first.headers["retry-after"]]).toEqual([
      503,
      "ServiceUnavailable",
      "1",
    ]);
    const second = await c.arm("GET", "?api-version=2025-12-15-preview");
    expect([second.status, second.json().error.code]).toEqual([500, "InternalServerError"]);
    expect((await c.arm("GET", "?api-version=2025-12-15-preview")).status).toBe(200);
  });

  it("drops the connection: the client sees a network error, not a response", async () => {
    emulator.control.setFaults([{ fault: "drop", count: 1 }]);
    await expect(c.data(status)).rejects.toMatchObject({
      code: expect.stringMatching(/ECONNRESET|EPIPE/),
    });
    expect((await c.data(status)).status).toBe(200);
    expect(emulator.control.requestLog({ listener: "dataPlane" }).map((e) => [e.status, e.fault]))
      .toEqual([
        [0, "drop"],
        [200, undefined],
      ]);
  });

  it("matches on method, path substring and listener", async () => {
    emulator.control.setFaults([{
      fault: 503,
      method: "POST",
      path: "/listKeys",
      listener: "arm",
      count: Infinity,
    }]);
    expect((await c.data(status)).status).toBe(200);
    expect((await c.arm("GET", "?api-version=2025-12-15-preview")).status).toBe(200);
    expect((await c.arm("POST", "/listKeys?api-version=2025-12-15-preview")).status).toBe(503);
    expect((await c.arm("POST", "/listKeys?api-version=2025-12-15-preview")).status).toBe(503);
    expect(emulator.control.faults()).toHaveLength(1);
  });

  it("adds latency to every response", async () => {
    emulator.control.setLatency(150);
    const start = performance.now();
    expect((await c.data(status)).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
  });

  it("parseFault() reads the CLI form and rejects nonsense", () => {
    expect(parseFault("429:3")).toEqual({ fault: 429, count: 3 });
    expect(parseFault("drop")).toEqual({ fault: "drop" });
    expect(parseFault("503:*:arm:POST:/listKeys?x=1")).toEqual({
      fault: 503,
      count: Infinity,
      listener: "arm",
      method: "POST",
      path: "/listKeys?x=1",
    });
    expect(() => parseFault("404:1")).toThrow(
      new RangeError(
        'Cannot parse fault "404:1": kind must be 429, 500, 503 or drop. Use e.g. --fault 429:3',
      ),
    );
    expect(() => parseFault("429:0")).toThrow(RangeError);
    for (const listener of ["dataPlane", "arm", "identity", "vault", "login"]) {
      expect(parseFault(`500:1:${listener}`)).toEqual({ fault: 500, count: 1, listener });
    }
    expect(() => parseFault("429:1:nowhere")).toThrow(
      new RangeError(
        'Cannot parse fault "429:1:nowhere": listener must be dataPlane, arm, identity, vault or login',
      ),
    );
  });
});

describe("request log", () => {
  it("counts requests per listener with method and path, without secret headers", async () => {
    await c.data(status);
    await c.data(`quotas?api-version=${DP_VERSION}`);
    await c.arm("POST", "/listKeys?api-version=2025-12-15-preview");
    expect(emulator.control.requestCount()).toBe(3);
    expect(emulator.control.requestCount({ listener: "dataPlane" })).toBe(2);
    expect(emulator.control.requestCount({ listener: "arm", method: "POST", path: "/listKeys" }))
      .toBe(1);
    const [entry] = emulator.control.requestLog({ listener: "dataPlane", path: "/providerStatus" });
    expect(entry).toMatchObject({
      method: "GET",
      query: `api-version=${DP_VERSION}`,
      auth: "apiKey",
      status: 200,
    });
    expect(entry!.requestId).toMatch(UUID);
    const everything = JSON.stringify(emulator.control.requestLog());
    expect(everything).not.toContain(c.key());
    expect(everything).not.toContain("x-ms-quantum-api-key");
    expect(everything).not.toContain("authorization");
    emulator.control.resetLog();
    expect(emulator.control.requestCount()).toBe(0);
  });
});
