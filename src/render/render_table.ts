// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { type Html, html as h, type HtmlValue, raw } from "./html.ts";
import { oneLine } from "../_text.ts";
import { pad, textOf, widthOf } from "./_plain.ts";
import { BORDER, FONT, MUTED, SHADE } from "./_style.ts";

/** Horizontal alignment of a column, in both the HTML and the text table. */
export type Align = "left" | "right" | "center";

/** A column of {@link renderTable}. */
export interface TableColumn {
  /** Header text (escaped). */
  header: string;
  /** Alignment in HTML and text. @default "left" */
  align?: Align;
}

/** One cell: text or numbers (escaped), an {@link Html} fragment, or nothing (`null`). */
export type TableCell = HtmlValue;

/** A group of rows under a header row that spans the whole table. */
export interface TableGroup {
  /** The group's header row content, e.g. a provider id and its badge. */
  header: TableCell;
  /** The group's rows. */
  rows: readonly (readonly TableCell[])[];
}

/** What {@link renderTable} draws. Ungrouped `rows` come first, then each of `groups`. */
export interface TableSpec {
  /** The columns, left to right. */
  columns: readonly TableColumn[];
  /** Rows before any group. */
  rows?: readonly (readonly TableCell[])[];
  /** Groups of rows, each under a header row. */
  groups?: readonly TableGroup[];
  /** Shown above the table. */
  caption?: TableCell;
  /** Shown below the table, muted. */
  footer?: TableCell;
  /** Row text for a table or a group without rows. @default "(none)" */
  empty?: string;
}

/** An HTML rendering and its `text/plain` counterpart. */
export interface Rendered {
  /** Self-contained HTML (inline styles). */
  html: string;
  /** The aligned text table. */
  text: string;
}

const PAD = "padding:3px 10px";

function td(cell: TableCell, align: Align): Html {
  const style = `text-align:${align};${PAD};border-bottom:${BORDER};vertical-align:top`;
  return h`<td style="${style}">${cell}</td>`;
}

function spanRow(cols: number, content: TableCell, style: string): Html {
  return h`<tr><th colspan="${cols}" scope="colgroup" style="text-align:left;${style}">${content}</th></tr>`;
}

/**
 * A table as self-contained HTML (inline styles only, theme-neutral colours) plus an aligned
 * text table. Group header rows span the table; in text they sit at the left margin and the
 * rows under them are indented by two spaces. Text lines carry no trailing spaces, and control
 * characters in cell text are replaced by spaces.
 *
 * @param spec Columns, rows and/or groups, caption, footer.
 * @returns `{ html, text }`.
 *
 * @example A two-column table
 * ```ts
 * import { renderTable } from "azure-quantum-notebook";
 * const { text } = renderTable({
 *   columns: [{ header: "Target" }, { header: "Qubits", align: "right" }],
 *   rows: [["ionq.qpu", 25], ["quantinuum.h2", 56]],
 * });
 * // Target         Qubits
 * // -------------  ------
 * // ionq.qpu           25
 * // quantinuum.h2      56
 * ```
 */
export function renderTable(spec: TableSpec): Rendered {
  const columns = spec.columns;
  const aligns = columns.map((c) => c.align ?? "left");
  const rows = spec.rows ?? [];
  const groups = spec.groups ?? [];
  const empty = spec.empty ?? "(none)";
  const n = columns.length;
  const headers = columns.map((c) => oneLine(c.header));

  // text
  const cellText = (row: readonly TableCell[]) =>
    columns.map((_, i) => oneLine(textOf(row[i] ?? null)).trim());
  const textRows = rows.map(cellText);
  const textGroups = groups.map((g) => ({
    header: oneLine(textOf(g.header)),
    rows: g.rows.map(cellText),
  }));
  const widths = columns.map((_, i) =>
    Math.max(
      widthOf(headers[i]),
      ...textRows.map((r) => widthOf(r[i])),
      ...textGroups.flatMap((g) => g.rows.map((r) => widthOf(r[i]))),
    )
  );
  const indent = groups.length > 0 ? "  " : "";
  const line = (cells: string[]) =>
    (indent + cells.map((c, i) => pad(c, widths[i], aligns[i])).join("  ")).trimEnd();
  const out: string[] = [];
  if (spec.caption != null) out.push(oneLine(textOf(spec.caption)));
  out.push(line(headers));
  out.push(line(widths.map((w) => "-".repeat(w))));
  for (const r of textRows) out.push(line(r));
  for (const g of textGroups) {
    out.push(g.header);
    if (g.rows.length === 0) out.push(indent + oneLine(empty));
    for (const r of g.rows) out.push(line(r));
  }
  if (rows.length === 0 && groups.length === 0) out.push(oneLine(empty));
  if (spec.footer != null) out.push(oneLine(textOf(spec.footer)));

  // html
  const body = (r: readonly TableCell[]) =>
    h`<tr>${columns.map((_, i) => td(r[i] ?? null, aligns[i]))}</tr>`;
  const emptyRow = spanRow(n, h`<span style="${MUTED};font-weight:400">${empty}</span>`, PAD);
  const thStyle = `${PAD};border-bottom:2px solid rgba(128,128,128,.5);white-space:nowrap`;
  const head = columns.map((c, i) =>
    h`<th style="text-align:${aligns[i]};${thStyle}">${c.header}</th>`
  );
  const captionStyle = "caption-side:top;text-align:left;padding:0 0 6px;font-weight:600";
  const caption = spec.caption != null
    ? h`<caption style="${captionStyle}">${spec.caption}</caption>`
    : null;
  const footer = spec.footer != null
    ? h`<div style="${raw(MUTED)};font-size:12px;padding-top:4px">${spec.footer}</div>`
    : null;
  const groupRows = groups.map((g) => [
    spanRow(n, g.header, `padding:6px 10px;${SHADE};border-bottom:${BORDER}`),
    g.rows.length === 0 ? emptyRow : g.rows.map(body),
  ]);
  const none = rows.length === 0 && groups.length === 0 ? emptyRow : null;
  const tbody = h`<tbody>${rows.map(body)}${groupRows}${none}</tbody>`;
  const thead = h`<thead><tr>${head}</tr></thead>`;
  const tableStyle = "border-collapse:collapse;margin:0;border:none";
  const inner = h`<table style="${tableStyle}">${caption}${thead}${tbody}</table>${footer}`;
  const table = h`<div style="${raw(FONT)};overflow-x:auto">${inner}</div>`.value;
  return { html: table, text: out.join("\n") };
}
