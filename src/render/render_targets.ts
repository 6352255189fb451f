import type {
  ProviderStatus,
  TargetListInfo,
  TargetStatus,
} from "../data_plane/provider_status.ts";
import { badge, type Tone } from "./badge.ts";
import { formatDuration } from "./format_duration.ts";
// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { type Html, html as h, raw } from "./html.ts";
import { type Rendered, renderTable, type TableCell, type TableColumn } from "./render_table.ts";
import { safeHref } from "./safe_href.ts";
import { MUTED } from "./_style.ts";
import { plural } from "./_plain.ts";

const TONE: Record<string, Tone> = { Available: "ok", Degraded: "warn", Unavailable: "bad" };

/**
 * An availability value as a badge: `Available` green, `Degraded` amber, `Unavailable` red, any
 * other value (a newer service enum) grey. The text is always there, not only the colour.
 *
 * @param availability The service's `currentAvailability`.
 * @returns The badge fragment (its `plain` text is the value).
 */
export function availabilityBadge(availability: string): Html {
  const text = String(availability ?? "Unknown");
  return badge(text, TONE[text] ?? "neutral");
}

function statusPageCell(page: string | null | undefined): TableCell {
  if (page === null || page === undefined || String(page).trim() === "") return "—";
  const href = safeHref(page);
  if (!href) return String(page);
  const host = new URL(href).host;
  return raw(
    h`<a href="${href}" title="${href}" target="_blank" rel="noopener noreferrer">${host}</a>`
      .value,
    String(page),
  );
}

function queueCell(t: TargetStatus): string {
  return t.currentAvailability === "Unavailable" ? "—" : formatDuration(t.averageQueueTime);
}

function describeFilter(f: NonNullable<TargetListInfo["filter"]>): string {
  const parts: string[] = [];
  if (f.provider !== undefined) parts.push(`provider ${f.provider}`);
  if (f.target !== undefined) parts.push(`target ${f.target}`);
  if (f.availability !== undefined) {
    parts.push(
      `availability ${
        typeof f.availability === "string" ? f.availability : f.availability.join("|")
      }`,
    );
  }
  return parts.join(", ");
}

/**
 * The targets of a workspace as a table grouped by provider (provider id, its own availability
 * badge and target count in each group row), with an availability badge per target, the average
 * queue time in human units (`—` for an unavailable target), qubits and profile columns when any
 * target has them, and the status page as a link only for `http(s)` URLs. Pure; every service
 * string is escaped.
 *
 * @param providers The providers with their targets.
 * @param info Workspace name, fetch time, page count, filter (caption and footer).
 * @returns `{ html, text }`.
 */
export function renderTargets(
  providers: readonly ProviderStatus[],
  info: Readonly<TargetListInfo> = {},
): Rendered {
  const all = providers.flatMap((p) => p.targets);
  const withQubits = all.some((t) => typeof t.numQubits === "number");
  const withProfile = all.some((t) =>
    typeof t.targetProfile === "string" && t.targetProfile !== ""
  );
  const columns: TableColumn[] = [
    { header: "Target" },
    { header: "Availability" },
    { header: "Avg. queue", align: "right" },
    ...(withQubits ? [{ header: "Qubits", align: "right" as const }] : []),
    ...(withProfile ? [{ header: "Profile" }] : []),
    { header: "Status page" },
  ];
  const row = (t: TargetStatus): TableCell[] => [
    t.id,
    availabilityBadge(t.currentAvailability),
    queueCell(t),
    ...(withQubits ? [typeof t.numQubits === "number" ? t.numQubits : "—"] : []),
    ...(withProfile ? [t.targetProfile || "—"] : []),
    statusPageCell(t.statusPage),
  ];
  const groups = providers.map((p) => {
    const count = plural(p.targets.length, "target");
    const name = h`<span style="font-weight:600">${p.id}</span>`;
    const tag = availabilityBadge(p.currentAvailability);
    const muted = h`<span style="${raw(MUTED)};font-weight:400">${count}</span>`;
    const header = raw(
      h`${name} ${tag} ${muted}`.value,
      `${p.id} · ${String(p.currentAvailability)} · ${count}`,
    );
    return { header, rows: p.targets.map(row) };
  });

  const caption = info.workspaceName ? `Targets in workspace ${info.workspaceName}` : "Targets";
  const footer: string[] = [
    `${plural(all.length, "target")} from ${plural(providers.length, "provider")}`,
  ];
  if (info.filter) {
    const f = describeFilter(info.filter);
    if (f) footer.push(`filter: ${f}`);
  }
  const at = info.fetchedAt instanceof Date ? info.fetchedAt : undefined;
  if (at) footer.push(`fetched ${at.toISOString().replace(/\.\d{3}Z$/, "Z")}`);
  if (typeof info.pages === "number") footer.push(plural(info.pages, "page"));
  return renderTable({
    columns,
    groups,
    caption,
    footer: footer.join(" · "),
    empty: "(no targets)",
  });
}
