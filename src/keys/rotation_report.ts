import { badge, type Tone } from "../display/badge.ts";
import type { MimeBundle } from "../display/mime_bundle.ts";
import { renderTable } from "../display/render_table.ts";
import { DisplayableResult } from "../display/displayable_result.ts";
import type { KeySlot } from "./arm_types.ts";

/**
 * How one rotation step ended.
 *
 * @example Usage
 * ```ts
 * import type { RotationStepStatus } from "./rotation_report.ts";
 * const status: RotationStepStatus = "skipped";
 * ```
 */
export type RotationStepStatus = "ok" | "failed" | "skipped";

/**
 * One step of a rotation: its name, outcome, time in ms and a detail naming keys by fingerprint
 * only.
 *
 * @example Usage
 * ```ts
 * import type { RotationStep } from "azure-quantum-notebook";
 * const line = (s: RotationStep) => `${s.name}: ${s.status} (${s.ms} ms)`;
 * ```
 */
export interface RotationStep {
  name: string;
  status: RotationStepStatus;
  ms: number;
  detail: string;
}

const TONE: Record<RotationStepStatus, Tone> = { ok: "ok", failed: "bad", skipped: "neutral" };

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
export class RotationReport extends DisplayableResult {
  readonly applied = true as const;
  readonly operation = "rotate" as const;
  readonly workspaceName: string;
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
  readonly warnings: string[] = [];

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

  toMimeBundle(): MimeBundle {
    const head = this.completed
      ? `Key rotation of ${this.workspaceName}: done in ${Math.round(this.totalMs)} ms`
      : `Key rotation of ${this.workspaceName}: stopped at "${this.stoppedAt}"`;
    const end = this.endSlot
      ? `The kernel${
        this.envFiles.length ? " and .env now use" : " now uses"
      } the ${this.endSlot} key ` +
        `${this.endFingerprint ?? ""}.`
      : "";
    const { html, text } = renderTable({
      caption: head,
      columns: [{ header: "#", align: "right" }, { header: "Step" }, { header: "Status" }, {
        header: "ms",
        align: "right",
      }, { header: "Detail" }],
      rows: this.steps.map((
        s,
        i,
      ) => [i + 1, s.name, badge(s.status, TONE[s.status]), Math.round(s.ms), s.detail]),
      footer: [end, ...this.warnings].filter(Boolean).join(" ") || null,
    });
    return {
      "text/plain": text,
      "text/html": html,
      "application/json": {
        applied: true,
        operation: "rotate",
        workspaceName: this.workspaceName,
        completed: this.completed,
        stoppedAt: this.stoppedAt,
        startSlot: this.startSlot,
        endSlot: this.endSlot,
        endFingerprint: this.endFingerprint,
        totalMs: Math.round(this.totalMs),
        steps: this.steps.map((s) => ({ ...s, ms: Math.round(s.ms) })),
        envFiles: this.envFiles,
        warnings: this.warnings,
      },
    };
  }
}
