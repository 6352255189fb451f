import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  AZURE_CLI_CLIENT_ID,
  createEmulatorHandlers,
  EMULATOR_TENANT_ID,
  EMULATOR_USER_ID,
} from "../../src/emulator/mod.ts";
import { ADA, CI, MI, WS } from "./_rbac.ts";

const LOGIN = "https://127.0.0.1";
const ARM_SCOPE = "https://management.azure.com/.default openid profile offline_access";

function setup() {
  let now = Date.parse("2026-11-30T12:00:00Z");
  const h = createEmulatorHandlers({ now: () => now });
  const post = (path: string, form: Record<string, string>) =>
    h.login(
      new Request(`${LOGIN}${path}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(form).toString(),
      }),
    );
  const start = async (tenant = "organizations", scope = ARM_SCOPE) => {
    const res = await post(`/${tenant}/oauth2/v2.0/devicecode`, {
      client_id: AZURE_CLI_CLIENT_ID,
      scope,
    });
    return { res, body: await res.json() };
  };
  const poll = (deviceCode: string, clientId = AZURE_CLI_CLIENT_ID) =>
    post("/organizations/oauth2/v2.0/token", {
      client_id: clientId,
      grant_type: "device_code",
      device_code: deviceCode,
      scope: ARM_SCOPE,
    });
  const claims = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
  return { ...h, post, start, poll, claims, advance: (ms: number) => (now += ms) };
}

describe("Microsoft Entra authority endpoints (device-code flow)", () => {
  it("serves the OpenID configuration MSAL needs, per tenant; unknown tenants get AADSTS90002", async () => {
    const h = setup();
    const get = (path: string) => h.login(new Request(`${LOGIN}${path}`));
    const org = await (await get("/organizations/v2.0/.well-known/openid-configuration")).json();
    expect(org).toMatchObject({
      token_endpoint: `${LOGIN}/organizations/oauth2/v2.0/token`,
      authorization_endpoint: `${LOGIN}/organizations/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${LOGIN}/organizations/oauth2/v2.0/devicecode`,
      jwks_uri: `${LOGIN}/organizations/discovery/v2.0/keys`,
      issuer: `${LOGIN}/{tenantid}/v2.0`,
    });
    const own = await (await get(`/${EMULATOR_TENANT_ID}/v2.0/.well-known/openid-configuration`))
      .json();
    expect(own.issuer).toBe(`${LOGIN}/${EMULATOR_TENANT_ID}/v2.0`);
    const other = await get(`/${MI}/v2.0/.well-known/openid-configuration`);
    expect(other.status).toBe(400);
    const body = await other.json();
    expect(body).toMatchObject({ error: "invalid_tenant", error_codes: [90002] });
    expect(body.error_description).toMatch(
      new RegExp(
        `^AADSTS90002: Tenant '${MI}' not found\\. .*\\r\\nTrace ID: .*\\r\\nCorrelation ID: .*\\r\\nTimestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`,
        "s",
      ),
    );
    expect((await get("/organizations/discovery/v2.0/keys")).status).toBe(200);
    expect((await get("/devicelogin")).headers.get("content-type")).toBe(
      "text/html; charset=utf-8",
    );
    expect((await get("/organizations/oauth2/v2.0/token")).status).toBe(404);
  });

  it("issues a device code, answers authorization_pending until approved, then user tokens once", async () => {
    const h = setup();
    const { res, body } = await h.start();
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(body).toMatchObject({
      user_code: expect.stringMatching(/^[A-HJ-NP-Z2-9]{9}$/),
      device_code: expect.any(String),
      verification_uri: `${LOGIN}/devicelogin`,
      expires_in: 900,
      interval: 5,
      message:
        `To sign in, use a web browser to open the page ${LOGIN}/devicelogin and enter the code ${body.user_code} to authenticate.`,
    });
    const pending = await h.poll(body.device_code);
    expect(pending.status).toBe(400);
    expect(await pending.json()).toMatchObject({
      error: "authorization_pending",
      error_codes: [70016],
      error_description: expect.stringMatching(
        /^AADSTS70016: The provided request has not yet been authorized by the user\. The user must input their code\.\r\nTrace ID: /,
      ),
    });
    expect(h.control.deviceCodes()).toMatchObject([{
      userCode: body.user_code,
      clientId: AZURE_CLI_CLIENT_ID,
      tenant: "organizations",
      resource: "https://management.azure.com",
      status: "pending",
    }]);
    expect(h.control.approveDeviceCode(body.user_code.toLowerCase())).toMatchObject({
      status: "approved",
      principalId: EMULATOR_USER_ID,
    });
    const ok = await h.poll(body.device_code);
    expect(ok.status).toBe(200);
    const tokens = await ok.json();
    expect(Object.keys(tokens).sort()).toEqual([
      "access_token",
      "client_info",
      "expires_in",
      "ext_expires_in",
      "id_token",
      "refresh_token",
      "scope",
      "token_type",
    ]);
    expect(h.claims(tokens.access_token)).toMatchObject({
      aud: "https://management.azure.com",
      oid: ADA,
      tid: EMULATOR_TENANT_ID,
      appid: AZURE_CLI_CLIENT_ID,
      idtyp: "user",
      name: "Ada Lovelace",
      upn: "ada@emulator.example",
      scp: "user_impersonation",
    });
    expect(h.claims(tokens.id_token)).toMatchObject({
      aud: AZURE_CLI_CLIENT_ID,
      oid: ADA,
      preferred_username: "ada@emulator.example",
      ver: "2.0",
    });
    expect(JSON.parse(Buffer.from(tokens.client_info, "base64url").toString())).toEqual({
      uid: ADA,
      utid: EMULATOR_TENANT_ID,
    });
    // The access token works on ARM (Ada owns the subscription).
    const arm = await h.arm(
      new Request(`${LOGIN}${WS}?api-version=2025-12-15-preview`, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      }),
    );
    expect(arm.status).toBe(200);
    // Redeemed once: the same device code is then unknown.
    expect((await (await h.poll(body.device_code)).json()).error).toBe("bad_verification_code");
    expect(h.control.deviceCodes()).toEqual([]);
  });

  it("a refresh token gets a token for another resource (data plane, Key Vault, ARM's old audience), for the same client only", async () => {
    const h = setup();
    const { body } = await h.start();
    h.control.approveDeviceCode(body.user_code);
    const { refresh_token: refresh } = await (await h.poll(body.device_code)).json();
    const again = (clientId: string, scope: string) =>
      h.post("/organizations/oauth2/v2.0/token", {
        client_id: clientId,
        grant_type: "refresh_token",
        refresh_token: refresh,
        scope,
      });
    const data = await again(AZURE_CLI_CLIENT_ID, "https://quantum.microsoft.com/.default openid");
    const token = (await data.json()).access_token;
    expect(h.claims(token)).toMatchObject({ aud: "https://quantum.microsoft.com", oid: ADA });
    const vault = await (await again(AZURE_CLI_CLIENT_ID, "https://vault.azure.net/.default"))
      .json();
    expect(h.claims(vault.access_token).aud).toBe("https://vault.azure.net");
    const legacy = await again(
      AZURE_CLI_CLIENT_ID,
      "https://management.core.windows.net//.default",
    );
    expect(h.claims((await legacy.json()).access_token).aud).toBe(
      "https://management.core.windows.net",
    );
    const other = await again(MI, "https://quantum.microsoft.com/.default");
    expect((await other.json()).error).toBe("invalid_grant");
    const two = await again(
      AZURE_CLI_CLIENT_ID,
      "https://quantum.microsoft.com/.default https://management.azure.com/.default",
    );
    expect(await two.json()).toMatchObject({ error: "invalid_scope", error_codes: [28000] });
  });

  it("declined and expired codes end the flow; request errors are Entra's", async () => {
    const h = setup();
    const declined = (await h.start()).body;
    h.control.declineDeviceCode(declined.user_code);
    expect((await (await h.poll(declined.device_code)).json()).error).toBe(
      "authorization_declined",
    );
    const late = (await h.start()).body;
    h.advance(901_000);
    expect((await (await h.poll(late.device_code)).json()).error).toBe("expired_token");
    expect(() => h.control.approveDeviceCode(late.user_code)).toThrow(
      `Cannot approve device code "${late.user_code}": the sign-in is expired`,
    );
    expect(h.control.deviceCodes().map((c) => c.status)).toEqual(["declined", "expired"]);
    h.advance(900_000); // a lifetime after expiry, a new sign-in clears the old ones out
    const fresh = (await h.start()).body;
    expect(h.control.deviceCodes().map((c) => c.userCode)).toEqual([fresh.user_code]);
    const noClient = await h.post("/organizations/oauth2/v2.0/devicecode", { scope: ARM_SCOPE });
    expect((await noClient.json()).error_description).toMatch(
      /^AADSTS900144: The request body must contain the following parameter: 'client_id'\./,
    );
    const badScope = await h.start("organizations", "openid profile");
    expect(badScope.body).toMatchObject({ error: "invalid_scope", error_codes: [70011] });
    const grant = await h.post("/organizations/oauth2/v2.0/token", {
      client_id: AZURE_CLI_CLIENT_ID,
      grant_type: "password",
    });
    expect((await grant.json()).error).toBe("unsupported_grant_type");
  });

  it("approves only as a user of the sign-in's tenant, and says how to fix it", async () => {
    const h = setup();
    const { body } = await h.start(EMULATOR_TENANT_ID);
    expect(() => h.control.approveDeviceCode("NOPE12345")).toThrow(
      'Cannot approve device code "NOPE12345": no sign-in has that code. Use the code the sign-in prompt showed (control.deviceCodes() lists them)',
    );
    expect(() => h.control.approveDeviceCode(body.user_code, CI)).toThrow(
      `Cannot approve device code "${body.user_code}" as "${CI}": device-code sign-in is for users, not service principals. Name a user (control.principals() lists them)`,
    );
    const guest = h.control.addPrincipal({
      type: "User",
      displayName: "Guest",
      userPrincipalName: "guest@fabrikam.example",
      tenantId: "00000000-0000-4000-8000-00000000f00d",
    });
    expect(() => h.control.approveDeviceCode(body.user_code, guest.objectId)).toThrow(
      `the sign-in is for tenant "${EMULATOR_TENANT_ID}", the user belongs to "00000000-0000-4000-8000-00000000f00d"`,
    );
    // That tenant is known now, so its authority answers.
    const cfg = await h.login(
      new Request(`${LOGIN}/${guest.tenantId}/v2.0/.well-known/openid-configuration`),
    );
    expect(cfg.status).toBe(200);
  });

  it("never shows a device code, refresh or access token in the log, the control API or errors", async () => {
    const h = setup();
    const { body } = await h.start();
    await h.poll(body.device_code);
    h.control.approveDeviceCode(body.user_code);
    const tokens = await (await h.poll(body.device_code)).json();
    const refreshed = await (await h.post("/organizations/oauth2/v2.0/token", {
      client_id: AZURE_CLI_CLIENT_ID,
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token,
      scope: "https://quantum.microsoft.com/.default",
    })).json();
    const badCode = await (await h.poll(`${body.device_code}x`)).text();
    const badRefresh = await (await h.post("/organizations/oauth2/v2.0/token", {
      client_id: AZURE_CLI_CLIENT_ID,
      grant_type: "refresh_token",
      refresh_token: `${tokens.refresh_token}x`,
      scope: "https://quantum.microsoft.com/.default",
    })).text();
    const shown = [
      JSON.stringify(h.control.requestLog()),
      inspect(h.control.requestLog(), { depth: 9 }),
      JSON.stringify(h.control.deviceCodes()),
      inspect(h.context.deviceCodes, { depth: 9, showHidden: true }),
      badCode,
      badRefresh,
    ].join("\n");
    const secrets = [
      body.device_code,
      tokens.access_token,
      tokens.refresh_token,
      refreshed.access_token,
      refreshed.refresh_token,
    ];
    for (const secret of secrets) expect(shown).not.toContain(secret);
    expect(h.control.requestLog({ listener: "login" }).map((e) => e.path)).toEqual([
      "/organizations/oauth2/v2.0/devicecode",
      "/organizations/oauth2/v2.0/token",
      "/organizations/oauth2/v2.0/token",
      "/organizations/oauth2/v2.0/token",
      "/organizations/oauth2/v2.0/token",
      "/organizations/oauth2/v2.0/token",
    ]);
  });
});
