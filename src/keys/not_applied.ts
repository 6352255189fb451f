import { badge } from "../display/badge.ts";
import type { MimeBundle } from "../display/mime_bundle.ts";
import { renderCard } from "../display/render_card.ts";
import { DisplayableResult } from "../display/displayable_result.ts";

/**
 * Why a key operation did nothing:
 * - `confirmation-required`: destructive, and `{ confirm: true }` was not given;
 * - `key-in-use`: it would break the key this kernel or the `.env` uses (use `rotate()`, or `force`);
 * - `keys-disabled`: keys must be enabled first;
 * - `not-applicable`: nothing to do it on (e.g. rotating with Microsoft Entra ID);
 * - `unchanged`: the workspace is already in the requested state.
 *
 * @example Usage
 * ```ts
 * import type { NotAppliedReason } from "azure-quantum-notebook";
 * const needsConfirm = (r: NotAppliedReason) => r === "confirmation-required";
 * ```
 */
export type NotAppliedReason =
  | "confirmation-required"
  | "key-in-use"
  | "keys-disabled"
  | "not-applicable"
  | "unchanged";

/**
 * The key operations.
 *
 * @example Usage
 * ```ts
 * import type { KeyOperation } from "./not_applied.ts";
 * const op: KeyOperation = "rotate";
 * ```
 */
export type KeyOperation = "enable" | "disable" | "regenerate" | "rotate";

/**
 * What a {@link NotApplied} says.
 *
 * @example Usage
 * ```ts
 * import type { NotAppliedSpec } from "./not_applied.ts";
 * const spec: NotAppliedSpec = {
 *   operation: "disable", reason: "confirmation-required", workspaceName: "ws",
 *   would: "disable access keys of workspace 'ws'", fix: "Run again with { confirm: true }.",
 * };
 * ```
 */
export interface NotAppliedSpec {
  operation: KeyOperation;
  reason: NotAppliedReason;
  workspaceName: string;
  /** What the call would do, e.g. "disable access keys of workspace 'ws'". */
  would: string;
  /** Who or what it would affect (fingerprints only). */
  impact?: string;
  /** How to go ahead, e.g. "Run again with { confirm: true }". */
  fix: string;
}

const TITLES: Record<NotAppliedReason, string> = {
  "confirmation-required": "Not done: confirmation needed",
  "key-in-use": "Not done: the key is in use",
  "keys-disabled": "Not done: access keys are disabled",
  "not-applicable": "Not applicable",
  unchanged: "Nothing to do",
};

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
export class NotApplied extends DisplayableResult {
  readonly applied = false as const;
  readonly operation: KeyOperation;
  readonly reason: NotAppliedReason;
  readonly workspaceName: string;
  readonly would: string;
  readonly impact: string | undefined;
  readonly fix: string;

  constructor(spec: NotAppliedSpec) {
    super();
    this.operation = spec.operation;
    this.reason = spec.reason;
    this.workspaceName = spec.workspaceName;
    this.would = spec.would;
    this.impact = spec.impact;
    this.fix = spec.fix;
  }

  /** One paragraph: "Not done: this would … <impact> <fix>". */
  get message(): string {
    const head = this.reason === "unchanged" || this.reason === "not-applicable"
      ? `Not done: ${this.would}.`
      : `Not done: this would ${this.would}.`;
    return [head, this.impact, this.fix].filter(Boolean).join(" ");
  }

  toMimeBundle(): MimeBundle {
    const tone = this.reason === "unchanged" ? "neutral" : "warn";
    const { html, text } = renderCard({
      title: TITLES[this.reason],
      badge: badge(this.reason === "unchanged" ? "No change" : "Not applied", tone),
      rows: [
        ["Operation", `${this.operation} (workspace ${this.workspaceName})`],
        [
          this.reason === "unchanged" || this.reason === "not-applicable" ? "Why" : "Would",
          this.would,
        ],
        this.impact ? ["Impact", this.impact] : null,
        ["Next", this.fix],
      ],
      footer: "Nothing was changed.",
    });
    return {
      "text/plain": text,
      "text/html": html,
      "application/json": {
        applied: false,
        operation: this.operation,
        reason: this.reason,
        workspaceName: this.workspaceName,
        message: this.message,
      },
    };
  }
}
