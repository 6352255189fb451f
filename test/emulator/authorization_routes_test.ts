import { describe, expect, it } from "vitest";
import {
  ADA,
  assignment,
  AV,
  CI,
  CONTRIBUTOR,
  DATA_CONTRIBUTOR,
  MI,
  OWNER,
  RA,
  rbacSetup,
  RD,
  READER,
  RG,
  SUB,
  UAA,
  WS,
} from "./_rbac.ts";

const NEW = "3f9d2c1e-5b7a-4e8f-9a0b-1c2d3e4f5a6b";
const ids = (body: { value: { properties: { principalId: string; scope: string } }[] }) =>
  body.value.map((a) => `${a.properties.principalId.slice(-2)}@${a.properties.scope}`);

describe("GET …/roleAssignments at the workspace", () => {
  it("lists at, above and below the scope; atScope() only at and above; principalId filters", async () => {
    const h = rbacSetup();
    const all = await h.arm(ADA, "GET", `${WS}${RA}?${AV}`);
    expect(all.status).toBe(200);
    const body = await all.json();
    // Ada owns the subscription, the managed identity is a Contributor on the group, quantum-ci on the workspace.
    expect(ids(body)).toEqual([`bb@${RG}`, `dd@/subscriptions/${SUB}`, `ee@${WS}`]);
    expect(Object.keys(body)).toEqual(["value"]);
    const ci = body.value[2];
    expect(ci).toEqual({
      properties: {
        roleDefinitionId: `/subscriptions/${SUB}${RD}/${CONTRIBUTOR}`,
        principalId: CI,
        principalType: "ServicePrincipal",
        scope: WS,
        condition: null,
        conditionVersion: null,
        createdOn: "2026-11-30T12:00:00.000Z",
        updatedOn: "2026-11-30T12:00:00.000Z",
        createdBy: null,
        updatedBy: null,
        delegatedManagedIdentityResourceId: null,
        description: null,
      },
      id: `${WS}${RA}/${ci.name}`,
      type: "Microsoft.Authorization/roleAssignments",
      name: ci.name,
    });

    // At the group, atScope() leaves out the workspace-level assignment below it.
    const atGroup = await h.arm(ADA, "GET", `${RG}${RA}?${AV}&$filter=atScope()`);
    expect(ids(await atGroup.json())).toEqual([`bb@${RG}`, `dd@/subscriptions/${SUB}`]);
    const byPrincipal = await h.arm(ADA, "GET", `${WS}${RA}?${AV}&$filter=principalId eq '${MI}'`);
    expect(ids(await byPrincipal.json())).toEqual([`bb@${RG}`]);
    const both = await h.arm(
      ADA,
      "GET",
      `${WS}${RA}?${AV}&$filter=${encodeURIComponent(`atScope() and assignedTo('${CI}')`)}`,
    );
    expect(ids(await both.json())).toEqual([`ee@${WS}`]);
  });

  it("refuses an unsupported $filter (400 UnsupportedQuery) and other api-versions", async () => {
    const h = rbacSetup();
    const bad = await h.arm(ADA, "GET", `${WS}${RA}?${AV}&$filter=roleName eq 'Owner'`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("UnsupportedQuery");
    const v = await h.arm(ADA, "GET", `${WS}${RA}?api-version=2025-12-15-preview`);
    expect(v.status).toBe(400);
    expect((await v.json()).error).toEqual({
      code: "InvalidApiVersionParameter",
      message:
        "The api-version '2025-12-15-preview' is invalid. The supported versions are '2015-07-01,2018-01-01-preview,2020-04-01-preview,2022-04-01'.",
    });
    const missing = await h.arm(ADA, "GET", `${WS}${RA}`);
    expect((await missing.json()).error.code).toBe("MissingApiVersionParameter");
  });

  it("needs roleAssignments/read: a principal without any role gets 403", async () => {
    const h = rbacSetup();
    const res = await h.arm("00000000-0000-4000-8000-00000000abcd", "GET", `${WS}${RA}?${AV}`);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toContain(
      "'Microsoft.Authorization/roleAssignments/read' over scope",
    );
  });

  it("answers 404 for another subscription, group or workspace, and for unknown scopes", async () => {
    const h = rbacSetup();
    const other = await h.arm(ADA, "GET", `${WS.replace("emulator-ws", "nope")}${RA}?${AV}`);
    expect([other.status, (await other.json()).error.code]).toEqual([404, "ResourceNotFound"]);
    const sub = await h.arm(ADA, "GET", `/subscriptions/${MI}${RA}?${AV}`);
    expect((await sub.json()).error.code).toBe("SubscriptionNotFound");
    const tenant = await h.arm(ADA, "GET", `${RA}?${AV}`);
    expect(tenant.status).toBe(404);
  });
});

describe("PUT / GET / DELETE …/roleAssignments/{name}", () => {
  const put = (h: ReturnType<typeof rbacSetup>, as: string, body: unknown, name = NEW) =>
    h.arm(as, "PUT", `${WS}${RA}/${name}?${AV}`, body);

  it("the Owner creates one (201, then 200 for the same PUT), reads it and deletes it (200, then 204)", async () => {
    const h = rbacSetup();
    const created = await put(h, ADA, assignment(DATA_CONTRIBUTOR, MI));
    expect(created.status).toBe(201);
    const body = await created.json();
    expect(body).toMatchObject({
      id: `${WS}${RA}/${NEW}`,
      name: NEW,
      type: "Microsoft.Authorization/roleAssignments",
      properties: {
        roleDefinitionId: `/subscriptions/${SUB}${RD}/${DATA_CONTRIBUTOR}`,
        principalId: MI,
        principalType: "ServicePrincipal",
        scope: WS,
        createdBy: ADA,
      },
    });
    expect((await put(h, ADA, assignment(DATA_CONTRIBUTOR, MI))).status).toBe(200);
    const got = await h.arm(MI, "GET", `${WS}${RA}/${NEW}?${AV}`);
    expect(await got.json()).toEqual(body);
    expect(h.control.roleAssignments({ principalId: MI }).map((a) => a.roleName)).toEqual([
      "Contributor",
      "Quantum Workspace Data Contributor",
    ]);
    const deleted = await h.arm(ADA, "DELETE", `${WS}${RA}/${NEW}?${AV}`);
    expect([deleted.status, (await deleted.json()).name]).toEqual([200, NEW]);
    const again = await h.arm(ADA, "DELETE", `${WS}${RA}/${NEW}?${AV}`);
    expect([again.status, await again.text()]).toEqual([204, ""]);
    const gone = await h.arm(ADA, "GET", `${WS}${RA}/${NEW}?${AV}`);
    expect([gone.status, (await gone.json()).error]).toEqual([404, {
      code: "RoleAssignmentNotFound",
      message: `The role assignment '${NEW}' is not found.`,
    }]);
  });

  it("only Owner and User Access Administrator may write: Contributor and Reader get the real 403", async () => {
    const h = rbacSetup();
    const denied = await put(h, MI, assignment(DATA_CONTRIBUTOR, MI));
    expect(denied.status).toBe(403);
    expect(denied.headers.get("x-ms-failure-cause")).toBe("gateway");
    expect(await denied.json()).toEqual({
      error: {
        code: "AuthorizationFailed",
        message:
          `The client '${MI}' with object id '${MI}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '${WS}${RA}/${NEW}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    });
    h.control.setRole("Reader");
    const del = await h.arm(MI, "DELETE", `${WS}${RA}/${NEW}?${AV}`);
    expect((await del.json()).error.message).toContain(
      "'Microsoft.Authorization/roleAssignments/delete'",
    );
    h.control.setRole("None");
    h.control.assignRole("User Access Administrator", { scope: "resourceGroup" });
    expect((await put(h, MI, assignment(DATA_CONTRIBUTOR, MI))).status).toBe(201);
    expect(h.control.roleAssignments({ principalId: MI }).map((a) => a.roleDefinitionId)).toEqual([
      UAA,
      DATA_CONTRIBUTOR,
    ]);
  });

  it("a user's 403 names their sign-in name as the client", async () => {
    const h = rbacSetup();
    h.control.unassignRole("Owner", { principalId: ADA, scope: "subscription" });
    h.control.assignRole("Reader", { principalId: ADA });
    const res = await put(h, ADA, assignment(OWNER, ADA));
    expect((await res.json()).error.message).toMatch(
      new RegExp(`^The client 'ada@emulator\\.example' with object id '${ADA}' does not have`),
    );
  });

  it("refuses what ARM refuses: names, roles, principals, types, duplicates and updates", async () => {
    const h = rbacSetup();
    const cases: [unknown, string, number, string][] = [
      [assignment(OWNER, MI), "not-a-guid", 400, "InvalidRoleAssignmentId"],
      [assignment(MI, MI), NEW, 400, "RoleDefinitionDoesNotExist"],
      [assignment(READER, "00000000-0000-4000-8000-00000000abcd"), NEW, 400, "PrincipalNotFound"],
      [assignment(READER, ADA, "ServicePrincipal"), NEW, 400, "UnmatchedPrincipalType"],
      [assignment(CONTRIBUTOR, CI), NEW, 409, "RoleAssignmentExists"],
      [{ properties: { principalId: MI } }, NEW, 400, "InvalidRequestContent"],
      ["{", NEW, 400, "InvalidRequestContent"],
      [assignment(READER, MI, "Robot"), NEW, 400, "InvalidRequestContent"],
      [assignment(READER, "not-a-guid", "User"), NEW, 400, "InvalidPrincipalId"],
    ];
    for (const [body, name, status, code] of cases) {
      const res = await put(h, ADA, body, name);
      expect([name, res.status, (await res.json()).error.code]).toEqual([name, status, code]);
    }
    const notFound = await put(h, ADA, assignment(READER, "00000000-0000-4000-8000-00000000abcd"));
    expect((await notFound.json()).error.message).toBe(
      "Principal 00000000-0000-4000-8000-00000000abcd does not exist in the directory 00000000-0000-4000-8000-0000000000aa. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype",
    );
    // With principalType, ARM skips the directory lookup (the replication-delay workaround).
    const stranger = "00000000-0000-4000-8000-00000000abcd";
    expect((await put(h, ADA, assignment(READER, stranger, "Group"))).status).toBe(201);
    const update = await put(h, ADA, assignment(OWNER, stranger, "Group"));
    expect([update.status, (await update.json()).error]).toEqual([400, {
      code: "RoleAssignmentUpdateNotPermitted",
      message: "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
    }]);
    const scope = await put(h, ADA, {
      properties: { ...assignment(READER, MI).properties, scope: RG },
    }, "4f9d2c1e-5b7a-4e8f-9a0b-1c2d3e4f5a6b");
    expect([scope.status, (await scope.json()).error.code]).toEqual([400, "InvalidRequestContent"]);
  });

  it("assigns at the subscription and the group too, and the workspace inherits them", async () => {
    const h = rbacSetup();
    h.control.setRole("None");
    const url = `${WS}?api-version=2025-12-15-preview`;
    expect((await h.arm(MI, "GET", url)).status).toBe(403);
    const res = await h.arm(ADA, "PUT", `/subscriptions/${SUB}${RA}/${NEW}?${AV}`, {
      properties: { roleDefinitionId: `${RD}/${READER}`, principalId: MI },
    });
    expect(res.status).toBe(201);
    expect((await res.json()).properties.scope).toBe(`/subscriptions/${SUB}`);
    expect((await h.arm(MI, "GET", url)).status).toBe(200);
    expect((await h.arm(MI, "POST", `${WS}/listKeys?api-version=2025-12-15-preview`)).status)
      .toBe(403);
  });
});

describe("GET …/roleDefinitions", () => {
  it("gets a built-in role by id at any scope, with the real permissions", async () => {
    const h = rbacSetup();
    const res = await h.arm(MI, "GET", `${WS}${RD}/${DATA_CONTRIBUTOR}?${AV}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      properties: {
        roleName: "Quantum Workspace Data Contributor",
        type: "BuiltInRole",
        description:
          "Create, read, and modify jobs and other Workspace data. This role is in preview and subject to change.",
        assignableScopes: ["/"],
        permissions: [{
          actions: [
            "Microsoft.Authorization/*/read",
            "Microsoft.Insights/alertRules/*",
            "Microsoft.Resources/deployments/*",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Quantum/Workspaces/read",
            "Microsoft.Quantum/locations/offerings/read",
          ],
          notActions: [],
          dataActions: [
            "Microsoft.Quantum/Workspaces/jobs/read",
            "Microsoft.Quantum/Workspaces/jobs/write",
          ],
          notDataActions: [],
        }],
        createdOn: "2015-02-02T00:00:00.0000000Z",
        updatedOn: "2021-11-11T00:00:00.0000000Z",
        createdBy: null,
        updatedBy: null,
      },
      id: `/subscriptions/${SUB}${RD}/${DATA_CONTRIBUTOR}`,
      type: "Microsoft.Authorization/roleDefinitions",
      name: DATA_CONTRIBUTOR,
    });
    const tenant = await h.arm(MI, "GET", `${RD}/${OWNER}?${AV}`);
    expect((await tenant.json()).id).toBe(`${RD}/${OWNER}`);
    const missing = await h.arm(ADA, "GET", `/subscriptions/${SUB}${RD}/${MI}?${AV}`);
    expect([missing.status, (await missing.json()).error]).toEqual([404, {
      code: "RoleDefinitionDoesNotExist",
      message: `The specified role definition with ID '${MI}' does not exist.`,
    }]);
  });

  it("lists by roleName (any case) and by type; other filters are refused", async () => {
    const h = rbacSetup();
    const byName = await h.arm(
      ADA,
      "GET",
      `/subscriptions/${SUB}${RD}?${AV}&$filter=${
        encodeURIComponent("roleName eq 'quantum workspace data reader'")
      }`,
    );
    const [reader] = (await byName.json()).value;
    expect(reader.properties.roleName).toBe("Quantum Workspace Data Reader");
    expect(reader.properties.permissions[0].dataActions).toEqual([
      "Microsoft.Quantum/Workspaces/jobs/read",
    ]);
    const all = await h.arm(ADA, "GET", `${WS}${RD}?${AV}&$filter=type eq 'BuiltInRole'`);
    expect(
      (await all.json()).value.map((r: { properties: { roleName: string } }) =>
        r.properties.roleName
      ),
    ).toEqual([
      "Owner",
      "Contributor",
      "Reader",
      "User Access Administrator",
      "Quantum Workspace Data Contributor",
      "Quantum Workspace Data Reader",
    ]);
    const bad = await h.arm(ADA, "GET", `${WS}${RD}?${AV}&$filter=atScope()`);
    expect((await bad.json()).error.code).toBe("UnsupportedQuery");
    const post = await h.arm(ADA, "POST", `${WS}${RD}?${AV}`);
    expect(post.status).toBe(405);
  });
});
