import { describe, expect, it } from "vitest";
import { badge } from "../../src/render/badge.ts";
import { availabilityBadge } from "../../src/render/render_targets.ts";

const STYLE =
  "display:inline-block;padding:1px 7px;border-radius:9px;background:COLOUR;color:#fff;" +
  "font-size:11px;font-weight:600;line-height:16px;white-space:nowrap";
const expected = (colour: string, text: string) =>
  `<span style="${STYLE.replace("COLOUR", colour)}">${text}</span>`;

describe("badge()", () => {
  it("renders a solid badge with white text per tone", () => {
    expect(badge("OK", "ok").value).toBe(expected("#1a7f37", "OK"));
    expect(badge("Slow", "warn").value).toBe(expected("#9a6700", "Slow"));
    expect(badge("Down", "bad").value).toBe(expected("#cf222e", "Down"));
    expect(badge("Emulator", "info").value).toBe(expected("#0969da", "Emulator"));
    expect(badge("n/a", "neutral").value).toBe(expected("#6e7781", "n/a"));
  });
  it("defaults to neutral and escapes its text", () => {
    expect(badge("<b>").value).toBe(expected("#6e7781", "&lt;b&gt;"));
  });
  it("has the bare text as its plain rendering", () => {
    expect(badge("<b>", "ok").plain).toBe("<b>");
  });
});

describe("availabilityBadge()", () => {
  it("maps availability to tones, unknown values to neutral", () => {
    expect(availabilityBadge("Available").value).toBe(expected("#1a7f37", "Available"));
    expect(availabilityBadge("Degraded").value).toBe(expected("#9a6700", "Degraded"));
    expect(availabilityBadge("Unavailable").value).toBe(expected("#cf222e", "Unavailable"));
    expect(availabilityBadge("Maintenance").value).toBe(expected("#6e7781", "Maintenance"));
  });
});
