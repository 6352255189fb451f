/**
 * What the readiness report concludes, pure: which role definitions give data-plane access, where
 * an assignment sits relative to the workspace, who has a role but no data role, the verdict and
 * the fix.
 *
 * @module
 */

import { grants } from "../arm/role_hints.ts";
import type { RoleDefinition } from "../arm/role_assignments.ts";
import type { TokenIdentity } from "../connection/token_claims.ts";
import type {
  DataAccess,
  DataPlaneOutcome,
  KeyOnlyPrincipal,
  ReadinessAssignment,
  ReadinessFix,
} from "../render/readiness_card.ts";

/** The data role a fix assigns: reads and writes jobs, as the key it replaces did. */
export const DATA_CONTRIBUTOR = "Quantum Workspace Data Contributor";
/** The read-only data role. */
export const DATA_READER = "Quantum Workspace Data Reader";
/** The data actions the data plane checks (reference: the built-in Data Contributor role). */
export const JOBS_READ = "Microsoft.Quantum/Workspaces/jobs/read";
export const JOBS_WRITE = "Microsoft.Quantum/Workspaces/jobs/write";
/** The control-plane action that reads the access keys (`az quantum workspace keys list`). */
export const LIST_KEYS = "Microsoft.Quantum/workspaces/listKeys/action";

/** What a role definition gives on the data plane, from its DataActions minus NotDataActions. */
export function dataAccessOf(definition: RoleDefinition | undefined): DataAccess {
  if (!definition) return "unknown";
  const has = (action: string) =>
    definition.permissions.some((p) => grants(p.dataActions, p.notDataActions, action));
  return has(JOBS_WRITE) ? "write" : has(JOBS_READ) ? "read" : "none";
}

const norm = (id: string) => id.replace(/\/+$/, "").toLowerCase();

/**
 * Whether a role definition lets its holder read the workspace's access keys (its Actions minus
 * NotActions cover listKeys: Owner and Contributor do, Reader does not); `undefined` when the
 * definition could not be read.
 */
export function keyAccessOf(definition: RoleDefinition | undefined): boolean | undefined {
  if (!definition) return undefined;
  return definition.permissions.some((p) => grants(p.actions, p.notActions, LIST_KEYS));
}

/** Where an assignment's scope sits relative to the workspace (its own, or inherited from above). */
export function levelOf(scope: string, workspaceId: string): ReadinessAssignment["level"] {
  const s = norm(scope);
  const ws = norm(workspaceId);
  const [, sub, rg] = /^(\/subscriptions\/[^/]+)(\/resourcegroups\/[^/]+)?/.exec(ws) ?? [];
  if (s === ws) return "workspace";
  if (rg && s === `${sub}${rg}`) return "resource group";
  if (sub && s === sub) return "subscription";
  if (s === "" || s.startsWith("/providers/microsoft.management/")) return "above the subscription";
  return "other";
}

/**
 * Principals other than `you` whose every role is known, none gives data access, and at least one
 * may read the access keys: they are the ones disabling keys can lock out.
 */
export function keyOnlyPrincipals(assignments: readonly ReadinessAssignment[]): KeyOnlyPrincipal[] {
  return withoutDataRole(assignments).filter((list) => list.some((a) => a.keyAccess === true)).map(principalOf);
}

/**
 * Principals other than `you` with roles that give neither data access nor the access keys (e.g.
 * Reader): they never had key access, so disabling keys changes nothing for them.
 */
export function noKeyAccessPrincipals(assignments: readonly ReadinessAssignment[]): KeyOnlyPrincipal[] {
  return withoutDataRole(assignments).filter((list) => list.every((a) => a.keyAccess === false)).map(principalOf);
}

// Each other principal's assignments, when every role is known and none gives data access.
function withoutDataRole(assignments: readonly ReadinessAssignment[]): ReadinessAssignment[][] {
  const byPrincipal = new Map<string, ReadinessAssignment[]>();
  for (const a of assignments) {
    if (a.you) continue;
    byPrincipal.set(a.principalId, [...(byPrincipal.get(a.principalId) ?? []), a]);
  }
  return [...byPrincipal.values()].filter((list) => list.every((a) => a.dataAccess === "none"));
}

const principalOf = (list: ReadinessAssignment[]): KeyOnlyPrincipal => ({
  principalId: list[0]!.principalId,
  principalType: list[0]!.principalType,
  roles: [...new Set(list.map((a) => a.roleName))],
});

/** The fix for an identity without a data role: Data Contributor on the workspace, and the `az` line. */
export function fixFor(identity: TokenIdentity, workspaceId: string): ReadinessFix {
  const command = `az role assignment create --role "${DATA_CONTRIBUTOR}" --assignee-object-id ${identity.objectId} ` +
    `--assignee-principal-type ${identity.principalType} --scope "${workspaceId}"`;
  return {
    role: DATA_CONTRIBUTOR,
    scope: workspaceId,
    principalId: identity.objectId,
    principalType: identity.principalType,
    command,
  };
}

/** What the verdict is made from. */
export interface VerdictInputs {
  /** "Ada Lovelace (ada@…)": who this kernel is. */
  who: string;
  outcome: DataPlaneOutcome;
  status: number;
  serviceCode?: string;
  assignments: readonly ReadinessAssignment[] | undefined;
  keyOnly: readonly KeyOnlyPrincipal[];
  /** Others whose roles give neither data access nor the keys (e.g. Reader). */
  noKeyAccess?: readonly KeyOnlyPrincipal[];
  apiKeyEnabled?: boolean;
  /** The data roles of this kernel's identity when none of them writes jobs (it reads only). */
  readOnlyRoles?: readonly string[];
}

/** The clause of a verdict for an identity whose data roles only read. */
function readOnlyText(roles: readonly string[]): string {
  return `Its data access is read-only (${roles.join(", ")}): with keys disabled you will be able to read ` +
    `but not submit jobs; assign "${DATA_CONTRIBUTOR}" to submit them.`;
}

/** One paragraph: safe to disable access keys or not, and why. */
export function verdictOf(v: VerdictInputs): string {
  const code = v.serviceCode ? ` ${v.serviceCode}` : "";
  if (v.outcome === "forbidden") {
    return `${v.apiKeyEnabled === false ? "Access keys are disabled and" : "Not safe: disabling access keys would lock you out:"} ` +
      `${v.who} has no data role on the workspace (the data plane answered ${v.status}${code} to its Microsoft Entra token)` +
      (v.apiKeyEnabled === false ? ", so this kernel cannot use the data plane." : ".");
  }
  if (v.outcome === "unauthorized") {
    return `Not safe: the data plane rejected the Microsoft Entra token of ${v.who} (${v.status}${code}): ` +
      "sign in to the workspace's tenant, then check again.";
  }
  const head = (v.apiKeyEnabled === false
    ? `Access keys are disabled, and ${v.who} reaches the data plane with Microsoft Entra ID.`
    : `Safe to disable access keys for this kernel: ${v.who} reaches the data plane with Microsoft Entra ID.`) +
    (v.readOnlyRoles?.length ? ` ${readOnlyText(v.readOnlyRoles)}` : "");
  if (!v.assignments) return `${head} Who else uses keys is not known (the role assignments could not be listed).`;
  if (v.keyOnly.length === 0) return `${head} ${everyoneText(v.noKeyAccess?.length ?? 0)}`;
  const n = v.keyOnly.length;
  return `${head} ${n} other ${n === 1 ? "principal" : "principals"} may read the access keys but ${n === 1 ? "has" : "have"} no data role: ` +
    `if ${n === 1 ? "it uses" : "they use"} access keys, ${n === 1 ? "it loses" : "they lose"} data-plane access` +
    `${v.apiKeyEnabled === false ? "" : " when keys are disabled"}.`;
}

/** The sentence when nobody is at risk; `noKeyAccess` counts the others whose roles cannot read keys. */
export function everyoneText(noKeyAccess: number): string {
  if (noKeyAccess === 0) return "Every principal with a role on the workspace has a data role.";
  return `Every other principal that may read the access keys has a data role; ${noKeyAccess} ` +
    `${noKeyAccess === 1 ? "holds a role" : "hold roles"} with neither (e.g. Reader), so disabling keys changes nothing for ` +
    `${noKeyAccess === 1 ? "it" : "them"}.`;
}
