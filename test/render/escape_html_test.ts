import { describe, expect, it } from "vitest";
import { escapeHtml } from "../../src/render/escape_html.ts";

describe("escapeHtml()", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(escapeHtml(`& < > " '`)).toBe("&amp; &lt; &gt; &quot; &#39;");
  });
  it("escapes a script tag", () => {
    expect(escapeHtml("<script>alert('x')</script>")).toBe(
      "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;",
    );
  });
  it("escapes an existing entity again (no double-decoding shortcuts)", () => {
    expect(escapeHtml("&lt;")).toBe("&amp;lt;");
  });
  it("leaves other text alone", () => {
    expect(escapeHtml("ionq.qpu.aria-1 — 25 qubits")).toBe("ionq.qpu.aria-1 — 25 qubits");
  });
});
