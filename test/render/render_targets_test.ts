import { describe, expect, it } from "vitest";
import { TargetList } from "../../src/workspace/target_list.ts";
import { PROVIDERS } from "./_targets_fixture.ts";

const INFO = { workspaceName: "demo", fetchedAt: "2026-11-27T10:15:03.123Z", pages: 2 };

describe("TargetList display", () => {
  const list = new TargetList(PROVIDERS, INFO);
  const bundle = list.toMimeBundle();
  const out = bundle["text/html"] as string;

  it("text/plain is an aligned table grouped by provider", () => {
    expect(bundle["text/plain"]).toBe(
      [
        "Targets in workspace demo",
        "  Target                     Availability  Avg. queue  Status page",
        "  -------------------------  ------------  ----------  ----------------------",
        "ionq · Available · 2 targets",
        "  ionq.qpu.aria-1            Unavailable            —  https://status.ionq.co",
        "  ionq.simulator             Available         21 min  https://status.ionq.co",
        "pasqal · Available · 2 targets",
        "  pasqal.sim.emu-tn          Available            3 s  —",
        "  pasqal.qpu.fresnel         Degraded      3 h 20 min  —",
        "qci · Unavailable · 1 target",
        "  qci.simulator              Unavailable            —  —",
        "<b>evil</b> · Degraded · 1 target",
        "  <script>alert(1)</script>  Available           45 s  javascript:alert(1)",
        "6 targets from 4 providers · fetched 2026-11-27T10:15:03Z · 2 pages",
      ].join("\n"),
    );
  });
  it("toString(), util.inspect and console output give the same text table", async () => {
    const { inspect } = await import("node:util");
    expect(String(list)).toBe(bundle["text/plain"]);
    expect(inspect(list)).toBe(bundle["text/plain"]);
  });
  it("html groups by provider with the provider's own badge in a spanning row", () => {
    const groupRows = out.match(/<th colspan="4" scope="colgroup"[^>]*>.*?<\/th>/g) ?? [];
    expect(groupRows).toHaveLength(4);
    expect(groupRows[0]).toContain('<span style="font-weight:600">ionq</span>');
    expect(groupRows[0]).toContain("background:#1a7f37;color:#fff;");
    expect(groupRows[0]).toContain(">Available</span>");
    expect(groupRows[2]).toContain("background:#cf222e;color:#fff;");
    expect(groupRows[3]).toContain("background:#9a6700;color:#fff;");
  });
  it("html has one availability badge per target, with its text", () => {
    const cellBadges = out.match(
      /<td [^>]*><span style="display:inline-block[^"]*background:(#\w+)[^"]*">(\w+)<\/span><\/td>/g,
    ) ?? [];
    expect(cellBadges).toHaveLength(6);
    expect(out).toContain(
      'background:#9a6700;color:#fff;font-size:11px;font-weight:600;line-height:16px;white-space:nowrap">Degraded</span></td>',
    );
  });
  it("html shows queue times in human units, — when unavailable", () => {
    expect(out).toContain(
      'text-align:right;padding:3px 10px;border-bottom:1px solid rgba(128,128,128,.35);vertical-align:top">21 min</td>',
    );
    expect(out).toContain(">3 h 20 min</td>");
    expect(out.match(/vertical-align:top">—<\/td>/g)?.length).toBe(2 + 3); // 2 unavailable queues + 3 missing pages
  });
  it("html links only http(s) status pages", () => {
    const links = out.match(/<a [^>]*>[^<]*<\/a>/g) ?? [];
    expect(links).toEqual([
      '<a href="https://status.ionq.co/" title="https://status.ionq.co/" target="_blank" rel="noopener noreferrer">status.ionq.co</a>',
      '<a href="https://status.ionq.co/" title="https://status.ionq.co/" target="_blank" rel="noopener noreferrer">status.ionq.co</a>',
    ]);
    expect(out).toContain(">javascript:alert(1)</td>");
    expect(out).not.toContain('href="javascript');
  });
  it("html escapes every service string", () => {
    expect(out).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(out).toContain("&lt;b&gt;evil&lt;/b&gt;");
    expect(out).not.toContain("<script>");
    expect(out).not.toContain("<b>evil");
  });
  it("html is self-contained and theme-neutral", () => {
    expect(out).not.toMatch(/<script|<style|<link|<img|url\(|background:(#fff|white)|color:#000/i);
    expect(out).toContain("<caption");
    expect(out).toContain(">Targets in workspace demo</caption>");
    expect(out).toContain(
      ">6 targets from 4 providers · fetched 2026-11-27T10:15:03Z · 2 pages</div>",
    );
  });
  it("application/json is the data, JSON-serialisable, round-trips into a TargetList", () => {
    const json = bundle["application/json"] as any;
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
    expect(json.workspaceName).toBe("demo");
    expect(json.fetchedAt).toBe("2026-11-27T10:15:03.123Z");
    expect(json.pages).toBe(2);
    expect(json.providers[0]).toEqual({
      id: "ionq",
      currentAvailability: "Available",
      targets: [
        {
          id: "ionq.qpu.aria-1",
          providerId: "ionq",
          currentAvailability: "Unavailable",
          averageQueueTime: 0,
          statusPage: "https://status.ionq.co",
        },
        {
          id: "ionq.simulator",
          providerId: "ionq",
          currentAvailability: "Available",
          averageQueueTime: 1235,
          statusPage: "https://status.ionq.co",
        },
      ],
    });
    expect(json.providers[2].targets[0].statusPage).toBeNull();
    expect(new TargetList(json.providers).length).toBe(6);
  });
  it("Symbol.for('Jupyter.display') returns the same bundle", () => {
    expect((list as any)[Symbol.for("Jupyter.display")]()).toEqual(bundle);
  });
  it("adds Qubits and Profile columns only when some target has them", () => {
    const l = new TargetList([{
      id: "p",
      currentAvailability: "Available",
      targets: [
        {
          id: "p.a",
          currentAvailability: "Available",
          averageQueueTime: 60,
          numQubits: 25,
          targetProfile: "Base",
        },
        { id: "p.b", currentAvailability: "Available", averageQueueTime: 0 },
      ],
    }]);
    expect(l.toString()).toBe(
      [
        "Targets",
        "  Target  Availability  Avg. queue  Qubits  Profile  Status page",
        "  ------  ------------  ----------  ------  -------  -----------",
        "p · Available · 2 targets",
        "  p.a     Available          1 min      25  Base     —",
        "  p.b     Available            0 s       —  —        —",
        "2 targets from 1 provider",
      ].join("\n"),
    );
  });
  it("an empty list and a provider without targets say so", () => {
    expect(new TargetList([]).toString()).toBe(
      [
        "Targets",
        "Target  Availability  Avg. queue  Status page",
        "------  ------------  ----------  -----------",
        "(no targets)",
        "0 targets from 0 providers",
      ].join("\n"),
    );
    expect(new TargetList([{ id: "x", currentAvailability: "Available", targets: [] }]).toString())
      .toContain(
        "x · Available · 0 targets\n  (no targets)",
      );
  });
});
