import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DATA_PLANE_API_VERSIONS,
  type Emulator,
  type EmulatorProvider,
  sampleProviders,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { client, DP_VERSION, send, UUID } from "./_https.ts";

let emulator: Emulator;
let c: ReturnType<typeof client>;

beforeAll(async () => {
  emulator = await startEmulator();
  c = client(emulator);
});
afterAll(() => emulator.stop());

describe("data plane providerStatus", () => {
  it("returns the realistic sample with an api key, in one page with nextLink null", async () => {
    const res = await c.data(`providerStatus?api-version=${DP_VERSION}`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(res.headers["x-ms-request-id"]).toMatch(UUID);
    const body = res.json();
    expect(body.nextLink).toBeNull();
    expect(body.value).toEqual(sampleProviders());
    const ids = body.value.map((p: EmulatorProvider) => p.id);
    expect(ids).toEqual([
      "ionq",
      "pasqal",
      "quantinuum",
      "qci",
      "microsoft-qc",
      "Microsoft.Test.FirstParty",
    ]);
    const pages = body.value.flatMap((p: EmulatorProvider) => p.targets.map((t) => t.statusPage));
    expect(pages).toContain("");
    expect(pages).toContain(null);
    const availabilities = new Set(
      body.value.flatMap((p: EmulatorProvider) => p.targets.map((t) => t.currentAvailability)),
    );
    expect([...availabilities].sort()).toEqual(["Available", "Degraded", "Unavailable"]);
  });

  it("accepts every data-plane api-version of the reference", async () => {
    for (const v of DATA_PLANE_API_VERSIONS) {
      expect((await c.data(`providerStatus?api-version=${v}`)).status).toBe(200);
    }
  });

  it("requires api-version (400 MissingApiVersionParameter) and rejects unknown ones", async () => {
    const missing = await c.data("providerStatus");
    expect(missing.status).toBe(400);
    expect(missing.headers["x-ms-error-code"]).toBe("MissingApiVersionParameter");
    expect(missing.json().error.code).toBe("MissingApiVersionParameter");
    const unknown = await c.data("providerStatus?api-version=2020-01-01");
    expect(unknown.status).toBe(400);
    expect(unknown.json().error).toEqual({
      code: "InvalidApiVersionParameter",
      message: expect.stringContaining("The api-version '2020-01-01' is invalid."),
    });
  });

  it("answers 401 with an empty body and www-authenticate for a wrong, missing or empty key", async () => {
    for (
      const headers of [{ "x-ms-quantum-api-key": "wrong" }, {}, { "x-ms-quantum-api-key": "" }]
    ) {
      const res = await c.data(`providerStatus?api-version=${DP_VERSION}`, headers);
      expect(res.status).toBe(401);
      expect(res.text).toBe("");
      expect(res.headers["content-length"]).toBe("0");
      expect(res.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
      expect(res.headers["x-ms-request-id"]).toMatch(UUID);
    }
  });

  it("accepts the secondary key", async () => {
    const headers = { "x-ms-quantum-api-key": emulator.control.keys().secondary.reveal() };
    expect((await c.data(`providerStatus?api-version=${DP_VERSION}`, headers)).status).toBe(200);
  });

  it("accepts a bearer token for https://quantum.microsoft.com only, and not expired", async () => {
    // Entra callers need a data role by default (data_plane_rbac_test.ts covers the 403).
    emulator.control.assignRole("Quantum Workspace Data Reader");
    const token = (o: object) => `Bearer ${emulator.control.issueToken(o as never).reveal()}`;
    const url = `providerStatus?api-version=${DP_VERSION}`;
    expect(
      (await c.data(url, { authorization: token({ audience: "https://quantum.microsoft.com" }) }))
        .status,
    ).toBe(200);
    expect(
      (await c.data(url, { authorization: token({ audience: "https://quantum.microsoft.com/" }) }))
        .status,
    ).toBe(200);
    const arm = await c.data(url, { authorization: token({}) });
    expect([arm.status, arm.text]).toEqual([401, ""]);
    const expired = await c.data(url, {
      authorization: token({ audience: "https://quantum.microsoft.com", lifetimeSeconds: -1 }),
    });
    expect([expired.status, expired.text]).toEqual([401, ""]);
    const forged = await c.data(url, { authorization: "Bearer a.b.c" });
    expect(forged.status).toBe(401);
    emulator.control.unassignRole("Quantum Workspace Data Reader");
  });

  it("answers 404 with the data-plane error body for an unknown workspace, group or subscription", async () => {
    const ws = emulator.workspace;
    const key = { "x-ms-quantum-api-key": c.key() };
    for (
      const path of [
        `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}/providers/Microsoft.Quantum/workspaces/other-ws`,
        `/subscriptions/${ws.subscriptionId}/resourceGroups/other-rg/providers/Microsoft.Quantum/workspaces/${ws.workspaceName}`,
        `/subscriptions/00000000-0000-4000-8000-0000000000ff/resourceGroups/${ws.resourceGroup}/providers/Microsoft.Quantum/workspaces/${ws.workspaceName}`,
      ]
    ) {
      const res = await send(
        new URL(`${path.slice(1)}/providerStatus?api-version=${DP_VERSION}`, emulator.endpoint),
        { headers: key, ca: emulator.caCertificate },
      );
      expect(res.status).toBe(404);
      expect(res.headers["x-ms-error-code"]).toBe("WorkspaceNotFound");
      expect(Object.keys(res.json().error).sort()).toEqual(["code", "message"]);
    }
  });

  it("matches path literals and workspace ids case-insensitively, as Azure does", async () => {
    const ws = emulator.workspace;
    const url = new URL(
      `SUBSCRIPTIONS/${ws.subscriptionId}/resourcegroups/EMULATOR-RG/providers/microsoft.quantum/Workspaces/Emulator-WS/providerstatus?api-version=${DP_VERSION}`,
      emulator.endpoint,
    );
    const res = await send(url, {
      headers: { "x-ms-quantum-api-key": c.key() },
      ca: emulator.caCertificate,
    });
    expect(res.status).toBe(200);
  });

  it("returns quotas and an empty job list in the reference's shapes", async () => {
    const quotas = (await c.data(`quotas?api-version=${DP_VERSION}`)).json();
    expect(quotas.value[0]).toEqual({
      dimension: "concurrent_resource_estimator_jobs",
      scope: "Workspace",
      providerId: "microsoft-qc",
      utilization: 0,
      holds: 0,
      limit: 10,
      period: "None",
    });
    expect(quotas.nextLink).toBeNull();
    const jobs = await c.data(`jobs?api-version=${DP_VERSION}&skip=0&top=100`);
    expect(jobs.status).toBe(200);
    expect(jobs.json()).toEqual({ value: [], nextLink: null });
    expect((await c.data(`jobs?api-version=${DP_VERSION}&top=x`)).status).toBe(400);
  });

  // Issue 15: on main, sessions and topLevelItems were 404 while jobs was an empty list.
  it("answers sessions and topLevelItems with empty lists, with the query the Python SDK sends", async () => {
    for (const list of ["sessions", "topLevelItems", "jobs"]) {
      const query = `api-version=${DP_VERSION}&filter=CreationTime%20ge%202024-04-01&skip=0&top=100` +
        "&orderby=CreationTime%20asc";
      const res = await c.data(`${list}?${query}`);
      expect([list, res.status, res.json()]).toEqual([list, 200, { value: [], nextLink: null }]);
      const bad = await c.data(`${list}?api-version=${DP_VERSION}&skip=-1`);
      expect([bad.status, bad.json().error.code]).toEqual([400, "InvalidQueryParameter"]);
      expect((await c.data(`${list}?api-version=${DP_VERSION}`, { "x-ms-quantum-api-key": "x" })).status)
        .toBe(401);
    }
  });

  it("refuses other methods with 405 and unknown lists with 404", async () => {
    const url = new URL(
      `${c.P.slice(1)}/providerStatus?api-version=${DP_VERSION}`,
      emulator.endpoint,
    );
    const post = await send(url, {
      method: "POST",
      headers: { "x-ms-quantum-api-key": c.key() },
      ca: emulator.caCertificate,
    });
    expect(post.status).toBe(405);
    expect((await c.data(`storage?api-version=${DP_VERSION}`)).status).toBe(404);
  });
});

describe("data plane pagination", () => {
  const hostile: EmulatorProvider[] = [
    {
      id: "<script>alert(1)</script>",
      currentAvailability: "Available",
      targets: [
        {
          id: "x.<b>bold</b>",
          currentAvailability: "Degraded",
          averageQueueTime: 7,
          statusPage: "javascript:alert(1)",
        },
      ],
    },
    { id: "p2", currentAvailability: "Unavailable", targets: [] },
    {
      id: 'p3 & "quotes"',
      currentAvailability: "Available",
      targets: [
        {
          id: "p3.t",
          currentAvailability: "Available",
          averageQueueTime: 0,
          statusPage: null,
          numQubits: 25,
          targetProfile: "Base",
          metadata: { a: 1 },
        },
      ],
    },
    { id: "p4", currentAvailability: "Available", targets: [] },
    { id: "p5", currentAvailability: "Available", targets: [] },
  ];

  it("splits providers over pages linked by absolute nextLinks on the same endpoint", async () => {
    emulator.control.setProviders(hostile, { pageSize: 2 });
    try {
      const seen: EmulatorProvider[] = [];
      let res = await c.data(`providerStatus?api-version=${DP_VERSION}`);
      const links: string[] = [];
      for (;;) {
        expect(res.status).toBe(200);
        const body = res.json();
        seen.push(...body.value);
        if (!body.nextLink) break;
        links.push(body.nextLink);
        res = await c.get(body.nextLink, { "x-ms-quantum-api-key": c.key() });
      }
      expect(seen).toEqual(hostile);
      expect(links).toHaveLength(2);
      for (const link of links) {
        expect(link.startsWith(emulator.endpoint + c.P.slice(1) + "/providerStatus?")).toBe(true);
        expect(new URL(link).searchParams.get("api-version")).toBe(DP_VERSION);
      }
    } finally {
      emulator.control.setProviders(sampleProviders(), { pageSize: undefined });
    }
  });

  it("keeps the request's query parameters in nextLink, and a client may overwrite api-version", async () => {
    emulator.control.setProviders(hostile, { pageSize: 4 });
    try {
      const first = (await c.data(`providerStatus?api-version=2024-10-01-preview&filter=abc`))
        .json();
      const next = new URL(first.nextLink);
      expect(next.searchParams.get("filter")).toBe("abc");
      next.searchParams.set("api-version", DP_VERSION);
      const second = (await c.get(next.href, { "x-ms-quantum-api-key": c.key() })).json();
      expect(second).toEqual({ value: [hostile[4]], nextLink: null });
    } finally {
      emulator.control.setProviders(sampleProviders(), { pageSize: undefined });
    }
  });

  it("still requires auth on every page", async () => {
    emulator.control.setProviders(hostile, { pageSize: 1 });
    try {
      const first = (await c.data(`providerStatus?api-version=${DP_VERSION}`)).json();
      const res = await c.get(first.nextLink, {});
      expect([res.status, res.text]).toEqual([401, ""]);
    } finally {
      emulator.control.setProviders(sampleProviders(), { pageSize: undefined });
    }
  });
});
