import { describe, expect, it } from "vitest";
import { Html, html, isHtml, raw } from "../../src/render/html.ts";

describe("html``", () => {
  it("escapes interpolated strings", () => {
    const name = 'John "Johnny" Smith';
    expect(html`<p>I'm ${name}.</p>`.value).toBe("<p>I'm John &quot;Johnny&quot; Smith.</p>");
  });
  it("escapes a hostile value", () => {
    expect(html`<td>${"<script>alert(1)</script>"}</td>`.value).toBe(
      "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>",
    );
  });
  it("does not escape nested html fragments or raw()", () => {
    const inner = html`<b>${"<"}</b>`;
    expect(html`<p>${inner}${raw("<i>x</i>")}</p>`.value).toBe("<p><b>&lt;</b><i>x</i></p>");
  });
  it("flattens arrays, including nested ones", () => {
    expect(html`<ul>${["a", ["<b>", html`<li>c</li>`]]}</ul>`.value).toBe(
      "<ul>a&lt;b&gt;<li>c</li></ul>",
    );
  });
  it("skips null, undefined and booleans; prints numbers and bigints", () => {
    expect(html`[${null}${undefined}${false}${true}${0}${12n}]`.value).toBe("[012]");
  });
  it("escapes quotes inside attribute values", () => {
    expect(html`<a title="${`x" onclick="evil()`}">`.value).toBe(
      '<a title="x&quot; onclick=&quot;evil()">',
    );
  });
  it("fragments stringify to their HTML", () => {
    expect(String(html`<br>`)).toBe("<br>");
    expect(`${raw("<hr>")}`).toBe("<hr>");
  });
});

describe("raw()", () => {
  it("keeps an optional plain-text rendering", () => {
    const r = raw("<b>OK</b>", "OK");
    expect(r.value).toBe("<b>OK</b>");
    expect(r.plain).toBe("OK");
  });
});

describe("isHtml()", () => {
  it("recognises fragments, not strings or look-alikes", () => {
    expect(isHtml(html`x`)).toBe(true);
    expect(isHtml(new Html("x"))).toBe(true);
    expect(isHtml("<b>x</b>")).toBe(false);
    expect(isHtml({ value: "<b>x</b>" })).toBe(false);
  });
  it("recognises a fragment from another copy of the module by its registry brand", () => {
    const foreign = { value: "<i>x</i>", [Symbol.for("azure-quantum-notebook.Html")]: true };
    expect(isHtml(foreign)).toBe(true);
    expect(html`${foreign as unknown as Html}`.value).toBe("<i>x</i>");
  });
});

describe("Html display", () => {
  it("a fragment displays as text/html with its plain text", () => {
    expect(html`<b>${"a & b"}</b>`.toMimeBundle()).toEqual({
      "text/plain": "a & b",
      "text/html": "<b>a &amp; b</b>",
    });
    expect((raw("<i>x</i>", "X") as any)[Symbol.for("Jupyter.display")]()).toEqual({
      "text/plain": "X",
      "text/html": "<i>x</i>",
    });
  });
});
