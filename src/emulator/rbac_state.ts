/**
 * The RBAC part of an emulator state file: the directory's principals, every role assignment,
 * and the data plane's rule, and the check a state file's `rbac` passes before it is used.
 *
 * @module
 */

import { createPrincipal, type EmulatorPrincipal, type PrincipalInit } from "./principals.ts";
import { findRole, isGuid } from "./role_definitions.ts";

/**
 * How the data plane authorizes Microsoft Entra (bearer) callers:
 * - `"dataRoles"`: only DataActions count, i.e. a Quantum Workspace Data Reader or Data
 *   Contributor assignment, as Azure Quantum requires from 2027-01-11 on.
 * - `"controlPlaneRoles"`: the older rule where Owner and Contributor also give read and write
 *   access to jobs, and Reader gives read access (inferred from the troubleshooting page, which
 *   fixes "Unauthorized" by assigning Owner or Contributor).
 */
export type DataPlaneAuthorization = "dataRoles" | "controlPlaneRoles";

/** The rules `dataPlaneAuthorization` can name. */
export const DATA_PLANE_AUTHORIZATIONS: readonly DataPlaneAuthorization[] = ["dataRoles", "controlPlaneRoles"];

/** A role assignment as the emulator keeps it (and a state file holds it). */
export interface RoleAssignmentRecord {
  /** The assignment's GUID. */
  name: string;
  /** Resource id the role is assigned at (subscription, resource group or workspace). */
  scope: string;
  /** GUID of the role definition. */
  roleDefinitionId: string;
  /** Object id of the principal the role is assigned to. */
  principalId: string;
  /** `User`, `Group`, `ServicePrincipal` or `ForeignGroup`, as ARM has it. */
  principalType: string;
  /** When it was created (ISO 8601). */
  createdOn: string;
  /** When it was last changed (ISO 8601). */
  updatedOn: string;
  /** Object id of who created it, `null` when made by the emulator itself. */
  createdBy: string | null;
  /** Object id of who changed it last, `null` when the emulator itself did. */
  updatedBy: string | null;
}

/** The RBAC part of an emulator state file. */
export interface PersistentRbac {
  /** The users and service principals of the emulator's directory. */
  principals: EmulatorPrincipal[];
  /** Every role assignment, at any scope. */
  roleAssignments: RoleAssignmentRecord[];
  /** How the data plane authorizes Entra callers. */
  dataPlaneAuthorization: DataPlaneAuthorization;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const strings = (v: Record<string, unknown>, keys: string[]) =>
  keys.every((k) => typeof v[k] === "string");

/**
 * Checks the `rbac` part of a state file.
 *
 * @returns The value, or `undefined` when it is not a valid {@link PersistentRbac}.
 */
export function parsePersistentRbac(value: unknown): PersistentRbac | undefined {
  if (!isObject(value) || !Array.isArray(value.principals)) return undefined;
  if (!Array.isArray(value.roleAssignments)) return undefined;
  if (!DATA_PLANE_AUTHORIZATIONS.includes(value.dataPlaneAuthorization as DataPlaneAuthorization)) {
    return undefined;
  }
  const principalsOk = value.principals.every((p) => {
    if (!isObject(p) || !strings(p, ["objectId", "type", "displayName", "tenantId"])) return false;
    try {
      createPrincipal(p as unknown as PrincipalInit, p.tenantId as string);
      return true;
    } catch {
      return false;
    }
  });
  const assignmentsOk = value.roleAssignments.every((a) =>
    isObject(a) &&
    strings(a, [
      "name",
      "scope",
      "roleDefinitionId",
      "principalId",
      "principalType",
      "createdOn",
    ]) &&
    isGuid(a.name as string) && findRole(a.roleDefinitionId as string) !== undefined
  );
  return principalsOk && assignmentsOk ? value as unknown as PersistentRbac : undefined;
}
