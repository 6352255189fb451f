import { describe, expect, it } from "vitest";
import { describeIdentity, tokenIdentity } from "../../src/connection/token_claims.ts";

const OID = "00000000-0000-4000-8000-0000000000DD";
const TID = "00000000-0000-4000-8000-0000000000aa";
const jwt = (claims: object) =>
  `${Buffer.from('{"alg":"HS256"}').toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;

describe("tokenIdentity()", () => {
  it("a user's token: object id (lower case), tenant, name, sign-in name, client", () => {
    expect(tokenIdentity(jwt({ oid: OID, tid: TID, idtyp: "user", name: "Ada Lovelace", upn: "ada@contoso.com", appid: "04b07795-8ddb-461a-bbee-02f9e1bf7b46" })))
      .toEqual({
        objectId: OID.toLowerCase(),
        principalType: "User",
        tenantId: TID,
        displayName: "Ada Lovelace",
        signInName: "ada@contoso.com",
        appId: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
      });
  });

  it("users without idtyp are told by their user-only claims; unique_name and preferred_username stand in for upn", () => {
    expect(tokenIdentity(jwt({ oid: OID, scp: "user_impersonation", unique_name: "live.com#ada@outlook.com" })))
      .toMatchObject({ principalType: "User", signInName: "live.com#ada@outlook.com" });
    expect(tokenIdentity(jwt({ oid: OID, upn: undefined, preferred_username: "ada@contoso.com", idtyp: "user" })))
      .toMatchObject({ signInName: "ada@contoso.com" });
  });

  it("applications and managed identities: a service principal, with its client id; xms_mirid marks a managed identity", () => {
    expect(tokenIdentity(jwt({ oid: OID, tid: TID, idtyp: "app", appid: "app-1", name: "ignored for apps" }))).toEqual({
      objectId: OID.toLowerCase(),
      principalType: "ServicePrincipal",
      tenantId: TID,
      appId: "app-1",
    });
    expect(tokenIdentity(jwt({ oid: OID, azp: "app-2", xms_mirid: "/subscriptions/s/…/userAssignedIdentities/mi" })))
      .toMatchObject({ principalType: "ServicePrincipal", appId: "app-2", managedIdentity: true });
  });

  it("names in any script come through; control characters and long values are made safe for a card", () => {
    expect(tokenIdentity(jwt({ oid: OID, idtyp: "user", name: "Ada\nLovelace 量子" }))?.displayName).toBe("Ada Lovelace 量子");
    expect(tokenIdentity(jwt({ oid: OID, idtyp: "user", name: "x".repeat(500) }))?.displayName).toHaveLength(120);
  });

  it("anything that is not a JWT naming an object id gives undefined", () => {
    for (const t of ["", "opaque-token", "a.b", "a.b.c.d", `x.${Buffer.from("not json").toString("base64url")}.y`, jwt({ sub: "x" }), jwt({ oid: "not-a-guid" }), jwt([1]), 42 as unknown as string]) {
      expect(tokenIdentity(t)).toBeUndefined();
    }
    expect(tokenIdentity(jwt({ oid: OID, tid: "contoso" }))?.tenantId).toBeUndefined();
  });
});

describe("describeIdentity()", () => {
  it("a user by name and sign-in name, an application by its client id, a managed identity as such", () => {
    const id = { objectId: OID, principalType: "User" as const };
    expect(describeIdentity({ ...id, displayName: "Ada Lovelace", signInName: "ada@contoso.com" })).toBe("Ada Lovelace (ada@contoso.com)");
    expect(describeIdentity({ ...id, signInName: "ada@contoso.com" })).toBe("ada@contoso.com");
    expect(describeIdentity(id)).toBe(`user ${OID}`);
    const sp = { objectId: OID, principalType: "ServicePrincipal" as const };
    expect(describeIdentity({ ...sp, appId: "app-1" })).toBe("application app-1");
    expect(describeIdentity({ ...sp, appId: "app-1", managedIdentity: true })).toBe("managed identity (application app-1)");
    expect(describeIdentity(sp)).toBe(`service principal ${OID}`);
  });
});
