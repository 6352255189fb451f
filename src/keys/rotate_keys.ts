/**
 * `keys.rotate()`: what it needs before it starts (a key, the confirmation, on Azure the session's
 * opt-in) and the lock that keeps one rotation of a workspace at a time; the steps themselves are
 * in `rotation_steps.ts`.
 *
 * @module
 */

import type { ArmClient } from "../arm/arm_client.ts";
import { checkReferencePairing } from "../config/arm_settings.ts";
import { withFileLock, workspaceLockPath } from "../config/file_lock.ts";
import { confirmFix } from "../config/key_changes_opt_in.ts";
import { describeKeyVaultSecret } from "../config/key_vault_connection.ts";
import type { Progress } from "../progress.ts";
import type { KeyHost } from "./key_host.ts";
import type { KeySwitchOptions } from "./key_switch.ts";
import { NotApplied, optInRefusal, type RotationReport } from "./results.ts";
import { rotateLocked } from "./rotation_steps.ts";

/**
 * Options of `keys.rotate()`.
 *
 * @example End on the secondary key
 * ```ts
 * import { connect, type RotateOptions } from "azure-quantum-notebook";
 * const options: RotateOptions = { confirm: true, stayOnOther: true, waitTimeoutMs: 120_000 };
 * const ws = await connect();
 * await ws.keys.rotate(options);
 * ```
 */
export interface RotateOptions extends KeySwitchOptions {
  /** Required: rotation regenerates a key. Without it nothing changes. */
  confirm?: boolean;
  /** End on the other key instead of switching back to the regenerated original slot. @default false */
  stayOnOther?: boolean;
  /** Aborts the rotation (it stops where a working key is in place). */
  signal?: AbortSignal;
  /** Wait after switching, before regenerating, so requests in flight with the old key finish. @default 1000 */
  graceMs?: number;
  /** Bound on each wait for the data plane (old key rejected, new key accepted). @default 120_000 */
  waitTimeoutMs?: number;
  /** Between data-plane probes. @default 2000 */
  pollIntervalMs?: number;
  /** Clock. @default Date.now */
  now?: () => number;
  /** Abortable wait (tests). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** `false` shows no progress line. @default the workspace's progress (a notebook line) */
  progress?: boolean;
  /** How long to wait for another rotation of the workspace. @default twice `waitTimeoutMs` + 60 s */
  lockTimeoutMs?: number;
}

/**
 * Zero-downtime rotation of the key this kernel uses (see `KeyManager.rotate`). Every step is
 * timed into a {@link RotationReport}; a failing step stops the rotation with a
 * {@link RotationError} while the kernel and `.env` hold a key that works.
 */
export async function rotateKeys(
  workspace: KeyHost,
  arm: ArmClient,
  options: RotateOptions = {},
): Promise<RotationReport | NotApplied> {
  const name = workspace.info.workspaceName;
  const live = workspace.liveKey;
  if (!live) {
    return new NotApplied({
      operation: "rotate",
      reason: "not-applicable",
      workspaceName: name,
      would: "this kernel uses Microsoft Entra ID, so it has no access key to rotate",
      fix: 'To revoke keys others use, run keys.regenerate("secondary", { confirm: true }).',
    });
  }
  if (options.confirm !== true) {
    return new NotApplied({
      operation: "rotate",
      reason: "confirmation-required",
      workspaceName: name,
      would:
        "rotate the access key this kernel uses: switch to the other key, regenerate the key in use, " +
        "then switch to its new value",
      impact:
        `Every connection string using the current key (${live.key.fingerprint}) stops working; ` +
        (workspace.info.keySource?.keyVault
          ? `the Key Vault secret "${workspace.info.keySource.keyVault.secretName}" gets a new version and this kernel switches to it.`
          : "this kernel, its environment and its .env are updated."),
      fix: confirmFix(workspace),
    });
  }
  const refusal = optInRefusal(
    workspace,
    "rotate",
    `rotate the access key this kernel uses (${live.key.fingerprint}) on workspace '${name}'`,
  );
  if (refusal) return refusal;
  // The new key goes to the vault the current one came from: loading refuses the emulator's vault for
  // an Azure connection (and the reverse), but a connection can be made by hand.
  const origin = workspace.info.keySource?.keyVault;
  if (origin) checkReferencePairing(origin.vaultUrl, describeKeyVaultSecret(origin), workspace.info, "rotate the access key");

  // One rotation of a workspace at a time (across this user's kernels): a second one waits, then
  // finds the keys the first left and ends on one it verified. The lock covers every step, the
  // Key Vault write-backs included.
  const lock = await workspaceLockPath(workspace.info);
  const progress = options.progress === false ? undefined : workspace.progress;
  let waiting: Progress | undefined;
  return await withFileLock(lock, async () => {
    await waiting?.done("the other rotation finished");
    return await rotateLocked(workspace, arm, live, options, progress);
  }, {
    what: `the key rotation of workspace "${name}"`,
    timeoutMs: options.lockTimeoutMs ?? 2 * (options.waitTimeoutMs ?? 120_000) + 60_000,
    signal: options.signal,
    onWait: () => (waiting = progress?.start(`Waiting for another rotation of ${name} to finish`)),
  });
}
