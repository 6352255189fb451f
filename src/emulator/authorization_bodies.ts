/**
 * `Microsoft.Authorization`'s bodies as ARM returns them (api-version 2022-04-01): a role
 * assignment and a built-in role definition, with their ids.
 *
 * @module
 */
import type { EmulatorContext } from "./context.ts";
import type { RoleAssignmentRecord } from "./rbac_state.ts";
import type { RoleDefinition } from "./role_definitions.ts";

/** The role assignments' resource type. */
export const RA = "Microsoft.Authorization/roleAssignments";
/** The role definitions' resource type. */
export const RD = "Microsoft.Authorization/roleDefinitions";

const definitionId = (ctx: EmulatorContext, guid: string, tenantLevel = false) =>
  `${tenantLevel ? "" : `/subscriptions/${ctx.workspace.subscriptionId}`}/providers/${RD}/${guid}`;

/**
 * A role assignment as ARM returns it.
 */
export function renderRoleAssignment(ctx: EmulatorContext, a: RoleAssignmentRecord) {
  return {
    properties: {
      roleDefinitionId: definitionId(ctx, a.roleDefinitionId),
      principalId: a.principalId,
      principalType: a.principalType,
      scope: a.scope,
      condition: null,
      conditionVersion: null,
      createdOn: a.createdOn,
      updatedOn: a.updatedOn,
      createdBy: a.createdBy,
      updatedBy: a.updatedBy,
      delegatedManagedIdentityResourceId: null,
      description: null,
    },
    id: `${a.scope}/providers/${RA}/${a.name}`,
    type: RA,
    name: a.name,
  };
}

// Placeholder dates of the emulated built-in roles (Azure's differ per role).
const BUILT_IN_CREATED_ON = "2015-02-02T00:00:00.0000000Z";
const BUILT_IN_UPDATED_ON = "2021-11-11T00:00:00.0000000Z";

/** A built-in role definition as ARM returns it, at the subscription or (`tenantLevel`) the tenant. */
export function renderRoleDefinition(ctx: EmulatorContext, r: RoleDefinition, tenantLevel: boolean) {
  return {
    properties: {
      roleName: r.roleName,
      type: "BuiltInRole",
      description: r.description,
      assignableScopes: ["/"],
      permissions: [structuredClone(r.permissions)],
      // As Azure shows built-in roles (Azure/azure-cli role recordings): dates, no author.
      createdOn: BUILT_IN_CREATED_ON,
      updatedOn: BUILT_IN_UPDATED_ON,
      createdBy: null,
      updatedBy: null,
    },
    id: definitionId(ctx, r.id, tenantLevel),
    type: RD,
    name: r.id,
  };
}
