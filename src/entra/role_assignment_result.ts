import { DataResult, type MimeBundle } from "../displayable.ts";
import { type RoleAssignmentData, renderRoleAssignment } from "../render/readiness_card.ts";

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
