import type { Secret } from "../connection/secret.ts";
import { badge } from "../display/badge.ts";
import { formatAge } from "../display/format_duration.ts";
import type { MimeBundle } from "../display/mime_bundle.ts";
import { renderCard } from "../display/render_card.ts";
import { DisplayableResult } from "../display/displayable_result.ts";
import type { KeySlot } from "./arm_types.ts";
import { slotOf, type WorkspaceKeys } from "./workspace_keys.ts";

/**
 * One key as the status shows it: fingerprint and age, never the key.
 *
 * @example Usage
 * ```ts
 * import type { KeyDescription } from "azure-quantum-notebook";
 * const line = (k: KeyDescription) => `${k.slot}: ${k.fingerprint}`;
 * ```
 */
export interface KeyDescription {
  slot: KeySlot;
  fingerprint: string;
  /** ISO 8601, when ARM gives it. */
  createdAt: string | undefined;
  /** Age in ms at `checkedAt`, when `createdAt` is known. */
  ageMs: number | undefined;
}

/**
 * Which key the kernel uses: a slot, `"neither"` (its key is not current, e.g. regenerated), or
 * `"entra"` (no key: Microsoft Entra ID).
 *
 * @example Usage
 * ```ts
 * import type { KeyInUse } from "azure-quantum-notebook";
 * const usesKey = (k: KeyInUse) => k === "primary" || k === "secondary";
 * ```
 */
export type KeyInUse = KeySlot | "neither" | "entra";

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
export class KeyStatus extends DisplayableResult {
  readonly workspaceName: string;
  /** `undefined` when ARM did not say. */
  readonly apiKeyEnabled: boolean | undefined;
  readonly primary: KeyDescription | undefined;
  readonly secondary: KeyDescription | undefined;
  readonly inUse: KeyInUse;
  /** Fingerprint of the kernel's key, if it uses one. */
  readonly kernelKeyFingerprint: string | undefined;
  readonly checkedAt: Date;

  constructor(
    workspaceName: string,
    keys: WorkspaceKeys,
    kernelKey: Secret | undefined,
    checkedAt: Date,
  ) {
    super();
    this.workspaceName = workspaceName;
    this.apiKeyEnabled = keys.apiKeyEnabled;
    this.checkedAt = checkedAt;
    const describe = (k: WorkspaceKeys["primary"]): KeyDescription | undefined =>
      k && {
        slot: k.slot,
        fingerprint: k.key.fingerprint,
        createdAt: k.createdAt?.toISOString(),
        ageMs: k.createdAt ? checkedAt.getTime() - k.createdAt.getTime() : undefined,
      };
    this.primary = describe(keys.primary);
    this.secondary = describe(keys.secondary);
    this.kernelKeyFingerprint = kernelKey?.fingerprint;
    this.inUse = kernelKey ? slotOf(keys, kernelKey) ?? "neither" : "entra";
  }

  /** The "In use" line. */
  get inUseText(): string {
    if (this.inUse === "entra") return "none: this kernel uses Microsoft Entra ID";
    if (this.inUse === "neither") {
      return `neither (the kernel's key ${this.kernelKeyFingerprint} is not current: regenerated?)`;
    }
    return `${this.inUse} (${this.kernelKeyFingerprint})`;
  }

  toMimeBundle(): MimeBundle {
    const key = (k: KeyDescription | undefined) =>
      k
        ? `${k.fingerprint}` +
          (k.createdAt ? `, created ${k.createdAt} (${formatAge(k.ageMs ?? NaN)})` : "") +
          (this.inUse === k.slot ? "  ← in use" : "")
        : "not listed";
    const enabled = this.apiKeyEnabled;
    const { html, text } = renderCard({
      title: `Access keys of ${this.workspaceName}`,
      badge: enabled === false
        ? badge("Disabled", "bad")
        : enabled === true
        ? badge("Enabled", "ok")
        : badge("Unknown", "neutral"),
      rows: [
        ["Access keys", enabled === undefined ? "unknown" : enabled ? "enabled" : "disabled"],
        ["Primary", key(this.primary)],
        ["Secondary", key(this.secondary)],
        ["In use", this.inUseText],
        ["Checked", this.checkedAt.toISOString()],
      ],
      footer: enabled === false
        ? "Every connection string and access key is rejected while keys are disabled. Enable with `ws.keys.enable()`."
        : "Keys are shown by fingerprint only. Share the secondary key; keep the primary for your own services.",
    });
    return {
      "text/plain": text,
      "text/html": html,
      "application/json": {
        workspaceName: this.workspaceName,
        apiKeyEnabled: this.apiKeyEnabled,
        primary: this.primary,
        secondary: this.secondary,
        inUse: this.inUse,
        kernelKeyFingerprint: this.kernelKeyFingerprint,
        checkedAt: this.checkedAt.toISOString(),
      },
    };
  }
}
