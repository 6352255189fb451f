/**
 * Assigning a role on the workspace through Resource Manager (the PUT an Owner's `az role
 * assignment create` sends): the role is looked up by name, an assignment that exists already is
 * reported as such, and the result renders as a card.
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import {
  createRoleAssignment,
  findRoleDefinition,
  listRoleAssignments,
  type RoleAssignment,
} from "../arm/role_assignments.ts";
import type { TokenIdentity } from "../connection/token_claims.ts";
import { ArmError, isArmError } from "../request_errors.ts";
import { RoleAssignmentResult } from "./role_assignment_result.ts";
import { DATA_CONTRIBUTOR } from "./role_access.ts";

/**
 * Options of `keys.assignRole()` and `readiness.fix()`.
 *
 * @example Give the CI application read access to jobs
 * ```ts
 * import { connect, type AssignRoleOptions } from "azure-quantum-notebook";
 * const ws = await connect();
 * const options: AssignRoleOptions = { principalId: "00000000-0000-4000-8000-0000000000ee", principalType: "ServicePrincipal" };
 * await ws.keys.assignRole("Quantum Workspace Data Reader", options);
 * ```
 */
export interface AssignRoleOptions {
  /** Object id of the principal. @default this kernel's identity (from its token) */
  principalId?: string;
  /** Its type. @default this kernel's identity's type; otherwise Resource Manager looks it up */
  principalType?: "User" | "Group" | "ServicePrincipal";
  /** Aborts the call. */
  signal?: AbortSignal;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guidOf = (id: string) => id.replace(/^.*\//, "").toLowerCase();

/** The principal a role goes to: the option, else the identity the token names. */
function principalFor(
  role: string,
  options: AssignRoleOptions,
  you: TokenIdentity | undefined,
): { principalId: string; principalType?: string } {
  if (options.principalId !== undefined) {
    if (typeof options.principalId !== "string" || !GUID.test(options.principalId)) {
      throw new RangeError(
        `Cannot assign role "${role}": principalId must be an object id (a GUID), not ${
          JSON.stringify(String(options.principalId).slice(0, 60))
        }. Find it with \`az ad user show --id <name> --query id\` or \`az ad sp show --id <app id> --query id\``,
      );
    }
    const id = options.principalId.toLowerCase();
    const type = options.principalType ?? (id === you?.objectId ? you.principalType : undefined);
    return { principalId: id, ...(type ? { principalType: type } : {}) };
  }
  if (!you) {
    throw new RangeError(
      `Cannot assign role "${role}": the credential's token names no principal. Pass { principalId, principalType }`,
    );
  }
  return { principalId: you.objectId, principalType: options.principalType ?? you.principalType };
}

/**
 * Assigns `role` (a built-in role's name) on the workspace to a principal (default: the identity
 * the credential signs in as), unless it holds it there already. The role id is looked up by
 * name. No opt-in check here: `keys.assignRole()` does that.
 *
 * @throws {ArmError} `RoleNotFound`; 403 `AuthorizationFailed` (assigning roles needs Owner or
 *   User Access Administrator) with the role that grants it.
 */
export async function assignRole(
  arm: ArmClient,
  role: string = DATA_CONTRIBUTOR,
  options: AssignRoleOptions = {},
  you?: TokenIdentity,
): Promise<RoleAssignmentResult> {
  const { signal } = options;
  const who = principalFor(role, options, you);
  const definition = await findRoleDefinition(arm, role, { signal });
  if (!definition) {
    throw new ArmError(
      "RoleNotFound",
      `Cannot assign role "${role}" on workspace "${arm.info.workspaceName}": Resource Manager knows no role of that name. ` +
        'Check the spelling (e.g. "Quantum Workspace Data Contributor"); `az role definition list --name "<role>"` lists it',
    );
  }
  const scope = arm.resourceId;
  const base = {
    workspaceName: arm.info.workspaceName,
    role: definition.roleName,
    principalId: who.principalId,
    principalType: who.principalType ?? "Unknown",
    scope,
    you: who.principalId === you?.objectId,
  };
  const same = (a: RoleAssignment) =>
    a.principalId === who.principalId && guidOf(a.roleDefinitionId) === guidOf(definition.id) &&
    a.scope.replace(/\/+$/, "").toLowerCase() === scope.toLowerCase();
  // Who may assign roles may read them; a caller who may not gets ARM's own answer to the PUT.
  const listed = await listRoleAssignments(arm, { signal }).catch(() => []);
  const existing = listed.find(same);
  if (existing) {
    return new RoleAssignmentResult({ ...base, principalType: existing.principalType, outcome: "existing" });
  }
  try {
    const { assignment, status } = await createRoleAssignment(arm, {
      roleDefinitionId: definition.id,
      principalId: who.principalId,
      ...(who.principalType ? { principalType: who.principalType } : {}),
    }, { signal });
    return new RoleAssignmentResult({
      ...base,
      principalType: assignment?.principalType ?? base.principalType,
      outcome: "created",
      putStatus: status,
      ...(assignment?.id ? { assignmentId: assignment.id } : {}),
    });
  } catch (e) {
    if (isArmError(e) && e.statusCode === 409 && e.armCode === "RoleAssignmentExists") {
      return new RoleAssignmentResult({ ...base, outcome: "existing" });
    }
    throw e;
  }
}
