import { describe, expect, it } from "vitest";
import { badge } from "../../src/render/badge.ts";
import { html } from "../../src/render/html.ts";
import { renderCard } from "../../src/render/render_card.ts";

describe("renderCard()", () => {
  it("text aligns values after the labels", () => {
    const { text } = renderCard({
      title: "Workspace demo",
      badge: badge("Connected", "ok"),
      rows: [["Region", "eastus"], ["Auth", "access key"], [
        "Endpoint",
        "https://eastus.quantum.azure.com/",
      ]],
      footer: "checked just now",
    });
    expect(text).toBe(
      [
        "Workspace demo  [Connected]",
        "Region:   eastus",
        "Auth:     access key",
        "Endpoint: https://eastus.quantum.azure.com/",
        "checked just now",
      ].join("\n"),
    );
  });
  it("shows — for empty values, skips falsy rows, continues multi-line values", () => {
    const { text } = renderCard({
      title: "T",
      rows: [["A", null], false, ["Longer", "one\ntwo"], undefined, ["B", ""], ["N", 0]],
    });
    expect(text).toBe(
      ["T", "A:      —", "Longer: one", "        two", "B:      —", "N:      0"].join("\n"),
    );
  });
  it("uses an Html value's plain text, or its tags stripped", () => {
    const { text } = renderCard({
      title: "T",
      rows: [["Status", badge("Available", "ok")], [
        "Link",
        html`<a href="https://x/">x &amp; y</a>`,
      ]],
    });
    expect(text).toBe(["T", "Status: Available", "Link:   x & y"].join("\n"));
  });
  it("replaces control characters in text (no terminal escapes)", () => {
    const { text } = renderCard({ title: "T\x1b[31m", rows: [["K", "a\tb\x07"]] });
    expect(text).toBe("T [31m\nK: a b");
  });
  it("html escapes title, labels and values, keeps badges, and is self-contained", () => {
    const { html: out } = renderCard({
      title: "<T>",
      badge: badge("OK", "ok"),
      rows: [["<L>", "<script>alert(1)</script>"]],
      footer: "<f>",
    });
    expect(out).toContain("&lt;T&gt;");
    expect(out).toContain(">&lt;L&gt;</div>");
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain(">OK</span>");
    expect(out).toContain("&lt;f&gt;</div>");
    expect(out).not.toMatch(/<script|<style|<link|background:#fff|background:white/i);
  });
  it("html matches exactly for a small card", () => {
    const { html: out } = renderCard({ title: "T", rows: [["K", "v"]] });
    expect(out).toBe(
      `<div style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;display:inline-block;` +
        `min-width:280px;max-width:100%;box-sizing:border-box;border:1px solid rgba(128,128,128,.35);` +
        `border-radius:6px;padding:10px 14px"><div style="font-weight:600;font-size:14px;margin-bottom:6px">T</div>` +
        `<div style="display:grid;grid-template-columns:max-content auto;gap:3px 14px;text-align:left">` +
        `<div style="opacity:.72;white-space:nowrap">K</div>` +
        `<div style="overflow-wrap:anywhere;white-space:pre-wrap">v</div></div></div>`,
    );
  });
});
