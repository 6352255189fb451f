import { describe, expect, it } from "vitest";
import { authorizationHint, builtInRoleFor, parseAuthorizationFailed } from "../../src/arm/role_hints.ts";

const WS = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Quantum/workspaces/ws";

describe("builtInRoleFor(): the least privileged built-in role that grants an action", () => {
  it.each([
    ["Microsoft.Quantum/workspaces/read", "Reader"],
    ["Microsoft.Authorization/roleAssignments/read", "Reader"],
    ["Microsoft.Quantum/workspaces/listKeys/action", "Contributor"],
    ["Microsoft.Quantum/workspaces/regenerateKey/action", "Contributor"],
    ["microsoft.quantum/WORKSPACES/write", "Contributor"],
    ["Microsoft.Authorization/roleAssignments/write", "User Access Administrator"],
    ["Microsoft.Authorization/roleAssignments/delete", "User Access Administrator"],
    ["Microsoft.Authorization/elevateAccess/Action", "User Access Administrator"],
    // Data actions: only a data role grants them (Owner's "*" is an Action, not a DataAction).
    ["Microsoft.Quantum/Workspaces/jobs/read", "Quantum Workspace Data Reader"],
    ["microsoft.quantum/workspaces/JOBS/read", "Quantum Workspace Data Reader"],
    ["Microsoft.Quantum/Workspaces/jobs/write", "Quantum Workspace Data Contributor"],
    ["Microsoft.Quantum/Workspaces/jobs/delete", "Quantum Workspace Data Contributor"],
  ])("%s: %s", (action, role) => expect(builtInRoleFor(action)).toBe(role));
});

describe("parseAuthorizationFailed() and authorizationHint()", () => {
  const message = (action: string, scope: string) =>
    `The client 'ada@contoso.com' with object id '00000000-0000-4000-8000-0000000000DD' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;

  it("reads the caller, action and scope of ARM's message", () => {
    expect(parseAuthorizationFailed(message("Microsoft.Quantum/workspaces/listKeys/action", WS))).toEqual({
      objectId: "00000000-0000-4000-8000-0000000000dd",
      action: "Microsoft.Quantum/workspaces/listKeys/action",
      scope: WS,
    });
    expect(parseAuthorizationFailed("The client does not have authorization.")).toBeUndefined();
    expect(parseAuthorizationFailed(undefined)).toBeUndefined();
  });

  it("a refused data action names a Quantum Workspace Data role, never Owner", () => {
    const read = parseAuthorizationFailed(message("Microsoft.Quantum/Workspaces/jobs/read", WS))!;
    expect(authorizationHint(read)).toBe(
      `The identity with object id 00000000-0000-4000-8000-0000000000dd needs a role that allows "Microsoft.Quantum/Workspaces/jobs/read" on ${WS}: ` +
        `"Quantum Workspace Data Reader" (or "Quantum Workspace Data Contributor"). Someone allowed to assign roles there (an Owner) runs: ` +
        `az role assignment create --role "Quantum Workspace Data Reader" --assignee-object-id 00000000-0000-4000-8000-0000000000dd --scope "${WS}"`,
    );
    const write = parseAuthorizationFailed(message("Microsoft.Quantum/Workspaces/jobs/write", WS))!;
    expect(authorizationHint(write)).toBe(
      `The identity with object id 00000000-0000-4000-8000-0000000000dd needs a role that allows "Microsoft.Quantum/Workspaces/jobs/write" on ${WS}: ` +
        `"Quantum Workspace Data Contributor". Someone allowed to assign roles there (an Owner) runs: ` +
        `az role assignment create --role "Quantum Workspace Data Contributor" --assignee-object-id 00000000-0000-4000-8000-0000000000dd --scope "${WS}"`,
    );
  });

  it("names the role and the az line; a role assignment's own id is assigned at its parent scope", () => {
    const f = parseAuthorizationFailed(
      message("Microsoft.Authorization/roleAssignments/write", `${WS}/providers/Microsoft.Authorization/roleAssignments/1`),
    )!;
    expect(authorizationHint(f)).toBe(
      `The identity with object id 00000000-0000-4000-8000-0000000000dd needs a role that allows "Microsoft.Authorization/roleAssignments/write" on ${WS}: ` +
        `"User Access Administrator" (or "Owner"). Someone allowed to assign roles there (an Owner) runs: az role assignment create ` +
        `--role "User Access Administrator" --assignee-object-id 00000000-0000-4000-8000-0000000000dd --scope "${WS}"`,
    );
  });
});
