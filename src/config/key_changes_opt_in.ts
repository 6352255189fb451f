/**
 * The opt-in that lets `disable`, `regenerate` and `rotate` (and role assignments) change a real
 * workspace: the `allowKeyChanges` option, else `AZURE_QUANTUM_ALLOW_KEY_CHANGES=1` (or `true`) in the
 * environment (or the `env` option). A `.env` file cannot give it: changing keys is the decision of whoever runs the
 * session, not a setting a project (or a copied `.env`) carries along. On the emulator none is
 * needed, so a notebook cell written for the emulator changes nothing when it meets a real
 * workspace without it.
 *
 * @module
 */

import type { ConnectionInfo } from "../connection/connection_info.ts";
import { isLoopbackUrl } from "../connection/quantum_endpoint.ts";
import type { EnvVariables } from "./client_options.ts";
import { ARM_ENDPOINT_VARIABLE } from "./arm_settings.ts";

/** The environment variable that opts in to key changes on a workspace that is not the emulator. */
export const ALLOW_KEY_CHANGES_VARIABLE = "AZURE_QUANTUM_ALLOW_KEY_CHANGES";

/**
 * Whether `disable`, `regenerate`, `rotate` and role assignments may change a workspace that is not
 * the emulator, and what said so (`ws.settings.keyChanges`).
 *
 * @example Usage
 * ```ts
 * import { connect, type KeyChangesOptIn } from "azure-quantum-notebook";
 * const ws = await connect({ allowKeyChanges: true });
 * const optIn: KeyChangesOptIn = ws.settings.keyChanges; // { allowed: true, source: "argument allowKeyChanges" }
 * ```
 */
export interface KeyChangesOptIn {
  /**
   * True when `disable`, `regenerate`, `rotate` and role assignments (`keys.assignRole()`,
   * `readiness.fix()`, `readiness.fixOthers()`) may change a workspace that is not the emulator: from
   * `allowKeyChanges`, else `AZURE_QUANTUM_ALLOW_KEY_CHANGES` = `1` or `true` in the environment (or
   * the `env` option), never from a `.env` file.
   */
  allowed: boolean;
  /** `"argument allowKeyChanges"`, `"env AZURE_QUANTUM_ALLOW_KEY_CHANGES"`, or `"not given"`. */
  source: string;
}

/** The opt-in from the option (which wins, `false` too), else from `env` (`1` or `true`). */
export function keyChangesOptIn(option: boolean | undefined, env: EnvVariables): KeyChangesOptIn {
  if (option !== undefined) return { allowed: option === true, source: "argument allowKeyChanges" };
  const value = env[ALLOW_KEY_CHANGES_VARIABLE]?.trim().toLowerCase();
  if (value === "1" || value === "true") return { allowed: true, source: `env ${ALLOW_KEY_CHANGES_VARIABLE}` };
  return { allowed: false, source: "not given" };
}

/** How to opt in, as a NotApplied result's fix says it. */
const OPT_IN_HINT = `set ${ALLOW_KEY_CHANGES_VARIABLE}=1 in the environment, or connect({ allowKeyChanges: true })`;

/** What the opt-in is read from: the connection (the emulator needs none) and its settings. */
export interface KeyChangesHost {
  /** The connection. */
  readonly info: Pick<ConnectionInfo, "isEmulator">;
  /** The settings, with the session's opt-in and the ARM endpoint the changes go to. */
  readonly settings: {
    readonly keyChanges: Readonly<KeyChangesOptIn>;
    readonly armEndpointNote: { readonly endpoint: string } | undefined;
  };
}

/**
 * True when key changes need no opt-in (the emulator: a loopback data plane AND a loopback ARM
 * endpoint, which is where the changes go) or the session gave it.
 */
export function keyChangesAllowed(host: KeyChangesHost): boolean {
  const arm = host.settings.armEndpointNote?.endpoint;
  const emulator = host.info.isEmulator && arm !== undefined && isLoopbackUrl(arm);
  return emulator || host.settings.keyChanges.allowed;
}

/**
 * The `fix` of a `confirmation-required` result: confirm, and on Azure without the opt-in, also
 * opt in.
 */
export function confirmFix(host: KeyChangesHost): string {
  return keyChangesAllowed(host)
    ? "Run again with { confirm: true }."
    : `Run again with { confirm: true }; on Azure also opt in: ${OPT_IN_HINT}.`;
}

/**
 * The `impact` and `fix` of an `opt-in-required` refusal. An emulator connection is refused only
 * when its Resource Manager endpoint is Azure's: the fix is then the endpoint, not the opt-in.
 *
 * @param affected What the change affects, e.g. `"applications that use its keys would be affected"`.
 * @param change What the opt-in lets change, e.g. `"its keys"`.
 */
export function optInRefusalText(
  host: KeyChangesHost & { readonly info: Pick<ConnectionInfo, "workspaceName" | "endpoint"> },
  affected: string,
  change: string,
): { impact: string; fix: string } {
  const { workspaceName: name, endpoint } = host.info;
  if (host.info.isEmulator) {
    const arm = host.settings.armEndpointNote?.endpoint;
    return {
      impact: `Workspace '${name}' is the local emulator's (${endpoint}), but its Resource Manager endpoint is ` +
        `Azure's${arm === undefined ? "" : ` (${arm})`}: ${affected}.`,
      fix: `To change ${change} on the emulator, set ${ARM_ENDPOINT_VARIABLE} to the emulator's armEndpoint ` +
        "(its env file has it), then run this again.",
    };
  }
  return {
    impact: `Workspace '${name}' is on Azure (${endpoint}), not the emulator: ${affected}.`,
    fix: `To change ${change}, ${OPT_IN_HINT}, then run this again.`,
  };
}
