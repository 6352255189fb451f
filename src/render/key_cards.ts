/**
 * The cards of the key manager's results: key status, an applied enable or disable, and an
 * operation that changed nothing. Plain data in, a MIME bundle out (escaped HTML, aligned text,
 * the data as JSON). Keys appear by fingerprint only.
 *
 * @module
 */

import type { KeySlot } from "../arm/arm_types.ts";
import type { KeyVaultOrigin } from "../connection/connection_info.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { formatAge } from "./format_duration.ts";
import { renderCard } from "./render_card.ts";
import { bundleOf, plural } from "./_plain.ts";
import { describeKeyVaultOrigin } from "./key_vault_cards.ts";

/**
 * The Resource Manager endpoint a key operation used, when it is not Azure's public cloud, and
 * where it came from (`env AZURE_QUANTUM_ARM_ENDPOINT`, `argument armEndpoint`, a `.env`): an
 * ARM token went there, so the results say so.
 *
 * @example Usage
 * ```ts
 * import { connect, type ArmEndpointNote } from "azure-quantum-notebook";
 * const ws = await connect();
 * const note: ArmEndpointNote | undefined = (await ws.keys.status()).armEndpoint;
 * if (note) console.log(`ARM at ${note.endpoint}, from ${note.source}`);
 * ```
 */
export interface ArmEndpointNote {
  /** The endpoint, without a trailing slash. */
  endpoint: string;
  /** Where it came from. */
  source: string;
}

/** The row or sentence that names a non-default Resource Manager endpoint. */
export function armEndpointText(note: ArmEndpointNote): string {
  return `${note.endpoint} (from ${note.source})`;
}

/** One key as the status shows it: fingerprint and age, never the key. */
export interface KeyDescription {
  /** Which key. */
  slot: KeySlot;
  /** `sha256:` + 8 hex digits of the key. */
  fingerprint: string;
  /** ISO 8601, when ARM gives it. */
  createdAt: string | undefined;
  /** Age in ms at `checkedAt`, when `createdAt` is known. */
  ageMs: number | undefined;
}

/**
 * Which key the kernel uses: a slot, `"neither"` (its key is not current, e.g. regenerated), or
 * `"entra"` (no key: Microsoft Entra ID).
 */
export type KeyInUse = KeySlot | "neither" | "entra";

/** What a key status shows. */
export interface KeyStatusData {
  /** The workspace. */
  workspaceName: string;
  /** `undefined` when ARM did not say. */
  apiKeyEnabled: boolean | undefined;
  /** The primary key, unless ARM did not list it. */
  primary: KeyDescription | undefined;
  /** The secondary key, unless ARM did not list it. */
  secondary: KeyDescription | undefined;
  /** Which key this kernel uses. */
  inUse: KeyInUse;
  /** Fingerprint of the kernel's key, if it uses one. */
  kernelKeyFingerprint: string | undefined;
  /** When `listKeys` answered. */
  checkedAt: Date;
  /** Where the kernel's key came from (`sources.apiKey`), and the Key Vault secret if it was one. */
  keyOrigin?: { source: string | undefined; keyVault?: KeyVaultOrigin };
  /** The Entra credential Resource Manager was asked with, and where it came from. */
  credentialSource?: string;
  /** The Resource Manager endpoint asked, when it is not Azure's public cloud. */
  armEndpoint?: ArmEndpointNote;
}

/** What the data plane said to one key. */
export type KeyVerdict = "accepted" | "rejected";

/** How a wait for the data plane ended. */
export interface VerdictWait {
  /** True when the data plane gave the wanted verdict in time. */
  reached: boolean;
  /** The data plane's last answer. */
  verdict: KeyVerdict;
  /** How many probes were sent. */
  probes: number;
  /** How long the wait took, in ms. */
  waitedMs: number;
}

/** What enabling or disabling access keys did. */
export interface KeyToggleData {
  /** What was done. */
  operation: "enable" | "disable";
  /** The workspace. */
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
  /**
   * `disable()` only: `true` when the Microsoft Entra readiness check ran and found that this
   * kernel reaches the data plane with Entra ID; `false` when `{ force: true }` skipped it.
   */
  entraChecked?: boolean;
  /** The Resource Manager endpoint used, when it is not Azure's public cloud. */
  armEndpoint?: ArmEndpointNote;
}

/**
 * Why a key operation did nothing:
 * - `confirmation-required`: destructive, and `{ confirm: true }` was not given;
 * - `opt-in-required`: destructive on a workspace that is not the emulator, and key changes were not
 *   allowed (`AZURE_QUANTUM_ALLOW_KEY_CHANGES=1` or `connect({ allowKeyChanges: true })`);
 * - `key-in-use`: it would break the key this kernel or the `.env` uses (use `rotate()`, or `force`);
 * - `would-lock-out`: disabling keys would leave this kernel's Microsoft Entra identity without
 *   data-plane access (no data role): assign one first (`readiness.fix()`), or `force`;
 * - `keys-disabled`: keys must be enabled first;
 * - `not-applicable`: nothing to do it on (e.g. rotating with Microsoft Entra ID);
 * - `unchanged`: the workspace is already in the requested state.
 */
export type NotAppliedReason =
  | "confirmation-required"
  | "opt-in-required"
  | "key-in-use"
  | "would-lock-out"
  | "keys-disabled"
  | "not-applicable"
  | "unchanged";

/** The key operations. */
export type KeyOperation = "enable" | "disable" | "regenerate" | "rotate" | "moveToKeyVault" | "assignRole";

/** What an operation that changed nothing says. */
export interface NotAppliedData {
  /** The operation asked for. */
  operation: KeyOperation;
  /** Why it did nothing. */
  reason: NotAppliedReason;
  /** The workspace. */
  workspaceName: string;
  /** What the call would do, e.g. "disable access keys of workspace 'ws'". */
  would: string;
  /** Who or what it would affect (fingerprints only). */
  impact?: string;
  /** How to go ahead, e.g. "Run again with { confirm: true }". */
  fix: string;
}

const state = (v: boolean | undefined) => (v === undefined ? "unknown" : v ? "enabled" : "disabled");

/** The "In use" line of a key status. */
export function inUseText(s: Pick<KeyStatusData, "inUse" | "kernelKeyFingerprint">): string {
  if (s.inUse === "entra") return "none: this kernel uses Microsoft Entra ID";
  if (s.inUse === "neither") {
    return `neither (the kernel's key ${s.kernelKeyFingerprint} is not current: regenerated?)`;
  }
  return `${s.inUse} (${s.kernelKeyFingerprint})`;
}

/** A key status as a card. */
export function renderKeyStatus(s: KeyStatusData): MimeBundle {
  const key = (k: KeyDescription | undefined) =>
    k
      ? `${k.fingerprint}` +
        (k.createdAt ? `, created ${k.createdAt} (${formatAge(k.ageMs ?? NaN)})` : "") +
        (s.inUse === k.slot ? "  ← in use" : "")
      : "not listed";
  const enabled = s.apiKeyEnabled;
  const card = renderCard({
    title: `Access keys of ${s.workspaceName}`,
    badge: enabled === false
      ? badge("Disabled", "bad")
      : enabled === true
      ? badge("Enabled", "ok")
      : badge("Unknown", "neutral"),
    rows: [
      ["Access keys", state(enabled)],
      ["Primary", key(s.primary)],
      ["Secondary", key(s.secondary)],
      ["In use", inUseText(s)],
      s.keyOrigin?.keyVault
        ? ["Key from", describeKeyVaultOrigin(s.keyOrigin.keyVault, s.checkedAt)]
        : s.keyOrigin?.source
        ? ["Key from", s.keyOrigin.source]
        : null,
      s.credentialSource ? ["Credential", s.credentialSource] : null,
      ["Checked", s.checkedAt.toISOString()],
      s.armEndpoint ? ["Resource Manager", armEndpointText(s.armEndpoint)] : null,
    ],
    footer: enabled === false
      ? "Every connection string and access key is rejected while keys are disabled. Enable with `ws.keys.enable()`."
      : "Keys are shown by fingerprint only. Share the secondary key; keep the primary for your own services.",
  });
  const { workspaceName, apiKeyEnabled, primary, secondary, inUse, kernelKeyFingerprint, credentialSource } = s;
  return bundleOf(card, {
    workspaceName,
    apiKeyEnabled,
    primary,
    secondary,
    inUse,
    kernelKeyFingerprint,
    checkedAt: s.checkedAt,
    ...(s.keyOrigin ? { keyOrigin: s.keyOrigin } : {}),
    credentialSource,
    ...(s.armEndpoint ? { armEndpoint: s.armEndpoint } : {}),
  });
}

// "Entra ID still works" only when the readiness check said so; force skips the check.
function disabledFooter(entraChecked: boolean | undefined): string {
  const head = "Every connection string and access key is now rejected";
  if (entraChecked === true) return `${head}; Microsoft Entra ID still works for this kernel (the readiness check passed).`;
  if (entraChecked === false) {
    return `${head}. Whether Microsoft Entra ID works for this kernel was not checked ({ force: true }): ` +
      "`ws.keys.readiness()` checks it.";
  }
  return `${head}.`;
}

/** An applied enable or disable as a card. */
export function renderKeyToggle(r: KeyToggleData): MimeBundle {
  const dp = r.dataPlane;
  const waited = (w: VerdictWait) => Math.round(w.waitedMs / 1000);
  const dataPlane = dp === undefined
    ? "not checked (pass { waitForDataPlane: true } to wait for it)"
    : dp.reached
    ? `keys ${dp.verdict} after ${waited(dp)} s (${plural(dp.probes, "probe")})`
    : `not visible yet: keys still ${dp.verdict} after ${waited(dp)} s; Azure can take about a minute`;
  const card = renderCard({
    title: `Access keys ${r.operation}d: ${r.workspaceName}`,
    badge: r.after ? badge("Enabled", "ok") : badge("Disabled", "bad"),
    rows: [
      ["Before", state(r.before)],
      ["After", state(r.after)],
      ["ARM", `PUT ${r.putStatus}, ${plural(r.polls, "status poll")}, ${Math.round(r.ms)} ms`],
      ["Data plane", dataPlane],
      r.armEndpoint ? ["Resource Manager", armEndpointText(r.armEndpoint)] : null,
    ],
    footer: r.after === false ? disabledFooter(r.entraChecked) : "Connection strings and access keys work again (after propagation).",
  });
  return bundleOf(card, { applied: true, ...r, ms: Math.round(r.ms) });
}

const TITLES: Record<NotAppliedReason, string> = {
  "confirmation-required": "Not done: confirmation needed",
  "opt-in-required": "Not done: key changes on Azure need your opt-in",
  "key-in-use": "Not done: the key is in use",
  "would-lock-out": "Not done: this would lock you out",
  "keys-disabled": "Not done: access keys are disabled",
  "not-applicable": "Not applicable",
  unchanged: "Nothing to do",
};

const explains = (r: NotAppliedData) => r.reason === "unchanged" || r.reason === "not-applicable";

/** One paragraph: "Not done: this would … <impact> <fix>". */
export function notAppliedMessage(r: NotAppliedData): string {
  const head = explains(r) ? `Not done: ${r.would}.` : `Not done: this would ${r.would}.`;
  return [head, r.impact, r.fix].filter(Boolean).join(" ");
}

/** An operation that changed nothing, as a card saying what it would do and how to go ahead. */
export function renderNotApplied(r: NotAppliedData): MimeBundle {
  const card = renderCard({
    title: TITLES[r.reason],
    badge: badge(r.reason === "unchanged" ? "No change" : "Not applied", r.reason === "unchanged" ? "neutral" : "warn"),
    rows: [
      ["Operation", `${r.operation} (workspace ${r.workspaceName})`],
      [explains(r) ? "Why" : "Would", r.would],
      r.impact ? ["Impact", r.impact] : null,
      ["Next", r.fix],
    ],
    footer: "Nothing was changed.",
  });
  const { operation, reason, workspaceName } = r;
  return bundleOf(card, {
    applied: false,
    operation,
    reason,
    workspaceName,
    message: notAppliedMessage(r),
  });
}
