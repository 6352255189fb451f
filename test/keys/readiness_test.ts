// keys.readiness(), readiness.fix(), keys.assignRole() and the readiness gate of keys.disable(),
// end to end against the emulator (RBAC on both planes, data roles required for Entra callers).
// The kernel here is the emulator's managed identity "emulator-ws": Contributor on the resource
// group, no data role. Ada Lovelace owns the subscription; quantum-ci is a Contributor on the
// workspace; nobody holds a data role at first.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  EMULATOR_APP_OBJECT_ID,
  EMULATOR_PRINCIPAL_ID,
  EMULATOR_TENANT_ID,
  EMULATOR_USER_ID,
  type Emulator,
} from "../../src/emulator/mod.ts";
import { isArmError } from "../../src/request_errors.ts";
import { EntraReadiness } from "../../src/keys/readiness.ts";
import { KeyToggleResult, NotApplied } from "../../src/keys/results.ts";
import { RoleAssignmentList, RoleAssignmentResult } from "../../src/entra/role_assignment_result.ts";
import type { Workspace } from "../../src/workspace/workspace.ts";
import { connectTo, expectNoSecrets, rejection, secretsOf, startKeysEmulator } from "./_emulator.ts";

const DATA = "Quantum Workspace Data Contributor";
let emu: Emulator;
let ws: Workspace;
let WS_ID: string;
const AZ = () =>
  `az role assignment create --role "${DATA}" --assignee-object-id ${EMULATOR_PRINCIPAL_ID} ` +
  `--assignee-principal-type ServicePrincipal --scope "${WS_ID}"`;

beforeAll(async () => {
  emu = await startKeysEmulator();
  ws = await connectTo(emu);
  WS_ID = `/subscriptions/${emu.workspace.subscriptionId}/resourceGroups/${emu.workspace.resourceGroup}` +
    `/providers/Microsoft.Quantum/workspaces/${emu.workspace.workspaceName}`;
});
afterAll(() => emu.stop());
beforeEach(() => {
  emu.control.setRole("Contributor");
  for (const principalId of [EMULATOR_PRINCIPAL_ID, EMULATOR_USER_ID, EMULATOR_APP_OBJECT_ID]) {
    for (const role of [DATA, "Quantum Workspace Data Reader"]) emu.control.unassignRole(role, { principalId });
  }
  if (!emu.control.keys().enabled) emu.control.setKeysEnabled(true);
});

const changes = () =>
  emu.control.requestCount({ listener: "arm", method: "PUT" }) +
  emu.control.requestCount({ listener: "arm", method: "DELETE" });

describe("keys.readiness()", () => {
  it("an identity without a data role: who it is, the 403, every assignment (inherited too), the verdict and the fix", async () => {
    emu.control.resetLog();
    const r = await ws.keys.readiness();
    expect(r).toBeInstanceOf(EntraReadiness);
    expect(r.identity).toEqual({
      objectId: EMULATOR_PRINCIPAL_ID,
      principalType: "ServicePrincipal",
      tenantId: EMULATOR_TENANT_ID,
      appId: "00000000-0000-4000-8000-0000000000cc",
      managedIdentity: true,
    });
    expect(r.signedInAs).toBe("managed identity (application 00000000-0000-4000-8000-0000000000cc)");
    expect(r.dataPlane).toEqual({ outcome: "forbidden", status: 403, serviceCode: "InsufficientPermissions" });
    expect(r.safe).toBe(false);
    expect(r.apiKeyEnabled).toBe(true);
    expect(r.workspaceId).toBe(WS_ID);
    const rows = r.assignments!.map((a) => [a.roleName, a.principalId, a.level, a.dataAccess, a.you]);
    expect(rows).toEqual(expect.arrayContaining([
      ["Contributor", EMULATOR_PRINCIPAL_ID, "resource group", "none", true],
      ["Owner", EMULATOR_USER_ID, "subscription", "none", false],
      ["Contributor", EMULATOR_APP_OBJECT_ID, "workspace", "none", false],
    ]));
    expect(rows).toHaveLength(3);
    expect(r.keyOnly).toEqual(expect.arrayContaining([
      { principalId: EMULATOR_USER_ID, principalType: "User", roles: ["Owner"] },
      { principalId: EMULATOR_APP_OBJECT_ID, principalType: "ServicePrincipal", roles: ["Contributor"] },
    ]));
    expect(r.verdict).toBe(
      "Not safe: disabling access keys would lock you out: managed identity (application 00000000-0000-4000-8000-0000000000cc) " +
        "has no data role on the workspace (the data plane answered 403 InsufficientPermissions to its Microsoft Entra token).",
    );
    expect(r.roleToAssign).toEqual({
      role: DATA,
      scope: WS_ID,
      principalId: EMULATOR_PRINCIPAL_ID,
      principalType: "ServicePrincipal",
      command: AZ(),
    });
    // One data-plane probe, with a bearer token; reads only on Resource Manager.
    const probes = emu.control.requestLog({ listener: "dataPlane" });
    expect(probes).toHaveLength(1);
    expect(probes[0]).toMatchObject({ method: "GET", status: 403, auth: "bearer" });
    expect(probes[0]!.path).toMatch(/\/providerStatus$/);
    expect(changes()).toBe(0);
    const list = emu.control.requestLog({ listener: "arm", path: "/roleAssignments" });
    expect(list.map((e) => [e.path, decodeURIComponent(e.query)])).toEqual([
      [`${WS_ID}/providers/Microsoft.Authorization/roleAssignments`, "api-version=2022-04-01&$filter=atScope()"],
    ]);
    // The card.
    const text = r.toMimeBundle()["text/plain"];
    expect(text).toMatch(/^Microsoft Entra ID readiness: emulator-ws {2}\[Would lock you out\]\n/);
    expect(text).toMatch(/Signed in as: +managed identity \(application 00000000-0000-4000-8000-0000000000cc\)\n +service principal, object id 00000000-0000-4000-8000-0000000000bb, tenant 00000000-0000-4000-8000-0000000000aa\n/);
    expect(text).toMatch(/Data plane: +refused: 403 InsufficientPermissions \(no data role\)/);
    expect(text).toMatch(/Owner +user 00000000-0000-4000-8000-0000000000dd +subscription \(inherited\) +none/);
    expect(text).toMatch(/No data role \(2\): user 00000000-0000-4000-8000-0000000000dd: Owner/);
    expect(text).toContain(AZ());
    expect(r.toMimeBundle()["text/html"]).toContain("Would lock you out");
    expect(r.toJSON()).toMatchObject({ safe: false, identityText: r.signedInAs });
    expectNoSecrets(secretsOf(emu), r);
  });

  it("the fix as a Contributor: 403 that names the role that may assign roles, and nothing changed", async () => {
    const r = await ws.keys.readiness();
    const e = await rejection(r.fix());
    expect(isArmError(e)).toBe(true);
    expect(e).toMatchObject({ statusCode: 403, armCode: "AuthorizationFailed", method: "PUT" });
    expect(e.message).toMatch(/^Cannot assign a role of workspace "emulator-ws": Azure Resource Manager answered 403 \(AuthorizationFailed: /);
    expect(e.message).toContain(
      `needs a role that allows "Microsoft.Authorization/roleAssignments/write" on ${WS_ID}: "User Access Administrator" (or "Owner")`,
    );
    expect(e.message).toContain(
      `runs: az role assignment create --role "User Access Administrator" --assignee-object-id ${EMULATOR_PRINCIPAL_ID} --scope "${WS_ID}"`,
    );
    expect(emu.control.roleAssignments({ principalId: EMULATOR_PRINCIPAL_ID }).map((a) => a.roleName)).toEqual(["Contributor"]);
  });

  it("the fix as an Owner assigns the data role by name (ARM PUT), then the report is safe; a second fix changes nothing", async () => {
    emu.control.setRole("Owner");
    const before = await ws.keys.readiness();
    emu.control.resetLog();
    const done = await before.fix();
    expect(done).toBeInstanceOf(RoleAssignmentResult);
    expect(done).toMatchObject({
      applied: true,
      outcome: "created",
      putStatus: 201,
      role: DATA,
      principalId: EMULATOR_PRINCIPAL_ID,
      principalType: "ServicePrincipal",
      scope: WS_ID,
      you: true,
    });
    // Looked up by name, never by a hard-coded id.
    const arm = emu.control.requestLog({ listener: "arm" }).map((e) => `${e.method} ${e.path}?${decodeURIComponent(e.query)}`);
    expect(arm).toContain(
      `GET ${WS_ID}/providers/Microsoft.Authorization/roleDefinitions?api-version=2022-04-01&$filter=roleName eq 'Quantum Workspace Data Contributor'`,
    );
    expect(arm.filter((p) => p.startsWith("PUT "))).toHaveLength(1);
    expect(emu.control.roleAssignments({ principalId: EMULATOR_PRINCIPAL_ID }).map((a) => a.roleName)).toContain(DATA);
    expect(done.toMimeBundle()["text/plain"]).toMatch(/^Role assigned: Quantum Workspace Data Contributor {2}\[Assigned\]\nPrincipal: +service principal 00000000-0000-4000-8000-0000000000bb \(you\)\n/);

    const after = await ws.keys.readiness();
    expect(after.safe).toBe(true);
    expect(after.dataPlane).toEqual({ outcome: "reached", status: 200 });
    expect(after.roleToAssign).toBeUndefined();
    expect(after.verdict).toBe(
      "Safe to disable access keys for this kernel: managed identity (application 00000000-0000-4000-8000-0000000000cc) reaches the data plane " +
        "with Microsoft Entra ID. 2 other principals may read the access keys but have no data role: if they use access keys, " +
        "they lose data-plane access when keys are disabled.",
    );
    expect(after.assignments!.find((a) => a.roleName === DATA)).toMatchObject({ level: "workspace", dataAccess: "write", you: true });
    expect(after.toMimeBundle()["text/plain"]).toMatch(/\[Safe to disable keys\]/);

    const again = await ws.keys.assignRole();
    expect(again).toMatchObject({ applied: true, outcome: "existing" });
    expect((again as RoleAssignmentResult).putStatus).toBeUndefined();
    const nothing = await after.fix();
    expect(nothing).toBeInstanceOf(NotApplied);
    expect((nothing as NotApplied).message).toBe(
      "Not done: managed identity (application 00000000-0000-4000-8000-0000000000cc) reaches the data plane with Microsoft Entra ID already. Nothing to do.",
    );
  });

  it("assignRole() for another principal: quantum-ci gets Data Reader and leaves the 'no data role' list", async () => {
    emu.control.setRole("Owner");
    emu.control.assignRole(DATA);
    const given = await ws.keys.assignRole("Quantum Workspace Data Reader", {
      principalId: EMULATOR_APP_OBJECT_ID,
      principalType: "ServicePrincipal",
    });
    expect(given).toMatchObject({ outcome: "created", you: false, role: "Quantum Workspace Data Reader" });
    const r = await ws.keys.readiness();
    expect(r.keyOnly.map((p) => p.principalId)).toEqual([EMULATOR_USER_ID]);
    expect(r.assignments!.find((a) => a.principalId === EMULATOR_APP_OBJECT_ID && a.dataAccess === "read")).toBeDefined();
    const bad = await rejection(ws.keys.assignRole("Quantum Workspace Data Reader", { principalId: "ci" }));
    expect(bad).toBeInstanceOf(RangeError);
    expect(bad.message).toMatch(/^Cannot assign role "Quantum Workspace Data Reader": principalId must be an object id \(a GUID\), not "ci"/);
    const unknown = await rejection(ws.keys.assignRole("Quantum Workspace Data Owner"));
    expect(unknown).toMatchObject({ code: "RoleNotFound" });
    expect(unknown.message).toBe(
      'Cannot assign role "Quantum Workspace Data Owner" on workspace "emulator-ws": Resource Manager knows no role of that name. ' +
        'Check the spelling (e.g. "Quantum Workspace Data Contributor"); `az role definition list --name "<role>"` lists it',
    );
  });

  it("fixOthers({ confirm: true }): every principal with key access but no data role gets Data Contributor (one card); the report then lists none", async () => {
    emu.control.setRole("Owner");
    const r = await ws.keys.readiness();
    expect(r.keyOnly.map((p) => p.principalId).sort()).toEqual([EMULATOR_USER_ID, EMULATOR_APP_OBJECT_ID].sort());
    await r.fix();
    emu.control.resetLog();
    const done = await r.fixOthers({ confirm: true });
    expect(done).toBeInstanceOf(RoleAssignmentList);
    const list = done as RoleAssignmentList;
    expect(list.role).toBe(DATA);
    expect(list.skipped).toEqual([]);
    expect(list.assigned.map((a) => [a.principalId, a.principalType, a.outcome, a.putStatus, a.rolesBefore, a.you]).sort()).toEqual([
      [EMULATOR_APP_OBJECT_ID, "ServicePrincipal", "created", 201, ["Contributor"], false],
      [EMULATOR_USER_ID, "User", "created", 201, ["Owner"], false],
    ].sort());
    expect(changes()).toBe(2);
    expect(list.toMimeBundle()["text/plain"]).toMatch(
      /^Data role for the others: Quantum Workspace Data Contributor {2}\[2 of 2 assigned\]\n/,
    );
    for (const id of [EMULATOR_USER_ID, EMULATOR_APP_OBJECT_ID]) {
      expect(emu.control.roleAssignments({ principalId: id }).map((a) => a.roleName)).toContain(DATA);
    }
    const after = await ws.keys.readiness();
    expect(after.keyOnly).toEqual([]);
    expect(after.verdict).toBe(
      "Safe to disable access keys for this kernel: managed identity (application 00000000-0000-4000-8000-0000000000cc) reaches the data plane " +
        "with Microsoft Entra ID. Every principal with a role on the workspace has a data role.",
    );
    // The old report's list again: the assignments are read again, both hold a data role now: skipped, nothing sent.
    const again = (await r.fixOthers({ confirm: true })) as RoleAssignmentList;
    expect(again.assigned).toEqual([]);
    expect(again.skipped.map((p) => [p.principalId, p.reason]).sort()).toEqual([
      [EMULATOR_APP_OBJECT_ID, "holds a data role now"],
      [EMULATOR_USER_ID, "holds a data role now"],
    ].sort());
    expect(again.toMimeBundle()["text/plain"]).toMatch(
      /^Data role for the others: Quantum Workspace Data Contributor {2}\[0 of 0 assigned, 2 skipped\]\n/,
    );
    expect(changes()).toBe(2);
  });

  it("role propagation: until the new role counts, disable still refuses; fix({ waitForDataPlane }) probes until the data plane answers, or says it has not yet", async () => {
    emu.control.setRole("Owner");
    emu.control.setRolePropagationDelay(400);
    try {
      const r = await ws.keys.readiness();
      const done = await r.fix({ waitForDataPlane: true, pollIntervalMs: 50, waitTimeoutMs: 10_000 });
      expect(done).toMatchObject({ outcome: "created", dataPlane: { reached: true, status: 200 } });
      const wait = (done as RoleAssignmentResult).dataPlane!;
      expect(wait.probes).toBeGreaterThan(1);
      expect(wait.waitedMs).toBeGreaterThanOrEqual(250);
      expect(done.toMimeBundle()["text/plain"]).toMatch(
        /\nData plane: +reached with Microsoft Entra ID after \d+ s \(\d+ probes\)\nThe data plane accepts this kernel's Microsoft Entra token now\.$/,
      );

      emu.control.unassignRole(DATA, { principalId: EMULATOR_PRINCIPAL_ID });
      emu.control.setRolePropagationDelay(60_000);
      const fresh = await (await ws.keys.readiness()).fix();
      expect(fresh).toMatchObject({ outcome: "created" });
      expect((fresh as RoleAssignmentResult).dataPlane).toBeUndefined();
      // Assigned but not yet counted: disable's own check still refuses, so nobody is locked out.
      expect(await ws.keys.disable({ confirm: true })).toMatchObject({ reason: "would-lock-out" });
      emu.control.unassignRole(DATA, { principalId: EMULATOR_PRINCIPAL_ID });
      const late = await (await ws.keys.readiness()).fix({ waitForDataPlane: true, pollIntervalMs: 50, waitTimeoutMs: 120 });
      expect(late).toMatchObject({ dataPlane: { reached: false, status: 403 } });
      expect(late.toMimeBundle()["text/plain"]).toMatch(
        /\nData plane: +still refused \(403\) after 0 s \(\d probes?\): Azure can take several minutes; `ws\.keys\.readiness\(\)` checks again\n/,
      );
    } finally {
      emu.control.setRolePropagationDelay(0);
    }
  });

  it("Data Reader alone: safe (nobody is locked out) but read-only: the verdict says jobs cannot be submitted, fix() gives Data Contributor", async () => {
    emu.control.setRole("Owner");
    emu.control.assignRole("Quantum Workspace Data Reader");
    const r = await ws.keys.readiness();
    expect(r.safe).toBe(true);
    expect(r.readOnly).toBe(true);
    expect(r.verdict).toBe(
      "Safe to disable access keys for this kernel: managed identity (application 00000000-0000-4000-8000-0000000000cc) reaches the data plane " +
        "with Microsoft Entra ID. Its data access is read-only (Quantum Workspace Data Reader): with keys disabled you will be able to read " +
        `but not submit jobs; assign "${DATA}" to submit them. 2 other principals may read the access keys but have no data role: ` +
        "if they use access keys, they lose data-plane access when keys are disabled.",
    );
    expect(r.roleToAssign).toMatchObject({ role: DATA, principalId: EMULATOR_PRINCIPAL_ID, command: AZ() });
    expect(r.toMimeBundle()["text/plain"]).toMatch(/\[Safe to disable keys, read only\]/);
    const unconfirmed = await ws.keys.disable();
    expect((unconfirmed as NotApplied).impact).toContain(
      "; Microsoft Entra ID keeps working for this kernel (the readiness check passed), read only: it will not be able to submit jobs. ",
    );
    expect(await r.fix()).toMatchObject({ outcome: "created", role: DATA, you: true });
    const after = await ws.keys.readiness();
    expect(after.readOnly).toBeUndefined();
    expect(after.verdict).not.toContain("read-only");
  });

  it("with the older rule (control-plane roles reach the data plane): safe, with a note that Azure stops it in 2027", async () => {
    emu.control.setDataPlaneAuthorization("controlPlaneRoles");
    try {
      const r = await ws.keys.readiness();
      expect(r.safe).toBe(true);
      expect(r.notes[0]).toMatch(/^None of the role assignments listed gives you a data role directly \(a group may\).*2027-01-11/);
    } finally {
      emu.control.setDataPlaneAuthorization("dataRoles");
    }
  });
});

describe("keys.disable() runs the readiness check first", () => {
  it("refuses (would-lock-out) for an identity without a data role, whatever confirm says, and sends no PUT", async () => {
    for (const options of [{}, { confirm: true }, { confirm: true, waitForDataPlane: true }]) {
      emu.control.resetLog();
      const r = await ws.keys.disable(options);
      expect(r).toBeInstanceOf(NotApplied);
      expect(r).toMatchObject({ applied: false, operation: "disable", reason: "would-lock-out" });
      expect(changes()).toBe(0);
      expect(emu.control.keys().enabled).toBe(true);
      expect((r as NotApplied).message).toBe(
        "Not done: this would disable access keys of workspace 'emulator-ws', and lock you out. Every connection string and " +
          "access key stops working, and managed identity (application 00000000-0000-4000-8000-0000000000cc) has no data role on the workspace " +
          "(the data plane answers 403 InsufficientPermissions to its Microsoft Entra token): this kernel would have no way " +
          "to the data plane. With a role that may read the access keys but no data role (they lose data-plane access if they use keys): " +
          `${(r as NotApplied).impact!.split("if they use keys): ")[1]} Assign "${DATA}" to managed identity (application ` +
          `00000000-0000-4000-8000-0000000000cc) on ${WS_ID} first: \`await (await ws.keys.readiness()).fix()\` (needs Owner or ` +
          `User Access Administrator), or have an Owner run ${AZ()}. Then run this again; { force: true } disables anyway.`,
      );
      expect((r as NotApplied).impact).toContain("user 00000000-0000-4000-8000-0000000000dd (Owner)");
      expect((r as NotApplied).impact).toContain("service principal 00000000-0000-4000-8000-0000000000ee (Contributor)");
      expect(r.toMimeBundle()["text/plain"]).toMatch(/^Not done: this would lock you out {2}\[Not applied\]/);
    }
  });

  it("force skips the check: without confirm it still asks for confirmation; with it, keys are disabled", async () => {
    emu.control.resetLog();
    const unconfirmed = await ws.keys.disable({ force: true });
    expect(unconfirmed).toMatchObject({ reason: "confirmation-required" });
    expect(emu.control.requestCount({ listener: "dataPlane" })).toBe(0); // no probe: the check did not run
    expect((unconfirmed as NotApplied).impact).not.toContain("data role");
    // No data role and no check: nothing may claim that Entra ID keeps working.
    expect((unconfirmed as NotApplied).impact).toMatch(
      /stops working, including this kernel's\. Whether Microsoft Entra ID works for this kernel was not checked \(\{ force: true \}\)\.$/,
    );
    const disabled = await ws.keys.disable({ confirm: true, force: true });
    expect(disabled).toBeInstanceOf(KeyToggleResult);
    expect(disabled).toMatchObject({ entraChecked: false });
    expect(emu.control.keys().enabled).toBe(false);
    expect(disabled.toMimeBundle()["text/plain"]).not.toContain("Entra ID still works");
    expect(disabled.toMimeBundle()["text/plain"].trimEnd().split("\n").at(-1)).toBe(
      "Every connection string and access key is now rejected. Whether Microsoft Entra ID works for this kernel was not " +
        "checked ({ force: true }): `ws.keys.readiness()` checks it.",
    );
    // ... and indeed it does not: this identity has no data role.
    expect(await rejection(connectTo(emu, { useEntraId: true }))).toMatchObject({ statusCode: 403 });
    const enabled = await ws.keys.enable();
    expect((enabled as KeyToggleResult).entraChecked).toBeUndefined();
  });

  it("allowed after the data role is assigned: the confirmation lists who has no data role, then the disable applies", async () => {
    emu.control.setRole("Owner");
    await (await ws.keys.readiness()).fix();
    const unconfirmed = await ws.keys.disable();
    expect(unconfirmed).toMatchObject({ reason: "confirmation-required" });
    expect((unconfirmed as NotApplied).impact).toMatch(
      /; Microsoft Entra ID keeps working for this kernel \(the readiness check passed\)\. With a role that may read the access keys but no data role \(they lose data-plane access if they use keys\): .*user 00000000-0000-4000-8000-0000000000dd \(Owner\).*\.$/,
    );
    const disabled = await ws.keys.disable({ confirm: true, waitForDataPlane: true, pollIntervalMs: 20 });
    expect(disabled).toBeInstanceOf(KeyToggleResult);
    expect(disabled).toMatchObject({ before: true, after: false, entraChecked: true });
    expect(disabled.toMimeBundle()["text/plain"].trimEnd().split("\n").at(-1)).toBe(
      "Every connection string and access key is now rejected; Microsoft Entra ID still works for this kernel (the readiness check passed).",
    );
    // Entra still works for this identity, as the check said; the report now says keys are off.
    const entra = await connectTo(emu, { useEntraId: true });
    expect((await entra.listTargets()).length).toBeGreaterThan(0);
    const r = await ws.keys.readiness();
    expect(r.apiKeyEnabled).toBe(false);
    expect(r.verdict).toMatch(/^Access keys are disabled, and managed identity \(application 00000000-0000-4000-8000-0000000000cc\) reaches the data plane/);
    expect((await ws.keys.disable({ confirm: true })).reason).toBe("unchanged");
    await ws.keys.enable();
  });

  it("an identity that cannot reach Resource Manager at all: the sign-in error, not a verdict", async () => {
    const { EnvironmentCredential } = await import("@azure/identity");
    const none = await connectTo(emu, { credential: new EnvironmentCredential() });
    const e = await rejection(none.keys.readiness());
    expect(e).toMatchObject({ code: "CredentialUnavailable" });
    expect(e.message).toMatch(/^Cannot check the Microsoft Entra sign-in of workspace "emulator-ws": no Microsoft Entra token/);
    expect(e.message).toContain('sign in from the notebook: connect({ signIn: "device-code" })');
  });
});
