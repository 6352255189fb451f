/**
 * The results of the key operations. Each holds plain data (fingerprints, never a key) and
 * renders through `render/key_cards.ts` or `render/key_tables.ts`: a card or a table in a
 * notebook, aligned text in a terminal, the data as JSON.
 *
 * @module
 */

import type { KeySlot } from "../arm/arm_types.ts";
import { type ListKeysResult, slotOf } from "../arm/list_keys_result.ts";
import { keyChangesAllowed, optInRefusalText } from "../config/key_changes_opt_in.ts";
import type { Secret } from "../connection/secret.ts";
import { DataResult, DisplayableBase, type MimeBundle } from "../displayable.ts";
import {
  type ArmEndpointNote,
  inUseText,
  type KeyDescription,
  type KeyOperation,
  type KeyStatusData,
  type KeyToggleData,
  type NotAppliedData,
  notAppliedMessage,
  renderKeyStatus,
  renderKeyToggle,
  renderNotApplied,
} from "../render/key_cards.ts";
import {
  type RegenerateData,
  renderRegenerate,
  renderRotation,
  type RotationData,
  type RotationStep,
} from "../render/key_tables.ts";
import type { KeyHost } from "./key_host.ts";

/** Where a key status was checked from: the key's origin, the credential, the ARM endpoint. */
interface KeyStatusContext {
  /** Where the kernel's key came from (`sources.apiKey`), and the Key Vault secret if it was one. */
  keyOrigin?: KeyStatusData["keyOrigin"];
  /** The Entra credential Resource Manager was asked with, and where it came from. */
  credentialSource?: string;
  /** The Resource Manager endpoint, when it is not Azure's public cloud. */
  armEndpoint?: ArmEndpointNote;
}

function keyStatusData(
  workspaceName: string,
  keys: ListKeysResult,
  kernelKey: Secret | undefined,
  checkedAt: Date,
  context: KeyStatusContext,
): KeyStatusData {
  const describe = (k: ListKeysResult["primary"]): KeyDescription | undefined =>
    k && {
      slot: k.slot,
      fingerprint: k.key.fingerprint,
      createdAt: k.createdAt?.toISOString(),
      ageMs: k.createdAt ? checkedAt.getTime() - k.createdAt.getTime() : undefined,
    };
  return {
    workspaceName,
    apiKeyEnabled: keys.apiKeyEnabled,
    primary: describe(keys.primary),
    secondary: describe(keys.secondary),
    inUse: kernelKey ? slotOf(keys, kernelKey) ?? "neither" : "entra",
    kernelKeyFingerprint: kernelKey?.fingerprint,
    checkedAt,
    ...(kernelKey && context.keyOrigin ? { keyOrigin: context.keyOrigin } : {}),
    ...(context.credentialSource === undefined ? {} : { credentialSource: context.credentialSource }),
    ...(context.armEndpoint ? { armEndpoint: context.armEndpoint } : {}),
  };
}

/** The fields of a {@link KeyStatus}. */
export interface KeyStatus extends Readonly<KeyStatusData> {}

/**
 * The access-key status of a workspace (from `listKeys`): enabled or not, each key's fingerprint
 * and age, and which one this kernel uses. Renders as a card; holds no key.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const status = await ws.keys.status();
 * status.inUse; // "primary"
 * ```
 */
export class KeyStatus extends DataResult<KeyStatusData> {
  /** Made by `keys.status()`; `context` says where the key came from and how ARM was asked. */
  constructor(
    workspaceName: string,
    keys: ListKeysResult,
    kernelKey: Secret | undefined,
    checkedAt: Date,
    context: KeyStatusContext = {},
  ) {
    super(keyStatusData(workspaceName, keys, kernelKey, checkedAt, context));
  }

  /** The "In use" line. */
  get inUseText(): string {
    return inUseText(this);
  }

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderKeyStatus(this);
  }
}

/** The fields of a {@link KeyToggleResult}. */
export interface KeyToggleResult extends Readonly<KeyToggleData> {}

/**
 * The result of `keys.enable()` / `keys.disable()` once applied: `apiKeyEnabled` before and after,
 * the long-running operation's polls and time, and, with `waitForDataPlane`, when the data plane
 * showed the change. Renders as a card.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const result = await ws.keys.enable();
 * if (result.applied) console.log(result.before, "->", result.after);
 * ```
 */
export class KeyToggleResult extends DataResult<KeyToggleData> {
  /** The operation ran. */
  readonly applied = true as const;

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderKeyToggle(this);
  }
}

/** The fields of a {@link RegenerateResult}. */
export interface RegenerateResult extends Readonly<RegenerateData> {}

/**
 * The result of `keys.regenerate()` once applied: each regenerated slot with its fingerprint
 * before and after (from `listKeys`). Renders as a table.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const result = await ws.keys.regenerate("secondary", { confirm: true });
 * if (result.applied) console.log(result.keys[0].after);
 * ```
 */
export class RegenerateResult extends DataResult<RegenerateData> {
  /** The operation ran. */
  readonly applied = true as const;
  /** Always `"regenerate"`. */
  readonly operation = "regenerate" as const;

  /** The table. */
  toMimeBundle(): MimeBundle {
    return renderRegenerate(this);
  }
}

/** The fields of a {@link NotApplied}. */
export interface NotApplied extends Readonly<NotAppliedData> {}

/**
 * The result of a key operation that changed nothing (no PUT or POST was sent): what it would
 * have done, its impact, and how to go ahead. Destructive calls return this without
 * `{ confirm: true }`; headless runs never block for input.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const result = await ws.keys.disable();
 * if (!result.applied) console.log(result.message); // "Not done: this would disable …"
 * ```
 */
export class NotApplied extends DataResult<NotAppliedData> {
  /** Nothing was changed. */
  readonly applied = false as const;

  /** One paragraph: "Not done: this would … <impact> <fix>". */
  get message(): string {
    return notAppliedMessage(this);
  }

  /** The card. */
  toMimeBundle(): MimeBundle {
    return renderNotApplied(this);
  }
}

/**
 * A {@link NotApplied} (`opt-in-required`) when `operation` would change a workspace that is not
 * the emulator without the session's opt-in; `undefined` when it may go ahead. The one refusal of
 * key changes and of role assignments (`assignRole`), each saying what it would affect.
 */
export function optInRefusal(
  workspace: KeyHost,
  operation: KeyOperation,
  would: string,
): NotApplied | undefined {
  if (keyChangesAllowed(workspace)) return undefined;
  return new NotApplied({
    operation,
    reason: "opt-in-required",
    workspaceName: workspace.info.workspaceName,
    would,
    ...(operation === "assignRole"
      ? optInRefusalText(workspace, "a role assignment changes who may use it", "its role assignments")
      : optInRefusalText(workspace, "applications that use its keys would be affected", "its keys")),
  });
}

/**
 * The timeline of `keys.rotate()`: every step with its outcome and time, the slot the kernel
 * started and ended on, and where it stopped if it failed. A `RotationError` carries one too.
 * Renders as a table; holds fingerprints only.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect();
 * const report = await ws.keys.rotate({ confirm: true });
 * if (report.applied) console.log(report.steps.map((s) => s.name));
 * ```
 */
export class RotationReport extends DisplayableBase implements RotationData {
  /** The rotation ran (possibly stopping part-way: see `completed`). */
  readonly applied = true as const;
  /** Always `"rotate"`. */
  readonly operation = "rotate" as const;
  /** The workspace. */
  readonly workspaceName: string;
  /** The steps that ran, in order. */
  readonly steps: RotationStep[] = [];
  /** The slot the kernel used at the start. */
  startSlot: KeySlot | undefined;
  /** The slot the kernel (and `.env`) use now. */
  endSlot: KeySlot | undefined;
  /** Fingerprint of the key the kernel uses now. */
  endFingerprint: string | undefined;
  /** The step that failed, if one did. */
  stoppedAt: string | undefined;
  /** `.env` files written, and the advice their writes returned. */
  readonly envFiles: string[] = [];
  /** Advice from the `.env` writer. */
  readonly warnings: string[] = [];
  /** Identifiers of the Key Vault secret versions written (when the key is kept in Key Vault). */
  readonly keyVaultVersions: string[] = [];
  /** The Resource Manager endpoint used, when it is not Azure's public cloud. */
  armEndpoint: ArmEndpointNote | undefined;

  /** An empty timeline; `keys.rotate()` fills it. */
  constructor(workspaceName: string) {
    super();
    this.workspaceName = workspaceName;
  }

  /** True when every step ran without failing. */
  get completed(): boolean {
    return this.stoppedAt === undefined && this.steps.every((s) => s.status !== "failed");
  }

  /** Total time of the steps, in ms. */
  get totalMs(): number {
    return this.steps.reduce((sum, s) => sum + s.ms, 0);
  }

  /** The timeline as a table. */
  toMimeBundle(): MimeBundle {
    return renderRotation(this);
  }
}
