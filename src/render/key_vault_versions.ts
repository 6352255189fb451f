/**
 * The versions of a Key Vault secret as a table: version, when it was created, the key it holds
 * (slot and fingerprint, from the tags this module writes), and which one is the latest and which
 * holds the key this kernel uses. Plain data in, a MIME bundle out; never a value (listing
 * versions reads properties only).
 *
 * @module
 */

import type { MimeBundle } from "../displayable.ts";
import { badge } from "./badge.ts";
import type { HtmlValue } from "./html.ts";
import { renderTable } from "./render_table.ts";
import { bundleOf, plural } from "./_plain.ts";

/** One version of a secret, as listed. */
export interface KeyVaultVersionRow {
  /** The version (32 hex digits). */
  version: string;
  /** When it was created (ISO 8601). */
  createdOn: string | undefined;
  /** False for a disabled version (it cannot be read). */
  enabled: boolean;
  /** Its content type (this module writes `text/plain; format=azure-quantum-connection-string`). */
  contentType: string | undefined;
  /** The key slot its tags name (`azure-quantum-key`), when written by sharing or rotation. */
  slot: string | undefined;
  /** The fingerprint of the key it holds (tag `azure-quantum-key-fingerprint`), never the key. */
  keyFingerprint: string | undefined;
  /** The newest version: what a reference without a version reads. */
  latest: boolean;
  /** It holds the key this kernel uses. */
  inUse: boolean;
}

/** The versions of one secret. */
export interface KeyVaultVersionsData {
  /** The workspace whose kernel listed them. */
  workspaceName: string;
  /** The vault's URL. */
  vaultUrl: string;
  /** The secret. */
  secretName: string;
  /** Its versions, oldest first. */
  versions: readonly KeyVaultVersionRow[];
}

const hostOf = (url: string) => url.replace(/^https:\/\//, "").replace(/\/$/, "");

/** The badges of a version: latest, in use, disabled, a space between two. */
function status(v: KeyVaultVersionRow): HtmlValue[] {
  const badges = [
    v.latest ? badge("latest", "info") : undefined,
    v.inUse ? badge("in use", "ok") : undefined,
    v.enabled ? undefined : badge("disabled", "warn"),
  ].filter((b) => b !== undefined);
  return badges.flatMap((b, i) => (i ? [" ", b] : [b]));
}

/** A secret's versions as a table, oldest first. */
export function renderKeyVaultVersions(r: KeyVaultVersionsData): MimeBundle {
  const table = renderTable({
    caption: `Key Vault secret "${r.secretName}" in ${hostOf(r.vaultUrl)}: ${plural(r.versions.length, "version")}`,
    columns: [
      { header: "#", align: "right" },
      { header: "Version" },
      { header: "Created" },
      { header: "Key" },
      { header: "" },
    ],
    rows: r.versions.map((v, i) => [
      i + 1,
      v.version,
      v.createdOn ?? "—",
      [v.slot, v.keyFingerprint].filter(Boolean).join(" ") || "—",
      status(v),
    ]),
    empty: "(no versions: the secret does not exist in this vault)",
    footer: "Listed from the vault's metadata: no value was read. A reference without a version reads the latest.",
  });
  return bundleOf(table, { operation: "keyVaultVersions", ...r });
}
