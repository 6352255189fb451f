import { NetworkError } from "../errors.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { type ArmClient, isDroppedRequest } from "./arm_client.ts";
import type { KeySlot } from "./arm_types.ts";
import type { NotApplied } from "./not_applied.ts";
import {
  regenerateGuard,
  type RegenerateOptions,
  type RegenerateWhich,
} from "./regenerate_guard.ts";
import { RegenerateResult } from "./regenerate_result.ts";

/**
 * `keys.regenerate()`: listKeys, the checks of `regenerateGuard` (disabled keys, key in use,
 * confirmation), one `regenerateKey` POST, then listKeys for the new fingerprints. A dropped POST
 * is not replayed: listKeys tells whether it ran (if not, a `NetworkError` says so).
 *
 * @param workspace The workspace.
 * @param arm Its ARM client.
 * @param which `"primary"`, `"secondary"` or `"both"`.
 * @param options `confirm`, `force`, `envFile`, signal, clock.
 * @returns The fingerprints before and after, or why nothing was done.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * import { regenerateKeys } from "./regenerate_keys.ts";
 * const ws = await connect();
 * await regenerateKeys(ws, ws.keys.arm, "secondary", { confirm: true });
 * ```
 */
export async function regenerateKeys(
  workspace: Workspace,
  arm: ArmClient,
  which: RegenerateWhich,
  options: RegenerateOptions & { now?: () => number } = {},
): Promise<RegenerateResult | NotApplied> {
  const name = workspace.info.workspaceName;
  const now = options.now ?? Date.now;
  const before = await arm.listKeys(options);
  const guard = regenerateGuard(workspace, which, before, options);
  if (guard.refusal) return guard.refusal;
  const started = now();
  let dropped = false;
  try {
    await arm.regenerateKey(
      guard.slots.map((s) => (s === "primary" ? "Primary" : "Secondary")),
      options,
    );
  } catch (e) {
    if (!isDroppedRequest(e)) throw e;
    dropped = true;
  }
  const after = await arm.listKeys(options);
  const changed = (s: KeySlot) => !after[s]?.key.equals(before[s]?.key ?? "");
  if (dropped && !guard.slots.some(changed)) {
    throw new NetworkError(
      "RegenerateNotApplied",
      `Cannot regenerate the ${which} key of workspace '${name}': the connection dropped before ARM ` +
        "answered, and listKeys shows the keys unchanged: nothing was regenerated. Run it again",
      { method: "POST", url: `${arm.resourceUrl}/regenerateKey` },
    );
  }
  return new RegenerateResult({
    workspaceName: name,
    keys: guard.slots.map((slot) => ({
      slot,
      before: before[slot]?.key.fingerprint,
      after: after[slot]?.key.fingerprint,
    })),
    kernelKeyRevoked: guard.slots.includes(guard.kernelSlot as KeySlot),
    connectionDropped: dropped,
    ms: now() - started,
  });
}
