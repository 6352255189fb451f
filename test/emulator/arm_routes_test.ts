import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ARM_API_VERSIONS, type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { ARM_VERSION, client, DP_VERSION, send, UUID } from "./_https.ts";

let emulator: Emulator;
let c: ReturnType<typeof client>;
const v = `?api-version=${ARM_VERSION}`;

beforeAll(async () => {
  emulator = await startEmulator();
  c = client(emulator);
});
afterAll(() => emulator.stop());
afterEach(() => {
  emulator.control.setKeyPropagationDelay(0);
  emulator.control.setRole("Contributor");
  emulator.control.setKeysEnabled(true);
  emulator.control.setLro({ durationMs: 0, retryAfterSeconds: null });
});

/** PUT the whole GET body back with apiKeyEnabled changed, as the SDK tests do. */
async function putEnabled(enabled: boolean) {
  const current = (await c.arm("GET", v)).json();
  current.properties.apiKeyEnabled = enabled;
  return c.arm("PUT", v, current);
}

async function poll(url: string) {
  return (await c.get(url, { authorization: `Bearer ${c.armToken()}` })).json();
}

describe("ARM GET workspace", () => {
  it("returns the QuantumWorkspace shape with endpointUri = the data-plane endpoint", async () => {
    const res = await c.arm("GET", v);
    expect(res.status).toBe(200);
    expect(res.headers["x-ms-request-id"]).toMatch(UUID);
    expect(res.headers["x-ms-correlation-request-id"]).toMatch(UUID);
    const ws = res.json();
    expect(ws).toMatchObject({
      id: c.P,
      name: "emulator-ws",
      type: "microsoft.quantum/workspaces", // lowercase, as recorded
      systemData: {
        createdBy: "00000000-0000-4000-8000-0000000000bb",
        createdByType: "ManagedIdentity",
        lastModifiedByType: "ManagedIdentity",
      },
      location: "eastus",
      tags: { environment: "emulator" },
      properties: {
        provisioningState: "Succeeded",
        usable: "Yes",
        workspaceKind: "V1",
        apiKeyEnabled: true,
        endpointUri: emulator.endpoint.replace(/\/$/, ""),
      },
    });
    expect(ws.properties.endpointUri).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(ws.properties.providers[0]).toEqual({
      providerId: "ionq",
      providerSku: "pay-as-you-go",
      applicationName: "emulator-ws-ionq",
      provisioningState: "Succeeded",
      resourceUsageId: expect.stringMatching(UUID),
    });
    expect(new Date(ws.systemData.createdAt).toISOString()).toBe(ws.systemData.createdAt);
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"$/);
    expect((await c.arm("GET", v)).headers.etag).toBe(res.headers.etag);
  });

  it("shows apiKeyEnabled from 2023-11-13-preview on and workspaceKind from 2025-12-15-preview on", async () => {
    for (const version of ARM_API_VERSIONS) {
      const props = (await c.arm("GET", `?api-version=${version}`)).json().properties;
      expect("apiKeyEnabled" in props).toBe(version >= "2023-11-13-preview");
      expect("workspaceKind" in props).toBe(version >= "2025-12-15-preview");
    }
  });

  it("requires api-version: 400 MissingApiVersionParameter / InvalidApiVersionParameter", async () => {
    const missing = await c.arm("GET", "");
    expect(missing.status).toBe(400);
    expect(missing.json().error.code).toBe("MissingApiVersionParameter");
    expect(missing.json().error.message).toBe(
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
    const unknown = await c.arm("GET", "?api-version=2021-01-01");
    expect(unknown.status).toBe(400);
    expect(unknown.json().error.code).toBe("InvalidApiVersionParameter");
    const old = await c.arm("POST", "/listKeys?api-version=2022-01-10-preview");
    expect(old.status).toBe(400);
    expect(old.json().error.code).toBe("InvalidApiVersionParameter");
  });

  it("answers 404 SubscriptionNotFound / ResourceGroupNotFound / ResourceNotFound", async () => {
    const ca = emulator.caCertificate;
    const auth = { authorization: `Bearer ${c.armToken()}` };
    const at = (path: string) => send(emulator.armEndpoint + path + v, { headers: auth, ca });
    const sub = await at(
      c.P.replace(emulator.workspace.subscriptionId, "00000000-0000-4000-8000-0000000000ff"),
    );
    expect([sub.status, sub.json().error.code]).toEqual([404, "SubscriptionNotFound"]);
    const rg = await at(c.P.replace("emulator-rg", "nope-rg"));
    expect([rg.status, rg.json().error.code]).toEqual([404, "ResourceGroupNotFound"]);
    expect(rg.json().error.message).toBe("Resource group 'nope-rg' could not be found.");
    const ws = await at(c.P.replace("workspaces/emulator-ws", "workspaces/nope"));
    expect([ws.status, ws.json().error.code]).toEqual([404, "ResourceNotFound"]);
    expect(ws.headers["x-ms-request-id"]).toMatch(UUID);
  });
});

describe("ARM authentication and roles", () => {
  it("401 AuthenticationFailed without Authorization, with WWW-Authenticate", async () => {
    const res = await c.arm("GET", v, undefined, {});
    expect(res.status).toBe(401);
    expect(res.json().error.code).toBe("AuthenticationFailed");
    expect(res.headers["www-authenticate"]).toMatch(
      /^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com\/[^"]+", error="invalid_token"/,
    );
  });

  it("401 InvalidAuthenticationToken for a token the emulator did not sign", async () => {
    const res = await c.arm("GET", v, undefined, {
      authorization: "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged",
    });
    expect([res.status, res.json().error.code]).toEqual([401, "InvalidAuthenticationToken"]);
    expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("401 InvalidAuthenticationTokenAudience for a data-plane token", async () => {
    const token = emulator.control.issueToken({ audience: "https://quantum.microsoft.com" })
      .reveal();
    const res = await c.arm("GET", v, undefined, { authorization: `Bearer ${token}` });
    expect([res.status, res.json().error.code]).toEqual([
      401,
      "InvalidAuthenticationTokenAudience",
    ]);
  });

  it("401 ExpiredAuthenticationToken for an expired token", async () => {
    const token = emulator.control.issueToken({ lifetimeSeconds: -10 }).reveal();
    const res = await c.arm("GET", v, undefined, { authorization: `Bearer ${token}` });
    expect([res.status, res.json().error.code]).toEqual([401, "ExpiredAuthenticationToken"]);
    expect(res.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("accepts tokens for management.core.windows.net and for the emulator's own ARM URL", async () => {
    for (
      const audience of [
        "https://management.azure.com/",
        "https://management.core.windows.net/",
        emulator.armEndpoint,
      ]
    ) {
      const token = emulator.control.issueToken({ audience }).reveal();
      expect((await c.arm("GET", v, undefined, { authorization: `Bearer ${token}` })).status).toBe(
        200,
      );
    }
  });

  it("Reader may GET but gets 403 AuthorizationFailed naming the action and principal otherwise", async () => {
    emulator.control.setRole("Reader");
    expect((await c.arm("GET", v)).status).toBe(200);
    const res = await c.arm("POST", `/listKeys${v}`);
    expect(res.status).toBe(403);
    const error = res.json().error;
    expect(error.code).toBe("AuthorizationFailed");
    expect(error.message).toContain("'Microsoft.Quantum/workspaces/listKeys/action'");
    expect(error.message).toContain("00000000-0000-4000-8000-0000000000bb");
    expect(error.message).toContain(c.P);
    expect((await c.arm("POST", `/regenerateKey${v}`, { keys: ["Primary"] })).json().error.message)
      .toContain("Microsoft.Quantum/workspaces/regenerateKey/action");
    expect((await putEnabled(false)).status).toBe(403);
    expect((await c.arm("PATCH", v, { tags: {} })).status).toBe(403);
  });

  it("no role assignment at all: 403 even for GET; Owner may do everything", async () => {
    emulator.control.setRole("None");
    expect((await c.arm("GET", v)).status).toBe(403);
    emulator.control.setRole("Owner");
    expect((await c.arm("POST", `/listKeys${v}`)).status).toBe(200);
  });
});

describe("ARM access keys", () => {
  it("listKeys at 2023-11-13-preview has no createdAt, as Azure answered that version", async () => {
    const body = (await c.arm("POST", "/listKeys?api-version=2023-11-13-preview")).json();
    expect(Object.keys(body.primaryKey)).toEqual(["key"]);
    expect(Object.keys(body.secondaryKey)).toEqual(["key"]);
    expect(Object.keys(body)).toEqual([
      "apiKeyEnabled",
      "primaryKey",
      "secondaryKey",
      "primaryConnectionString",
      "secondaryConnectionString",
    ]);
  });

  it("listKeys returns both keys with createdAt and canonical connection strings", async () => {
    const res = await c.arm("POST", `/listKeys${v}`);
    expect(res.status).toBe(200);
    const body = res.json();
    const keys = emulator.control.keys();
    expect(body.apiKeyEnabled).toBe(true);
    expect(body.primaryKey.key).toBe(keys.primary.reveal());
    expect(body.secondaryKey.key).toBe(keys.secondary.reveal());
    expect(body.primaryKey.key).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(new Date(body.primaryKey.createdAt).toISOString()).toBe(body.primaryKey.createdAt);
    expect(body.primaryConnectionString).toBe(
      `SubscriptionId=00000000-0000-4000-8000-000000000001;ResourceGroupName=emulator-rg;WorkspaceName=emulator-ws;` +
        `ApiKey=${body.primaryKey.key};QuantumEndpoint=${emulator.endpoint};`,
    );
    expect(body.secondaryConnectionString).toContain(`ApiKey=${body.secondaryKey.key};`);
  });

  it("regenerateKey: 204, old key 401 on the very next request, new key 200", async () => {
    const old = c.key();
    const res = await c.arm("POST", `/regenerateKey${v}`, { keys: ["Primary"] });
    expect([res.status, res.text]).toEqual([204, ""]);
    const url = `providerStatus?api-version=${DP_VERSION}`;
    const rejected = await c.data(url, { "x-ms-quantum-api-key": old });
    expect([rejected.status, rejected.text]).toEqual([401, ""]);
    const fresh = (await c.arm("POST", `/listKeys${v}`)).json().primaryKey.key;
    expect(fresh).not.toBe(old);
    expect((await c.data(url, { "x-ms-quantum-api-key": fresh })).status).toBe(200);
  });

  it("regenerateKey accepts any case and both keys at once", async () => {
    const before = emulator.control.keys();
    expect((await c.arm("POST", `/regenerateKey${v}`, { keys: ["primary", "SECONDARY"] })).status)
      .toBe(204);
    const after = emulator.control.keys();
    expect(after.primary.equals(before.primary)).toBe(false);
    expect(after.secondary.equals(before.secondary)).toBe(false);
  });

  it("regenerateKey with a bad body: 400 InvalidRequestContent", async () => {
    for (
      const body of [
        '{"keyType":"Primary"}',
        '{"keys":[]}',
        '{"keys":["Tertiary"]}',
        "not json",
        '{"keys":"Primary"}',
      ]
    ) {
      const res = await c.arm("POST", `/regenerateKey${v}`, body);
      expect(res.status).toBe(400);
      expect(res.json().error.code).toBe("InvalidRequestContent");
    }
  });

  it("PUT disables keys as an LRO: 201 + Azure-AsyncOperation (no Retry-After, as recorded), then Succeeded", async () => {
    emulator.control.setLro({ durationMs: 300 });
    const res = await putEnabled(false);
    expect(res.status).toBe(201);
    expect(res.headers["retry-after"]).toBeUndefined();
    expect(res.headers.etag).toMatch(/^".+"$/);
    expect(res.json().properties.provisioningState).toBe("Accepted");
    expect(res.json().properties.apiKeyEnabled).toBe(false);
    expect("usable" in res.json().properties).toBe(false);
    const statusUrl = res.headers["azure-asyncoperation"] as string;
    expect(
      statusUrl.startsWith(
        `${emulator.armEndpoint}/providers/Microsoft.Quantum/locations/EASTUS/operationStatuses/`,
      ),
    ).toBe(true);
    const first = await poll(statusUrl);
    expect(first).toMatchObject({ resourceId: c.P, status: "Accepted" });
    expect(Object.keys(first)).toEqual(["id", "name", "resourceId", "status", "startTime"]);
    expect((await c.arm("GET", v)).json().properties.apiKeyEnabled).toBe(true);
    expect((await c.data(`providerStatus?api-version=${DP_VERSION}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 350));
    const done = await poll(statusUrl);
    expect(done.status).toBe("Succeeded");
    // As recorded: `properties: null` and no endTime.
    expect(Object.keys(done)).toEqual(["id", "name", "resourceId", "status", "startTime", "properties"]);
    expect(done.properties).toBeNull();
    expect(done.id).toBe(
      `/providers/Microsoft.Quantum/locations/EASTUS/operationStatuses/${done.name}`,
    );
    expect((await c.arm("GET", v)).json().properties).toMatchObject({
      apiKeyEnabled: false,
      provisioningState: "Succeeded",
    });
    const disabled = await c.data(`providerStatus?api-version=${DP_VERSION}`);
    expect([disabled.status, disabled.text]).toEqual([401, ""]);
    expect(disabled.headers["www-authenticate"]).toBe('Bearer error="invalid_token"');
  });

  it("sends Retry-After on the 201 only when the knob sets one", async () => {
    emulator.control.setLro({ retryAfterSeconds: 2 });
    const res = await putEnabled(false);
    expect(res.headers["retry-after"]).toBe("2");
    const status = await c.get(res.headers["azure-asyncoperation"] as string, {
      authorization: `Bearer ${c.armToken()}`,
    });
    expect(status.headers["retry-after"]).toBeUndefined();
    expect(status.headers.etag).toMatch(/^".+"$/);
  });

  it("records the caller as systemData.lastModifiedBy of a PUT", async () => {
    const user = "00000000-0000-4000-8000-0000000000dd";
    emulator.control.setRole("Contributor", user);
    const before = (await c.arm("GET", v)).json();
    before.properties.apiKeyEnabled = false;
    const token = emulator.control.issueToken({ principalId: user }).reveal();
    const res = await c.arm("PUT", v, before, { authorization: `Bearer ${token}` });
    expect(res.json().systemData).toMatchObject({ lastModifiedBy: user, lastModifiedByType: "User" });
    await poll(res.headers["azure-asyncoperation"] as string);
    const after = (await c.arm("GET", v)).json().systemData;
    expect(after).toMatchObject({ lastModifiedBy: user, lastModifiedByType: "User" });
    expect(Date.parse(after.lastModifiedAt)).toBeGreaterThanOrEqual(Date.parse(after.createdAt));
  });

  it("names an application's service principal in systemData as an Application", async () => {
    const app = "00000000-0000-4000-8000-0000000000ee"; // quantum-ci: Contributor on the workspace
    const token = emulator.control.issueToken({ principalId: app }).reveal();
    const res = await c.arm("PATCH", v, { tags: { by: "quantum-ci" } }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.json().systemData).toMatchObject({
      createdByType: "ManagedIdentity",
      lastModifiedBy: app,
      lastModifiedByType: "Application",
    });
  });

  it("with the default LRO duration the operation succeeds on the first poll", async () => {
    const res = await putEnabled(false);
    expect(res.status).toBe(201);
    expect((await poll(res.headers["azure-asyncoperation"] as string)).status).toBe("Succeeded");
  });

  it("while keys are disabled: listKeys is 200 with apiKeyEnabled false, regenerate is 409", async () => {
    await putEnabled(false);
    const list = (await c.arm("POST", `/listKeys${v}`)).json();
    expect(list.apiKeyEnabled).toBe(false);
    expect(list.primaryKey.key).toBe(c.key());
    const res = await c.arm("POST", `/regenerateKey${v}`, { keys: ["Secondary"] });
    expect(res.status).toBe(409);
    expect(res.json().error).toEqual({
      code: "ApiKeysDisabled",
      message: "Access keys are disabled for this workspace. Enable them before regenerating.",
    });
    const enable = await putEnabled(true);
    expect(enable.status).toBe(201);
    expect((await c.data(`providerStatus?api-version=${DP_VERSION}`)).status).toBe(200);
  });

  it("a PUT that changes nothing answers 200 without Azure-AsyncOperation", async () => {
    const res = await putEnabled(true);
    expect(res.status).toBe(200);
    expect(res.headers["azure-asyncoperation"]).toBeUndefined();
    expect(res.json().properties.provisioningState).toBe("Succeeded");
  });

  it("a second PUT while an operation runs is 409 AnotherOperationInProgress", async () => {
    emulator.control.setLro({ durationMs: 200 });
    expect((await putEnabled(false)).status).toBe(201);
    const again = await putEnabled(true);
    expect([again.status, again.json().error.code]).toEqual([409, "AnotherOperationInProgress"]);
    await new Promise((r) => setTimeout(r, 250));
  });

  it("PUT validates location, properties and tags (400)", async () => {
    const cases: [object | string, string][] = [
      ["nope", "InvalidRequestContent"],
      [{ properties: { apiKeyEnabled: false } }, "InvalidRequestContent"],
      [{ location: "westus", properties: { apiKeyEnabled: false } }, "InvalidResourceLocation"],
      [{ location: "East US", properties: { apiKeyEnabled: "no" } }, "InvalidRequestContent"],
      [{ location: "eastus", tags: { a: 1 } }, "InvalidRequestContent"],
    ];
    for (const [body, code] of cases) {
      const res = await c.arm("PUT", v, body);
      expect([res.status, res.json().error.code]).toEqual([400, code]);
    }
  });

  it("the data plane follows enable/disable only after the propagation delay", async () => {
    emulator.control.setKeyPropagationDelay(300);
    expect((await putEnabled(false)).status).toBe(201);
    expect((await c.arm("GET", v)).json().properties.apiKeyEnabled).toBe(false);
    expect((await c.data(`providerStatus?api-version=${DP_VERSION}`)).status).toBe(200);
    expect(emulator.control.keys()).toMatchObject({ enabled: false, dataPlaneEnabled: true });
    await new Promise((r) => setTimeout(r, 350));
    expect((await c.data(`providerStatus?api-version=${DP_VERSION}`)).status).toBe(401);
    emulator.control.setKeyPropagationDelay(0);
  });

  it("PATCH updates tags only (apiKeyEnabled in a PATCH is ignored)", async () => {
    const res = await c.arm("PATCH", v, {
      tags: { team: "<quantum>" },
      properties: { apiKeyEnabled: false },
    });
    expect(res.status).toBe(200);
    expect(res.json().tags).toEqual({ team: "<quantum>" });
    expect(res.json().properties.apiKeyEnabled).toBe(true);
    const put = await c.arm("PUT", v, { location: "eastus", tags: { environment: "emulator" } });
    expect(put.status).toBe(201);
    expect((await c.arm("GET", v)).json().tags).toEqual({ environment: "emulator" });
  });

  it("DELETE is not supported: 405 with an ARM error body", async () => {
    const res = await c.arm("DELETE", v);
    expect([res.status, res.json().error.code]).toEqual([405, "MethodNotAllowed"]);
  });
});
