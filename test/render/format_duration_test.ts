import { describe, expect, it } from "vitest";
import { formatAge, formatDuration } from "../../src/render/format_duration.ts";

describe("formatDuration()", () => {
  it.each([
    [0, "0 s"],
    [0.4, "0 s"],
    [3, "3 s"],
    [45, "45 s"],
    [59.4, "59 s"],
    [59.6, "1 min"],
    [60, "1 min"],
    [90, "1 min 30 s"],
    [120, "2 min"],
    [599, "9 min 59 s"],
    [599.6, "10 min"],
    [1235, "21 min"],
    [1200, "20 min"],
    [3569, "59 min"],
    [3599, "1 h"],
    [5400, "1 h 30 min"],
    [12000, "3 h 20 min"],
    [86399, "1 d"],
    [86400, "1 d"],
    [187200, "2 d 4 h"],
    [189000, "2 d 5 h"],
  ])("formatDuration(%s) is %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
  it("shows — for negative, NaN and infinite values", () => {
    expect(formatDuration(-1)).toBe("—");
    expect(formatDuration(NaN)).toBe("—");
    expect(formatDuration(Infinity)).toBe("—");
  });
});

describe("formatAge()", () => {
  it.each([
    [0, "just now"],
    [4999, "just now"],
    [-3000, "just now"],
    [5000, "5 s ago"],
    [42_000, "42 s ago"],
    [20 * 60_000, "20 min ago"],
    [3 * 3600_000, "3 h ago"],
    [-120_000, "in 2 min"],
  ])("formatAge(%s) is %s", (ms, text) => {
    expect(formatAge(ms)).toBe(text);
  });
  it("shows — for NaN", () => {
    expect(formatAge(NaN)).toBe("—");
  });
});
