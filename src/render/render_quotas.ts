/**
 * The quotas of a workspace as a table with a usage bar: an HTML bar (used, held, free) in
 * notebooks, a text bar (`[######+.............]  35%`) in terminals. Plain data in; every service
 * string is escaped.
 *
 * @module
 */

import { type Quota, quotaFraction, type QuotaListInfo } from "../data_plane/quota.ts";
import { badge, type Tone } from "./badge.ts";
// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { type Html, html as h, raw } from "./html.ts";
import { type Rendered, renderTable, type TableCell } from "./render_table.ts";
import { TONES } from "./_style.ts";
import { plural } from "./_plain.ts";

/** From this fraction on a quota is "near its limit" (red); from {@link WARN_AT} amber. */
export const NEAR_LIMIT_AT = 0.9;
/** From this fraction on a quota's bar is amber. */
export const WARN_AT = 0.7;
/** Characters in a text bar, between its brackets. */
export const TEXT_BAR_WIDTH = 20;

// Made on first use: creating an Intl formatter loads ICU data (milliseconds at import).
let numberFormat: Intl.NumberFormat | undefined;

/** A number as the tables show it (`16,666,667`, `12.5`), or `—` when the service sent none. */
export function formatQuantity(n: number): string {
  if (!Number.isFinite(n)) return "—";
  numberFormat ??= new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
  return numberFormat.format(n);
}

/** `35%`, `<1%` for a sliver, `100%` only when full, `—` without a limit. */
export function formatPercent(fraction: number | undefined): string {
  if (fraction === undefined) return "—";
  const pct = fraction * 100;
  if (pct > 0 && pct < 1) return "<1%";
  return `${pct < 100 ? Math.floor(pct) : Math.round(pct)}%`;
}

/** The tone of a quota's bar: red from {@link NEAR_LIMIT_AT}, amber from {@link WARN_AT}, else green. */
export function quotaTone(fraction: number | undefined): Tone {
  if (fraction === undefined) return "neutral";
  return fraction >= NEAR_LIMIT_AT ? "bad" : fraction >= WARN_AT ? "warn" : "ok";
}

// The used and held shares of the bar, each in [0, 1], together at most 1.
function shares(q: Quota): { used: number; held: number } | undefined {
  const f = quotaFraction(q);
  if (f === undefined) return undefined;
  const used = Math.min(1, Math.max(0, q.utilization) / q.limit);
  const held = Math.min(1 - used, Math.max(0, f - used));
  return { used, held };
}

/**
 * The text bar of a quota: `#` used, `+` held, `.` free, {@link TEXT_BAR_WIDTH} wide, then the
 * percentage; a share above zero shows at least one character. Without a positive limit, `—`.
 */
export function textBar(q: Quota): string {
  const s = shares(q);
  if (!s) return "—";
  const used = s.used > 0 ? Math.max(1, Math.round(s.used * TEXT_BAR_WIDTH)) : 0;
  const held = s.held > 0 ? Math.max(1, Math.min(TEXT_BAR_WIDTH - used, Math.round(s.held * TEXT_BAR_WIDTH))) : 0;
  const free = Math.max(0, TEXT_BAR_WIDTH - used - held);
  return `[${"#".repeat(used)}${"+".repeat(held)}${".".repeat(free)}] ${formatPercent(quotaFraction(q)).padStart(4)}`;
}

/** The HTML bar of a quota (used solid, held lighter, free grey), with its text as `plain`. */
export function htmlBar(q: Quota): Html {
  const s = shares(q);
  const plain = textBar(q);
  if (!s) return raw(h`<span title="no positive limit to compare with">—</span>`.value, plain);
  const colour = TONES[quotaTone(quotaFraction(q))];
  // A share above zero stays visible (2 %), as in the text bar.
  const pct = (x: number) => `${(x > 0 ? Math.max(x, 0.02) * 100 : 0).toFixed(1)}%`;
  const label = formatPercent(quotaFraction(q));
  const track = "display:inline-block;width:140px;height:10px;border-radius:5px;overflow:hidden;" +
    "vertical-align:middle;background:rgba(128,128,128,.25);white-space:nowrap;font-size:0";
  const part = (width: number, opacity: string) =>
    h`<span style="display:inline-block;height:100%;width:${pct(width)};background:${colour};opacity:${opacity}"></span>`;
  const bar = h`<span role="img" aria-label="${label} used" style="${track}">${part(s.used, "1")}${
    part(s.held, ".45")
  }</span> <span style="display:inline-block;min-width:3em;text-align:right">${label}</span>`;
  return raw(bar.value, plain);
}

function usedCell(q: Quota): string {
  const held = Number.isFinite(q.holds) && q.holds > 0 ? ` (+${formatQuantity(q.holds)} held)` : "";
  return `${formatQuantity(q.utilization)} / ${formatQuantity(q.limit)}${held}`;
}

/**
 * The quotas as a table: provider, dimension, scope, period, used / limit (with holds), and a
 * usage bar. Rows are shown in the order given (a `QuotaList` sorts the fullest first); the
 * caption counts the quotas near their limit. Pure.
 *
 * @param quotas The quotas.
 * @param info Workspace name, fetch time, page count.
 * @returns `{ html, text }`.
 */
export function renderQuotas(quotas: readonly Quota[], info: Readonly<QuotaListInfo> = {}): Rendered {
  const near = quotas.filter((q) => (quotaFraction(q) ?? 0) >= NEAR_LIMIT_AT).length;
  const title = info.workspaceName ? `Quotas of workspace ${info.workspaceName}` : "Quotas";
  const flag = near > 0 ? badge(`${near} near the limit`, "bad") : quotas.length ? badge("All below 90%", "ok") : null;
  const caption: TableCell = flag ? raw(h`${title} ${flag}`.value, `${title}  [${flag.plain}]`) : title;
  const rows = quotas.map((q): TableCell[] => [
    q.providerId || "—",
    q.dimension || "—",
    q.scope || "—",
    q.period || "—",
    usedCell(q),
    htmlBar(q),
  ]);
  const footer = [plural(quotas.length, "quota")];
  if (near > 0) footer.push(`${near} at ${Math.round(NEAR_LIMIT_AT * 100)}% or more (held included)`);
  const at = info.fetchedAt instanceof Date ? info.fetchedAt : undefined;
  if (at) footer.push(`fetched ${at.toISOString().replace(/\.\d{3}Z$/, "Z")}`);
  if (typeof info.pages === "number") footer.push(plural(info.pages, "page"));
  return renderTable({
    columns: [
      { header: "Provider" },
      { header: "Dimension" },
      { header: "Scope" },
      { header: "Period" },
      { header: "Used / limit", align: "right" },
      { header: "Usage" },
    ],
    rows,
    caption,
    footer: footer.join(" · "),
    empty: "(no quotas)",
  });
}
