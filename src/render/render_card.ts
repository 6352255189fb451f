// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { type Html, html as h, type HtmlValue, raw } from "./html.ts";
import { oneLine } from "../_text.ts";
import { textOf, widthOf } from "./_plain.ts";
import { BORDER, FONT, MUTED } from "./_style.ts";
import type { Rendered } from "./render_table.ts";

/** One `label: value` line of a card; `null`, `undefined` and `false` entries are skipped. */
export type CardRow = readonly [label: string, value: HtmlValue] | null | undefined | false;

/** What {@link renderCard} draws. */
export interface CardSpec {
  /** Card heading (escaped). */
  title: string;
  /** Shown after the title, e.g. `badge("Connected", "ok")`. */
  badge?: Html;
  /** Values are escaped unless they are {@link Html}; `null`, `undefined` and `""` show `—`. */
  rows: readonly CardRow[];
  /** Muted line under the rows. */
  footer?: HtmlValue;
}

function isEmpty(v: HtmlValue): boolean {
  return v === null || v === undefined || v === "" || v === false;
}

/**
 * A card: title (with an optional badge), `label: value` rows and a footer, as self-contained
 * HTML plus text with the values aligned after the labels. Multi-line text values continue
 * under the value column.
 *
 * @param spec Title, badge, rows, footer.
 * @returns `{ html, text }`.
 *
 * @example A workspace card
 * ```ts
 * import { badge, renderCard } from "azure-quantum-notebook";
 * const { text } = renderCard({
 *   title: "Workspace demo",
 *   badge: badge("Connected", "ok"),
 *   rows: [["Region", "eastus"], ["Auth", "access key"]],
 * });
 * // Workspace demo  [Connected]
 * // Region: eastus
 * // Auth:   access key
 * ```
 */
export function renderCard(spec: CardSpec): Rendered {
  const rows = spec.rows.filter((r): r is readonly [string, HtmlValue] => !!r);
  const values = rows.map(([, v]) => (isEmpty(v) ? "—" : v));

  const width = Math.max(0, ...rows.map(([label]) => widthOf(oneLine(label)) + 1));
  const lines: string[] = [];
  lines.push(oneLine(spec.title) + (spec.badge ? `  [${oneLine(textOf(spec.badge))}]` : ""));
  rows.forEach(([label], i) => {
    const [first, ...rest] = textOf(values[i]).split(/\r?\n/).map(oneLine);
    lines.push(`${(oneLine(label) + ":").padEnd(width)} ${first}`.trimEnd());
    for (const more of rest) lines.push(`${" ".repeat(width)} ${more}`.trimEnd());
  });
  if (!isEmpty(spec.footer ?? null)) lines.push(oneLine(textOf(spec.footer ?? null)));

  const grid = rows.map(([label], i) => [
    h`<div style="${raw(MUTED)};white-space:nowrap">${label}</div>`,
    h`<div style="overflow-wrap:anywhere;white-space:pre-wrap">${values[i]}</div>`,
  ]);
  const titleStyle = "font-weight:600;font-size:14px;margin-bottom:6px";
  const badgePart = spec.badge ? h` ${spec.badge}` : null;
  const title = h`<div style="${titleStyle}">${spec.title}${badgePart}</div>`;
  const footer = isEmpty(spec.footer ?? null)
    ? null
    : h`<div style="${raw(MUTED)};font-size:12px;margin-top:8px">${spec.footer}</div>`;
  const box = `${FONT};display:inline-block;min-width:280px;max-width:100%;box-sizing:border-box;` +
    `border:${BORDER};border-radius:6px;padding:10px 14px`;
  const gridStyle =
    "display:grid;grid-template-columns:max-content auto;gap:3px 14px;text-align:left";
  const out = h`<div style="${
    raw(box)
  }">${title}<div style="${gridStyle}">${grid}</div>${footer}</div>`;
  return { html: out.value, text: lines.join("\n") };
}
