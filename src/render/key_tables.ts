/**
 * The tables of the key manager's results: a regeneration (fingerprints before and after) and a
 * rotation's timeline. Plain data in, a MIME bundle out. Keys appear by fingerprint only.
 *
 * @module
 */

import type { KeySlot } from "../arm/arm_types.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge, type Tone } from "./badge.ts";
import { type ArmEndpointNote, armEndpointText } from "./key_cards.ts";
import { renderTable } from "./render_table.ts";
import { bundleOf } from "./_plain.ts";

/** One slot's fingerprints before and after a regeneration. */
export interface RegeneratedKey {
  /** Which key. */
  slot: KeySlot;
  /** Its fingerprint before. */
  before: string | undefined;
  /** Its fingerprint after. */
  after: string | undefined;
}

/** What a regeneration did. */
export interface RegenerateData {
  /** The workspace. */
  workspaceName: string;
  /** Each regenerated key, before and after. */
  keys: readonly RegeneratedKey[];
  /** The kernel's own key was among them (`force: true`): its requests now fail. */
  kernelKeyRevoked: boolean;
  /** The POST's connection dropped; `listKeys` showed it had run. */
  connectionDropped: boolean;
  /** Time from the POST to the final `listKeys`, in ms. */
  ms: number;
  /** The Resource Manager endpoint used, when it is not Azure's public cloud. */
  armEndpoint?: ArmEndpointNote;
}

/** How one rotation step ended. */
export type RotationStepStatus = "ok" | "failed" | "skipped";

/** One step of a rotation: name, outcome, time in ms, and a detail naming keys by fingerprint. */
export interface RotationStep {
  /** What the step does, e.g. `"regenerate old key"`. */
  name: string;
  /** How it ended. */
  status: RotationStepStatus;
  /** Its time, in ms. */
  ms: number;
  /** What it did, naming keys by fingerprint only. */
  detail: string;
}

/** The timeline of a rotation. */
export interface RotationData {
  /** The workspace. */
  workspaceName: string;
  /** The steps that ran, in order. */
  steps: readonly RotationStep[];
  /** The slot the kernel used at the start. */
  startSlot: KeySlot | undefined;
  /** The slot the kernel (and `.env`) use now. */
  endSlot: KeySlot | undefined;
  /** Fingerprint of the key the kernel uses now. */
  endFingerprint: string | undefined;
  /** The step that failed, if one did. */
  stoppedAt: string | undefined;
  /** `.env` files written. */
  envFiles: readonly string[];
  /** Advice from the `.env` writer. */
  warnings: readonly string[];
  /** Identifiers of the Key Vault secret versions written, oldest first. */
  keyVaultVersions?: readonly string[];
  /** True when every step ran without failing. */
  completed: boolean;
  /** Total time of the steps, in ms. */
  totalMs: number;
  /** The Resource Manager endpoint used, when it is not Azure's public cloud. */
  armEndpoint?: ArmEndpointNote;
}

/** An applied regeneration as a table of fingerprints before and after. */
export function renderRegenerate(r: RegenerateData): MimeBundle {
  const notes = [
    "The old keys stopped working at once; connection strings that held them must be updated.",
    r.kernelKeyRevoked
      ? "This kernel's own key was regenerated: reconnect with the new connection string (keys.connectionString())."
      : "",
    r.connectionDropped
      ? "The connection dropped before ARM answered; listKeys confirmed the regeneration."
      : "",
    r.armEndpoint ? `Resource Manager: ${armEndpointText(r.armEndpoint)}.` : "",
  ].filter(Boolean).join(" ");
  const slots = r.keys.map((k) => k.slot).join(" and ");
  const table = renderTable({
    caption: `Regenerated ${slots} key of ${r.workspaceName} (${Math.round(r.ms)} ms)`,
    columns: [
      { header: "Key" },
      { header: "Old fingerprint" },
      { header: "New fingerprint" },
      { header: "" },
    ],
    rows: r.keys.map((k) => [
      k.slot,
      k.before ?? "—",
      k.after ?? "—",
      k.before !== k.after ? badge("Regenerated", "ok") : badge("Unchanged", "warn"),
    ]),
    footer: notes,
  });
  return bundleOf(table, { applied: true, operation: "regenerate", ...r, ms: Math.round(r.ms) });
}

const STEP_TONE: Record<RotationStepStatus, Tone> = { ok: "ok", failed: "bad", skipped: "neutral" };

/** A rotation's timeline as a table. */
export function renderRotation(r: RotationData): MimeBundle {
  const head = r.completed
    ? `Key rotation of ${r.workspaceName}: done in ${Math.round(r.totalMs)} ms`
    : `Key rotation of ${r.workspaceName}: stopped at "${r.stoppedAt}"`;
  const uses = r.envFiles.length ? " and .env now use" : " now uses";
  const end = r.endSlot ? `The kernel${uses} the ${r.endSlot} key ${r.endFingerprint ?? ""}.` : "";
  const table = renderTable({
    caption: head,
    columns: [
      { header: "#", align: "right" },
      { header: "Step" },
      { header: "Status" },
      { header: "ms", align: "right" },
      { header: "Detail" },
    ],
    rows: r.steps.map((s, i) => [
      i + 1,
      s.name,
      badge(s.status, STEP_TONE[s.status]),
      Math.round(s.ms),
      s.detail,
    ]),
    footer: [
      end,
      vaultNote(r.keyVaultVersions),
      ...r.warnings,
      r.armEndpoint ? `Resource Manager: ${armEndpointText(r.armEndpoint)}.` : "",
    ].filter(Boolean).join(" ") || null,
  });
  const { workspaceName, completed, stoppedAt, startSlot, endSlot, endFingerprint } = r;
  return bundleOf(table, {
    applied: true,
    operation: "rotate",
    workspaceName,
    completed,
    stoppedAt,
    startSlot,
    endSlot,
    endFingerprint,
    totalMs: Math.round(r.totalMs),
    steps: r.steps.map((s) => ({ ...s, ms: Math.round(s.ms) })),
    envFiles: r.envFiles,
    ...(r.keyVaultVersions?.length ? { keyVaultVersions: r.keyVaultVersions } : {}),
    warnings: r.warnings,
    ...(r.armEndpoint ? { armEndpoint: r.armEndpoint } : {}),
  });
}

function vaultNote(versions: readonly string[] | undefined): string {
  return versions?.length
    ? `Key Vault secret version${versions.length === 1 ? "" : "s"} written: ${versions.join(", ")}.`
    : "";
}
