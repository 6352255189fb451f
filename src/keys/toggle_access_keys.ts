import type { ArmClient } from "../arm/arm_client.ts";
import { putBodyFor } from "../arm/arm_types.ts";
import { confirmFix } from "../config/key_changes_opt_in.ts";
import { waitForVerdict } from "./key_probe.ts";
import type { KeyHost } from "./key_host.ts";
import { KeyToggleResult, NotApplied, optInRefusal } from "./results.ts";
import { checkReadiness, type ReadinessCheck } from "../entra/readiness_check.ts";
import { everyoneText } from "../entra/role_access.ts";
import { principalsText } from "../render/readiness_card.ts";

// Who may read the access keys but has no data role: they lose the data plane if they use keys.
function keyUsersText({ data }: ReadinessCheck): string {
  if (!data.assignments) return "Who else uses keys is not known (the role assignments could not be listed).";
  if (data.keyOnly.length === 0) return everyoneText(data.noKeyAccess?.length ?? 0);
  return "With a role that may read the access keys but no data role (they lose data-plane access if they use keys): " +
    `${principalsText(data.keyOnly)}.`;
}

// Disabling keys would leave this kernel's own identity without the data plane.
function lockOut(name: string, { data, describe }: ReadinessCheck): NotApplied {
  const why = data.dataPlane.outcome === "forbidden"
    ? `${describe} has no data role on the workspace (the data plane answers ${data.dataPlane.status}` +
      `${data.dataPlane.serviceCode ? ` ${data.dataPlane.serviceCode}` : ""} to its Microsoft Entra token)`
    : `the data plane rejects the Microsoft Entra token of ${describe} (${data.dataPlane.status})`;
  const fix = data.roleToAssign
    ? `Assign "${data.roleToAssign.role}" to ${describe} on ${data.roleToAssign.scope} first: ` +
      "`await (await ws.keys.readiness()).fix()` (needs Owner or User Access Administrator), or have an Owner run " +
      `${data.roleToAssign.command}. Then run this again; { force: true } disables anyway.`
    : "Sign in to the workspace's tenant with an identity that has a data role, then run this again; " +
      "{ force: true } disables anyway.";
  return new NotApplied({
    operation: "disable",
    reason: "would-lock-out",
    workspaceName: name,
    would: `disable access keys of workspace '${name}', and lock you out`,
    impact: `Every connection string and access key stops working, and ${why}: this kernel would have no way ` +
      `to the data plane. ${keyUsersText({ data, describe })}`,
    fix,
  });
}

/**
 * Options of `enable()` and `disable()`.
 *
 * @example Disable, and wait until the data plane rejects keys
 * ```ts
 * import { connect, type KeyToggleOptions } from "azure-quantum-notebook";
 * const options: KeyToggleOptions = { confirm: true, waitForDataPlane: true, waitTimeoutMs: 90_000 };
 * const ws = await connect();
 * await ws.keys.disable(options);
 * ```
 */
export interface KeyToggleOptions {
  /** Aborts the call. */
  signal?: AbortSignal;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Required by `disable()` (every key stops working); `enable()` does not need it. */
  confirm?: boolean;
  /**
   * `disable()` only: skip the Microsoft Entra readiness check, which refuses (`would-lock-out`)
   * when this kernel's identity has no data-plane access with Entra ID. @default false
   */
  force?: boolean;
  /** Also wait until the data plane shows the change (401 when disabled, 200 when enabled). @default false */
  waitForDataPlane?: boolean;
  /** Bound on that wait. @default 120_000 */
  waitTimeoutMs?: number;
  /** Between data-plane probes. @default 2000 */
  pollIntervalMs?: number;
  /** Between ARM operation polls when ARM sends no `Retry-After`. @default 1000 */
  lroPollIntervalMs?: number;
  /** Abortable wait (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * `keys.enable()` / `keys.disable()`: GET the workspace, and unless it is already in the wanted
 * state, PUT it back (read-only fields dropped) with `properties.apiKeyEnabled` flipped and follow
 * the long-running operation. Disabling needs `{ confirm: true }` (else a {@link NotApplied}
 * describing the impact, after at most a GET and a listKeys), and on a workspace that is not the
 * emulator also the session's opt-in. With `waitForDataPlane`, probes the
 * data plane (the kernel's key, or the listed primary with Entra ID) until it shows the change.
 *
 * @param workspace The workspace.
 * @param arm Its ARM client.
 * @param target `true` to enable, `false` to disable.
 * @param options Confirmation, data-plane wait, clock.
 * @returns Before and after, or why nothing was done.
 */
export async function toggleAccessKeys(
  workspace: KeyHost,
  arm: ArmClient,
  target: boolean,
  options: KeyToggleOptions = {},
): Promise<KeyToggleResult | NotApplied> {
  const name = workspace.info.workspaceName;
  const now = options.now ?? Date.now;
  const operation = target ? "enable" : "disable";
  const resource = await arm.getWorkspace(options);
  const before = resource.properties?.apiKeyEnabled;
  if (before === target) {
    return new NotApplied({
      operation,
      reason: "unchanged",
      workspaceName: name,
      would: `access keys of workspace '${name}' are already ${operation}d`,
      fix: "Nothing to do.",
    });
  }
  let readiness: ReadinessCheck | undefined;
  if (!target && options.force !== true) {
    readiness = await checkReadiness(workspace, arm, { signal: options.signal, now, apiKeyEnabled: before });
    if (!readiness.data.safe) return lockOut(name, readiness);
  }
  if (!target && options.confirm !== true) {
    let listed = "";
    try {
      const keys = await arm.listKeys(options);
      listed = ` (primary ${keys.primary?.key.fingerprint ?? "?"}, secondary ${
        keys.secondary?.key.fingerprint ?? "?"
      })`;
    } catch {
      // describing the impact is best effort: a Reader cannot list keys
    }
    return new NotApplied({
      operation,
      reason: "confirmation-required",
      workspaceName: name,
      would: `disable access keys of workspace '${name}'`,
      impact: `Every connection string and access key${listed} stops working` +
        (workspace.liveKey ? ", including this kernel's" : "") +
        (readiness
          ? `; Microsoft Entra ID keeps working for this kernel (the readiness check passed)` +
            `${readiness.data.readOnly ? ", read only: it will not be able to submit jobs" : ""}. ${keyUsersText(readiness)}`
          : ". Whether Microsoft Entra ID works for this kernel was not checked ({ force: true })."),
      fix: confirmFix(workspace),
    });
  }
  if (!target) {
    const refusal = optInRefusal(workspace, operation, `disable access keys of workspace '${name}'`);
    if (refusal) return refusal;
  }
  const started = now();
  const put = await arm.putWorkspace(putBodyFor(resource, target), {
    signal: options.signal,
    pollIntervalMs: options.lroPollIntervalMs,
    now: options.now,
    sleep: options.sleep,
    action: `${operation} access keys`,
  });
  const ms = now() - started;
  let dataPlane;
  if (options.waitForDataPlane) {
    const key = workspace.liveKey?.key ?? (await arm.listKeys(options)).primary?.key;
    if (key) {
      dataPlane = await waitForVerdict(workspace, key, target ? "accepted" : "rejected", {
        signal: options.signal,
        timeoutMs: options.waitTimeoutMs,
        intervalMs: options.pollIntervalMs,
        now: options.now,
        sleep: options.sleep,
        progressLabel: `Waiting for the data plane to ${target ? "accept" : "reject"} access keys`,
      });
    }
  }
  return new KeyToggleResult({
    operation,
    workspaceName: name,
    before,
    after: put.workspace.properties?.apiKeyEnabled,
    putStatus: put.putStatus,
    polls: put.polls,
    ms,
    dataPlane,
    ...(target ? {} : { entraChecked: readiness !== undefined }),
    ...(workspace.settings.armEndpointNote ? { armEndpoint: workspace.settings.armEndpointNote } : {}),
  });
}
