import { DeviceCodeCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import { describe, expect, it } from "vitest";
import {
  AZURE_CLI_CLIENT_ID,
  EMULATOR_PRINCIPAL_ID,
  EMULATOR_TENANT_ID,
  EMULATOR_USER_ID,
  startEmulator,
  VAULT_AUDIENCE,
} from "../../src/emulator/mod.ts";
import { vaultClient } from "./_vault.ts";

// The vault's roles (control.vault) and Azure RBAC on the workspace (control.assignRole) are two
// models, as in Azure, where Key Vault data roles are assigned on the vault. Neither default may
// break the other's flows.

const DATA_URL = "https://127.0.0.1/subscriptions/00000000-0000-4000-8000-000000000001" +
  "/resourceGroups/emulator-rg/providers/Microsoft.Quantum/workspaces/emulator-ws" +
  "/providerStatus?api-version=2025-12-01-preview";

const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));

describe("the emulated vault next to RBAC", () => {
  it("serves the emulator identity by default while the data plane asks it for a data role", async () => {
    const v = vaultClient();
    v.control.vault.setSecret("quantum", "s3cr3t");
    const data = () =>
      v.handlers.dataPlane(
        new Request(DATA_URL, {
          headers: {
            authorization: `Bearer ${
              v.control.issueToken({ audience: "https://quantum.microsoft.com" }).reveal()
            }`,
          },
        }),
      );
    expect(v.control.dataPlaneAuthorization()).toBe("dataRoles");
    expect((await v.call("GET", "secrets/quantum")).json().value).toBe("s3cr3t");
    expect((await data()).status).toBe(403);

    v.control.assignRole("Quantum Workspace Data Contributor");
    expect((await data()).status).toBe(200);
    // A workspace role gives nothing on the vault, and a vault role nothing on the workspace.
    v.control.vault.unassignRole("Key Vault Secrets Officer");
    expect((await v.call("GET", "secrets/quantum")).status).toBe(403);
    expect((await data()).status).toBe(200);
    v.control.setDataPlaneAuthorization("controlPlaneRoles");
    v.control.setRole("Owner");
    expect((await v.call("GET", "secrets/quantum")).status).toBe(403);
  });

  it("refuses a directory user the vault until a vault role is assigned to her", async () => {
    const v = vaultClient();
    v.control.vault.setSecret("quantum", "s3cr3t");
    const ada = v.token({ principalId: EMULATOR_USER_ID });
    expect(claims(ada)).toMatchObject({
      aud: VAULT_AUDIENCE,
      oid: EMULATOR_USER_ID,
      idtyp: "user",
      appid: AZURE_CLI_CLIENT_ID,
    });
    // Owner of the subscription (Azure RBAC) is not a vault role.
    const denied = await v.call("GET", "secrets/quantum", { token: ada });
    expect(denied.status).toBe(403);
    expect(denied.json().error.message).toContain(
      `Caller: appid=${AZURE_CLI_CLIENT_ID};oid=${EMULATOR_USER_ID};iss=https://sts.windows.net/${EMULATOR_TENANT_ID}/`,
    );

    // The workspace's RBAC points at the vault's own assignments.
    expect(() => v.control.assignRole("key vault secrets user", { principalId: EMULATOR_USER_ID }))
      .toThrow(
        new RangeError(
          'Cannot assign role "key vault secrets user": Key Vault roles are assigned on the emulated vault, not in the workspace\'s RBAC. Use control.vault.assignRole("Key Vault Secrets User", principalId)',
        ),
      );
    v.control.vault.assignRole("Key Vault Secrets User", EMULATOR_USER_ID);
    expect((await v.call("GET", "secrets/quantum", { token: ada })).json().value).toBe("s3cr3t");
    expect((await v.put("quantum", { value: "other" }, { token: ada })).status).toBe(403);
  });

  it("issues the emulator identity's token as the token endpoint does, also after setIdentity", async () => {
    const v = vaultClient({ identityHeader: "test-header" });
    const tenantId = "11111111-1111-4111-8111-111111111111";
    const clientId = "22222222-2222-4222-8222-222222222222";
    v.control.setIdentity({ tenantId, clientId });
    const res = await v.handlers.identity(
      new Request(
        `http://127.0.0.1/msi/token?api-version=2019-08-01&resource=${VAULT_AUDIENCE}`,
        { headers: { "x-identity-header": "test-header" } },
      ),
    );
    const fromEndpoint = claims((await res.json()).access_token);
    const fromControl = claims(v.token());
    for (const c of [fromEndpoint, fromControl]) {
      expect(c).toMatchObject({ oid: EMULATOR_PRINCIPAL_ID, tid: tenantId, appid: clientId });
    }
    expect(fromControl.iss).toBe(fromEndpoint.iss);
  });

  it("lets the unmodified DeviceCodeCredential read a secret through SecretClient once the user holds a vault role", async () => {
    const emulator = await startEmulator();
    try {
      emulator.control.setDeviceCodeTiming({ intervalSeconds: 0.2 });
      emulator.control.vault.setSecret("quantum", "s3cr3t-for-ada");
      emulator.control.vault.assignRole("Key Vault Secrets User", EMULATOR_USER_ID);
      const credential = new DeviceCodeCredential({
        tenantId: EMULATOR_TENANT_ID,
        authorityHost: emulator.authorityHost,
        disableInstanceDiscovery: true,
        tlsOptions: { ca: emulator.caCertificate },
        userPromptCallback: (info) =>
          setTimeout(() => emulator.control.approveDeviceCode(info.userCode), 50),
      });
      const kv = new SecretClient(emulator.keyVaultUrl, credential, {
        tlsOptions: { ca: emulator.caCertificate },
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
      });
      expect((await kv.getSecret("quantum")).value).toBe("s3cr3t-for-ada");
      const error = await kv.setSecret("quantum", "no").then(() => undefined, (e: Error) => e);
      expect(error).toMatchObject({ statusCode: 403, code: "Forbidden" });
      expect(emulator.control.requestCount({ listener: "login", path: "/token", status: 200 }))
        .toBe(1);
    } finally {
      await emulator.stop();
    }
  });
});
