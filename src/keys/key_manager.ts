import type { Secret } from "../connection/secret.ts";
import { ArmError, NetworkError } from "../errors.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { ArmClient, type ArmClientOptions, isDroppedRequest } from "./arm_client.ts";
import { putBodyFor } from "./arm_types.ts";
import type { KeySlot } from "./arm_types.ts";
import { waitForVerdict } from "./key_probe.ts";
import { KeyStatus } from "./key_status.ts";
import { connectionStringFor } from "./key_switch.ts";
import { KeyToggleResult } from "./key_toggle_result.ts";
import { NotApplied } from "./not_applied.ts";
import { regenerateGuard, type RegenerateOptions, type RegenerateWhich } from "./regenerate_guard.ts";
import { RegenerateResult } from "./regenerate_result.ts";
import { type RotateOptions, rotateKeys } from "./rotate_keys.ts";
import type { RotationReport } from "./rotation_report.ts";
import { parseConnectionString } from "../connection/connection_string.ts";

/** Options of a {@link KeyManager} (default: taken from the workspace's options). */
export interface KeyManagerOptions extends ArmClientOptions {
  /** Clock. @default Date.now */
  now?: () => number;
}

/** Options every key call takes. */
export interface KeyCallOptions {
  signal?: AbortSignal;
}

/** Options of `enable()` and `disable()`. */
export interface KeyToggleOptions extends KeyCallOptions {
  /** Required by `disable()` (every key stops working); `enable()` does not need it. */
  confirm?: boolean;
  /** Also wait until the data plane shows the change (401 when disabled, 200 when enabled). @default false */
  waitForDataPlane?: boolean;
  /** Bound on that wait. @default 120_000 */
  waitTimeoutMs?: number;
  /** Between data-plane probes. @default 2000 */
  pollIntervalMs?: number;
  /** Between ARM operation polls when ARM sends no `Retry-After`. @default 1000 */
  lroPollIntervalMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type { RegenerateOptions, RegenerateWhich, RotateOptions };

/**
 * Access-key management of a workspace through Azure Resource Manager (`workspace.keys`):
 * status, enable, disable, regenerate, rotate and the connection string of either key. ARM calls
 * use a Microsoft Entra token (DefaultAzureCredential unless `credential` is given). Destructive
 * calls (`disable`, `regenerate`, `rotate`) change nothing without `{ confirm: true }`: they
 * return a {@link NotApplied} saying what they would do. Results render as cards and never hold a
 * key, only fingerprints.
 *
 * @example Rotate the kernel's key without downtime
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * await ws.keys.status(); // which key is in use
 * const report = await ws.keys.rotate({ confirm: true });
 * ```
 */
export class KeyManager {
  readonly workspace: Workspace;
  readonly #options: KeyManagerOptions;
  #arm: ArmClient | undefined;

  constructor(workspace: Workspace, options?: KeyManagerOptions) {
    this.workspace = workspace;
    const o = workspace.options as Workspace["options"] & { armScope?: string };
    this.#options = options ?? {
      credential: o.credential,
      armEndpoint: o.armEndpoint,
      armScope: o.armScope,
      armApiVersion: o.armApiVersion,
      ca: o.ca,
      env: o.env,
      fetch: o.armFetch,
      retry: o.retry,
      timeoutMs: o.timeoutMs,
    };
  }

  /** The ARM client (made on first use: it resolves the endpoint and CA then). */
  get arm(): ArmClient {
    this.#arm ??= new ArmClient(this.workspace.info, this.#options);
    return this.#arm;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  get #name(): string {
    return this.workspace.info.workspaceName;
  }

  /** Enabled or not, each key's fingerprint and age, and which one this kernel uses. */
  async status(options: KeyCallOptions = {}): Promise<KeyStatus> {
    const keys = await this.arm.listKeys(options);
    if (keys.apiKeyEnabled === undefined) {
      const ws = await this.arm.getWorkspace(options);
      keys.apiKeyEnabled = ws.properties?.apiKeyEnabled;
    }
    return new KeyStatus(this.#name, keys, this.workspace.liveKey?.key, new Date(this.#now()));
  }

  /** Enables access keys (GET, PUT with `apiKeyEnabled: true`, follow the operation). */
  enable(options: KeyToggleOptions = {}): Promise<KeyToggleResult | NotApplied> {
    return this.#toggle(true, options);
  }

  /** Disables access keys: every connection string and key stops working. Needs `{ confirm: true }`. */
  disable(options: KeyToggleOptions = {}): Promise<KeyToggleResult | NotApplied> {
    return this.#toggle(false, options);
  }

  async #toggle(target: boolean, options: KeyToggleOptions): Promise<KeyToggleResult | NotApplied> {
    const operation = target ? "enable" : "disable";
    const resource = await this.arm.getWorkspace(options);
    const before = resource.properties?.apiKeyEnabled;
    if (before === target) {
      return new NotApplied({
        operation,
        reason: "unchanged",
        workspaceName: this.#name,
        would: `access keys of workspace '${this.#name}' are already ${operation}d`,
        fix: "Nothing to do.",
      });
    }
    if (!target && options.confirm !== true) {
      let listed = "";
      try {
        const keys = await this.arm.listKeys(options);
        listed = ` (primary ${keys.primary?.key.fingerprint ?? "?"}, secondary ${keys.secondary?.key.fingerprint ?? "?"})`;
      } catch {
        // describing the impact is best effort: a Reader cannot list keys
      }
      return new NotApplied({
        operation,
        reason: "confirmation-required",
        workspaceName: this.#name,
        would: `disable access keys of workspace '${this.#name}'`,
        impact: `Every connection string and access key${listed} stops working` +
          (this.workspace.liveKey ? ", including this kernel's" : "") +
          "; Microsoft Entra ID keeps working.",
        fix: "Run again with { confirm: true }.",
      });
    }
    const started = this.#now();
    const put = await this.arm.putWorkspace(putBodyFor(resource, target), {
      signal: options.signal,
      pollIntervalMs: options.lroPollIntervalMs,
      now: this.#options.now,
      sleep: options.sleep,
      action: `${operation} access keys`,
    });
    const ms = this.#now() - started;
    let dataPlane;
    if (options.waitForDataPlane) {
      const key = this.workspace.liveKey?.key ?? (await this.arm.listKeys(options)).primary?.key;
      if (key) {
        dataPlane = await waitForVerdict(this.workspace, key, target ? "accepted" : "rejected", {
          signal: options.signal,
          timeoutMs: options.waitTimeoutMs,
          intervalMs: options.pollIntervalMs,
          now: this.#options.now,
          sleep: options.sleep,
          progressLabel: `Waiting for the data plane to ${target ? "accept" : "reject"} access keys`,
          progress: this.workspace.options.progress,
        });
      }
    }
    return new KeyToggleResult({
      operation,
      workspaceName: this.#name,
      before,
      after: put.workspace.properties?.apiKeyEnabled,
      putStatus: put.putStatus,
      polls: put.polls,
      ms,
      dataPlane,
    });
  }

  /**
   * Regenerates the primary, secondary or both keys (the old ones stop working at once). Needs
   * `{ confirm: true }`; refuses the key this kernel or its `.env` uses (use `rotate()`) unless
   * `{ force: true }`, and refuses while keys are disabled. A dropped POST is not retried:
   * `listKeys` tells whether it ran.
   */
  async regenerate(
    which: RegenerateWhich,
    options: RegenerateOptions = {},
  ): Promise<RegenerateResult | NotApplied> {
    const before = await this.arm.listKeys(options);
    const guard = regenerateGuard(this.workspace, which, before, options);
    if (guard.refusal) return guard.refusal;
    const started = this.#now();
    let dropped = false;
    try {
      await this.arm.regenerateKey(guard.slots.map((s) => (s === "primary" ? "Primary" : "Secondary")), options);
    } catch (e) {
      if (!isDroppedRequest(e)) throw e;
      dropped = true;
    }
    const after = await this.arm.listKeys(options);
    const changed = (s: KeySlot) => !after[s]?.key.equals(before[s]?.key ?? "");
    if (dropped && !guard.slots.some(changed)) {
      throw new NetworkError(
        "RegenerateNotApplied",
        `Cannot regenerate the ${which} key of workspace '${this.#name}': the connection dropped before ARM ` +
          "answered, and listKeys shows the keys unchanged: nothing was regenerated. Run it again",
        { method: "POST", url: `${this.arm.resourceUrl}/regenerateKey` },
      );
    }
    return new RegenerateResult({
      workspaceName: this.#name,
      keys: guard.slots.map((slot) => ({
        slot,
        before: before[slot]?.key.fingerprint,
        after: after[slot]?.key.fingerprint,
      })),
      kernelKeyRevoked: guard.slots.includes(guard.kernelSlot as KeySlot),
      connectionDropped: dropped,
      ms: this.#now() - started,
    });
  }

  /**
   * Zero-downtime rotation of the key this kernel uses. Needs `{ confirm: true }`. Steps: find the
   * key in use; pick the other key; verify it on the data plane; switch the live credential, the
   * environment and `.env` to it; regenerate the old key; verify the old key is rejected and the
   * other accepted; switch back to the regenerated key of the original slot (unless
   * `stayOnOther`); verify. Returns the timeline, or throws a `RotationError` (with the timeline)
   * while a working key is in place.
   */
  rotate(options: RotateOptions = {}): Promise<RotationReport | NotApplied> {
    return rotateKeys(this.workspace, this.arm, { now: this.#options.now, ...options });
  }

  /**
   * The connection string for the primary or secondary key, as a `Secret` (masked everywhere):
   * e.g. to share the secondary key through a separate `.env` (`updateEnvFile`).
   */
  async connectionString(slot: KeySlot, options: KeyCallOptions = {}): Promise<Secret> {
    if (slot !== "primary" && slot !== "secondary") {
      throw new RangeError(`Cannot build a connection string: unknown key "${String(slot)}". Use "primary" or "secondary"`);
    }
    const keys = await this.arm.listKeys(options);
    const listed = keys[slot];
    const fromArm = slot === "primary" ? keys.primaryConnectionString : keys.secondaryConnectionString;
    if (!listed) {
      if (fromArm) return fromArm;
      throw new ArmError(
        "KeyNotListed",
        `Cannot build a connection string: listKeys returned no ${slot} key for workspace '${this.#name}'. ` +
          "Check keys.status(); enable access keys first if they are disabled",
      );
    }
    try {
      return connectionStringFor(this.workspace, listed.key);
    } catch (e) {
      if (fromArm && sameWorkspace(this.workspace, fromArm)) return fromArm;
      throw e;
    }
  }
}

function sameWorkspace(workspace: Workspace, text: Secret): boolean {
  try {
    const parsed = parseConnectionString(text.reveal());
    const info = workspace.info;
    return parsed.subscriptionId === info.subscriptionId && parsed.resourceGroup === info.resourceGroup &&
      parsed.workspaceName === info.workspaceName;
  } catch {
    return false;
  }
}
