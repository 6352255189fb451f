/**
 * `keys.regenerate()`: the checks (disabled keys, key in use, confirmation), then one
 * `regenerateKey` POST.
 *
 * @module
 */

import { type ArmClient, isDroppedRequest } from "../arm/arm_client.ts";
import type { KeySlot } from "../arm/arm_types.ts";
import { type ListKeysResult, slotOf } from "../arm/list_keys_result.ts";
import { CONNECTION_STRING_VARIABLE } from "../config/connection_sources.ts";
import { envFileSecret } from "../config/env_file_values.ts";
import { confirmFix } from "../config/key_changes_opt_in.ts";
import { parseConnectionString } from "../connection/connection_string.ts";
import { NetworkError } from "../request_errors.ts";
import type { KeyHost } from "./key_host.ts";
import { NotApplied, optInRefusal, RegenerateResult } from "./results.ts";

/**
 * Which keys `regenerate()` replaces.
 *
 * @example Usage
 * ```ts
 * import type { RegenerateWhich } from "azure-quantum-notebook";
 * const which: RegenerateWhich = "secondary";
 * ```
 */
export type RegenerateWhich = KeySlot | "both";

/**
 * Options of `keys.regenerate()`.
 *
 * @example Usage
 * ```ts
 * import { connect, type RegenerateOptions } from "azure-quantum-notebook";
 * const options: RegenerateOptions = { confirm: true };
 * const ws = await connect();
 * await ws.keys.regenerate("secondary", options);
 * ```
 */
export interface RegenerateOptions {
  /** Required: the old key stops working at once. Without it nothing changes. */
  confirm?: boolean;
  /** Also regenerate the key this kernel or its `.env` uses (its requests then fail). @default false */
  force?: boolean;
  /** The `.env` file whose key counts as in use; `false` for none. @default the connection's `.env` */
  envFile?: string | false;
  /** Aborts the call. */
  signal?: AbortSignal;
}

/** What {@link regenerateGuard} decided. */
interface RegenerateDecision {
  slots: KeySlot[];
  /** The slot this kernel uses, if any. */
  kernelSlot: KeySlot | undefined;
  /** Set when the call must not go ahead. */
  refusal: NotApplied | undefined;
}

function envFileSlot(
  workspace: KeyHost,
  keys: ListKeysResult,
  envFile: string | false | undefined,
) {
  const path = envFile === false ? undefined : envFile ?? workspace.info.envFilePath;
  const text = path
    ? envFileSecret(path, CONNECTION_STRING_VARIABLE, workspace.settings.privateKeyOptions)
    : undefined;
  if (!path || !text) return undefined;
  try {
    return { path, slot: slotOf(keys, parseConnectionString(text.reveal()).apiKey) };
  } catch {
    return undefined;
  }
}

/**
 * Whether `regenerate(which)` may run: refuses (a {@link NotApplied}) while keys are disabled,
 * for a key this kernel or its `.env` uses unless `force`, without `confirm`, and on a workspace
 * that is not the emulator without the session's opt-in.
 *
 * @throws {RangeError} for an unknown `which`.
 */
function regenerateGuard(
  workspace: KeyHost,
  which: RegenerateWhich,
  keys: ListKeysResult,
  options: RegenerateOptions,
): RegenerateDecision {
  if (which !== "primary" && which !== "secondary" && which !== "both") {
    throw new RangeError(
      `Cannot regenerate keys: unknown key "${
        String(which)
      }". Use "primary", "secondary" or "both"`,
    );
  }
  const slots: KeySlot[] = which === "both" ? ["primary", "secondary"] : [which];
  const name = workspace.info.workspaceName;
  const kernelSlot = slotOf(keys, workspace.liveKey?.key);
  const described = slots.map((s) => `${s} key (${keys[s]?.key.fingerprint ?? "not listed"})`).join(
    " and ",
  );
  const would = `regenerate the ${described} of workspace '${name}'`;
  const base = { operation: "regenerate" as const, workspaceName: name, would };
  const decision = (refusal?: NotApplied) => ({ slots, kernelSlot, refusal });

  if (keys.apiKeyEnabled === false) {
    return decision(
      new NotApplied({
        ...base,
        reason: "keys-disabled",
        impact: "Keys can be regenerated only while access keys are enabled.",
        fix: "Enable them first with keys.enable(), then run this again.",
      }),
    );
  }
  if (!options.force) {
    const env = envFileSlot(workspace, keys, options.envFile);
    const users = [
      kernelSlot && slots.includes(kernelSlot) ? `this kernel uses the ${kernelSlot} key` : "",
      env?.slot && slots.includes(env.slot) ? `${env.path} holds the ${env.slot} key` : "",
    ].filter(Boolean);
    if (users.length) {
      return decision(
        new NotApplied({
          ...base,
          reason: "key-in-use",
          impact: `${users.join(", and ")}: its requests would fail at once.`,
          fix:
            "Use keys.rotate({ confirm: true }) to replace the key in use without downtime, or pass " +
            "{ confirm: true, force: true } to regenerate it anyway.",
        }),
      );
    }
  }
  if (options.confirm !== true) {
    return decision(
      new NotApplied({
        ...base,
        reason: "confirmation-required",
        impact: "Every connection string using it stops working at once.",
        fix: confirmFix(workspace),
      }),
    );
  }
  return decision(optInRefusal(workspace, "regenerate", would));
}

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
 */
export async function regenerateKeys(
  workspace: KeyHost,
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
      `Cannot regenerate the ${which} key of workspace "${name}": the connection dropped before ARM ` +
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
    ...(workspace.settings.armEndpointNote ? { armEndpoint: workspace.settings.armEndpointNote } : {}),
  });
}
