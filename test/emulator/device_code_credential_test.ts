import { DeviceCodeCredential, type DeviceCodeInfo } from "@azure/identity";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Emulator,
  EMULATOR_TENANT_ID,
  EMULATOR_USER_ID,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { ARM_VERSION, client, DP_VERSION } from "./_https.ts";

let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
  // A short interval keeps the test quick; the default (5 s) is Entra's.
  emulator.control.setDeviceCodeTiming({ intervalSeconds: 0.2 });
});
afterAll(() => emulator.stop());

/**
 * The unmodified credential, pointed at the emulator's authority: no instance discovery (MSAL
 * would ask login.microsoftonline.com), and the emulator's CA trusted for this credential's
 * requests only (core-rest-pipeline's tlsOptions, which the identity client's pipeline honours).
 */
function credential(
  onPrompt: (info: DeviceCodeInfo) => void,
  options: { tenantId?: string; ca?: string | null } = {},
) {
  return new DeviceCodeCredential({
    tenantId: options.tenantId ?? EMULATOR_TENANT_ID,
    authorityHost: emulator.authorityHost,
    disableInstanceDiscovery: true,
    ...(options.ca === null ? {} : { tlsOptions: { ca: options.ca ?? emulator.caCertificate } }),
    userPromptCallback: onPrompt,
  });
}

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));

describe("DeviceCodeCredential (@azure/identity, unmodified) against the emulator", () => {
  it("shows the code and link, waits while pending, and signs in once the code is approved", async () => {
    emulator.control.resetLog();
    const prompts: DeviceCodeInfo[] = [];
    const cred = credential((info) => {
      prompts.push(info);
      // Approve as a person would, a little later: the client polls in between.
      setTimeout(() => emulator.control.approveDeviceCode(info.userCode), 500);
    });
    const arm = await cred.getToken("https://management.azure.com/.default");
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({
      userCode: expect.stringMatching(/^[A-HJ-NP-Z2-9]{9}$/),
      verificationUri: `${emulator.authorityHost}/devicelogin`,
      message: expect.stringContaining(prompts[0]!.userCode),
    });
    const pending = emulator.control.requestLog({ listener: "login", status: 400 });
    expect(pending.length).toBeGreaterThanOrEqual(1);
    expect(claims(arm.token)).toMatchObject({
      aud: "https://management.azure.com",
      oid: EMULATOR_USER_ID,
      upn: "ada@emulator.example",
      idtyp: "user",
    });
    expect(arm.expiresOnTimestamp).toBeGreaterThan(Date.now() + 3_000_000);

    // The token works on Resource Manager: Ada owns the subscription.
    const c = client(emulator);
    const ws = await c.arm("GET", `?api-version=${ARM_VERSION}`, undefined, {
      authorization: `Bearer ${arm.token}`,
    });
    expect(ws.status).toBe(200);

    // A second resource comes silently (refresh token), without another prompt.
    const data = await cred.getToken("https://quantum.microsoft.com/.default");
    expect(prompts).toHaveLength(1);
    expect(claims(data.token).aud).toBe("https://quantum.microsoft.com");
    const auth = { authorization: `Bearer ${data.token}` };
    const url = `providerStatus?api-version=${DP_VERSION}`;
    // Owner of the subscription, but no data role yet: the data plane refuses ...
    expect((await c.data(url, auth)).status).toBe(403);
    emulator.control.assignRole("Quantum Workspace Data Contributor", {
      principalId: EMULATOR_USER_ID,
    });
    // ... and accepts once the role is assigned (looked up per request, as in Azure).
    expect((await c.data(url, auth)).status).toBe(200);

    // No token, refresh token or device code in the log, the control API or the emulator's display.
    const shown = [
      JSON.stringify(emulator.control.requestLog()),
      JSON.stringify(emulator.control.deviceCodes()),
      inspect(emulator, { depth: 9 }),
      JSON.stringify(emulator),
    ].join("\n");
    expect(shown).not.toContain(arm.token);
    expect(shown).not.toContain(data.token);
    expect(shown).not.toMatch(/DAQABIQEAAAB|"1\.AQE/);
  });

  it("signs in with the default tenant 'organizations' too", async () => {
    const cred = credential(
      (info) => setTimeout(() => emulator.control.approveDeviceCode(info.userCode), 50),
      { tenantId: "organizations" },
    );
    const token = await cred.getToken("https://quantum.microsoft.com/.default");
    expect(claims(token.token)).toMatchObject({ tid: EMULATOR_TENANT_ID, oid: EMULATOR_USER_ID });
  });

  it("fails, without a code or token in the error, when the sign-in is declined", async () => {
    let code = "";
    const cred = credential((info) => {
      code = info.userCode;
      setTimeout(() => emulator.control.declineDeviceCode(info.userCode), 50);
    });
    const error = await cred.getToken("https://management.azure.com/.default").then(
      () => undefined,
      (e: Error) => e,
    );
    const text = `${error?.message} ${inspect(error, { depth: 9 })}`;
    expect(error?.name).toBe("AuthenticationRequiredError");
    expect(text).toContain("authorization_declined");
    expect(code).not.toBe("");
    expect(text).not.toContain(code);
  });

  it("verifies TLS: without the emulator's CA the credential never reaches the authority", async () => {
    let prompted = false;
    const before = emulator.control.requestCount({ listener: "login" });
    const cred = credential(() => (prompted = true), { ca: null });
    const error = await cred.getToken("https://management.azure.com/.default").then(
      () => undefined,
      (e: Error) => e,
    );
    expect(prompted).toBe(false);
    // MSAL reports the failed TLS handshake as an endpoint resolution error; no request arrived.
    expect(error?.name).toBe("CredentialUnavailableError");
    expect(error?.message).toMatch(/^endpoints_resolution_error/);
    expect(emulator.control.requestCount({ listener: "login" })).toBe(before);
  });
});
