/**
 * Resource Manager's `Microsoft.Authorization` for the workspace: the role assignments that apply
 * to it (its own and inherited ones: `$filter=atScope()`), role definitions by id or by name, and
 * creating an assignment. api-version 2022-04-01 (Azure/azure-rest-api-specs
 * `specification/authorization/resource-manager/Microsoft.Authorization/stable/2022-04-01/`
 * `authorization-RoleAssignmentsCalls.json` and `authorization-RoleDefinitionsCalls.json`).
 *
 * @module
 */

import { clip } from "../_text.ts";
import { ArmError } from "../request_errors.ts";
import type { ArmCallOptions, ArmClient } from "./arm_client.ts";

/** The `Microsoft.Authorization` api-version used (what the Azure CLI sends). */
export const AUTHORIZATION_API_VERSION = "2022-04-01";

/** A role assignment as this module reads it. */
export interface RoleAssignment {
  /** Its full id (`{scope}/providers/Microsoft.Authorization/roleAssignments/{guid}`). */
  id: string;
  /** Where the role is assigned: the workspace, its resource group or subscription (inherited), or `/`. */
  scope: string;
  /** Full id of the role definition. */
  roleDefinitionId: string;
  /** Object id of the principal. */
  principalId: string;
  /** `User`, `Group`, `ServicePrincipal`, `ForeignGroup` or `Device`. */
  principalType: string;
}

/** A role definition's permissions. */
export interface RolePermissions {
  actions: string[];
  notActions: string[];
  dataActions: string[];
  notDataActions: string[];
}

/** A role definition as this module reads it. */
export interface RoleDefinition {
  /** Full id (`…/providers/Microsoft.Authorization/roleDefinitions/{guid}`). */
  id: string;
  /** The role's name, e.g. `"Quantum Workspace Data Contributor"`. */
  roleName: string;
  /** Every permission block. */
  permissions: RolePermissions[];
}

interface ArmList<T> {
  value?: T[];
  nextLink?: string | null;
}
interface ArmAssignment {
  id?: unknown;
  properties?: { scope?: unknown; roleDefinitionId?: unknown; principalId?: unknown; principalType?: unknown };
}
interface ArmDefinition {
  id?: unknown;
  properties?: { roleName?: unknown; permissions?: unknown };
}

const str = (v: unknown, max = 600): string => (typeof v === "string" ? clip(v, max) : "");
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string").map((x) => clip(x, 300)) : [];

function assignmentOf(a: ArmAssignment | null | undefined): RoleAssignment | undefined {
  const p = a?.properties;
  const out = {
    id: str(a?.id),
    scope: str(p?.scope),
    roleDefinitionId: str(p?.roleDefinitionId),
    principalId: str(p?.principalId, 64).toLowerCase(),
    principalType: str(p?.principalType, 40) || "Unknown",
  };
  return out.roleDefinitionId && out.principalId ? out : undefined;
}

function definitionOf(d: ArmDefinition | null | undefined): RoleDefinition | undefined {
  const roleName = str(d?.properties?.roleName, 200);
  if (!d || !roleName) return undefined;
  const blocks = Array.isArray(d.properties?.permissions) ? d.properties.permissions : [];
  return {
    id: str(d.id),
    roleName,
    permissions: blocks.map((b: Record<string, unknown>) => ({
      actions: strings(b?.actions),
      notActions: strings(b?.notActions),
      dataActions: strings(b?.dataActions),
      notDataActions: strings(b?.notDataActions),
    })),
  };
}

// The path of a `nextLink` on the client's own endpoint; a link elsewhere would take the token there.
function nextPath(arm: ArmClient, link: string, action: string): { path: string; query: Record<string, string> } {
  const url = new URL(link, arm.settings.endpoint);
  if (url.origin !== new URL(arm.settings.endpoint).origin) {
    throw new ArmError(
      "NextLinkUntrusted",
      `Cannot ${action} of workspace "${arm.info.workspaceName}": Resource Manager sent a next-page link to ` +
        `${url.origin.slice(0, 100)}, not to ${arm.settings.endpoint}, and this module sends its token nowhere else. ` +
        "Check AZURE_QUANTUM_ARM_ENDPOINT",
    );
  }
  const query = Object.fromEntries([...url.searchParams].filter(([k]) => k !== "api-version"));
  return { path: decodeURIComponent(url.pathname), query };
}

/**
 * Every role assignment that applies to the workspace: at its scope and inherited from its
 * resource group, subscription and above (`$filter=atScope()`), every page followed.
 *
 * @throws {ArmError} e.g. 403 `AuthorizationFailed` when the caller may not read role assignments.
 */
export async function listRoleAssignments(
  arm: ArmClient,
  options: ArmCallOptions = {},
): Promise<RoleAssignment[]> {
  const action = "list the role assignments";
  const out: RoleAssignment[] = [];
  let path = `${arm.resourceId}/providers/Microsoft.Authorization/roleAssignments`;
  let query: Record<string, string> = { $filter: "atScope()" };
  for (let page = 0; page < 50; page++) {
    const { body } = await arm.request<ArmList<ArmAssignment>>("GET", path, {
      apiVersion: AUTHORIZATION_API_VERSION,
      query,
      action,
      signal: options.signal,
    });
    for (const a of Array.isArray(body?.value) ? body.value : []) {
      const assignment = assignmentOf(a);
      if (assignment) out.push(assignment);
    }
    if (typeof body?.nextLink !== "string" || !body.nextLink) break;
    ({ path, query } = nextPath(arm, body.nextLink, action));
  }
  return out;
}

/**
 * The role definition a role assignment names (by its full id), read at the workspace's scope:
 * whoever may read the workspace may read it there, while the subscription-level path the id
 * holds may be out of an identity's reach.
 */
export async function getRoleDefinition(
  arm: ArmClient,
  id: string,
  options: ArmCallOptions = {},
): Promise<RoleDefinition | undefined> {
  const guid = /\/roleDefinitions\/([0-9a-f-]{36})$/i.exec(id)?.[1];
  if (!guid) return undefined;
  const path = `${arm.resourceId}/providers/Microsoft.Authorization/roleDefinitions/${guid.toLowerCase()}`;
  const { body } = await arm.request<ArmDefinition>("GET", path, {
    apiVersion: AUTHORIZATION_API_VERSION,
    action: "read a role definition",
    signal: options.signal,
  });
  return definitionOf(body);
}

/**
 * The built-in role called `roleName`, looked up by name at the workspace's scope
 * (`$filter=roleName eq '…'`): role ids differ between clouds and some are not published, names
 * do not.
 */
export async function findRoleDefinition(
  arm: ArmClient,
  roleName: string,
  options: ArmCallOptions = {},
): Promise<RoleDefinition | undefined> {
  const { body } = await arm.request<ArmList<ArmDefinition>>(
    "GET",
    `${arm.resourceId}/providers/Microsoft.Authorization/roleDefinitions`,
    {
      apiVersion: AUTHORIZATION_API_VERSION,
      query: { $filter: `roleName eq '${roleName.replace(/'/g, "''")}'` },
      action: `look up the role "${roleName}"`,
      signal: options.signal,
    },
  );
  const found = (Array.isArray(body?.value) ? body.value : []).map(definitionOf);
  return found.find((d) => d?.roleName.toLowerCase() === roleName.toLowerCase());
}

/** What {@link createRoleAssignment} assigns. */
export interface NewRoleAssignment {
  /** Full id of the role definition. */
  roleDefinitionId: string;
  /** Object id of the principal. */
  principalId: string;
  /** Its type, so a principal created moments ago is not refused (`PrincipalNotFound`). */
  principalType?: string;
}

/**
 * Creates a role assignment on the workspace (`PUT …/roleAssignments/{new guid}`).
 *
 * @returns The assignment ARM created, and the PUT's status (201).
 * @throws {ArmError} e.g. 403 `AuthorizationFailed` (needs Owner or User Access Administrator),
 *   409 `RoleAssignmentExists`.
 */
export async function createRoleAssignment(
  arm: ArmClient,
  assignment: NewRoleAssignment,
  options: ArmCallOptions = {},
): Promise<{ assignment: RoleAssignment | undefined; status: number }> {
  const name = globalThis.crypto.randomUUID();
  const { status, body } = await arm.request<ArmAssignment>(
    "PUT",
    `${arm.resourceId}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    {
      apiVersion: AUTHORIZATION_API_VERSION,
      body: { properties: { ...assignment } },
      action: "assign a role",
      signal: options.signal,
    },
  );
  return { assignment: assignmentOf(body), status };
}
