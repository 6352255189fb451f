/**
 * The emulator's role-based access control: principals, role assignments and the data plane's
 * rule, with the decisions both planes make (what a state file holds is in `rbac_state.ts`).
 *
 * @module
 */

import { randomUUID } from "node:crypto";
import { createPrincipal, type EmulatorPrincipal, type PrincipalInit } from "./principals.ts";
import {
  DATA_PLANE_AUTHORIZATIONS,
  type DataPlaneAuthorization,
  type PersistentRbac,
  type RoleAssignmentRecord,
} from "./rbac_state.ts";
import { findRole, isGuid, type RoleDefinition, roleGrants } from "./role_definitions.ts";

/** A request to create a role assignment. */
export interface AssignRequest {
  /** Assignment GUID. @default a new one */
  name?: string;
  scope: string;
  /** Role definition GUID. */
  roleDefinitionId: string;
  principalId: string;
  principalType?: string;
  /** Object id of the caller. */
  by?: string | null;
}

/** Why an assignment could not be made (the ARM error code). */
export type AssignFailure =
  | "InvalidRoleAssignmentId"
  | "RoleDefinitionDoesNotExist"
  | "PrincipalNotFound"
  | "UnmatchedPrincipalType"
  | "RoleAssignmentExists"
  | "RoleAssignmentUpdateNotPermitted";

/** What {@link RbacStore.assign} did. */
export type AssignResult =
  | { ok: true; record: RoleAssignmentRecord; created: boolean }
  | { ok: false; failure: AssignFailure; principalType?: string };

/** ARM's principal types. */
export const PRINCIPAL_TYPES: readonly string[] = [
  "User",
  "Group",
  "ServicePrincipal",
  "ForeignGroup",
];
const CONTROL_PLANE_ROLES = ["Owner", "Contributor", "Reader"];

const norm = (scope: string) => scope.replace(/\/+$/, "").toLowerCase();

/**
 * Whether an assignment at `assignedAt` applies to `target` (the same resource or one below it).
 * Provider-level targets (`/providers/…`, e.g. an operation status) are covered by any assignment.
 */
export function scopeCovers(assignedAt: string, target: string): boolean {
  const a = norm(assignedAt);
  const t = norm(target);
  return !t.startsWith("/subscriptions/") || t === a || t.startsWith(`${a}/`);
}

/**
 * Principals, role assignments and the data-plane rule of one emulator, with the authorization
 * decisions both planes make. Every change calls `onChange` (the state file writer).
 */
export class RbacStore {
  dataPlaneAuthorization: DataPlaneAuthorization;
  readonly #principals = new Map<string, EmulatorPrincipal>();
  #assignments: RoleAssignmentRecord[];
  readonly #onChange: (() => void) | undefined;

  constructor(state: PersistentRbac, onChange?: () => void) {
    for (const p of state.principals) this.#principals.set(p.objectId.toLowerCase(), { ...p });
    this.#assignments = state.roleAssignments.map((a) => ({ ...a }));
    this.dataPlaneAuthorization = state.dataPlaneAuthorization;
    this.#onChange = onChange;
  }

  /** A copy of every principal, in the order they were added. */
  principals(): EmulatorPrincipal[] {
    return [...this.#principals.values()].map((p) => ({ ...p }));
  }

  /** The principal with this object id, if any. */
  principal(objectId: string): EmulatorPrincipal | undefined {
    const p = this.#principals.get(objectId.toLowerCase());
    return p && { ...p };
  }

  /** Adds a principal (ids left out are generated); throws a RangeError for a bad or taken one. */
  addPrincipal(init: PrincipalInit, tenantId: string): EmulatorPrincipal {
    const p = createPrincipal(init, tenantId);
    if (this.#principals.has(p.objectId)) {
      throw new RangeError(
        `Cannot add principal: object id "${p.objectId}" is taken by "${
          this.#principals.get(p.objectId)!.displayName
        }". Leave objectId out to get a new one`,
      );
    }
    this.#principals.set(p.objectId, p);
    this.#onChange?.();
    return { ...p };
  }

  /** Switches the data-plane rule. */
  setDataPlaneAuthorization(mode: DataPlaneAuthorization): void {
    if (!DATA_PLANE_AUTHORIZATIONS.includes(mode)) {
      throw new RangeError(
        `Cannot set dataPlaneAuthorization "${mode}": use "dataRoles" or "controlPlaneRoles"`,
      );
    }
    this.dataPlaneAuthorization = mode;
    this.#onChange?.();
  }

  /** Copies of every assignment, oldest first. */
  assignments(): RoleAssignmentRecord[] {
    return this.#assignments.map((a) => ({ ...a }));
  }

  /** The assignment with this name (GUID), if any. */
  find(name: string): RoleAssignmentRecord | undefined {
    const a = this.#assignments.find((x) => x.name === name.toLowerCase());
    return a && { ...a };
  }

  /** Creates an assignment, or reports why ARM would refuse it. */
  assign(req: AssignRequest, now: number): AssignResult {
    const name = (req.name ?? randomUUID()).toLowerCase();
    if (!isGuid(name)) return { ok: false, failure: "InvalidRoleAssignmentId" };
    const role = findRole(req.roleDefinitionId);
    if (!role || !isGuid(req.roleDefinitionId)) {
      return { ok: false, failure: "RoleDefinitionDoesNotExist" };
    }
    const principal = this.principal(req.principalId);
    if (!principal && !req.principalType) return { ok: false, failure: "PrincipalNotFound" };
    if (principal && req.principalType && req.principalType !== principal.type) {
      return { ok: false, failure: "UnmatchedPrincipalType", principalType: principal.type };
    }
    const principalId = principal?.objectId ?? req.principalId.toLowerCase();
    const same = (a: RoleAssignmentRecord) =>
      a.principalId === principalId && a.roleDefinitionId === role.id &&
      norm(a.scope) === norm(req.scope);
    const existing = this.#assignments.find((a) => a.name === name);
    if (existing) {
      return same(existing)
        ? { ok: true, record: { ...existing }, created: false }
        : { ok: false, failure: "RoleAssignmentUpdateNotPermitted" };
    }
    if (this.#assignments.some(same)) return { ok: false, failure: "RoleAssignmentExists" };
    const at = new Date(now).toISOString();
    const record: RoleAssignmentRecord = {
      name,
      scope: req.scope,
      roleDefinitionId: role.id,
      principalId,
      principalType: principal?.type ?? req.principalType!,
      createdOn: at,
      updatedOn: at,
      createdBy: req.by ?? null,
      updatedBy: req.by ?? null,
    };
    this.#assignments.push(record);
    this.#onChange?.();
    return { ok: true, record: { ...record }, created: true };
  }

  /** Removes the assignment with this name; returns it, or `undefined` when there was none. */
  remove(name: string): RoleAssignmentRecord | undefined {
    const i = this.#assignments.findIndex((a) => a.name === name.toLowerCase());
    if (i < 0) return undefined;
    const [removed] = this.#assignments.splice(i, 1);
    this.#onChange?.();
    return removed;
  }

  /**
   * Replaces every Owner/Contributor/Reader assignment of `principalId` (at any scope) with one
   * of `role` at `scope` (`"None"`: none). Other roles are left alone.
   */
  setControlPlaneRole(principalId: string, role: string, scope: string, now: number): void {
    const id = principalId.toLowerCase();
    const ids = CONTROL_PLANE_ROLES.map((n) => findRole(n)!.id);
    this.#assignments = this.#assignments.filter((a) =>
      !(a.principalId === id && ids.includes(a.roleDefinitionId))
    );
    const def = role === "None" ? undefined : findRole(role);
    if (def) {
      const type = this.principal(id)?.type ?? "ServicePrincipal";
      this.assign({ scope, roleDefinitionId: def.id, principalId: id, principalType: type }, now);
    }
    this.#onChange?.();
  }

  /** The role definitions `principalId` holds over `scope` (inherited ones included), of the assignments created by `asOf`. */
  rolesOver(principalId: string, scope: string, asOf = Infinity): RoleDefinition[] {
    const id = principalId.toLowerCase();
    return this.#assignments
      .filter((a) => a.principalId === id && scopeCovers(a.scope, scope) && Date.parse(a.createdOn) <= asOf)
      .map((a) => findRole(a.roleDefinitionId)!)
      .filter(Boolean);
  }

  /** Whether `principalId` may perform the control-plane `action` over `scope`. */
  permitted(principalId: string, action: string, scope: string): boolean {
    return this.rolesOver(principalId, scope).some((r) => roleGrants(r, action));
  }

  /**
   * Whether `principalId` may perform the data `action` over `scope`, by the current rule,
   * counting only assignments created at or before `asOf` (role propagation).
   */
  permittedData(principalId: string, action: string, scope: string, asOf = Infinity): boolean {
    const roles = this.rolesOver(principalId, scope, asOf);
    if (roles.some((r) => roleGrants(r, action, true))) return true;
    if (this.dataPlaneAuthorization === "dataRoles") return false;
    const write = roles.some((r) => roleGrants(r, "Microsoft.Quantum/workspaces/write"));
    const read = roles.some((r) => roleGrants(r, "Microsoft.Quantum/workspaces/read"));
    return write || (read && /\/read$/i.test(action));
  }

  /** What a state file holds. */
  snapshot(): PersistentRbac {
    return {
      principals: this.principals(),
      roleAssignments: this.assignments(),
      dataPlaneAuthorization: this.dataPlaneAuthorization,
    };
  }
}
