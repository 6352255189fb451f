import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { SecretClient } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/mod.ts";
import { defaultCredential } from "../../src/config/credential.ts";
import { startKeysEmulator } from "../keys/_emulator.ts";

let emu: Emulator;
let credential: TokenCredential;
const tokens: { scopes: string[]; tenantId?: string; token: string }[] = [];

// The real DefaultAzureCredential, through the emulator's managed-identity endpoint; the wrapper
// only records what the SDK asked for and got.
beforeAll(async () => {
  emu = await startKeysEmulator();
  const real = await defaultCredential();
  credential = {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      const token = await real.getToken(scopes, options);
      tokens.push({ scopes: [scopes].flat(), tenantId: options?.tenantId, token: token!.token });
      return token;
    },
  };
});
afterAll(() => emu.stop());

/** The unmodified SecretClient, trusting the emulator's CA for this client only. */
const client = (options: { verifyChallengeResource?: boolean; ca?: string | null } = {}) =>
  new SecretClient(emu.keyVaultUrl, credential, {
    ...(options.ca === null ? {} : { tlsOptions: { ca: options.ca ?? emu.caCertificate } }),
    disableChallengeResourceVerification: !options.verifyChallengeResource,
    retryOptions: { maxRetries: 0 },
  });

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());

describe("the unmodified SecretClient against the emulated vault", () => {
  it("answers the challenge with a vault token from DefaultAzureCredential, then sets, gets, lists and deletes", async () => {
    const kv = client();
    const set = await kv.setSecret("quantum", "first value", {
      contentType: "text/plain",
      tags: { slot: "primary" },
    });
    expect(set.name).toBe("quantum");
    expect(set.value).toBe("first value");
    expect(set.properties.vaultUrl).toBe(emu.keyVaultUrl.replace(/\/$/, ""));
    expect(set.properties.version).toMatch(/^[0-9a-f]{32}$/);
    expect(set.properties.contentType).toBe("text/plain");
    expect(set.properties.tags).toEqual({ slot: "primary" });
    expect(set.properties.enabled).toBe(true);
    expect(set.properties.recoveryLevel).toBe("Recoverable+Purgeable");
    expect(set.properties.createdOn).toBeInstanceOf(Date);

    const { scopes, tenantId, token } = tokens.at(-1)!;
    expect(scopes).toEqual(["https://vault.azure.net/.default"]);
    expect(tenantId).toBe("00000000-0000-4000-8000-0000000000aa");
    expect(claims(token).aud).toBe("https://vault.azure.net");
    const log = emu.control.requestLog({ listener: "vault" });
    expect(log.slice(0, 2).map((e) => [e.method, e.status, e.auth])).toEqual([
      ["PUT", 401, "none"],
      ["PUT", 200, "bearer"],
    ]);

    const second = await kv.setSecret("quantum", "second value");
    expect((await kv.getSecret("quantum")).value).toBe("second value");
    const old = await kv.getSecret("quantum", { version: set.properties.version });
    expect(old.value).toBe("first value");
    expect(old.properties.id).toBe(set.properties.id);

    const versions = [];
    for await (
      const page of kv.listPropertiesOfSecretVersions("quantum").byPage({ maxPageSize: 1 })
    ) {
      expect(page).toHaveLength(1);
      versions.push(...page.map((p) => p.version));
    }
    expect(versions).toEqual([set.properties.version, second.properties.version]);
    const names = [];
    for await (const p of kv.listPropertiesOfSecrets()) names.push(p.name);
    expect(names).toContain("quantum");

    const poller = await kv.beginDeleteSecret("quantum", { intervalInMs: 10 });
    const deleted = await poller.pollUntilDone();
    expect(deleted.recoveryId).toBe(`${emu.keyVaultUrl}deletedsecrets/quantum`);
    expect(deleted.properties.deletedOn).toBeInstanceOf(Date);
    await expect(kv.getSecret("quantum")).rejects.toMatchObject({
      statusCode: 404,
      code: "SecretNotFound",
    });
    await expect(kv.setSecret("quantum", "x")).rejects.toMatchObject({
      statusCode: 409,
      code: "Conflict",
    });
    expect((await kv.getDeletedSecret("quantum")).name).toBe("quantum");
    await kv.purgeDeletedSecret("quantum");
    expect((await kv.setSecret("quantum", "after purge")).value).toBe("after purge");
  });

  it("takes role changes into account: 403 ForbiddenByRbac for a reader's write", async () => {
    const kv = client();
    await kv.setSecret("rbac", "x");
    emu.control.vault.unassignRole("Key Vault Secrets Officer");
    emu.control.vault.assignRole("Key Vault Secrets User");
    try {
      expect((await kv.getSecret("rbac")).value).toBe("x");
      const e = await kv.setSecret("rbac", "y").catch((e) => e);
      expect(e).toMatchObject({ statusCode: 403, code: "Forbidden" });
      expect(e.details.error.innerError.code).toBe("ForbiddenByRbac");
    } finally {
      emu.control.vault.assignRole("Key Vault Secrets Officer");
      emu.control.vault.unassignRole("Key Vault Secrets User");
    }
  });

  it("needs disableChallengeResourceVerification for the loopback host, and the emulator's CA", async () => {
    await expect(client({ verifyChallengeResource: true }).getSecret("rbac")).rejects.toThrow(
      /The challenge resource 'vault.azure.net' does not match the requested domain/,
    );
    await expect(client({ ca: null }).getSecret("rbac")).rejects.toThrow(/certificate/i);
  });
});
