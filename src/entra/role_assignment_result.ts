import { DataResult, type MimeBundle } from "../displayable.ts";
import { type RoleAssignmentData, renderRoleAssignment } from "../render/readiness_card.ts";
import { type RoleAssignmentListData, renderRoleAssignmentList } from "../render/role_assignment_list_card.ts";

/** The fields of a {@link RoleAssignmentResult}. */
export interface RoleAssignmentResult extends Readonly<RoleAssignmentData> {}

/**
 * A role assigned on the workspace (or found assigned already). Renders as a card.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const result = await ws.keys.assignRole("Quantum Workspace Data Contributor");
 * if (result.applied) console.log(result.outcome); // "created" or "existing"
 * ```
 */
export class RoleAssignmentResult extends DataResult<RoleAssignmentData> {
  /** The role is in place. */
  readonly applied = true as const;

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderRoleAssignment(this);
  }
}

/** The fields of a {@link RoleAssignmentList}. */
export interface RoleAssignmentList extends Readonly<RoleAssignmentListData> {}

/**
 * Data roles given to the principals a readiness report listed with key access but no data role
 * (`readiness.fixOthers({ confirm: true })`): who got it, who held it, who failed and who was
 * skipped. Renders as one card.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const done = await (await ws.keys.readiness()).fixOthers({ confirm: true });
 * if (done.applied) console.log(done.assigned.map((a) => a.outcome));
 * ```
 */
export class RoleAssignmentList extends DataResult<RoleAssignmentListData> {
  /** The assignments were attempted: each entry's `outcome` says how each went. */
  readonly applied = true as const;

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderRoleAssignmentList(this);
  }
}
