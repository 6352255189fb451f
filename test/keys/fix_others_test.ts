// readiness.fixOthers() against the emulator: who it acts on (key access and no data role, read
// again before acting), its confirm, the roles it may give, and a failure part-way through.
// The kernel is the emulator's managed identity, made Owner (it may assign roles) with a data role.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EMULATOR_APP_OBJECT_ID, EMULATOR_USER_ID, type Emulator } from "../../src/emulator/mod.ts";
import { RoleAssignmentList } from "../../src/entra/role_assignment_result.ts";
import type { NotApplied } from "../../src/keys/results.ts";
import type { Workspace } from "../../src/workspace/workspace.ts";
import { connectTo, expectNoSecrets, rejection, secretsOf, startKeysEmulator } from "./_emulator.ts";

const DATA = "Quantum Workspace Data Contributor";
let emu: Emulator;
let ws: Workspace;
let auditor: string;
let leaver: string;

const puts = () => emu.control.requestCount({ listener: "arm", method: "PUT" });
const rolesOf = (principalId: string) => emu.control.roleAssignments({ principalId }).map((a) => a.roleName).sort();

beforeAll(async () => {
  emu = await startKeysEmulator();
  ws = await connectTo(emu);
  auditor = emu.control.addPrincipal({ type: "User", displayName: "Auditor", userPrincipalName: "auditor@emulator.example" }).objectId;
  leaver = emu.control.addPrincipal({ type: "User", displayName: "Leaver", userPrincipalName: "leaver@emulator.example" }).objectId;
});
afterAll(() => emu.stop());
beforeEach(() => {
  emu.control.setFaults([]);
  emu.control.setRole("Owner");
  emu.control.assignRole(DATA);
  for (const id of [auditor, leaver, EMULATOR_USER_ID, EMULATOR_APP_OBJECT_ID]) {
    for (const role of [DATA, "Quantum Workspace Data Reader", "Owner"]) emu.control.unassignRole(role, { principalId: id });
  }
  emu.control.unassignRole("Reader", { principalId: auditor, scope: "subscription" });
  emu.control.unassignRole("Contributor", { principalId: leaver });
});

describe("readiness.fixOthers()", () => {
  it("a Reader never had key access: not listed as locked out, its own row; a principal whose key access went since the report is skipped", async () => {
    emu.control.assignRole("Reader", { principalId: auditor, scope: "subscription" });
    emu.control.assignRole("Contributor", { principalId: leaver });
    const r = await ws.keys.readiness();
    expect(r.keyOnly.map((p) => p.principalId).sort()).toEqual([EMULATOR_USER_ID, EMULATOR_APP_OBJECT_ID, leaver].sort());
    expect(r.noKeyAccess).toEqual([{ principalId: auditor, principalType: "User", roles: ["Reader"] }]);
    expect(r.assignments!.find((a) => a.principalId === auditor)).toMatchObject({ dataAccess: "none", keyAccess: false });
    expect(r.assignments!.find((a) => a.principalId === leaver)).toMatchObject({ dataAccess: "none", keyAccess: true });
    const card = r.toMimeBundle()["text/plain"];
    expect(card).toContain(`No key access (1): user ${auditor}: Reader\n`);
    expect(card).toContain("neither a data role nor a role that may read the keys: disabling keys changes nothing for them");
    expect(card).toMatch(/No data role \(3\)/);

    emu.control.unassignRole("Contributor", { principalId: leaver });
    emu.control.resetLog();
    const done = await r.fixOthers({ confirm: true });
    expect(done).toBeInstanceOf(RoleAssignmentList);
    const list = done as RoleAssignmentList;
    expect(list.assigned.map((a) => [a.principalId, a.outcome]).sort()).toEqual([
      [EMULATOR_USER_ID, "created"],
      [EMULATOR_APP_OBJECT_ID, "created"],
    ].sort());
    expect(list.skipped).toEqual([
      { principalId: leaver, principalType: "User", rolesBefore: ["Contributor"], reason: "no role on the workspace now" },
    ]);
    expect(puts()).toBe(2);
    expect(rolesOf(auditor)).toEqual(["Reader"]);
    expect(rolesOf(leaver)).toEqual([]);
    const text = list.toMimeBundle()["text/plain"];
    expect(text).toMatch(/^Data role for the others: Quantum Workspace Data Contributor {2}\[2 of 2 assigned, 1 skipped\]\n/);
    expect(text).toContain(`user ${leaver}`);
    expect(text).toContain("skipped: no role on the workspace now");
    expect(text).toContain("Each held a role that may read the access keys and no data role (the role assignments were read again first)");
  });

  it("a principal given a data role, or left with only Reader, since the report: skipped with why", async () => {
    emu.control.assignRole("Contributor", { principalId: leaver });
    emu.control.assignRole("Owner", { principalId: auditor });
    const r = await ws.keys.readiness();
    expect(r.keyOnly.map((p) => p.principalId)).toEqual(expect.arrayContaining([leaver, auditor]));
    emu.control.assignRole("Quantum Workspace Data Reader", { principalId: leaver });
    emu.control.unassignRole("Owner", { principalId: auditor });
    emu.control.assignRole("Reader", { principalId: auditor, scope: "subscription" });
    const list = (await r.fixOthers({ confirm: true })) as RoleAssignmentList;
    expect(list.skipped.map((p) => [p.principalId, p.reason]).sort()).toEqual([
      [auditor, "no role that may read the access keys now"],
      [leaver, "holds a data role now"],
    ].sort());
    expect(rolesOf(leaver)).toEqual(["Contributor", "Quantum Workspace Data Reader"]);
    expect(rolesOf(auditor)).toEqual(["Reader"]);
  });

  it("without { confirm: true }: confirmation-required, listing who would get the role; nothing read or sent", async () => {
    emu.control.assignRole("Contributor", { principalId: leaver });
    const r = await ws.keys.readiness();
    emu.control.resetLog();
    for (const options of [undefined, {}, { confirm: false }, { confirm: "yes" as unknown as boolean }]) {
      const refused = (await r.fixOthers(options)) as NotApplied;
      expect(refused.applied).toBe(false);
      expect(refused.reason).toBe("confirmation-required");
      expect(refused.message).toBe(
        `Not done: this would assign "${DATA}" on workspace 'emulator-ws' to 3 other principals. It changes who may use the data plane: ` +
          r.keyOnly.map((p) => `${p.principalType === "User" ? "user" : "service principal"} ${p.principalId} (${p.roles.join(", ")})`).join("; ") +
          ". The role assignments are read again first; whoever no longer needs it is skipped. Run again with { confirm: true }.",
      );
    }
    expect(emu.control.requestCount({ listener: "arm" })).toBe(0);
    expect(rolesOf(leaver)).toEqual(["Contributor"]);
  });

  it("role: only the two data roles (any case); Owner or anything else is a RangeError before any request", async () => {
    const r = await ws.keys.readiness();
    emu.control.resetLog();
    for (const role of ["Owner", "Contributor", "User Access Administrator", "", 42]) {
      const e = await rejection(r.fixOthers({ confirm: true, role: role as string }));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toBe(
        `Cannot give the others a data role: option "role" must be "${DATA}" or "Quantum Workspace Data Reader", ` +
          `not ${JSON.stringify(String(role))}. Leave it out for "${DATA}"; to give any other role, use ` +
          "ws.keys.assignRole(role, { principalId, principalType })",
      );
    }
    expect(emu.control.requestCount({ listener: "arm" })).toBe(0);
    expect(rolesOf(EMULATOR_APP_OBJECT_ID)).toEqual(["Contributor"]);
    const reader = (await r.fixOthers({ confirm: true, role: "quantum workspace data reader" })) as RoleAssignmentList;
    expect(reader.role).toBe("Quantum Workspace Data Reader");
    expect(reader.assigned.map((a) => [a.role, a.outcome])).toEqual([
      ["Quantum Workspace Data Reader", "created"],
      ["Quantum Workspace Data Reader", "created"],
    ]);
    expect(rolesOf(EMULATOR_APP_OBJECT_ID)).toEqual(["Contributor", "Quantum Workspace Data Reader"]);
  });

  it("a failure part-way: that principal is recorded as failed with the error's code, the others still get the role", async () => {
    const r = await ws.keys.readiness();
    const [first, second] = r.keyOnly;
    // Every try of the first PUT (one and four retries) answers 500; the second PUT goes through.
    emu.control.setFaults([{ fault: 500, count: 5, listener: "arm", method: "PUT", path: "roleAssignments" }]);
    const list = (await r.fixOthers({ confirm: true })) as RoleAssignmentList;
    expect(list.assigned.map((a) => [a.principalId, a.outcome, a.errorCode, a.statusCode])).toEqual([
      [first!.principalId, "failed", "InternalServerError", 500],
      [second!.principalId, "created", undefined, undefined],
    ]);
    expect(rolesOf(first!.principalId)).not.toContain(DATA);
    expect(rolesOf(second!.principalId)).toContain(DATA);
    const text = list.toMimeBundle()["text/plain"];
    expect(text).toMatch(/^Data role for the others: Quantum Workspace Data Contributor {2}\[1 of 2 assigned, 1 failed\]\n/);
    expect(text).toContain("failed: InternalServerError (500)");
    expect(text).toContain(
      "A failed one did not get the role (unless only the answer was lost): once the cause is fixed, run " +
        "fixOthers({ confirm: true }) again; it reads the assignments again first.",
    );
    expectNoSecrets(secretsOf(emu), list, list.toMimeBundle());
    // Again: the one that failed gets it, the other is skipped (it holds a data role now).
    const again = (await r.fixOthers({ confirm: true })) as RoleAssignmentList;
    expect(again.assigned.map((a) => [a.principalId, a.outcome])).toEqual([[first!.principalId, "created"]]);
    expect(again.skipped.map((p) => [p.principalId, p.reason])).toEqual([[second!.principalId, "holds a data role now"]]);
  });
});
