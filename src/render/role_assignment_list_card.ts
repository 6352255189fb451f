/**
 * Data roles given to the principals a readiness report listed with no data role
 * (`readiness.fixOthers()`), as one card: who, what they held before, and what was done.
 *
 * @module
 */

import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { raw } from "./html.ts";
import { renderCard } from "./render_card.ts";
import { renderTable } from "./render_table.ts";
import { principalText, type RoleAssignmentData } from "./readiness_card.ts";
import { bundleOf } from "./_plain.ts";

/**
 * One principal `readiness.fixOthers()` acted on: the role `created`, found held already
 * (`existing`), or `failed` (Resource Manager refused or did not answer: `errorCode` says how;
 * the others were still tried).
 *
 * @example Usage
 * ```ts
 * import { connect, type OtherPrincipalOutcome, type RoleAssignmentListData } from "azure-quantum-notebook";
 * const ws = await connect();
 * const done = await (await ws.keys.readiness()).fixOthers({ confirm: true });
 * const failed: OtherPrincipalOutcome[] = done.applied ? (done as RoleAssignmentListData).assigned.filter((a) => a.outcome === "failed") : [];
 * ```
 */
export interface OtherPrincipalOutcome extends Omit<RoleAssignmentData, "outcome" | "dataPlane"> {
  /** What was done. */
  outcome: "created" | "existing" | "failed";
  /** The roles it held when the report was made. */
  rolesBefore: string[];
  /** `failed` only: the error's code (e.g. `AuthorizationFailed`, `NetworkError`). */
  errorCode?: string;
  /** `failed` only: the HTTP status, when Resource Manager answered. */
  statusCode?: number;
}

/**
 * A principal the report listed that `readiness.fixOthers()` left alone, because the role
 * assignments, read again, no longer show it with key access and no data role.
 *
 * @example Usage
 * ```ts
 * import { connect, type SkippedPrincipal, type RoleAssignmentListData } from "azure-quantum-notebook";
 * const ws = await connect();
 * const done = await (await ws.keys.readiness()).fixOthers({ confirm: true });
 * const skipped: SkippedPrincipal[] = done.applied ? (done as RoleAssignmentListData).skipped : [];
 * ```
 */
export interface SkippedPrincipal {
  /** Object id. */
  principalId: string;
  /** `User`, `Group`, `ServicePrincipal`, ... */
  principalType: string;
  /** The roles it held when the report was made. */
  rolesBefore: string[];
  /** Why, e.g. "holds a data role now". */
  reason: string;
}

/**
 * What `readiness.fixOthers()` did.
 *
 * @example Usage
 * ```ts
 * import { connect, type RoleAssignmentListData } from "azure-quantum-notebook";
 * const ws = await connect();
 * const done = await (await ws.keys.readiness()).fixOthers({ confirm: true });
 * if (done.applied) console.log((done as RoleAssignmentListData).assigned.length);
 * ```
 */
export interface RoleAssignmentListData {
  /** The workspace. */
  workspaceName: string;
  /** The role given. */
  role: string;
  /** One entry per principal acted on, in the report's order. */
  assigned: OtherPrincipalOutcome[];
  /** The principals the report listed that were left alone, and why. */
  skipped: SkippedPrincipal[];
}

function nowText(a: OtherPrincipalOutcome) {
  if (a.outcome === "created") return badge(`${a.role} (PUT ${a.putStatus ?? "?"})`, "ok");
  if (a.outcome === "existing") return "held it already";
  return badge(`failed: ${a.errorCode ?? "error"}${a.statusCode ? ` (${a.statusCode})` : ""}`, "bad");
}

/** The card of {@link RoleAssignmentListData}. */
export function renderRoleAssignmentList(r: RoleAssignmentListData): MimeBundle {
  const created = r.assigned.filter((a) => a.outcome === "created").length;
  const failed = r.assigned.filter((a) => a.outcome === "failed").length;
  const table = renderTable({
    columns: [{ header: "Principal" }, { header: "Roles before" }, { header: "Now" }],
    rows: [
      ...r.assigned.map((a) => [principalText(a), a.rolesBefore.join(", "), nowText(a)]),
      ...r.skipped.map((s) => [principalText(s), s.rolesBefore.join(", "), `skipped: ${s.reason}`]),
    ],
    empty: "(none)",
  });
  const counts = [
    `${created} of ${r.assigned.length} assigned`,
    failed ? `${failed} failed` : "",
    r.skipped.length ? `${r.skipped.length} skipped` : "",
  ].filter(Boolean).join(", ");
  const card = renderCard({
    title: `Data role for the others: ${r.role}`,
    badge: badge(counts, failed ? "bad" : created ? "ok" : "neutral"),
    rows: [
      ["Workspace", r.workspaceName],
      ["Principals", raw(table.html, table.text)],
    ],
    footer: "Each held a role that may read the access keys and no data role (the role assignments were read again " +
      "first), so it could use the data plane only with a key. " +
      (failed ? "A failed one did not get the role (unless only the answer was lost): once the cause is fixed, run " +
        "fixOthers({ confirm: true }) again; it reads the assignments again first. " : "") +
      "On Azure a new role assignment can take a few minutes to reach the data plane.",
  });
  return bundleOf(card, { applied: true, ...r });
}
