/**
 * The Microsoft Entra readiness report as a card (who this kernel is signed in as, what the data
 * plane said to its token, the role assignments on the workspace and which give data access, the
 * verdict and the fix), and the card of a role assignment made to fix it. Plain data in, a MIME
 * bundle out; no token anywhere (only the claims that name a principal).
 *
 * @module
 */

import type { TokenIdentity } from "../connection/token_claims.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { html as h, raw } from "./html.ts";
import { renderCard } from "./render_card.ts";
import { renderTable } from "./render_table.ts";
import { bundleOf, plural } from "./_plain.ts";

/**
 * What a role gives on the data plane: `write` (jobs read and write, e.g. Quantum Workspace Data
 * Contributor), `read` (Data Reader), `none` (control-plane roles such as Owner), or `unknown`
 * (its definition could not be read).
 *
 * @example Usage
 * ```ts
 * import { connect, type DataAccess } from "azure-quantum-notebook";
 * const ws = await connect();
 * const access: DataAccess[] = ((await ws.keys.readiness()).assignments ?? []).map((a) => a.dataAccess);
 * ```
 */
export type DataAccess = "write" | "read" | "none" | "unknown";

/**
 * One role assignment that applies to the workspace, as the readiness report shows it.
 *
 * @example Usage
 * ```ts
 * import { connect, type ReadinessAssignment } from "azure-quantum-notebook";
 * const ws = await connect();
 * const rows: ReadinessAssignment[] = (await ws.keys.readiness()).assignments ?? [];
 * ```
 */
export interface ReadinessAssignment {
  /** The role's name, or its definition id when that could not be read. */
  roleName: string;
  /** Object id of the principal. */
  principalId: string;
  /** `User`, `Group`, `ServicePrincipal`, ... */
  principalType: string;
  /** Where it is assigned (a resource id). */
  scope: string;
  /** `workspace`, or where it is inherited from. */
  level: "workspace" | "resource group" | "subscription" | "above the subscription" | "other";
  /** What it gives on the data plane. */
  dataAccess: DataAccess;
  /**
   * Whether the role may read the access keys (`listKeys`: Owner and Contributor may, Reader may
   * not); absent when its definition could not be read.
   */
  keyAccess?: boolean;
  /** True when it names this kernel's identity. */
  you: boolean;
}

/**
 * A principal other than this kernel's identity that has a role on the workspace but no data
 * role. In `keyOnly` its roles may read the access keys: if it uses them, it loses data-plane
 * access when they are disabled. In `noKeyAccess` they may not (e.g. Reader).
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyOnlyPrincipal } from "azure-quantum-notebook";
 * const ws = await connect();
 * const atRisk: KeyOnlyPrincipal[] = (await ws.keys.readiness()).keyOnly;
 * ```
 */
export interface KeyOnlyPrincipal {
  /** Object id. */
  principalId: string;
  /** `User`, `Group`, `ServicePrincipal`, ... */
  principalType: string;
  /** The roles it holds (none of them a data role). */
  roles: string[];
}

/**
 * The role to assign so that an identity reaches the data plane with Microsoft Entra ID, and the
 * Azure CLI line that assigns it.
 *
 * @example Usage
 * ```ts
 * import { connect, type ReadinessFix } from "azure-quantum-notebook";
 * const ws = await connect();
 * const fix: ReadinessFix | undefined = (await ws.keys.readiness()).roleToAssign;
 * if (fix) console.log(fix.command);
 * ```
 */
export interface ReadinessFix {
  /** The role, e.g. `"Quantum Workspace Data Contributor"`. */
  role: string;
  /** Where: the workspace's resource id. */
  scope: string;
  /** Object id of the identity that needs it. */
  principalId: string;
  /** Its type, for `--assignee-principal-type`. */
  principalType: string;
  /** `az role assignment create …` */
  command: string;
}

/**
 * What the data plane said to this kernel's Microsoft Entra token (one `providerStatus` GET):
 * `reached` (200), `forbidden` (403, no data role), `unauthorized` (401, token rejected).
 *
 * @example Usage
 * ```ts
 * import { connect, type DataPlaneOutcome } from "azure-quantum-notebook";
 * const ws = await connect();
 * const outcome: DataPlaneOutcome = (await ws.keys.readiness()).dataPlane.outcome;
 * ```
 */
export type DataPlaneOutcome = "reached" | "forbidden" | "unauthorized";

/**
 * The Microsoft Entra readiness report: can access keys be disabled without locking anyone out?
 *
 * @example Usage
 * ```ts
 * import { connect, type ReadinessData } from "azure-quantum-notebook";
 * const ws = await connect();
 * const report: ReadinessData = await ws.keys.readiness();
 * report.safe; // false until this identity has a data role
 * ```
 */
export interface ReadinessData {
  /** The workspace. */
  workspaceName: string;
  /** Its resource id: the scope of the fix. */
  workspaceId: string;
  /** Who this kernel is signed in as (from the token's claims), if the token names a principal. */
  identity: TokenIdentity | undefined;
  /** The data plane's answer to this kernel's Entra token. */
  dataPlane: { outcome: DataPlaneOutcome; status: number; serviceCode?: string };
  /** Whether access keys are enabled now, when Resource Manager said. */
  apiKeyEnabled?: boolean;
  /** The role assignments on the workspace (inherited ones included); `undefined` when they could not be listed. */
  assignments: ReadinessAssignment[] | undefined;
  /** Why the role assignments could not be listed. */
  assignmentsError?: string;
  /**
   * Principals (other than this kernel's identity) whose roles may read the access keys but give no
   * data access: the ones disabling keys can lock out.
   */
  keyOnly: KeyOnlyPrincipal[];
  /**
   * Principals (other than this kernel's identity) whose roles give neither data access nor the
   * access keys (e.g. Reader): disabling keys changes nothing for them.
   */
  noKeyAccess?: KeyOnlyPrincipal[];
  /** True when this kernel keeps data-plane access with Microsoft Entra ID once keys are disabled. */
  safe: boolean;
  /**
   * True when that access only reads (e.g. Quantum Workspace Data Reader alone): with keys disabled
   * it can read jobs but not submit them. Still `safe` (nobody is locked out); `roleToAssign` and
   * `fix()` give Data Contributor.
   */
  readOnly?: boolean;
  /** One paragraph: safe or not, and why. */
  verdict: string;
  /** What to assign when not safe. */
  roleToAssign?: ReadinessFix;
  /** Further advice. */
  notes: string[];
  /** When the check ran. */
  checkedAt: Date;
}

/** One line naming a principal of a role assignment. */
export function principalText(p: { principalType: string; principalId: string }, you = false): string {
  const type = p.principalType === "ServicePrincipal" ? "service principal" : p.principalType.toLowerCase();
  return `${type} ${p.principalId}${you ? " (you)" : ""}`;
}

/** Principals with their roles, on one line: `user 1234 (Owner); group 5678 (Contributor)`. */
export function principalsText(ps: readonly KeyOnlyPrincipal[]): string {
  return ps.map((p) => `${principalText(p)} (${p.roles.join(", ")})`).join("; ");
}

/** One line naming the identity: its name and type, object id and tenant. */
export function identityText(identity: TokenIdentity | undefined, describe: string): string {
  if (!identity) return "unknown (the token names no principal)";
  const type = identity.principalType === "User" ? "user" : "service principal";
  return `${describe}\n${type}, object id ${identity.objectId}` +
    (identity.tenantId ? `, tenant ${identity.tenantId}` : "");
}

const ACCESS_TEXT: Record<DataAccess, string> = {
  write: "read and write",
  read: "read",
  none: "none",
  unknown: "unknown",
};

function dataPlaneText(d: ReadinessData["dataPlane"]): string {
  const code = d.serviceCode ? ` ${d.serviceCode}` : "";
  if (d.outcome === "reached") return `reached with Microsoft Entra ID (providerStatus ${d.status})`;
  if (d.outcome === "forbidden") return `refused: ${d.status}${code} (no data role)`;
  return `refused: ${d.status}${code} (the token was rejected)`;
}

function assignmentsTable(r: ReadinessData) {
  if (!r.assignments) return `could not be listed: ${r.assignmentsError ?? "unknown error"}`;
  const table = renderTable({
    columns: [{ header: "Role" }, { header: "Principal" }, { header: "Scope" }, { header: "Data access" }],
    rows: r.assignments.map((a) => [
      // A role's name stays on one line; long object ids may wrap.
      raw(h`<span style="white-space:nowrap">${a.roleName}</span>`.value, a.roleName),
      principalText(a, a.you),
      a.level === "workspace" ? "workspace" : `${a.level} (inherited)`,
      a.dataAccess === "none" || a.dataAccess === "unknown"
        ? ACCESS_TEXT[a.dataAccess]
        : badge(ACCESS_TEXT[a.dataAccess], "ok"),
    ]),
    empty: "(none)",
  });
  return raw(table.html, table.text);
}

/** The readiness report as a card. */
export function renderReadiness(r: ReadinessData, describe: string): MimeBundle {
  const locked = r.dataPlane.outcome === "forbidden";
  const listed = (ps: readonly KeyOnlyPrincipal[]) => ps.map((p) => `${principalText(p)}: ${p.roles.join(", ")}`).join("\n");
  const noKeys = r.noKeyAccess ?? [];
  const card = renderCard({
    title: `Microsoft Entra ID readiness: ${r.workspaceName}`,
    badge: r.safe
      ? (r.readOnly ? badge("Safe to disable keys, read only", "warn") : badge("Safe to disable keys", "ok"))
      : badge(locked ? "Would lock you out" : "Not safe", "bad"),
    rows: [
      ["Signed in as", identityText(r.identity, describe)],
      ["Data plane", dataPlaneText(r.dataPlane)],
      r.apiKeyEnabled === undefined ? null : ["Access keys", r.apiKeyEnabled ? "enabled" : "disabled"],
      ["Role assignments", assignmentsTable(r)],
      r.keyOnly.length ? [`No data role (${r.keyOnly.length})`, `${listed(r.keyOnly)}\nif they use access keys, they lose data-plane access when keys are disabled`] : null,
      noKeys.length ? [`No key access (${noKeys.length})`, `${listed(noKeys)}\nneither a data role nor a role that may read the keys: disabling keys changes nothing for them`] : null,
      ["Verdict", r.verdict],
      r.roleToAssign ? ["Fix", `assign "${r.roleToAssign.role}" on the workspace: \`await readiness.fix()\`, or\n${r.roleToAssign.command}`] : null,
      ...r.notes.map((n): [string, string] => ["Note", n]),
    ],
    footer: `Checked ${r.checkedAt.toISOString()} with one providerStatus request and Resource Manager reads; ` +
      "no token is shown, only the claims that name the principal.",
  });
  return bundleOf(card, { ...r, identityText: describe });
}

/**
 * How long a new role assignment took to reach the data plane (`fix({ waitForDataPlane: true })`).
 *
 * @example Usage
 * ```ts
 * import { connect, type DataAccessWait, type RoleAssignmentData } from "azure-quantum-notebook";
 * const ws = await connect();
 * const done = await (await ws.keys.readiness()).fix({ waitForDataPlane: true });
 * const wait: DataAccessWait | undefined = done.applied ? (done as RoleAssignmentData).dataPlane : undefined;
 * ```
 */
export interface DataAccessWait {
  /** True once the data plane answered 200 to this kernel's Microsoft Entra token. */
  reached: boolean;
  /** The last answer's status. */
  status: number;
  /** Probes sent. */
  probes: number;
  /** From the first probe to the last answer, in ms. */
  waitedMs: number;
}

/**
 * What assigning a role did.
 *
 * @example Usage
 * ```ts
 * import { connect, type RoleAssignmentData } from "azure-quantum-notebook";
 * const ws = await connect();
 * const readiness = await ws.keys.readiness();
 * const done = await readiness.fix();
 * if (done.applied) console.log((done as RoleAssignmentData).role);
 * ```
 */
export interface RoleAssignmentData {
  /** The workspace. */
  workspaceName: string;
  /** The role assigned. */
  role: string;
  /** Object id of the principal. */
  principalId: string;
  /** Its type. */
  principalType: string;
  /** Where (a resource id). */
  scope: string;
  /** `created` (PUT 201), or `existing` when the principal already held it there (nothing sent). */
  outcome: "created" | "existing";
  /** The new assignment's id, when one was created. */
  assignmentId?: string;
  /** Status of the PUT, when one was sent. */
  putStatus?: number;
  /** True when the principal is this kernel's identity. */
  you: boolean;
  /** The wait for the data plane, when `fix({ waitForDataPlane: true })` asked for it. */
  dataPlane?: DataAccessWait;
}

function waitText(w: DataAccessWait): string {
  const s = Math.round(w.waitedMs / 1000);
  const probes = plural(w.probes, "probe");
  return w.reached
    ? `reached with Microsoft Entra ID after ${s} s (${probes})`
    : `still refused (${w.status}) after ${s} s (${probes}): Azure can take several minutes; \`ws.keys.readiness()\` checks again`;
}

/** A role assignment made (or found) as a card. */
export function renderRoleAssignment(r: RoleAssignmentData): MimeBundle {
  const card = renderCard({
    title: `Role assigned: ${r.role}`,
    badge: r.outcome === "created" ? badge("Assigned", "ok") : badge("Already assigned", "neutral"),
    rows: [
      ["Principal", principalText(r, r.you)],
      ["Scope", r.scope],
      ["Resource Manager", r.putStatus ? `PUT roleAssignments ${r.putStatus}` : "no change needed"],
      r.assignmentId ? ["Assignment", r.assignmentId] : null,
      r.dataPlane ? ["Data plane", waitText(r.dataPlane)] : null,
    ],
    footer: r.dataPlane?.reached
      ? "The data plane accepts this kernel's Microsoft Entra token now."
      : "On Azure a new role assignment can take a few minutes to reach the data plane; " +
        "`ws.keys.readiness()` checks again.",
  });
  return bundleOf(card, { applied: true, ...r });
}
