import { describe, expect, it } from "vitest";
import {
  ARM_AUDIENCE,
  EMULATOR_PRINCIPAL_ID,
  EMULATOR_TENANT_ID,
  KEY_VAULT_API_VERSIONS,
  VAULT_AUDIENCE,
} from "../../src/emulator/mod.ts";
import { KV_VERSION, T0_SECONDS, VAULT, vaultClient } from "./_vault.ts";

const CHALLENGE =
  `Bearer authorization="https://login.microsoftonline.com/${EMULATOR_TENANT_ID}", resource="https://vault.azure.net"`;
const HEX32 = /^[0-9a-f]{32}$/;

describe("emulated Key Vault: challenge and tokens", () => {
  it("answers a request without a token with 401, the challenge and AKV10000 (also a PUT without body)", async () => {
    const v = vaultClient();
    for (
      const [method, path] of [["GET", "secrets/db"], ["PUT", "secrets/db"], ["GET", "nowhere"]]
    ) {
      const res = await v.call(method!, path!, { token: null });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(CHALLENGE);
      expect(res.json()).toEqual({
        error: {
          code: "Unauthorized",
          message: "AKV10000: Request is missing a Bearer or PoP token.",
        },
      });
    }
    for (const authorization of ["Basic dXNlcjpwYXNz", "Bearer", `Bearer ${v.token()} extra`]) {
      const res = await v.call("GET", "secrets", { authorization });
      expect(res.status, authorization.slice(0, 12)).toBe(401);
      expect(res.json().error.message).toMatch(/^AKV10000/);
    }
  });

  it("rejects tokens for another audience (also with a trailing slash), expired, forged or from another tenant", async () => {
    const v = vaultClient();
    const cases: [string, string][] = [
      [
        v.token({ audience: ARM_AUDIENCE }),
        `AKV10022: Invalid audience. Expected https://vault.azure.net, found: ${ARM_AUDIENCE}.`,
      ],
      [
        v.token({ audience: `${VAULT_AUDIENCE}/` }),
        "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://vault.azure.net/.",
      ],
      [v.token({ lifetimeSeconds: -10 }), "[TokenExpired] Error validating token: 'S2S12086'."],
      [
        `${v.token().slice(0, -4)}AAAA`,
        "AKV10046: Unable to resolve the key used for signature validation.",
      ],
      ["not-a-jwt", "AKV10046: Unable to resolve the key used for signature validation."],
    ];
    for (const [token, message] of cases) {
      const res = await v.call("GET", "secrets", { token });
      expect(res.status, message).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe(CHALLENGE);
      expect(res.json().error).toEqual({ code: "Unauthorized", message });
    }
    v.control.setIdentity({ tenantId: "11111111-1111-4111-8111-111111111111" });
    const other = await v.call("GET", "secrets");
    expect(other.status).toBe(401);
    expect(other.json().error.message).toBe(
      `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${EMULATOR_TENANT_ID}/, ` +
        "found: https://sts.windows.net/11111111-1111-4111-8111-111111111111/.",
    );
  });

  it("accepts Key Vault's app id as audience, and every api-version of @azure/keyvault-secrets 4.11", async () => {
    const v = vaultClient();
    const appId = await v.call("GET", "secrets", {
      token: v.token({ audience: "cfa8b339-82a2-471a-a3c9-0fc0be7a4093" }),
    });
    expect(appId.status).toBe(200);
    for (const version of KEY_VAULT_API_VERSIONS) {
      expect((await v.call("GET", "secrets", { query: `api-version=${version}` })).status).toBe(
        200,
      );
    }
    const missing = await v.call("GET", "secrets", { query: "" });
    expect(missing.status).toBe(400);
    expect(missing.json().error.code).toBe("BadParameter");
    const unknown = await v.call("GET", "secrets", { query: "api-version=7.9" });
    expect(unknown.json().error).toEqual({
      code: "BadParameter",
      message:
        "The specified version (7.9) is not recognized. Consider using the latest supported version (2025-07-01).",
    });
  });
});

describe("emulated Key Vault: set and get", () => {
  it("PUT adds a version and answers Key Vault's SecretBundle (value, versioned id, attributes, contentType, tags)", async () => {
    const v = vaultClient();
    const res = await v.put("db", {
      value: "s3cret",
      contentType: "text/plain",
      tags: { env: "dev" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("x-ms-keyvault-service-version")).toBeTruthy();
    const body = res.json();
    const version = body.id.slice(`${VAULT}secrets/db/`.length);
    expect(version).toMatch(HEX32);
    expect(body).toEqual({
      value: "s3cret",
      id: `${VAULT}secrets/db/${version}`,
      contentType: "text/plain",
      attributes: {
        enabled: true,
        created: T0_SECONDS,
        updated: T0_SECONDS,
        recoveryLevel: "Recoverable+Purgeable",
        recoverableDays: 90,
      },
      tags: { env: "dev" },
    });
    const plain = (await v.put("plain", { value: "x", attributes: { nbf: 1, exp: 2 } })).json();
    expect(Object.keys(plain).sort()).toEqual(["attributes", "id", "value"]);
    expect(plain.attributes).toMatchObject({ nbf: 1, exp: 2 });
  });

  it("GET returns the latest version with and without the trailing slash, a version by id, and 404s for others", async () => {
    const v = vaultClient();
    const first = (await v.put("db", { value: "one" })).json().id.split("/").pop();
    v.tick(2000);
    const second = (await v.put("DB", { value: "two" })).json();
    expect(second.id).toMatch(new RegExp(`^${VAULT}secrets/db/[0-9a-f]{32}$`)); // name keeps its first case
    expect(second.attributes.created).toBe(T0_SECONDS + 2);
    for (const path of ["secrets/db", "secrets/db/", "secrets/Db"]) {
      const got = (await v.call("GET", path)).json();
      expect(got.value).toBe("two");
      expect(got.id).toBe(second.id);
    }
    const old = await v.call("GET", `secrets/db/${first.toUpperCase()}`);
    expect(old.status).toBe(200);
    expect(old.json().value).toBe("one");
    const missing = await v.call("GET", "secrets/db/0123456789abcdef0123456789abcdef");
    expect(missing.status).toBe(404);
    expect(missing.json().error.code).toBe("SecretNotFound");
    expect(missing.json().error.message).toMatch(
      /^A secret with \(name\/id\) db\/0123456789abcdef0123456789abcdef was not found in this key vault\./,
    );
    const none = await v.call("GET", "secrets/nope");
    expect(none.status).toBe(404);
    expect(none.json().error.message).toMatch(/^A secret with \(name\/id\) nope was not found/);
  });

  it("refuses to get a disabled version (403 Forbidden, inner SecretDisabled)", async () => {
    const v = vaultClient();
    await v.put("db", { value: "x", attributes: { enabled: false } });
    const res = await v.call("GET", "secrets/db");
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      error: {
        code: "Forbidden",
        message: "Operation get is not allowed on a disabled secret.",
        innererror: { code: "SecretDisabled" },
      },
    });
  });

  it("validates names and bodies with 400 BadParameter, never echoing the value", async () => {
    const v = vaultClient();
    const bad = await v.put("my_secret", { value: "x" });
    expect(bad.status).toBe(400);
    expect(bad.json().error).toEqual({
      code: "BadParameter",
      message: "The request URI contains an invalid name: my_secret",
    });
    const big = "k".repeat(25 * 1024 + 1);
    const cases: [unknown, RegExp][] = [
      ["{not json", /not valid JSON/],
      [[], /must be a JSON object/],
      [{}, /'value' is required/],
      [{ value: 42 }, /'value' is required/],
      [{ value: "" }, /must not be empty/],
      [{ value: big }, /exceeds the maximum size of 25600 bytes/],
      [{
        value: "v",
        tags: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`t${i}`, "x"])),
      }, /at most 15 tags/],
      [{ value: "v", tags: { a: 1 } }, /Tag names/],
      [{ value: "v", attributes: { enabled: "yes" } }, /attributes.enabled/],
      [{ value: "v", attributes: { exp: 1.5 } }, /attributes.exp/],
    ];
    for (const [body, message] of cases) {
      const res = await v.put("db", body);
      expect(res.status, String(message)).toBe(400);
      expect(res.json().error.code).toBe("BadParameter");
      expect(res.json().error.message).toMatch(message);
      expect(res.text.includes(big)).toBe(false);
    }
    expect(v.control.vault.secretNames()).toEqual([]);
  });
});

describe("emulated Key Vault: lists and paging", () => {
  it("lists secrets by name without values or versions, paged by maxresults with $skiptoken nextLinks", async () => {
    const v = vaultClient();
    for (const name of ["e", "c", "a", "D", "b"]) {
      await v.put(name, { value: `value-${name}`, tags: { n: name } });
    }
    await v.put("a", { value: "newer", contentType: "text/plain" });
    const first = await v.call("GET", "secrets", {
      query: `api-version=${KV_VERSION}&maxresults=2`,
    });
    const page1 = first.json();
    expect(page1.value.map((i: { id: string }) => i.id)).toEqual([
      `${VAULT}secrets/a`,
      `${VAULT}secrets/b`,
    ]);
    expect(page1.value[0]).toEqual({
      id: `${VAULT}secrets/a`,
      contentType: "text/plain",
      attributes: expect.objectContaining({
        enabled: true,
        recoveryLevel: "Recoverable+Purgeable",
      }),
    });
    expect(first.text).not.toContain("value-");
    expect(page1.nextLink).toMatch(
      new RegExp(
        `^${VAULT}secrets\\?api-version=${KV_VERSION}&\\$skiptoken=[A-Za-z0-9_-]+&maxresults=2$`,
      ),
    );
    const page2 = (await v.call("GET", page1.nextLink)).json();
    expect(page2.value.map((i: { id: string }) => i.id.split("/").pop())).toEqual(["c", "D"]);
    const page3 = (await v.call("GET", page2.nextLink)).json();
    expect(page3).toEqual({
      value: [expect.objectContaining({ id: `${VAULT}secrets/e`, tags: { n: "e" } })],
      nextLink: null,
    });
    expect(
      (await v.call("GET", "secrets", { query: `api-version=${KV_VERSION}&maxresults=26` })).status,
    ).toBe(400);
    expect(
      (await v.call("GET", "secrets", { query: `api-version=${KV_VERSION}&maxresults=0` })).status,
    ).toBe(400);
    const badToken = await v.call("GET", "secrets", {
      query: `api-version=${KV_VERSION}&$skiptoken=garbage`,
    });
    expect(badToken.status).toBe(400);
    expect(badToken.json().error.message).toBe("The $skiptoken is not valid.");
  });

  it("lists versions with their ids (25 per page by default, or the page-size knob); none for an unknown secret", async () => {
    const v = vaultClient();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await v.put("db", { value: `v${i}` })).json().id);
      v.tick(1000);
    }
    const all = (await v.call("GET", "secrets/db/versions")).json();
    expect(all.value.map((i: { id: string }) => i.id)).toEqual(ids);
    expect(all.nextLink).toBeNull();
    expect(all.value[0]).not.toHaveProperty("value");
    v.control.vault.setPageSize(2);
    const page1 = (await v.call("GET", "secrets/db/versions")).json();
    expect(page1.value).toHaveLength(2);
    expect(page1.nextLink).toMatch(
      new RegExp(`^${VAULT}secrets/db/versions\\?api-version=${KV_VERSION}&\\$skiptoken=`),
    );
    expect((await v.call("GET", page1.nextLink)).json().value.map((i: { id: string }) => i.id))
      .toEqual([ids[2]]);
    expect((await v.call("GET", "secrets/none/versions")).json()).toEqual({
      value: [],
      nextLink: null,
    });
    expect(() => v.control.vault.setPageSize(26)).toThrow(RangeError);
  });
});

describe("emulated Key Vault: delete, deleted secrets, purge and recover", () => {
  it("soft-deletes (DeletedSecretBundle), keeps the name taken (409) until purged (204) or recovered", async () => {
    const v = vaultClient();
    const id = (await v.put("db", { value: "s3cret", tags: { a: "b" } })).json().id;
    v.tick(5000);
    const del = await v.call("DELETE", "secrets/db");
    expect(del.status).toBe(200);
    const deleted = T0_SECONDS + 5;
    expect(del.json()).toEqual({
      recoveryId: `${VAULT}deletedsecrets/db`,
      deletedDate: deleted,
      scheduledPurgeDate: deleted + 90 * 86400,
      id,
      attributes: expect.objectContaining({ enabled: true, created: T0_SECONDS }),
      tags: { a: "b" },
    });
    expect(del.text).not.toContain("s3cret");
    expect((await v.call("GET", "secrets/db")).status).toBe(404);
    expect((await v.call("DELETE", "secrets/db")).status).toBe(404);
    expect((await v.call("GET", "secrets")).json().value).toEqual([]);
    const conflict = await v.put("db", { value: "again" });
    expect(conflict.status).toBe(409);
    expect(conflict.json().error).toEqual({
      code: "Conflict",
      message:
        "Secret db is currently in a deleted but recoverable state, and its name cannot be reused; " +
        "in this state, the secret can only be recovered or purged.",
      innererror: { code: "ObjectIsDeletedButRecoverable" },
    });
    expect((await v.call("GET", "deletedsecrets/db")).json().recoveryId).toBe(
      `${VAULT}deletedsecrets/db`,
    );
    const listed = (await v.call("GET", "deletedsecrets")).json();
    expect(listed.value).toEqual([
      expect.objectContaining({
        id: `${VAULT}secrets/db`,
        recoveryId: `${VAULT}deletedsecrets/db`,
      }),
    ]);

    const recovered = await v.call("POST", "deletedsecrets/db/recover");
    expect(recovered.status).toBe(200);
    expect(recovered.json().id).toBe(id);
    expect(recovered.json()).not.toHaveProperty("value");
    expect((await v.call("GET", "secrets/db")).json().value).toBe("s3cret");

    await v.call("DELETE", "secrets/db");
    const purged = await v.call("DELETE", "deletedsecrets/db");
    expect(purged.status).toBe(204);
    expect(purged.text).toBe("");
    const again = await v.call("DELETE", "deletedsecrets/db");
    expect(again.status).toBe(404);
    expect(again.json().error).toEqual({
      code: "SecretNotFound",
      message: "Deleted Secret not found: db",
    });
    expect((await v.put("db", { value: "fresh" })).status).toBe(200);
  });

  it("purges a deleted secret by itself after 90 days", async () => {
    const v = vaultClient();
    await v.put("db", { value: "x" });
    await v.call("DELETE", "secrets/db");
    v.tick(90 * 86400 * 1000);
    expect((await v.call("GET", "deletedsecrets/db")).status).toBe(404);
    expect((await v.put("db", { value: "y" })).status).toBe(200);
  });
});

describe("emulated Key Vault: RBAC (Key Vault Secrets User reads, Secrets Officer writes)", () => {
  const resource = (name?: string) =>
    "/subscriptions/00000000-0000-4000-8000-000000000001/resourcegroups/emulator-rg/providers/microsoft.keyvault" +
    `/vaults/emulator-vault${name ? `/secrets/${name}` : ""}`;

  it("gives the emulator identity Key Vault Secrets Officer by default", () => {
    expect(vaultClient().control.vault.roles()).toEqual(["Key Vault Secrets Officer"]);
    expect(vaultClient({ vaultRoles: [] }).control.vault.roles()).toEqual([]);
  });

  it("answers 403 Forbidden / ForbiddenByRbac naming caller, action, resource and vault, before looking for the secret", async () => {
    const v = vaultClient();
    v.control.vault.unassignRole("Key Vault Secrets Officer");
    const res = await v.call("GET", "secrets/nope");
    expect(res.status).toBe(403);
    const { error } = res.json();
    expect(error.code).toBe("Forbidden");
    expect(error.innererror).toEqual({ code: "ForbiddenByRbac" });
    expect(error.message).toBe(
      "Caller is not authorized to perform action on resource.\r\n" +
        "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n" +
        `Caller: appid=00000000-0000-4000-8000-0000000000cc;oid=${EMULATOR_PRINCIPAL_ID};iss=https://sts.windows.net/${EMULATOR_TENANT_ID}/\r\n` +
        "Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\n" +
        `Resource: '${resource("nope")}'\r\n` +
        "Assignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: 'DeniedWithNoValidRBAC' \r\n" +
        "Vault: emulator-vault;location=eastus\r\n",
    );
    const list = (await v.call("GET", "secrets")).json().error.message;
    expect(list).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/readMetadata/action'");
    expect(list).toContain(`Resource: '${resource()}'`);
  });

  it("lets Secrets User read and list but not set, delete or purge; Reader only list; Administrator everything", async () => {
    const v = vaultClient();
    await v.put("db", { value: "x" });
    await v.put("gone", { value: "y" });
    await v.call("DELETE", "secrets/gone");
    const status = async () => ({
      get: (await v.call("GET", "secrets/db")).status,
      list: (await v.call("GET", "secrets")).status,
      versions: (await v.call("GET", "secrets/db/versions")).status,
      set: (await v.put("db", { value: "z" })).status,
      delete: (await v.call("DELETE", "secrets/other")).status,
      purge: (await v.call("DELETE", "deletedsecrets/other")).status,
      recover: (await v.call("POST", "deletedsecrets/other/recover")).status,
    });
    v.control.vault.unassignRole("Key Vault Secrets Officer");
    v.control.vault.assignRole("Key Vault Secrets User");
    expect(await status()).toEqual({
      get: 200,
      list: 200,
      versions: 200,
      set: 403,
      delete: 403,
      purge: 403,
      recover: 403,
    });
    const denied = (await v.put("db", { value: "z" })).json().error.message;
    expect(denied).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'");
    v.control.vault.unassignRole("Key Vault Secrets User");
    v.control.vault.assignRole("Key Vault Reader");
    expect(await status()).toEqual({
      get: 403,
      list: 200,
      versions: 200,
      set: 403,
      delete: 403,
      purge: 403,
      recover: 403,
    });
    v.control.vault.assignRole("Key Vault Administrator");
    expect(await status()).toEqual({
      get: 200,
      list: 200,
      versions: 200,
      set: 200,
      delete: 404,
      purge: 404,
      recover: 404,
    });
    expect(v.control.vault.roles()).toEqual(["Key Vault Reader", "Key Vault Administrator"]);
    expect(() => v.control.vault.assignRole("Owner" as never)).toThrow(
      'Cannot assign vault role "Owner": use one of Key Vault Administrator, Key Vault Secrets Officer, Key Vault Secrets User, Key Vault Reader',
    );
  });

  it("checks the token's own principal: another identity has no role until one is assigned to it", async () => {
    const v = vaultClient();
    await v.put("db", { value: "x" });
    const other = "22222222-2222-4222-8222-222222222222";
    const token = v.token({ principalId: other });
    expect((await v.call("GET", "secrets/db", { token })).status).toBe(403);
    v.control.vault.assignRole("Key Vault Secrets User", other);
    expect((await v.call("GET", "secrets/db", { token })).status).toBe(200);
    expect(v.control.vault.roles(other)).toEqual(["Key Vault Secrets User"]);
  });
});

describe("emulated Key Vault: routes it does not serve, faults and the request log", () => {
  it("answers 405 for a wrong method, 501 for operations it does not implement, 404 elsewhere", async () => {
    const v = vaultClient();
    await v.put("db", { value: "x" });
    expect((await v.call("POST", "secrets")).status).toBe(405);
    for (
      const [method, path] of [["PATCH", "secrets/db"], ["POST", "secrets/db/backup"], [
        "POST",
        "secrets/restore",
      ], ["GET", "keys/k"]]
    ) {
      const res = await v.call(method!, path!);
      expect(res.status, `${method} ${path}`).toBe(501);
      expect(res.json().error.code).toBe("NotImplemented");
    }
    expect((await v.call("GET", "other/x")).status).toBe(404);
    expect((await v.call("GET", "secrets/db/versions/extra")).status).toBe(404);
  });

  it("applies injected faults to the vault listener and logs its requests without the token", async () => {
    const v = vaultClient({ faults: [{ fault: 503, listener: "vault", retryAfterSeconds: 3 }] });
    const res = await v.call("GET", "secrets");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("3");
    expect(res.json().error.code).toBe("ServiceUnavailable");
    expect((await v.call("GET", "secrets")).status).toBe(200);
    const log = v.control.requestLog({ listener: "vault" });
    expect(log.map((e) => [e.method, e.path, e.status, e.auth])).toEqual([
      ["GET", "/secrets", 503, "bearer"],
      ["GET", "/secrets", 200, "bearer"],
    ]);
    expect(JSON.stringify(log)).not.toContain(v.token().split(".")[2]);
  });
});

describe("emulated Key Vault: control API and state", () => {
  it("sets and reads secrets as Secrets, and hands every change to onStateChange", async () => {
    const states: unknown[] = [];
    const v = vaultClient({ onStateChange: (s) => states.push(s) });
    const info = v.control.vault.setSecret("db", "s3cret", {
      contentType: "text/plain",
      tags: { a: "b" },
    });
    expect(info.version).toMatch(HEX32);
    expect(String(info.value)).not.toContain("s3cret");
    expect(info.value.reveal()).toBe("s3cret");
    expect(v.control.vault.secret("DB")?.version).toBe(info.version);
    expect(v.control.vault.versions("db").map((i) => i.version)).toEqual([info.version]);
    expect(states.at(-1)).toMatchObject({
      vault: { secrets: [{ name: "db", versions: [{ value: "s3cret" }] }] },
    });
    await v.call("DELETE", "secrets/db");
    expect(states.at(-1)).toMatchObject({
      vault: { secrets: [{ name: "db", deleted: { deletedDate: T0_SECONDS } }] },
    });
    expect(() => v.control.vault.setSecret("db", "x")).toThrow(
      'Cannot set vault secret "db": it is deleted; purge or recover it first',
    );
    expect(() => v.control.vault.setSecret("a b", "x")).toThrow(RangeError);
  });

  it("starts from a state's vault secrets", async () => {
    const first = vaultClient();
    first.control.vault.setSecret("db", "kept");
    const state = first.handlers.snapshot();
    const second = vaultClient({ state });
    expect((await second.call("GET", "secrets/db")).json().value).toBe("kept");
    expect(second.control.keys().primary.reveal()).toBe(first.control.keys().primary.reveal());
  });
});
