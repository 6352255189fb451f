import { badge } from "../display/badge.ts";
import type { MimeBundle } from "../display/mime_bundle.ts";
import { renderCard } from "../display/render_card.ts";
import { DisplayableResult } from "../display/displayable_result.ts";
import type { VerdictWait } from "./key_probe.ts";

/**
 * What {@link KeyToggleResult} reports.
 *
 * @example Usage
 * ```ts
 * import type { KeyToggleSpec } from "./key_toggle_result.ts";
 * const spec: KeyToggleSpec = {
 *   operation: "disable", workspaceName: "ws", before: true, after: false, putStatus: 201, polls: 1, ms: 1040,
 * };
 * ```
 */
export interface KeyToggleSpec {
  operation: "enable" | "disable";
  workspaceName: string;
  /** `apiKeyEnabled` before (from the GET). */
  before: boolean | undefined;
  /** `apiKeyEnabled` after (from the final GET). */
  after: boolean | undefined;
  /** Status of the PUT (200 or 201). */
  putStatus: number;
  /** Operation-status requests sent while following the PUT. */
  polls: number;
  /** Time from the PUT to the final GET, in ms. */
  ms: number;
  /** The data-plane wait, when `waitForDataPlane` was set. */
  dataPlane?: VerdictWait;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const state = (
  v: boolean | undefined,
) => (v === undefined ? "unknown" : v ? "enabled" : "disabled");

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
export class KeyToggleResult extends DisplayableResult {
  readonly applied = true as const;
  readonly operation: "enable" | "disable";
  readonly workspaceName: string;
  readonly before: boolean | undefined;
  readonly after: boolean | undefined;
  readonly putStatus: number;
  readonly polls: number;
  readonly ms: number;
  readonly dataPlane: VerdictWait | undefined;

  constructor(spec: KeyToggleSpec) {
    super();
    this.operation = spec.operation;
    this.workspaceName = spec.workspaceName;
    this.before = spec.before;
    this.after = spec.after;
    this.putStatus = spec.putStatus;
    this.polls = spec.polls;
    this.ms = spec.ms;
    this.dataPlane = spec.dataPlane;
  }

  toMimeBundle(): MimeBundle {
    const dp = this.dataPlane;
    const dataPlane = dp === undefined
      ? "not checked (pass { waitForDataPlane: true } to wait for it)"
      : dp.reached
      ? `keys ${dp.verdict} after ${Math.round(dp.waitedMs / 1000)} s (${
        plural(dp.probes, "probe")
      })`
      : `not visible yet: keys still ${dp.verdict} after ${Math.round(dp.waitedMs / 1000)} s; ` +
        "Azure can take about a minute";
    const { html, text } = renderCard({
      title: `Access keys ${this.operation}d: ${this.workspaceName}`,
      badge: this.after ? badge("Enabled", "ok") : badge("Disabled", "bad"),
      rows: [
        ["Before", state(this.before)],
        ["After", state(this.after)],
        [
          "ARM",
          `PUT ${this.putStatus}, ${plural(this.polls, "status poll")}, ${Math.round(this.ms)} ms`,
        ],
        ["Data plane", dataPlane],
      ],
      footer: this.after === false
        ? "Every connection string and access key is now rejected; Microsoft Entra ID still works."
        : "Connection strings and access keys work again (after propagation).",
    });
    return {
      "text/plain": text,
      "text/html": html,
      "application/json": {
        applied: true,
        operation: this.operation,
        workspaceName: this.workspaceName,
        before: this.before,
        after: this.after,
        putStatus: this.putStatus,
        polls: this.polls,
        ms: Math.round(this.ms),
        dataPlane: this.dataPlane,
      },
    };
  }
}
