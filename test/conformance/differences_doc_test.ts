import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ALLOWED_DIFFERENCES, DOC_START } from "./allowed_differences.ts";
import { withDifferences } from "./differences_doc.ts";

const doc = readFileSync(new URL("../../docs/emulator.md", import.meta.url), "utf8");

describe("docs/emulator.md \"Differences from Azure Quantum\"", () => {
  it("is the allow-list, rendered (rerun test/conformance/write_differences_doc.ts after editing it)", () => {
    expect(doc).toBe(withDifferences(doc));
    expect(doc.indexOf("## Differences from Azure Quantum")).toBeLessThan(doc.indexOf(DOC_START));
  });

  it("has one entry per id, each with a title and a reason", () => {
    const ids = ALLOWED_DIFFERENCES.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of ALLOWED_DIFFERENCES) {
      expect(d.title.length).toBeGreaterThan(10);
      expect(d.reason.length).toBeGreaterThan(20);
      expect(d.title.endsWith(".")).toBe(false);
    }
  });
});
