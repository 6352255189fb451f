import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AZURE_CLI_CLIENT_ID,
  createEmulatorHandlers,
  DropConnection,
  VAULT_AUDIENCE,
} from "../../src/emulator/mod.ts";

const P = "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/emulator-rg" +
  "/providers/Microsoft.Quantum/workspaces/emulator-ws";
const DATA = "https://127.0.0.1";
const ARM = "https://127.0.0.1";
const V = "?api-version=2025-12-15-preview";

function setup(options: Parameters<typeof createEmulatorHandlers>[0] = {}) {
  let now = Date.parse("2026-01-01T00:00:00Z");
  const h = createEmulatorHandlers({ now: () => now, ...options });
  const token = () => h.control.issueToken().reveal();
  return {
    ...h,
    advance: (ms: number) => (now += ms),
    armCall: (method: string, path: string, body?: unknown) =>
      h.arm(
        new Request(ARM + P + path, {
          method,
          headers: { authorization: `Bearer ${token()}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      ),
    status: (key = h.control.keys().primary.reveal()) =>
      h.dataPlane(
        new Request(`${DATA}${P}/providerStatus?api-version=2025-12-01-preview`, {
          headers: { "x-ms-quantum-api-key": key },
        }),
      ),
  };
}

describe("createEmulatorHandlers() without a socket", () => {
  it("serves providerStatus from a plain Request", async () => {
    const h = setup();
    const res = await h.status();
    expect(res.status).toBe(200);
    expect((await res.json()).value).toHaveLength(6);
  });

  it("uses the injected clock for token expiry", async () => {
    const h = setup();
    const token = h.control.issueToken({ lifetimeSeconds: 60 }).reveal();
    const call = () =>
      h.arm(new Request(ARM + P + V, { headers: { authorization: `Bearer ${token}` } }));
    expect((await call()).status).toBe(200);
    h.advance(61_000);
    const res = await call();
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe("ExpiredAuthenticationToken");
  });

  it("completes an LRO when its duration has passed on the injected clock", async () => {
    const h = setup({ lroDurationMs: 30_000, lroRetryAfterSeconds: 30 });
    const put = await h.armCall("PUT", V, {
      location: "eastus",
      properties: { apiKeyEnabled: false },
    });
    expect(put.status).toBe(201);
    expect(put.headers.get("retry-after")).toBe("30");
    const op = put.headers.get("azure-asyncoperation")!;
    const poll = async () =>
      (await (await h.arm(
        new Request(op, {
          headers: { authorization: `Bearer ${h.control.issueToken().reveal()}` },
        }),
      )).json()).status;
    expect(await poll()).toBe("Accepted");
    expect((await h.status()).status).toBe(200);
    h.advance(30_000);
    expect(await poll()).toBe("Succeeded");
    expect((await h.status()).status).toBe(401);
  });

  it("lets keys reach the data plane only after the propagation delay", async () => {
    const h = setup({ keyPropagationDelayMs: 60_000 });
    h.control.setKeysEnabled(false);
    expect((await h.status()).status).toBe(200);
    h.advance(59_999);
    expect((await h.status()).status).toBe(200);
    h.advance(1);
    expect((await h.status()).status).toBe(401);
  });

  it("throws DropConnection for a dropped connection", async () => {
    const h = setup({ faults: [{ fault: "drop", listener: "dataPlane" }] });
    await expect(h.status()).rejects.toBeInstanceOf(DropConnection);
    expect((await h.status()).status).toBe(200);
  });

  it("reports state changes to onStateChange (what the state file gets)", async () => {
    const states: unknown[] = [];
    const h = setup({ onStateChange: (s) => states.push(s) });
    expect((await h.armCall("POST", `/regenerateKey${V}`, { keys: ["Secondary"] })).status).toBe(
      204,
    );
    expect(states).toHaveLength(1);
    expect(states[0]).toMatchObject({
      version: 1,
      apiKeyEnabled: true,
      keys: { secondary: { key: h.control.keys().secondary.reveal() } },
    });
  });

  // Issue 13 #15: on main, console.log(createEmulatorHandlers()) printed the identity header (and
  // the keys at greater depth).
  it("never shows the identity header or a key when printed, spread or serialized", async () => {
    const h = createEmulatorHandlers({ identityHeader: "identity-header-secret-value" });
    await h.arm(new Request(ARM + P + `/regenerateKey${V}`, { method: "POST" }));
    const keys = h.control.keys();
    const secrets = [
      "identity-header-secret-value",
      keys.primary.reveal(),
      keys.secondary.reveal(),
    ];
    const views = [
      inspect(h),
      inspect(h, { depth: Infinity, showHidden: true }),
      inspect({ ...h.context }, { depth: Infinity }),
      inspect({ ...h.context.store }, { depth: Infinity }),
      inspect(Object.entries(h.context.store.keys), { depth: Infinity }),
      inspect(structuredClone(h.context.store.keys), { depth: Infinity }),
      JSON.stringify(h.context.store.keys),
      JSON.stringify({ ...h.context, store: { ...h.context.store } }),
      inspect(h.control.requestLog(), { depth: Infinity }),
    ];
    for (const view of views) for (const s of secrets) expect(view).not.toContain(s);
    expect(inspect(h, { depth: Infinity })).toContain(keys.primary.fingerprint);
  });

  // The merged emulator hands out more secrets: vault secret values, and the authority's device
  // codes, access, ID and refresh tokens. None may show in a dump of the handlers, their context
  // or control API, or the request log.
  it("never shows a vault secret value or a sign-in secret when printed, spread or serialized", async () => {
    const h = createEmulatorHandlers({ identityHeader: "identity-header-secret-value" });
    const vaultToken = h.control.issueToken({ audience: VAULT_AUDIENCE }).reveal();
    const put = await h.vault(
      new Request(`https://127.0.0.1/secrets/quantum?api-version=2025-07-01`, {
        method: "PUT",
        headers: { authorization: `Bearer ${vaultToken}`, "content-type": "application/json" },
        body: JSON.stringify({ value: "vault-secret-value-over-http" }),
      }),
    );
    expect(put.status).toBe(200);
    h.control.vault.setSecret("seeded", "vault-secret-value-by-control");
    const form = (path: string, body: Record<string, string>) =>
      h.login(
        new Request(`https://127.0.0.1/organizations/oauth2/v2.0/${path}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(body).toString(),
        }),
      );
    const scope = "https://management.azure.com/.default openid profile offline_access";
    const code = await (await form("devicecode", { client_id: AZURE_CLI_CLIENT_ID, scope })).json();
    h.control.approveDeviceCode(code.user_code);
    const tokens = await (await form("token", {
      client_id: AZURE_CLI_CLIENT_ID,
      grant_type: "device_code",
      device_code: code.device_code,
      scope,
    })).json();
    expect(typeof tokens.refresh_token).toBe("string");
    const refreshed = await (await form("token", {
      client_id: AZURE_CLI_CLIENT_ID,
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
      scope,
    })).json();
    for (
      const t of [code.device_code, tokens.access_token, tokens.id_token, refreshed.refresh_token]
    ) {
      expect(t).toMatch(/^[\w.-]{20,}$/);
    }
    const secrets = [
      "identity-header-secret-value",
      "vault-secret-value-over-http",
      "vault-secret-value-by-control",
      vaultToken,
      code.device_code,
      tokens.access_token,
      tokens.id_token,
      tokens.refresh_token,
      refreshed.access_token,
      refreshed.refresh_token,
    ];
    const info = h.control.vault.secret("quantum")!;
    const table: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void table.push(args.map(String).join(" "));
    try {
      console.table(h.control.vault.versions("seeded"));
      console.table(info);
    } finally {
      console.log = original;
    }
    const views = [
      table.join("\n"),
      inspect(h, { depth: Infinity, showHidden: true }),
      inspect({ ...h.context }, { depth: Infinity, showHidden: true }),
      inspect({ ...h.context.vault }, { depth: Infinity, showHidden: true }),
      inspect({ ...h.context.deviceCodes }, { depth: Infinity, showHidden: true }),
      inspect(structuredClone(h.context.vault.store), { depth: Infinity }),
      inspect(structuredClone(h.context.deviceCodes), { depth: Infinity }),
      inspect({ ...info }, { depth: Infinity }),
      inspect(Object.entries(info), { depth: Infinity }),
      inspect(structuredClone(info), { depth: Infinity }),
      inspect(h.control.vault.versions("seeded"), { depth: Infinity }),
      inspect(h.control.deviceCodes(), { depth: Infinity }),
      JSON.stringify(info),
      JSON.stringify(h.control.vault.versions("seeded")),
      JSON.stringify({
        ...h.context,
        vault: { ...h.context.vault },
        store: { ...h.context.store },
      }),
      inspect(h.control.requestLog(), { depth: Infinity }),
      JSON.stringify(h.control.requestLog()),
    ];
    for (const view of views) for (const s of secrets) expect(view).not.toContain(s);
    expect(info.value.reveal()).toBe("vault-secret-value-over-http");
    expect(JSON.stringify(info)).toContain(info.value.fingerprint);
  });

  it("rejects invalid knob values with RangeError", () => {
    expect(() => createEmulatorHandlers({ latencyMs: -1 })).toThrow(
      new RangeError("Cannot set latencyMs: it must be a number >= 0, not -1"),
    );
    expect(() => createEmulatorHandlers({ pageSize: 0 })).toThrow(RangeError);
    const h = createEmulatorHandlers();
    expect(() => h.control.setRole("Admin" as never)).toThrow(RangeError);
  });
});
