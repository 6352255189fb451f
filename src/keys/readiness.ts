/**
 * `keys.readiness()`, `readiness.fix()` and `keys.assignRole()`: the Microsoft Entra readiness
 * report as a result object, and role assignments with the same real-Azure opt-in as key changes.
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import { confirmFix } from "../config/key_changes_opt_in.ts";
import { DataResult, type MimeBundle } from "../displayable.ts";
// The check and the role assignment are imported on first call: importing the package stays cheap.
import type { AssignRoleOptions } from "../entra/assign_role.ts";
import type { ReadinessCheckOptions } from "../entra/readiness_check.ts";
import type { RoleAssignmentList, RoleAssignmentResult } from "../entra/role_assignment_result.ts";
import { principalsText, type ReadinessData, renderReadiness } from "../render/readiness_card.ts";
import type { RoleAssignmentListData, SkippedPrincipal } from "../render/role_assignment_list_card.ts";
import type { KeyHost } from "./key_host.ts";
import { NotApplied, optInRefusal } from "./results.ts";

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

/**
 * Options of `readiness.fixOthers()`.
 *
 * @example Give the others read access only
 * ```ts
 * import { connect, type FixOthersOptions } from "azure-quantum-notebook";
 * const options: FixOthersOptions = { confirm: true, role: "Quantum Workspace Data Reader" };
 * const ws = await connect();
 * await (await ws.keys.readiness()).fixOthers(options);
 * ```
 */
export interface FixOthersOptions extends Pick<AssignRoleOptions, "signal"> {
  /** It changes other people's access: without `true` nothing is done and the result says what would be. */
  confirm?: boolean;
  /**
   * The data role to give: "Quantum Workspace Data Contributor" (read and write jobs, what a key
   * gave) or "Quantum Workspace Data Reader"; no other role. @default "Quantum Workspace Data Contributor"
   */
  role?: string;
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
  readonly #workspace: KeyHost;
  readonly #arm: ArmClient;

  /**
   * Made by `keys.readiness()`: the report on `workspace`, whose role assignments `fix()` and
   * `fixOthers()` change through `arm`.
   */
  constructor(data: ReadinessData, describe: string, workspace: KeyHost, arm: ArmClient) {
    super(data);
    this.#describe = describe;
    this.#workspace = workspace;
    this.#arm = arm;
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
      return new NotApplied({
        operation: "assignRole",
        reason: "unchanged",
        workspaceName: this.workspaceName,
        would: `${this.#describe} reaches the data plane with Microsoft Entra ID already`,
        fix: "Nothing to do.",
      });
    }
    const you = this.identity;
    const { DATA_CONTRIBUTOR } = await import("../entra/role_access.ts");
    const done = await assignRoleWithOptIn(this.#workspace, this.#arm, DATA_CONTRIBUTOR, {
      signal: options.signal,
      ...(you ? { principalId: you.objectId, principalType: you.principalType } : {}),
    });
    if (!options.waitForDataPlane || this.safe || done instanceof NotApplied) return done;
    const { waitForDataAccess } = await import("../entra/wait_for_data_access.ts");
    const dataPlane = await waitForDataAccess(this.#workspace.settings, this.#workspace.progress, {
      signal: options.signal,
      timeoutMs: options.waitTimeoutMs,
      intervalMs: options.pollIntervalMs,
      now: options.now,
      sleep: options.sleep,
    });
    const { applied: _, ...data } = done;
    const { RoleAssignmentResult } = await import("../entra/role_assignment_result.ts");
    return new RoleAssignmentResult({ ...data, dataPlane });
  }

  /**
   * Gives a data role (default "Quantum Workspace Data Contributor": read and write jobs, what an
   * access key gave them) to the principals the report lists in `keyOnly`: roles that may read
   * the access keys, no data role. Whoever of them uses a key keeps the data plane once keys are
   * disabled. It changes other people's access, so it needs `{ confirm: true }` (without it,
   * a `confirmation-required` result lists who would get the role), and on Azure the session's
   * opt-in, as `fix()` does. It reads the role assignments again first and acts only on those
   * still holding key access and no data role; the others are listed in `skipped` with why. A
   * principal whose assignment fails is recorded as `failed` (with the error's code) and the
   * rest are still tried.
   *
   * @throws {RangeError} when `role` is not one of the two data roles.
   *
   * @example Give the others a data role, then check again
   * ```ts
   * import { connect, display } from "azure-quantum-notebook";
   * const ws = await connect();
   * const readiness = await ws.keys.readiness();
   * await display(await readiness.fixOthers({ confirm: true }));
   * await display(await ws.keys.readiness()); // "Every principal with a role on the workspace has a data role."
   * ```
   */
  async fixOthers(options: FixOthersOptions = {}): Promise<RoleAssignmentList | NotApplied> {
    const { dataRoleOption, failureOf, stillKeyOnly } = await import("../entra/fix_others.ts");
    const role = dataRoleOption(options.role);
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
        would: "every principal that may read the access keys has a data role already",
        fix: "Nothing to do.",
      });
    }
    const n = this.keyOnly.length;
    const would = `assign "${role}" on workspace '${this.workspaceName}' to ${n} other ${n === 1 ? "principal" : "principals"}`;
    if (options.confirm !== true) {
      return new NotApplied({
        ...base,
        reason: "confirmation-required",
        would,
        impact: `It changes who may use the data plane: ${principalsText(this.keyOnly)}. The role assignments are read again first; whoever no longer needs it is skipped.`,
        fix: confirmFix(this.#workspace),
      });
    }
    const refusal = roleOptInRefusal(this.#workspace, role);
    if (refusal) return refusal;
    const { readAssignments } = await import("../entra/readiness_check.ts");
    const now = await readAssignments(this.#arm, await this.#arm.signedInAs({ signal: options.signal }), options.signal);
    const assigned: RoleAssignmentListData["assigned"] = [];
    const skipped: SkippedPrincipal[] = [];
    for (const p of this.keyOnly) {
      const reason = stillKeyOnly(p, now);
      if (reason) {
        skipped.push({ principalId: p.principalId, principalType: p.principalType, rolesBefore: p.roles, reason });
        continue;
      }
      const type = TYPES.find((t) => t === p.principalType);
      try {
        const done = await assignRoleWithOptIn(this.#workspace, this.#arm, role, {
          signal: options.signal,
          principalId: p.principalId,
          ...(type ? { principalType: type } : {}),
        });
        if (done instanceof NotApplied) return done; // the opt-in, checked above: cannot happen part-way
        const { applied: _, dataPlane: __, ...data } = done;
        assigned.push({ ...data, rolesBefore: p.roles });
      } catch (e) {
        // Abort stops the loop; any other failure is this principal's: record it, try the rest.
        if (options.signal?.aborted) throw options.signal.reason;
        assigned.push({
          workspaceName: this.workspaceName,
          role,
          principalId: p.principalId,
          principalType: p.principalType,
          scope: this.workspaceId,
          you: false,
          outcome: "failed",
          rolesBefore: p.roles,
          ...failureOf(e),
        });
      }
    }
    const { RoleAssignmentList } = await import("../entra/role_assignment_result.ts");
    return new RoleAssignmentList({ workspaceName: this.workspaceName, role, assigned, skipped });
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
  const { data, describe } = await checkReadiness(workspace, arm, options);
  return new EntraReadiness(data, describe, workspace, arm);
}

// On Azure without the session's opt-in: the refusal of a role assignment.
function roleOptInRefusal(workspace: KeyHost, role: string): NotApplied | undefined {
  return optInRefusal(workspace, "assignRole", `assign "${role}" on workspace '${workspace.info.workspaceName}'`);
}

/** `keys.assignRole()`: on Azure only with the session's opt-in; the principal defaults to this kernel's identity. */
export async function assignRoleWithOptIn(
  workspace: KeyHost,
  arm: ArmClient,
  role: string,
  options: AssignRoleOptions = {},
): Promise<RoleAssignmentResult | NotApplied> {
  const refusal = roleOptInRefusal(workspace, role);
  if (refusal) return refusal;
  const { assignRole } = await import("../entra/assign_role.ts");
  // The token is cached: knowing who "you" are costs no request.
  const you = await arm.signedInAs({ signal: options.signal });
  return assignRole(arm, role, options, you);
}
