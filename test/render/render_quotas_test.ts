import { describe, expect, it } from "vitest";
import type { Quota } from "../../src/data_plane/quota.ts";
import {
  formatPercent,
  formatQuantity,
  htmlBar,
  quotaTone,
  renderQuotas,
  textBar,
} from "../../src/render/render_quotas.ts";

const q = (utilization: number, limit: number, holds = 0, extra: Partial<Quota> = {}): Quota => ({
  dimension: "jobs",
  scope: "Workspace",
  providerId: "p",
  utilization,
  holds,
  limit,
  period: "Monthly",
  ...extra,
});

describe("quota bars", () => {
  it("text bar: # used, + held, . free, 20 wide, then the percentage", () => {
    expect(textBar(q(0, 10))).toBe("[....................]   0%");
    expect(textBar(q(5, 10))).toBe("[##########..........]  50%");
    expect(textBar(q(30, 40, 7))).toBe("[###############++++.]  92%");
    expect(textBar(q(10, 10))).toBe("[####################] 100%");
    expect(textBar(q(15, 10))).toBe("[####################] 150%");
    expect(textBar(q(8, 10, 5))).toBe("[################++++] 130%");
  });
  it("a sliver above zero still shows, and says <1%", () => {
    expect(textBar(q(12.5, 16_666_667))).toBe("[#...................]  <1%");
    expect(htmlBar(q(12.5, 16_666_667)).value).toContain("width:2.0%");
  });
  it("without a positive limit there is no bar", () => {
    expect(textBar(q(5, 0))).toBe("—");
    expect(textBar(q(5, NaN))).toBe("—");
    expect(htmlBar(q(5, -1)).value).not.toContain('role="img"');
  });
  it("percentages never claim full before the limit, and tones follow the thresholds", () => {
    expect(formatPercent(0.996)).toBe("99%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(undefined)).toBe("—");
    expect([0, 0.69, 0.7, 0.89, 0.9, 1.2, undefined].map(quotaTone)).toEqual([
      "ok",
      "ok",
      "warn",
      "warn",
      "bad",
      "bad",
      "neutral",
    ]);
  });
  it("html bar: used solid and held lighter in the quota's tone, the text bar as its plain form", () => {
    const bar = htmlBar(q(30, 40, 7));
    expect(bar.value).toContain('aria-label="92% used"');
    expect(bar.value).toContain("width:75.0%;background:#cf222e;opacity:1");
    expect(bar.value).toContain("width:17.5%;background:#cf222e;opacity:.45");
    expect(bar.plain).toBe("[###############++++.]  92%");
    expect(htmlBar(q(1, 2)).value).toContain("background:#1a7f37");
  });
  it("quantities: thousands separators, up to 2 decimals, — for what the service did not send", () => {
    expect([16_666_667, 12.5, 0.125, NaN].map(formatQuantity)).toEqual(["16,666,667", "12.5", "0.13", "—"]);
  });
});

describe("renderQuotas", () => {
  const hostile = "<img src=x onerror=alert(1)>";
  const rendered = renderQuotas(
    [
      q(30, 40, 7, { providerId: "quantinuum", dimension: "hqc", scope: "Subscription" }),
      q(0, 10, 0, { providerId: hostile, dimension: `<script>alert(1)</script>`, period: "None" }),
    ],
    { workspaceName: "demo", fetchedAt: new Date("2026-11-27T10:15:03.123Z"), pages: 2 },
  );
  it("text: caption with how many are near the limit, aligned columns, footer", () => {
    expect(rendered.text).toBe([
      "Quotas of workspace demo  [1 near the limit]",
      "Provider                      Dimension                  Scope         Period        Used / limit  Usage",
      "----------------------------  -------------------------  ------------  -------  -----------------  ---------------------------",
      "quantinuum                    hqc                        Subscription  Monthly  30 / 40 (+7 held)  [###############++++.]  92%",
      "<img src=x onerror=alert(1)>  <script>alert(1)</script>  Workspace     None                0 / 10  [....................]   0%",
      "2 quotas · 1 at 90% or more (held included) · fetched 2026-11-27T10:15:03Z · 2 pages",
    ].join("\n"));
  });
  it("html: every service string escaped", () => {
    expect(rendered.html).not.toContain("<script>");
    expect(rendered.html).not.toContain("<img");
    expect(rendered.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(rendered.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
  it("an all-clear caption, and an empty list", () => {
    expect(renderQuotas([q(1, 10)]).text.split("\n")[0]).toBe("Quotas  [All below 90%]");
    expect(renderQuotas([]).text).toContain("(no quotas)");
  });
  it("terminal text carries no control characters from the service", () => {
    const text = renderQuotas([q(1, 10, 0, { providerId: "a\u001b[31mred\u0007", dimension: "d\nx" })]).text;
    // deno-lint-ignore no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  });
});
