import { describe, expect, it } from "vitest";
import type { RoleDefinition } from "../../src/arm/role_assignments.ts";
import { dataAccessOf, keyAccessOf, keyOnlyPrincipals, levelOf, noKeyAccessPrincipals, verdictOf } from "../../src/entra/role_access.ts";
import type { ReadinessAssignment } from "../../src/render/readiness_card.ts";

const def = (dataActions: string[], notDataActions: string[] = []): RoleDefinition => ({
  id: "x",
  roleName: "r",
  permissions: [{ actions: [], notActions: [], dataActions, notDataActions }],
});
const WS = "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Quantum/workspaces/ws";

describe("dataAccessOf(): DataActions minus NotDataActions, wildcards and case as Azure matches them", () => {
  it.each([
    [["Microsoft.Quantum/Workspaces/jobs/read", "Microsoft.Quantum/Workspaces/jobs/write"], [], "write"],
    [["Microsoft.Quantum/Workspaces/jobs/read"], [], "read"],
    [["microsoft.quantum/*"], [], "write"],
    [["*"], ["Microsoft.Quantum/Workspaces/jobs/write"], "read"],
    [["Microsoft.Storage/*"], [], "none"],
    [[], [], "none"],
  ] as const)("%j minus %j: %s", (allow, deny, access) => {
    expect(dataAccessOf(def([...allow], [...deny]))).toBe(access);
  });
  it("an unreadable definition is unknown", () => expect(dataAccessOf(undefined)).toBe("unknown"));
});

describe("keyAccessOf(): Actions minus NotActions cover listKeys (what an access key needs)", () => {
  const control = (actions: string[], notActions: string[] = []): RoleDefinition => ({
    id: "x",
    roleName: "r",
    permissions: [{ actions, notActions, dataActions: [], notDataActions: [] }],
  });
  it.each([
    [["*"], [], true], // Owner
    [["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write"], true], // Contributor
    [["*/read"], [], false], // Reader: listKeys is an action, not a read
    [["Microsoft.Quantum/*"], ["Microsoft.Quantum/workspaces/listKeys/action"], false],
    [["microsoft.quantum/workspaces/*"], [], true],
    [["Microsoft.Quantum/Workspaces/read"], [], false], // the data roles' control half
  ] as const)("%j minus %j: %s", (allow, deny, access) => {
    expect(keyAccessOf(control([...allow], [...deny]))).toBe(access);
  });
  it("an unreadable definition is unknown", () => expect(keyAccessOf(undefined)).toBeUndefined());
});

describe("levelOf()", () => {
  it.each([
    [WS, "workspace"],
    [`${WS.toLowerCase()}/`, "workspace"],
    ["/subscriptions/s/resourceGroups/rg", "resource group"],
    ["/subscriptions/S", "subscription"],
    ["/", "above the subscription"],
    ["/providers/Microsoft.Management/managementGroups/root", "above the subscription"],
    ["/subscriptions/other", "other"],
  ])("%s: %s", (scope, level) => expect(levelOf(scope, WS)).toBe(level));
});

describe("keyOnlyPrincipals() and verdictOf()", () => {
  const KEYS: Record<string, boolean> = { Owner: true, Contributor: true, Reader: false, "Quantum Workspace Data Reader": false };
  const a = (principalId: string, roleName: string, dataAccess: ReadinessAssignment["dataAccess"], you = false): ReadinessAssignment => ({
    roleName,
    principalId,
    principalType: "User",
    scope: WS,
    level: "workspace",
    dataAccess,
    ...(roleName in KEYS ? { keyAccess: KEYS[roleName] } : {}),
    you,
  });

  it("others with key access and no data role, each once with their roles; others with neither apart", () => {
    const list = [
      a("me", "Owner", "none", true),
      a("p1", "Owner", "none"),
      a("p1", "Reader", "none"),
      a("p2", "Contributor", "none"),
      a("p2", "Quantum Workspace Data Reader", "read"),
      a("p3", "Custom", "unknown"),
      a("p4", "Reader", "none"),
      a("p4", "Reader", "none"),
    ];
    expect(keyOnlyPrincipals(list)).toEqual([{ principalId: "p1", principalType: "User", roles: ["Owner", "Reader"] }]);
    expect(noKeyAccessPrincipals(list)).toEqual([{ principalId: "p4", principalType: "User", roles: ["Reader"] }]);
    // A known role with no data access whose key access is unknown: in neither list.
    expect(keyOnlyPrincipals([{ ...a("p5", "Odd", "none") }])).toEqual([]);
    expect(noKeyAccessPrincipals([{ ...a("p5", "Odd", "none") }])).toEqual([]);
  });

  it("one principal or several, keys enabled or already disabled", () => {
    const base = { who: "Ada", status: 200, assignments: [], apiKeyEnabled: true } as const;
    const one = [{ principalId: "p", principalType: "User", roles: ["Owner"] }];
    expect(verdictOf({ ...base, outcome: "reached", keyOnly: one })).toBe(
      "Safe to disable access keys for this kernel: Ada reaches the data plane with Microsoft Entra ID. 1 other principal may " +
        "read the access keys but has no data role: if it uses access keys, it loses data-plane access when keys are disabled.",
    );
    expect(verdictOf({ ...base, outcome: "reached", keyOnly: [], noKeyAccess: [...one, ...one] })).toBe(
      "Safe to disable access keys for this kernel: Ada reaches the data plane with Microsoft Entra ID. Every other principal " +
        "that may read the access keys has a data role; 2 hold roles with neither (e.g. Reader), so disabling keys changes nothing for them.",
    );
    expect(verdictOf({ ...base, outcome: "reached", keyOnly: [], apiKeyEnabled: false })).toBe(
      "Access keys are disabled, and Ada reaches the data plane with Microsoft Entra ID. Every principal with a role on the workspace has a data role.",
    );
    expect(verdictOf({ ...base, outcome: "forbidden", status: 403, keyOnly: [], apiKeyEnabled: false })).toBe(
      "Access keys are disabled and Ada has no data role on the workspace (the data plane answered 403 to its Microsoft Entra token), " +
        "so this kernel cannot use the data plane.",
    );
  });
});
