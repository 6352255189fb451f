import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createPipelineFromOptions,
  createPipelineRequest,
} from "@azure/core-rest-pipeline";
import { DefaultAzureCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ARM_AUDIENCE,
  type Emulator,
  EMULATOR_CLIENT_ID,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { ARM_VERSION, client, send } from "./_https.ts";

let emulator: Emulator;

// exportEnv puts IDENTITY_ENDPOINT / IDENTITY_HEADER into process.env before any credential is
// constructed (MSAL reads them at construction), exactly as a notebook would.
beforeAll(async () => {
  emulator = await startEmulator({ exportEnv: true });
});
afterAll(() => emulator.stop());

describe("managed-identity token endpoint (App Service protocol)", () => {
  const url = (query: string) => `${emulator.identityEndpoint}?${query}`;
  const header = () => ({ "X-IDENTITY-HEADER": emulator.env.IDENTITY_HEADER.reveal() });

  it("issues a Bearer token for the resource with expires_on in epoch seconds and client_id", async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await send(
      url(`api-version=2019-08-01&resource=${encodeURIComponent(ARM_AUDIENCE)}`),
      { headers: header() },
    );
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual([
      "access_token",
      "client_id",
      "expires_on",
      "resource",
      "token_type",
    ]);
    expect(body).toMatchObject({
      resource: ARM_AUDIENCE,
      token_type: "Bearer",
      client_id: EMULATOR_CLIENT_ID,
    });
    expect(body.expires_on).toMatch(/^\d+$/);
    expect(Number(body.expires_on) - before).toBeGreaterThanOrEqual(3599);
    // A managed identity's token names its resource (xms_mirid): here the workspace's own identity.
    const claims = JSON.parse(Buffer.from(String(body.access_token).split(".")[1]!, "base64url").toString("utf8"));
    expect(claims).toMatchObject({
      idtyp: "app",
      xms_mirid: "/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/emulator-rg/providers/Microsoft.Quantum/workspaces/emulator-ws",
    });
    expect(emulator.identityEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/msi\/token$/);
  });

  it("400 without X-IDENTITY-HEADER, 401 with a wrong one, 400 for other api-versions or no resource", async () => {
    const ok = `api-version=2019-08-01&resource=${encodeURIComponent(ARM_AUDIENCE)}`;
    expect((await send(url(ok))).status).toBe(400);
    expect((await send(url(ok), { headers: { "X-IDENTITY-HEADER": "wrong" } })).status).toBe(401);
    const wrongVersion = await send(url(`api-version=2017-09-01&resource=${ARM_AUDIENCE}`), {
      headers: header(),
    });
    expect(wrongVersion.status).toBe(400);
    expect(wrongVersion.json()).toMatchObject({
      statusCode: 400,
      message: expect.stringContaining("2019-08-01"),
    });
    expect((await send(url("api-version=2019-08-01"), { headers: header() })).status).toBe(400);
    expect((await send(url(`${ok}&client_id=someone-else`), { headers: header() })).status).toBe(
      400,
    );
  });

  it("honours the token lifetime set at runtime", async () => {
    emulator.control.setIdentity({ tokenLifetimeSeconds: 120 });
    try {
      const res = await send(url(`api-version=2019-08-01&resource=${ARM_AUDIENCE}`), {
        headers: header(),
      });
      expect(Number(res.json().expires_on) - Date.now() / 1000).toBeLessThanOrEqual(121);
    } finally {
      emulator.control.setIdentity({ tokenLifetimeSeconds: 3600 });
    }
  });
});

describe("the unmodified DefaultAzureCredential", () => {
  it("gets an ARM token from the emulator and calls listKeys through core-rest-pipeline, trusting only the emulator CA", async () => {
    const credential = new DefaultAzureCredential();
    const token = await credential.getToken("https://management.azure.com/.default");
    expect(token.token.split(".")).toHaveLength(3);
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3000 * 1000);

    const pipeline = createPipelineFromOptions({ tlsOptions: { ca: emulator.caCertificate } });
    pipeline.addPolicy(
      bearerTokenAuthenticationPolicy({
        credential,
        scopes: "https://management.azure.com/.default",
      }),
    );
    const c = client(emulator);
    const request = createPipelineRequest({
      url: `${emulator.armEndpoint}${c.P}/listKeys?api-version=${ARM_VERSION}`,
      method: "POST",
    });
    const res = await pipeline.sendRequest(createDefaultHttpClient(), request);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.bodyAsText!).primaryKey.key).toBe(
      emulator.control.keys().primary.reveal(),
    );
    expect(emulator.control.requestCount({ listener: "identity" })).toBeGreaterThanOrEqual(1);
  });

  it("a pipeline without the emulator CA fails TLS verification", async () => {
    const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries: 0 } });
    const request = createPipelineRequest({ url: `${emulator.armEndpoint}/`, method: "GET" });
    await expect(pipeline.sendRequest(createDefaultHttpClient(), request)).rejects.toMatchObject({
      code: expect.stringMatching(
        /UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED|UNABLE_TO_GET_ISSUER_CERT/,
      ),
    });
  });

  it("a Reader identity gets 403 on listKeys with the same credential", async () => {
    emulator.control.setRole("Reader");
    try {
      const credential = new DefaultAzureCredential();
      const pipeline = createPipelineFromOptions({ tlsOptions: { ca: emulator.caCertificate } });
      pipeline.addPolicy(
        bearerTokenAuthenticationPolicy({
          credential,
          scopes: "https://management.azure.com/.default",
        }),
      );
      const request = createPipelineRequest({
        url: `${emulator.armEndpoint}${client(emulator).P}/listKeys?api-version=${ARM_VERSION}`,
        method: "POST",
      });
      const res = await pipeline.sendRequest(createDefaultHttpClient(), request);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.bodyAsText!).error.code).toBe("AuthorizationFailed");
    } finally {
      emulator.control.setRole("Contributor");
    }
  });
});
