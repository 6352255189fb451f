import type { EmulatorContext } from "./context.ts";
import type { DeviceCodeInfo } from "./device_codes.ts";
import { nonNegative } from "./knob_values.ts";
import { workspaceResourceId } from "./paths.ts";
import { EMULATOR_USER_ID, type EmulatorPrincipal, type PrincipalInit } from "./principals.ts";
import type { DataPlaneAuthorization } from "./rbac_state.ts";
import { BUILT_IN_ROLES, findRole } from "./role_definitions.ts";
import { VAULT_ROLES } from "./vault_constants.ts";

/** A role assignment, as the control API reports it. */
export interface RoleAssignmentInfo {
  /** The assignment's GUID. */
  name: string;
  /** The role's name, e.g. `"Contributor"`. */
  roleName: string;
  /** GUID of the role definition. */
  roleDefinitionId: string;
  /** Object id of the principal it is assigned to. */
  principalId: string;
  /** `User`, `Group`, `ServicePrincipal` or `ForeignGroup`. */
  principalType: string;
  /** The principal's display name, when the emulator's directory has it. */
  principalName?: string;
  /** Resource id the role is assigned at. */
  scope: string;
}

/** Where {@link RbacControl.assignRole} assigns: a level of the emulated workspace, or its id. */
export type ScopeOption = "workspace" | "resourceGroup" | "subscription" | string;

/** Options of {@link RbacControl.assignRole} and {@link RbacControl.unassignRole}. */
export interface AssignRoleOptions {
  /** Object id of the principal. @default the emulator identity (the token endpoint's managed identity) */
  principalId?: string;
  /** Where the role goes. @default "workspace" */
  scope?: ScopeOption;
  /** The assignment's GUID. @default a new one */
  name?: string;
}

/**
 * The RBAC and sign-in part of the emulator's control API (merged into `EmulatorControl`).
 *
 * @example Usage
 * ```ts
 * import { startEmulator } from "azure-quantum-notebook/emulator";
 * const emulator = await startEmulator();
 * emulator.control.assignRole("Quantum Workspace Data Contributor"); // the emulator identity
 * await emulator.stop();
 * ```
 */
export interface RbacControl {
  /** The principals of the emulator's directory. */
  principals(): EmulatorPrincipal[];
  /** Adds a user or service principal (ids left out are generated); kept in the state file. */
  addPrincipal(principal: PrincipalInit): EmulatorPrincipal;
  /**
   * Assigns a role (name like `"Quantum Workspace Data Contributor"`, or its GUID), as Resource
   * Manager would, without the caller's own permission check. Assigning what is already assigned
   * returns the existing assignment.
   */
  assignRole(role: string, options?: AssignRoleOptions): RoleAssignmentInfo;
  /** Removes the principal's assignments of `role` at the scope; returns how many there were. */
  unassignRole(role: string, options?: Omit<AssignRoleOptions, "name">): number;
  /** Role assignments, optionally of one principal. */
  roleAssignments(filter?: { principalId?: string }): RoleAssignmentInfo[];
  /** How the data plane authorizes Entra callers (see {@link DataPlaneAuthorization}). */
  dataPlaneAuthorization(): DataPlaneAuthorization;
  /** Sets how the data plane authorizes Entra callers. */
  setDataPlaneAuthorization(mode: DataPlaneAuthorization): void;
  /** Device-code sign-ins not yet redeemed (user codes, not device codes). */
  deviceCodes(): DeviceCodeInfo[];
  /**
   * Approves a pending device-code sign-in as a user (default: the emulator's user, Ada
   * Lovelace); the client's next poll gets tokens for that user.
   */
  approveDeviceCode(userCode: string, principalId?: string): DeviceCodeInfo;
  /** Declines a pending sign-in; the client's next poll fails with `authorization_declined`. */
  declineDeviceCode(userCode: string): DeviceCodeInfo;
  /** Polling interval and lifetime the devicecode endpoint announces. */
  setDeviceCodeTiming(options: { intervalSeconds?: number; expiresInSeconds?: number }): void;
}

/**
 * The resource id of a scope option for `ctx`'s workspace.
 *
 * @throws {RangeError} for a scope outside the emulated subscription, resource group or workspace.
 */
export function scopeId(ctx: EmulatorContext, scope: ScopeOption = "workspace"): string {
  const ws = ctx.workspace;
  const ids: Record<string, string> = {
    subscription: `/subscriptions/${ws.subscriptionId}`,
    resourceGroup: `/subscriptions/${ws.subscriptionId}/resourceGroups/${ws.resourceGroup}`,
    workspace: workspaceResourceId(ws),
  };
  const id = ids[scope] ??
    Object.values(ids).find((v) => v.toLowerCase() === scope.replace(/\/+$/, "").toLowerCase());
  if (!id) {
    throw new RangeError(
      `Cannot use scope "${scope}": use "workspace", "resourceGroup", "subscription" or one of their resource ids`,
    );
  }
  return id;
}

function roleOf(role: string) {
  const def = findRole(role);
  // Key Vault roles live on the emulated vault, with its own assignments (control.vault).
  const vaultRole = VAULT_ROLES.find((r) => r.toLowerCase() === String(role).toLowerCase());
  if (!def && vaultRole) {
    throw new RangeError(
      `Cannot assign role "${role}": Key Vault roles are assigned on the emulated vault, not in the workspace's RBAC. Use control.vault.assignRole("${vaultRole}", principalId)`,
    );
  }
  if (!def) {
    throw new RangeError(
      `Cannot assign role "${role}": it is not a role the emulator knows. Use one of ${
        BUILT_IN_ROLES.map((r) => `"${r.roleName}"`).join(", ")
      }`,
    );
  }
  return def;
}

/**
 * Builds the RBAC and sign-in control API over an emulator context.
 */
export function createRbacControl(ctx: EmulatorContext): RbacControl {
  const { rbac, deviceCodes } = ctx;
  const info = (a: ReturnType<typeof rbac.assignments>[number]): RoleAssignmentInfo => ({
    name: a.name,
    roleName: findRole(a.roleDefinitionId)!.roleName,
    roleDefinitionId: a.roleDefinitionId,
    principalId: a.principalId,
    principalType: a.principalType,
    ...(rbac.principal(a.principalId)
      ? { principalName: rbac.principal(a.principalId)!.displayName }
      : {}),
    scope: a.scope,
  });
  const code = (userCode: string, verb: string) => {
    const found = deviceCodes.find(String(userCode), ctx.now());
    if (!found) {
      throw new RangeError(
        `Cannot ${verb} device code "${userCode}": no sign-in has that code. Use the code the sign-in prompt showed (control.deviceCodes() lists them)`,
      );
    }
    if (found.status !== "pending") {
      throw new RangeError(
        `Cannot ${verb} device code "${userCode}": the sign-in is ${found.status}`,
      );
    }
    return found;
  };
  return {
    principals: () => rbac.principals(),
    addPrincipal: (principal) => rbac.addPrincipal(principal, ctx.identity.tenantId),
    assignRole(role, options = {}) {
      const def = roleOf(role);
      const principalId = options.principalId ?? ctx.identity.principalId;
      const principal = rbac.principal(principalId);
      if (!principal) {
        throw new RangeError(
          `Cannot assign role "${def.roleName}" to "${principalId}": no principal has that object id. Add it with control.addPrincipal() first`,
        );
      }
      const scope = scopeId(ctx, options.scope);
      const existing = rbac.assignments().find((a) =>
        a.principalId === principal.objectId && a.roleDefinitionId === def.id &&
        a.scope.toLowerCase() === scope.toLowerCase()
      );
      if (existing) return info(existing);
      const result = rbac.assign(
        { name: options.name, scope, roleDefinitionId: def.id, principalId: principal.objectId },
        ctx.now(),
      );
      if (!result.ok) {
        throw new RangeError(
          `Cannot assign role "${def.roleName}" to "${principal.displayName}": ${result.failure} (the name must be a GUID not used by another assignment)`,
        );
      }
      return info(result.record);
    },
    unassignRole(role, options = {}) {
      const def = roleOf(role);
      const principalId = (options.principalId ?? ctx.identity.principalId).toLowerCase();
      const scope = scopeId(ctx, options.scope).toLowerCase();
      const matching = rbac.assignments().filter((a) =>
        a.principalId === principalId && a.roleDefinitionId === def.id &&
        a.scope.toLowerCase() === scope
      );
      for (const a of matching) rbac.remove(a.name);
      return matching.length;
    },
    roleAssignments: (filter = {}) =>
      rbac.assignments()
        .filter((a) => !filter.principalId || a.principalId === filter.principalId.toLowerCase())
        .map(info),
    dataPlaneAuthorization: () => rbac.dataPlaneAuthorization,
    setDataPlaneAuthorization: (mode) => rbac.setDataPlaneAuthorization(mode),
    deviceCodes: () => deviceCodes.list(ctx.now()),
    approveDeviceCode(userCode, principalId = EMULATOR_USER_ID) {
      const found = code(userCode, "approve");
      const principal = rbac.principal(principalId);
      if (!principal || principal.type !== "User") {
        throw new RangeError(
          `Cannot approve device code "${userCode}" as "${principalId}": ${
            principal
              ? "device-code sign-in is for users, not service principals"
              : "no principal has that object id"
          }. Name a user (control.principals() lists them)`,
        );
      }
      if (
        /^[0-9a-f-]{36}$/i.test(found.tenant) && found.tenant.toLowerCase() !== principal.tenantId
      ) {
        throw new RangeError(
          `Cannot approve device code "${userCode}" as "${principal.displayName}": the sign-in is for tenant "${found.tenant}", the user belongs to "${principal.tenantId}"`,
        );
      }
      deviceCodes.approve(found.userCode, principal.objectId);
      return deviceCodes.find(found.userCode, ctx.now())!;
    },
    declineDeviceCode(userCode) {
      const found = code(userCode, "decline");
      deviceCodes.decline(found.userCode);
      return deviceCodes.find(found.userCode, ctx.now())!;
    },
    setDeviceCodeTiming({ intervalSeconds, expiresInSeconds }) {
      if (intervalSeconds !== undefined) {
        deviceCodes.intervalSeconds = nonNegative("intervalSeconds", intervalSeconds);
      }
      if (expiresInSeconds !== undefined) {
        deviceCodes.expiresInSeconds = nonNegative("expiresInSeconds", expiresInSeconds);
      }
    },
  };
}
