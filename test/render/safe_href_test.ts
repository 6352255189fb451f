import { describe, expect, it } from "vitest";
import { safeHref } from "../../src/render/safe_href.ts";

describe("safeHref()", () => {
  it("accepts http and https URLs, normalised", () => {
    expect(safeHref("https://x")).toBe("https://x/");
    expect(safeHref("http://status.example.com/a?b=1")).toBe("http://status.example.com/a?b=1");
    expect(safeHref("HTTPS://Status.IonQ.co")).toBe("https://status.ionq.co/");
  });
  it("rejects javascript: in any case and with leading whitespace", () => {
    expect(safeHref("javascript:alert(1)")).toBeUndefined();
    expect(safeHref("JAVASCRIPT:alert(1)")).toBeUndefined();
    expect(safeHref("JavaScript:alert(1)")).toBeUndefined();
    expect(safeHref(" javascript:alert(1)")).toBeUndefined();
    expect(safeHref("\tjava\nscript:alert(1)")).toBeUndefined();
  });
  it("rejects data:, file:, ftp: and relative or malformed URLs", () => {
    expect(safeHref("data:text/html,<script>alert(1)</script>")).toBeUndefined();
    expect(safeHref("file:///etc/passwd")).toBeUndefined();
    expect(safeHref("ftp://example.com")).toBeUndefined();
    expect(safeHref("/status")).toBeUndefined();
    expect(safeHref("status.ionq.co")).toBeUndefined();
    expect(safeHref("https://")).toBeUndefined();
  });
  it("rejects empty, null and non-strings", () => {
    expect(safeHref("")).toBeUndefined();
    expect(safeHref("   ")).toBeUndefined();
    expect(safeHref(null)).toBeUndefined();
    expect(safeHref(undefined)).toBeUndefined();
    expect(safeHref(42)).toBeUndefined();
  });
  it("escaping is still the renderer's job: quotes survive as %22", () => {
    expect(safeHref('https://x/"onmouseover="alert(1)')).toBe(
      "https://x/%22onmouseover=%22alert(1)",
    );
  });
});
