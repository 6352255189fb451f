import { readFileSync } from "node:fs";
import { parse as parseDotenv } from "dotenv";
import { CONNECTION_STRING_VARIABLE } from "../connection/connection_sources.ts";
import { parseConnectionString } from "../connection/connection_string.ts";
import type { Workspace } from "../workspace/workspace.ts";
import type { KeySlot } from "./arm_types.ts";
import { NotApplied } from "./not_applied.ts";
import { slotOf, type WorkspaceKeys } from "./workspace_keys.ts";

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
 * import type { RegenerateOptions } from "./regenerate_guard.ts";
 * const options: RegenerateOptions = { confirm: true };
 * ```
 */
export interface RegenerateOptions {
  /** Required: the old key stops working at once. Without it nothing changes. */
  confirm?: boolean;
  /** Also regenerate the key this kernel or its `.env` uses (its requests then fail). @default false */
  force?: boolean;
  /** The `.env` file whose key counts as in use; `false` for none. @default the connection's `.env` */
  envFile?: string | false;
  signal?: AbortSignal;
}

/**
 * What {@link regenerateGuard} decided.
 *
 * @example Usage
 * ```ts
 * import type { RegenerateDecision } from "./regenerate_guard.ts";
 * const allowed = (d: RegenerateDecision) => d.refusal === undefined;
 * ```
 */
export interface RegenerateDecision {
  slots: KeySlot[];
  /** The slot this kernel uses, if any. */
  kernelSlot: KeySlot | undefined;
  /** Set when the call must not go ahead. */
  refusal: NotApplied | undefined;
}

function envFileSlot(
  workspace: Workspace,
  keys: WorkspaceKeys,
  envFile: string | false | undefined,
) {
  const path = envFile === false ? undefined : envFile ?? workspace.info.envFilePath;
  if (!path) return undefined;
  try {
    const text = parseDotenv(readFileSync(path, "utf8"))[CONNECTION_STRING_VARIABLE];
    return text ? { path, slot: slotOf(keys, parseConnectionString(text).apiKey) } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decides whether `regenerate(which)` may run: refuses (a {@link NotApplied}) while keys are
 * disabled, for a key this kernel or its `.env` uses unless `force`, and without `confirm`.
 *
 * @param workspace The workspace.
 * @param which `"primary"`, `"secondary"` or `"both"`.
 * @param keys The current `listKeys`.
 * @param options `confirm`, `force`, `envFile`.
 * @returns The slots and any refusal.
 * @throws {RangeError} for an unknown `which`.
 *
 * @example Usage
 * ```ts
 * import { regenerateGuard } from "./regenerate_guard.ts";
 * // const { refusal } = regenerateGuard(ws, "secondary", await arm.listKeys(), { confirm: true });
 * ```
 */
export function regenerateGuard(
  workspace: Workspace,
  which: RegenerateWhich,
  keys: WorkspaceKeys,
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
        fix: "Run again with { confirm: true }.",
      }),
    );
  }
  return decision();
}
