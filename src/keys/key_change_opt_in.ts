/**
 * Real-Azure safety for the destructive key operations: on a workspace that is not the emulator,
 * `disable`, `regenerate` and `rotate` also need the session's opt-in (`allowKeyChanges`, or
 * `AZURE_QUANTUM_ALLOW_KEY_CHANGES=1`; see `config/key_changes_opt_in.ts`), so that a notebook
 * cell written for the emulator changes nothing when it meets a real workspace.
 *
 * @module
 */

import { OPT_IN_HINT } from "../config/key_changes_opt_in.ts";
import type { KeyOperation } from "../render/key_cards.ts";
import type { KeyHost } from "./key_manager.ts";
import { NotApplied } from "./results.ts";

/** True when key changes need no opt-in (the emulator) or the session gave it. */
export function keyChangesAllowed(workspace: KeyHost): boolean {
  return workspace.info.isEmulator || workspace.settings.keyChanges.allowed;
}

/**
 * The `fix` of a `confirmation-required` result: confirm, and on Azure without the opt-in, also
 * opt in.
 */
export function confirmFix(workspace: KeyHost): string {
  return keyChangesAllowed(workspace)
    ? "Run again with { confirm: true }."
    : `Run again with { confirm: true }; on Azure also opt in: ${OPT_IN_HINT}.`;
}

/**
 * A {@link NotApplied} (`opt-in-required`) when `operation` would change a workspace that is not
 * the emulator without the session's opt-in; `undefined` when it may go ahead.
 */
export function optInRefusal(
  workspace: KeyHost,
  operation: KeyOperation,
  would: string,
): NotApplied | undefined {
  if (keyChangesAllowed(workspace)) return undefined;
  const name = workspace.info.workspaceName;
  return new NotApplied({
    operation,
    reason: "opt-in-required",
    workspaceName: name,
    would,
    impact: `Workspace '${name}' is on Azure (${workspace.info.endpoint}), not the emulator: ` +
      "applications that use its keys would be affected.",
    fix: `To change its keys, ${OPT_IN_HINT}, then run this again.`,
  });
}
