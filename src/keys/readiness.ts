/**
 * `keys.readiness()`, `readiness.fix()` and `keys.assignRole()`: the Microsoft Entra readiness
 * report as a result object, and role assignments with the same real-Azure opt-in as key changes.
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import { keyChangesAllowed, OPT_IN_HINT } from "../config/key_changes_opt_in.ts";
import { DataResult, type MimeBundle } from "../displayable.ts";
// The check and the role assignment are imported on first call: importing the package stays cheap.
import type { AssignRoleOptions } from "../entra/assign_role.ts";
import type { ReadinessCheckOptions } from "../entra/readiness_check.ts";
import type { RoleAssignmentList, RoleAssignmentResult } from "../entra/role_assignment_result.ts";
import {
  type DataAccessWait,
  type ReadinessData,
  renderReadiness,
} from "../render/readiness_card.ts";
import type { RoleAssignmentListData } from "../render/role_assignment_list_card.ts";
import type { KeyHost } from "./key_host.ts";
import { NotApplied } from "./results.ts";

/**
 * Options of `readiness.fix()`.
 *
 * @example Fix, and wait until the role reaches the data plane
 * ```ts
 * import { connect, type ReadinessFixOptions } from "azure-quantum-notebook";
 * const options: ReadinessFixOptions = { waitForDataPlane: true, waitTimeoutMs: 300_000 };
 * const ws = await connect();
 * await (await ws.keys.readiness()).fix(options);
 * ```
 */
export interface ReadinessFixOptions extends Pick<AssignRoleOptions, "signal"> {
  /**
   * After assigning the role, probe the data plane with this kernel's Entra token until it answers
   * (on Azure a new role takes minutes to count there). Only when the report was not safe: the
   * probe reads, so it cannot tell read from write. @default false
   */
  waitForDataPlane?: boolean;
  /** Bound on that wait. @default 600_000 */
  waitTimeoutMs?: number;
  /** Between probes. @default 10_000 */
  pollIntervalMs?: number;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Abortable wait (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

// The principal types a role assignment PUT takes; others are left for Resource Manager to look up.
const TYPES = ["User", "Group", "ServicePrincipal"] as const;

/** The fields of an {@link EntraReadiness}. */
export interface EntraReadiness extends Readonly<ReadinessData> {}

/**
 * The Microsoft Entra readiness report of `keys.readiness()`: who this kernel is signed in as,
 * whether that identity reaches the data plane with Entra ID, the role assignments on the
 * workspace and which give data access, and whether access keys can be disabled without locking
 * anyone out. Renders as a card; holds no token. `fix()` assigns the missing data role to you,
 * `fixOthers()` to the principals listed with no data role.
 *
 * @example Check, fix, check again
 * ```ts
 * import { connect, display } from "azure-quantum-notebook";
 * const ws = await connect();
 * const readiness = await ws.keys.readiness();
 * await display(readiness);
 * if (!readiness.safe) await display(await readiness.fix());
 * ```
 */
export class EntraReadiness extends DataResult<ReadinessData> {
  readonly #describe: string;
  readonly #assign: (role: string | undefined, options: AssignRoleOptions) => Promise<RoleAssignmentResult | NotApplied>;
  readonly #wait: (options: ReadinessFixOptions) => Promise<DataAccessWait>;

  /**
   * Made by `keys.readiness()`; `assign` gives a role (default: Data Contributor) to a principal
   * (default: you), `wait` probes the data plane until this kernel reaches it.
   */
  constructor(
    data: ReadinessData,
    describe: string,
    assign: (role: string | undefined, options: AssignRoleOptions) => Promise<RoleAssignmentResult | NotApplied>,
    wait: (options: ReadinessFixOptions) => Promise<DataAccessWait>,
  ) {
    super(data);
    this.#describe = describe;
    this.#assign = assign;
    this.#wait = wait;
  }

  /** One line naming this kernel's identity, e.g. `Ada Lovelace (ada@contoso.com)`. */
  get signedInAs(): string {
    return this.#describe;
  }

  /**
   * Assigns "Quantum Workspace Data Contributor" on the workspace to this kernel's identity (a
   * role assignment through Resource Manager, as `az role assignment create` makes; it needs
   * Owner or User Access Administrator). Nothing to do when the report is safe and not read-only;
   * on a workspace that is not the emulator it needs the session's opt-in, as key changes do.
   * With `waitForDataPlane`, waits until the role reaches the data plane (see {@link ReadinessFixOptions}).
   */
  async fix(options: ReadinessFixOptions = {}): Promise<RoleAssignmentResult | NotApplied> {
    if (this.safe && !this.readOnly) {
      return Promise.resolve(
        new NotApplied({
          operation: "assignRole",
          reason: "unchanged",
          workspaceName: this.workspaceName,
          would: `${this.#describe} reaches the data plane with Microsoft Entra ID already`,
          fix: "Nothing to do.",
        }),
      );
    }
    const you = this.identity;
    const done = await this.#assign(undefined, {
      signal: options.signal,
      ...(you ? { principalId: you.objectId, principalType: you.principalType } : {}),
    });
    if (!options.waitForDataPlane || this.safe || done instanceof NotApplied) return done;
    const dataPlane = await this.#wait(options);
    const { applied: _, ...data } = done;
    const { RoleAssignmentResult } = await import("../entra/role_assignment_result.ts");
    return new RoleAssignmentResult({ ...data, dataPlane });
  }

  /**
   * Gives a data role (default "Quantum Workspace Data Contributor": read and write jobs, what an
   * access key gave them) to every principal the report lists in `keyOnly`, i.e. with a role on
   * the workspace but no data role: whoever of them uses a key keeps the data plane once keys are
   * disabled. Same rights and opt-in as `fix()`. Run `ws.keys.readiness()` again afterwards: its
   * `keyOnly` list is then empty.
   *
   * @example Give the others a data role, then check again
   * ```ts
   * import { connect, display } from "azure-quantum-notebook";
   * const ws = await connect();
   * const readiness = await ws.keys.readiness();
   * await display(await readiness.fixOthers());
   * await display(await ws.keys.readiness()); // "Every principal with a role on the workspace has a data role."
   * ```
   */
  async fixOthers(
    options: Pick<AssignRoleOptions, "signal"> & { role?: string } = {},
  ): Promise<RoleAssignmentList | NotApplied> {
    const base = { operation: "assignRole" as const, workspaceName: this.workspaceName };
    if (!this.assignments) {
      return new NotApplied({
        ...base,
        reason: "not-applicable",
        would: "who has no data role is not known: the role assignments could not be listed",
        fix: "Give each principal that uses keys a data role: " +
          'ws.keys.assignRole("Quantum Workspace Data Contributor", { principalId, principalType }).',
      });
    }
    if (this.keyOnly.length === 0) {
      return new NotApplied({
        ...base,
        reason: "unchanged",
        would: "every principal with a role on the workspace has a data role already",
        fix: "Nothing to do.",
      });
    }
    const assigned: RoleAssignmentListData["assigned"] = [];
    for (const p of this.keyOnly) {
      const type = TYPES.find((t) => t === p.principalType);
      const done = await this.#assign(options.role, {
        signal: options.signal,
        principalId: p.principalId,
        ...(type ? { principalType: type } : {}),
      });
      if (done instanceof NotApplied) return done; // the opt-in: refused before any change
      const { applied: _, ...data } = done;
      assigned.push({ ...data, rolesBefore: p.roles });
    }
    const { RoleAssignmentList } = await import("../entra/role_assignment_result.ts");
    return new RoleAssignmentList({ workspaceName: this.workspaceName, role: assigned[0]!.role, assigned });
  }

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderReadiness(this, this.#describe);
  }
}

/** `keys.readiness()`: the check, as a result whose `fix()` assigns the data role. */
export async function readiness(
  workspace: KeyHost,
  arm: ArmClient,
  options: ReadinessCheckOptions = {},
): Promise<EntraReadiness> {
  const { checkReadiness } = await import("../entra/readiness_check.ts");
  const { DATA_CONTRIBUTOR } = await import("../entra/role_access.ts");
  const { data, describe } = await checkReadiness(workspace, arm, options);
  return new EntraReadiness(
    data,
    describe,
    (role, o) => assignRoleWithOptIn(workspace, arm, role ?? DATA_CONTRIBUTOR, o),
    async (o) => {
      const { waitForDataAccess } = await import("../entra/wait_for_data_access.ts");
      return waitForDataAccess(workspace.settings, workspace.progress, {
        signal: o.signal,
        timeoutMs: o.waitTimeoutMs,
        intervalMs: o.pollIntervalMs,
        now: o.now,
        sleep: o.sleep,
      });
    },
  );
}

/** `keys.assignRole()`: on Azure only with the session's opt-in; the principal defaults to this kernel's identity. */
export async function assignRoleWithOptIn(
  workspace: KeyHost,
  arm: ArmClient,
  role: string,
  options: AssignRoleOptions = {},
): Promise<RoleAssignmentResult | NotApplied> {
  const name = workspace.info.workspaceName;
  if (!keyChangesAllowed(workspace)) {
    return new NotApplied({
      operation: "assignRole",
      reason: "opt-in-required",
      workspaceName: name,
      would: `assign "${role}" on workspace '${name}'`,
      impact: `Workspace '${name}' is on Azure (${workspace.info.endpoint}), not the emulator: ` +
        "a role assignment changes who may use it.",
      fix: `To change its role assignments, ${OPT_IN_HINT}, then run this again.`,
    });
  }
  const { assignRole } = await import("../entra/assign_role.ts");
  // The token is cached: knowing who "you" are costs no request.
  const you = await arm.signedInAs({ signal: options.signal });
  return assignRole(arm, role, options, you);
}
