import { badge } from "../display/badge.ts";
import type { MimeBundle } from "../display/mime_bundle.ts";
import { renderTable } from "../display/render_table.ts";
import { DisplayableResult } from "../display/displayable_result.ts";
import type { KeySlot } from "./arm_types.ts";

/**
 * One slot's fingerprints before and after.
 *
 * @example Usage
 * ```ts
 * import type { RegeneratedKey } from "./regenerate_result.ts";
 * const changed = (k: RegeneratedKey) => k.before !== k.after;
 * ```
 */
export interface RegeneratedKey {
  slot: KeySlot;
  before: string | undefined;
  after: string | undefined;
}

/**
 * What {@link RegenerateResult} reports.
 *
 * @example Usage
 * ```ts
 * import type { RegenerateSpec } from "./regenerate_result.ts";
 * const spec: RegenerateSpec = {
 *   workspaceName: "ws", keys: [{ slot: "secondary", before: "sha256:00000000", after: "sha256:11111111" }],
 *   kernelKeyRevoked: false, connectionDropped: false, ms: 120,
 * };
 * ```
 */
export interface RegenerateSpec {
  workspaceName: string;
  keys: RegeneratedKey[];
  /** The kernel's own key was among them (`force: true`): its requests now fail. */
  kernelKeyRevoked: boolean;
  /** The POST's connection dropped; `listKeys` showed it had run. */
  connectionDropped: boolean;
  ms: number;
}

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
export class RegenerateResult extends DisplayableResult {
  readonly applied = true as const;
  readonly operation = "regenerate" as const;
  readonly workspaceName: string;
  readonly keys: readonly RegeneratedKey[];
  readonly kernelKeyRevoked: boolean;
  readonly connectionDropped: boolean;
  readonly ms: number;

  constructor(spec: RegenerateSpec) {
    super();
    this.workspaceName = spec.workspaceName;
    this.keys = spec.keys;
    this.kernelKeyRevoked = spec.kernelKeyRevoked;
    this.connectionDropped = spec.connectionDropped;
    this.ms = spec.ms;
  }

  toMimeBundle(): MimeBundle {
    const notes = [
      "The old keys stopped working at once; connection strings that held them must be updated.",
      this.kernelKeyRevoked
        ? "This kernel's own key was regenerated: reconnect with the new connection string (keys.connectionString())."
        : "",
      this.connectionDropped
        ? "The connection dropped before ARM answered; listKeys confirmed the regeneration."
        : "",
    ].filter(Boolean).join(" ");
    const { html, text } = renderTable({
      caption: `Regenerated ${
        this.keys.map((k) => k.slot).join(" and ")
      } key of ${this.workspaceName} ` +
        `(${Math.round(this.ms)} ms)`,
      columns: [{ header: "Key" }, { header: "Old fingerprint" }, { header: "New fingerprint" }, {
        header: "",
      }],
      rows: this.keys.map((k) => [
        k.slot,
        k.before ?? "—",
        k.after ?? "—",
        k.before !== k.after ? badge("Regenerated", "ok") : badge("Unchanged", "warn"),
      ]),
      footer: notes,
    });
    return {
      "text/plain": text,
      "text/html": html,
      "application/json": {
        applied: true,
        operation: "regenerate",
        workspaceName: this.workspaceName,
        keys: this.keys,
        kernelKeyRevoked: this.kernelKeyRevoked,
        connectionDropped: this.connectionDropped,
        ms: Math.round(this.ms),
      },
    };
  }
}
