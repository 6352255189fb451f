/**
 * What the module shows about connection strings kept in Key Vault: where a key came from (vault,
 * secret, version, age), a key shared through a secret, and a connection string moved there.
 * Plain data in, a MIME bundle out; a secret's value never appears (nothing here holds one).
 *
 * @module
 */

import type { KeySlot } from "../arm/arm_types.ts";
import type { KeyVaultOrigin } from "../connection/connection_info.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import { formatAge, formatDuration } from "./format_duration.ts";
import { renderCard } from "./render_card.ts";
import { bundleOf } from "./_plain.ts";

const hostOf = (url: string) => url.replace(/^https:\/\//, "").replace(/\/$/, "");

/**
 * Where a key came from, on three lines: `Key Vault secret "quantum" in myvault.vault.azure.net`,
 * `version 1a2b… (the latest, read 2026-11-30T12:00:00.000Z)` (or `pinned by the reference`),
 * `created 2026-11-30T10:00:00.000Z (2 h ago)`: the age at `at`, or without `at`, when it was read.
 */
export function describeKeyVaultOrigin(origin: KeyVaultOrigin, at?: Date): string {
  const lines = [
    `Key Vault secret "${origin.secretName}" in ${hostOf(origin.vaultUrl)}`,
    `version ${origin.version} (${
      origin.pinned ? "pinned by the reference" : `the latest, read ${origin.readAt}`
    })`,
  ];
  if (origin.createdOn) {
    const ms = (at ?? new Date(origin.readAt)).getTime() - Date.parse(origin.createdOn);
    const age = at ? formatAge(ms) : `${formatDuration(Math.max(0, ms) / 1000)} old when read`;
    lines.push(`created ${origin.createdOn} (${age})`);
  }
  return lines.join("\n");
}

/** A key's connection string written to a Key Vault secret for someone else. */
export interface KeyVaultShareData {
  /** The workspace. */
  workspaceName: string;
  /** The key shared. */
  slot: KeySlot;
  /** Its fingerprint. */
  keyFingerprint: string;
  /** The vault's URL. */
  vaultUrl: string;
  /** The secret written. */
  secretName: string;
  /** The version written and read back. */
  version: string;
  /** `{vaultUrl}secrets/{name}/{version}` */
  secretId: string;
  /** When the version was created (ISO 8601). */
  createdOn: string | undefined;
  /** The reference to hand out: versionless, so it follows later versions. */
  reference: string;
  /** True when this kernel uses that key itself. */
  inUse: boolean;
}

/** A shared key as a card: where it is, the reference to hand out, how to grant and revoke. */
export function renderKeyVaultShare(r: KeyVaultShareData): MimeBundle {
  const card = renderCard({
    title: `${r.slot === "primary" ? "Primary" : "Secondary"} key of ${r.workspaceName} shared through Key Vault`,
    badge: badge("Shared", r.inUse ? "warn" : "ok"),
    rows: [
      ["Secret", `"${r.secretName}" in ${hostOf(r.vaultUrl)}`],
      ["Version", `${r.version}${r.createdOn ? ` (created ${r.createdOn})` : ""}`],
      ["Key", `${r.slot} ${r.keyFingerprint}${r.inUse ? " (this kernel uses it too)" : ""}`],
      ["Hand out", r.reference],
      ["Reader needs", `the role "Key Vault Secrets User" on the secret (or the vault)`],
      ["Revoke", `ws.keys.regenerate("${r.slot}", { confirm: true }): the shared key stops working`],
    ],
    footer: r.inUse
      ? "This kernel uses that key too: revoking it would need keys.rotate(). Share the secondary key; keep the primary for your own services."
      : "The value stays in the vault; only the reference is handed out.",
  });
  return bundleOf(card, { applied: true, operation: "shareToKeyVault", ...r });
}

/** What moving a clear-text connection string into Key Vault did. */
export interface KeyVaultMoveData {
  /** The workspace. */
  workspaceName: string;
  /** The vault's URL. */
  vaultUrl: string;
  /** The secret written. */
  secretName: string;
  /** The version written and read back. */
  version: string;
  /** `{vaultUrl}secrets/{name}/{version}` */
  secretId: string;
  /** The reference that now stands where the connection string was. */
  reference: string;
  /** Fingerprint of the key the connection string holds. */
  keyFingerprint: string;
  /** What changed, one sentence each. */
  changed: readonly string[];
  /** What the user must still do, one sentence each. */
  todo: readonly string[];
  /** Advice from the `.env` writer. */
  warnings: readonly string[];
}

/** A move to Key Vault as a card: the secret, the reference, what changed and what is left to do. */
export function renderKeyVaultMove(r: KeyVaultMoveData): MimeBundle {
  const card = renderCard({
    title: `Connection string of ${r.workspaceName} moved to Key Vault`,
    badge: badge(r.todo.length ? "Moved: to do" : "Moved", r.todo.length ? "warn" : "ok"),
    rows: [
      ["Secret", `"${r.secretName}" in ${hostOf(r.vaultUrl)}, version ${r.version}`],
      ["Key", r.keyFingerprint],
      ["Reference", r.reference],
      ["Changed", r.changed.join("\n")],
      ["Still to do", r.todo.map((t, i) => `${i + 1}. ${t}`).join("\n") || "nothing"],
    ],
    footer: r.warnings.join(" ") ||
      "The value is only in the vault now; the reference is not secret.",
  });
  return bundleOf(card, { applied: true, operation: "moveToKeyVault", ...r });
}
