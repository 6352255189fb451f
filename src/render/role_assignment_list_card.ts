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
 * What `readiness.fixOthers()` did.
 *
 * @example Usage
 * ```ts
 * import { connect, type RoleAssignmentListData } from "azure-quantum-notebook";
 * const ws = await connect();
 * const done = await (await ws.keys.readiness()).fixOthers();
 * if (done.applied) console.log((done as RoleAssignmentListData).assigned.length);
 * ```
 */
export interface RoleAssignmentListData {
  /** The workspace. */
  workspaceName: string;
  /** The role given. */
  role: string;
  /** One entry per principal, in the report's order. */
  assigned: (RoleAssignmentData & { rolesBefore: string[] })[];
}

/** The card of {@link RoleAssignmentListData}. */
export function renderRoleAssignmentList(r: RoleAssignmentListData): MimeBundle {
  const created = r.assigned.filter((a) => a.outcome === "created").length;
  const table = renderTable({
    columns: [{ header: "Principal" }, { header: "Roles before" }, { header: "Now" }],
    rows: r.assigned.map((a) => [
      principalText(a),
      a.rolesBefore.join(", "),
      a.outcome === "created" ? badge(`${a.role} (PUT ${a.putStatus ?? "?"})`, "ok") : "held it already",
    ]),
    empty: "(none)",
  });
  const card = renderCard({
    title: `Data role for the others: ${r.role}`,
    badge: badge(`${created} of ${r.assigned.length} assigned`, created ? "ok" : "neutral"),
    rows: [
      ["Workspace", r.workspaceName],
      ["Principals", raw(table.html, table.text)],
    ],
    footer: "Each had a role on the workspace but no data role, so it could use the data plane only with a key. " +
      "On Azure a new role assignment can take a few minutes to reach the data plane.",
  });
  return bundleOf(card, { applied: true, ...r });
}
