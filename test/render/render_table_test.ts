import { describe, expect, it } from "vitest";
import { badge } from "../../src/render/badge.ts";
import { renderTable } from "../../src/render/render_table.ts";

describe("renderTable()", () => {
  it("text: aligned columns, right-aligned numbers, no trailing spaces", () => {
    const { text } = renderTable({
      columns: [{ header: "Target" }, { header: "Qubits", align: "right" }, { header: "Note" }],
      rows: [["ionq.qpu", 25, ""], ["quantinuum.h2", 56, "ok"]],
    });
    expect(text).toBe(
      [
        "Target         Qubits  Note",
        "-------------  ------  ----",
        "ionq.qpu           25",
        "quantinuum.h2      56  ok",
      ].join("\n"),
    );
  });
  it("text: centred column", () => {
    const { text } = renderTable({
      columns: [{ header: "Mid", align: "center" }, { header: "X" }],
      rows: [["a", "b"]],
    });
    expect(text).toBe(["Mid  X", "---  -", " a   b"].join("\n"));
  });
  it("text: caption, group headers at the margin, indented rows, empty group, footer", () => {
    const { text } = renderTable({
      columns: [{ header: "Target" }, { header: "State" }],
      groups: [
        { header: "ionq", rows: [["ionq.simulator", badge("Available", "ok")]] },
        { header: "empty", rows: [] },
      ],
      caption: "Targets",
      footer: "2 providers",
    });
    expect(text).toBe(
      [
        "Targets",
        "  Target          State",
        "  --------------  ---------",
        "ionq",
        "  ionq.simulator  Available",
        "empty",
        "  (none)",
        "2 providers",
      ].join("\n"),
    );
  });
  it("text: an empty table says so", () => {
    const { text } = renderTable({ columns: [{ header: "A" }], empty: "(no rows)" });
    expect(text).toBe(["A", "-", "(no rows)"].join("\n"));
  });
  it("text: control characters in cells become spaces", () => {
    const { text } = renderTable({ columns: [{ header: "A" }], rows: [["x\ny\x1b"]] });
    expect(text).toBe(["A", "---", "x y"].join("\n"));
  });
  it("html: exact small table", () => {
    const { html } = renderTable({
      columns: [{ header: "A" }, { header: "N", align: "right" }],
      rows: [["<x>", 1]],
    });
    const cell =
      "padding:3px 10px;border-bottom:1px solid rgba(128,128,128,.35);vertical-align:top";
    const th = "padding:3px 10px;border-bottom:2px solid rgba(128,128,128,.5);white-space:nowrap";
    expect(html).toBe(
      `<div style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;overflow-x:auto">` +
        `<table style="border-collapse:collapse;margin:0;border:none"><thead><tr>` +
        `<th style="text-align:left;${th}">A</th><th style="text-align:right;${th}">N</th></tr></thead>` +
        `<tbody><tr><td style="text-align:left;${cell}">&lt;x&gt;</td>` +
        `<td style="text-align:right;${cell}">1</td></tr></tbody></table></div>`,
    );
  });
  it("html: group header rows span all columns; caption and footer escaped", () => {
    const { html } = renderTable({
      columns: [{ header: "A" }, { header: "B" }, { header: "C" }],
      groups: [{ header: "<g>", rows: [["1", "2", "3"]] }],
      caption: "<c>",
      footer: "<f>",
    });
    expect(html).toContain(
      `<th colspan="3" scope="colgroup" style="text-align:left;padding:6px 10px;` +
        `background:rgba(128,128,128,.12);border-bottom:1px solid rgba(128,128,128,.35)">&lt;g&gt;</th>`,
    );
    expect(html).toContain(">&lt;c&gt;</caption>");
    expect(html).toContain(">&lt;f&gt;</div>");
  });
});
