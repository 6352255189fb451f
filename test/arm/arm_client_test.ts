import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/mod.ts";
import { isArmError } from "../../src/request_errors.ts";
import { ArmClient } from "../../src/arm/arm_client.ts";
import { followLro } from "../../src/arm/arm_lro.ts";
import { resolveArmSettings } from "../../src/config/arm_settings.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import { putBodyFor } from "../../src/arm/arm_types.ts";
import { KeyToggleResult } from "../../src/keys/results.ts";
import type { HttpResponse } from "../../src/http/http_pipeline.ts";
import {
  connectTo,
  expectNoSecrets,
  rejection,
  secretsOf,
  startKeysEmulator,
} from "../keys/_emulator.ts";

let emu: Emulator;

beforeAll(async () => {
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());

describe("ArmClient", () => {
  it("resolves endpoint, scope and CA: option > AZURE_QUANTUM_ARM_ENDPOINT > public cloud", () => {
    expect(resolveArmSettings({ env: {} })).toEqual({
      endpoint: "https://management.azure.com",
      scope: "https://management.azure.com/.default",
      apiVersion: "2025-12-15-preview",
      ca: undefined,
    });
    const local = resolveArmSettings({ env: emu.revealEnv() });
    expect(local.endpoint).toBe(emu.armEndpoint);
    expect(local.scope).toBe("https://management.azure.com/.default");
    expect(local.ca).toBe(emu.caCertificate);
    const explicit = resolveArmSettings({
      env: emu.revealEnv(),
      armEndpoint: "https://arm.example/",
      armScope: "https://arm.example/.default",
      armApiVersion: "2023-11-13-preview",
    });
    expect(explicit).toMatchObject({
      endpoint: "https://arm.example",
      scope: "https://arm.example/.default",
      ca: undefined,
    });
    expect(() => resolveArmSettings({ armEndpoint: "http://127.0.0.1:1" })).toThrow(
      /^Cannot manage access keys: the ARM endpoint "http:\/\/127\.0\.0\.1:1" is not an https URL\./,
    );
  });

  it("GET, listKeys (as Secrets) and a PUT that follows the operation", async () => {
    const ws = await connectTo(emu);
    const arm = new ArmClient(
      resolveSettings({ connection: ws.info, env: emu.revealEnv(), retry: { baseDelayMs: 10 } }),
    );
    const resource = await arm.getWorkspace();
    expect(resource.properties?.apiKeyEnabled).toBe(true);
    const keys = await arm.listKeys();
    expect(keys.primary?.key.equals(emu.control.keys().primary)).toBe(true);
    expect(JSON.stringify(keys)).not.toContain(emu.control.keys().primary.reveal());
    const body = putBodyFor(resource, true);
    expect(body).not.toHaveProperty("id");
    expect(body.properties).not.toHaveProperty("endpointUri");
    const tagged = { ...body, tags: { ...body.tags, owner: "test" } };
    const put = await arm.putWorkspace(tagged);
    expect(put.putStatus).toBe(201);
    expect(put.polls).toBe(1);
    expect(put.operationUrl).toMatch(/\/operationStatuses\/[^?]+$/);
    expect(put.workspace.tags?.owner).toBe("test");
    expectNoSecrets(secretsOf(emu), keys, put);
  });

  it("a 2 s operation with Retry-After: 1 finishes in under 3.5 s with at most 4 polls", async () => {
    const ws = await connectTo(emu);
    emu.control.setLro({ durationMs: 2000, retryAfterSeconds: 1 });
    try {
      const t0 = performance.now();
      const result = await ws.keys.disable({ confirm: true, force: true }); // the LRO, not the readiness check
      const ms = performance.now() - t0;
      expect(result).toBeInstanceOf(KeyToggleResult);
      const polls = (result as KeyToggleResult).polls;
      expect(ms).toBeLessThan(3500);
      expect(ms).toBeGreaterThanOrEqual(2000);
      expect(polls).toBeGreaterThanOrEqual(2);
      expect(polls).toBeLessThanOrEqual(4);
      expect(emu.control.requestCount({ listener: "arm", path: "/operationStatuses/" }))
        .toBeGreaterThanOrEqual(polls);
      console.log(`LRO: ${Math.round(ms)} ms, ${polls} polls`);
    } finally {
      emu.control.setLro({ durationMs: 0 });
      await ws.keys.enable();
    }
  });

  it("abort mid-operation reports the operation URL and its last state", async () => {
    const ws = await connectTo(emu);
    emu.control.setLro({ durationMs: 1500, retryAfterSeconds: 1 });
    try {
      const e = await rejection(
        ws.keys.disable({ confirm: true, force: true, signal: AbortSignal.timeout(300) }),
      );
      expect(isArmError(e)).toBe(true);
      expect(e).toMatchObject({ code: "OperationAborted" });
      expect(e.message).toMatch(
        /^Cannot disable access keys of workspace "emulator-ws": the wait was aborted while the operation was still running \(operation https:\/\/127\.0\.0\.1:\d+\/providers\/Microsoft\.Quantum\/locations\/EASTUS\/operationStatuses\/[^ ?]+, last status "Accepted", 0 polls\)\. ARM may still complete it: check with `keys.status\(\)`$/,
      );
      await new Promise((r) => setTimeout(r, 1600));
      expect((await ws.keys.status()).apiKeyEnabled).toBe(false); // ARM completed it
    } finally {
      emu.control.setLro({ durationMs: 0 });
      await ws.keys.enable();
    }
  });
});

function response(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResponse {
  const text = body === undefined ? "" : JSON.stringify(body);
  const h = new Headers(headers);
  return {
    status,
    text,
    requestId: "rid",
    headers: { get: (n) => h.get(n) ?? undefined },
    json: <T>() => (text ? JSON.parse(text) as T : undefined),
  };
}

const ctx = {
  origin: "https://arm.example",
  resourceUrl: "https://arm.example/subscriptions/s/x?api-version=1",
  error: {
    action: "disable access keys",
    workspaceName: "ws",
    resourceGroup: "rg",
    subscriptionId: "s",
    method: "PUT",
    url: "https://arm.example/subscriptions/s/x",
  },
};
const noWait = { sleep: () => Promise.resolve() };

describe("followLro()", () => {
  it("a 200 without operation headers is final (no poll)", async () => {
    const out = await followLro(
      response(200, { properties: { provisioningState: "Succeeded" } }),
      () => {
        throw new Error("no poll expected");
      },
      ctx,
    );
    expect(out).toEqual({ status: "Completed", polls: 0, operationUrl: undefined });
  });

  it("Failed ends with the operation's error code and message", async () => {
    const first = response(201, {}, {
      "azure-asyncoperation": "https://arm.example/op/1?sig=secret",
    });
    const e = await rejection(followLro(
      first,
      () =>
        Promise.resolve(response(200, {
          status: "Failed",
          error: { code: "QuotaExceeded", message: "Too many" },
        })),
      ctx,
      noWait,
    ));
    expect(e).toMatchObject({
      name: "ArmError",
      code: "OperationFailed",
      armCode: "QuotaExceeded",
      armMessage: "Too many",
    });
    expect(e.message).toBe(
      'Cannot disable access keys of workspace "ws": the operation ended "Failed" (QuotaExceeded: Too many) ' +
        '(operation https://arm.example/op/1, last status "Failed", 1 polls). Nothing was changed; check the ' +
        "workspace in the Azure portal and try again",
    );
  });

  it("follows Location (202 until done) and honours Retry-After, defaulting to 1 s", async () => {
    const waits: number[] = [];
    const first = response(202, undefined, { location: "/op/2", "retry-after": "3" });
    const replies = [response(202, undefined), response(200, {})];
    const out = await followLro(first, () => Promise.resolve(replies.shift()!), ctx, {
      sleep: (ms) => (waits.push(ms), Promise.resolve()),
    });
    expect(out).toEqual({
      status: "Succeeded",
      polls: 2,
      operationUrl: "https://arm.example/op/2",
    });
    expect(waits).toEqual([3000, 1000]);
  });

  it("refuses to send its token to an operation URL on another host", async () => {
    const first = response(201, {}, { "azure-asyncoperation": "https://evil.example/op" });
    const e = await rejection(
      followLro(first, () => Promise.reject(new Error("sent")), ctx, noWait),
    );
    expect(e).toMatchObject({ code: "OperationUrlUntrusted" });
  });
});
