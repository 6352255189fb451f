import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, quotas as topLevelQuotas } from "../../src/connect.ts";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { isUnauthorizedError } from "../../src/request_errors.ts";
import { QuotaList } from "../../src/workspace/quota_list.ts";
import { expectNoSecrets, rejection, secretsOf } from "../keys/_emulator.ts";

const quota = (providerId: string, dimension: string, utilization: number, limit: number, holds = 0) => ({
  dimension,
  scope: "Subscription",
  providerId,
  utilization,
  holds,
  limit,
  period: "Monthly",
});

describe("QuotaList", () => {
  const list = new QuotaList([
    quota("ionq", "qgs", 12.5, 16_666_667),
    quota("quantinuum", "hqc", 30, 40, 7),
    quota("nolimit", "x", 3, 0),
    quota("b", "jobs", 9, 10),
    quota("a", "jobs", 9, 10),
  ], { workspaceName: "demo" });

  it("sorts the fullest first (holds count), ties by provider then dimension, no limit last", () => {
    expect(list.quotas.map((q) => `${q.providerId}/${q.dimension}`)).toEqual([
      "quantinuum/hqc",
      "a/jobs",
      "b/jobs",
      "ionq/qgs",
      "nolimit/x",
    ]);
    expect(list.quotas[0].usedFraction).toBe(37 / 40);
    expect(list.quotas[4].usedFraction).toBeUndefined();
    expect([...list].length).toBe(5);
  });
  it("nearLimit(): at 90% or more by default, or any threshold", () => {
    expect(list.nearLimit().map((q) => q.providerId)).toEqual(["quantinuum", "a", "b"]);
    expect(list.nearLimit(0.925).map((q) => q.providerId)).toEqual(["quantinuum"]);
  });
  it("takes what the service sends: numbers as strings, missing fields; JSON has null for no number", () => {
    const odd = new QuotaList([{ providerId: "p", utilization: "5", limit: "10" }, {}]);
    expect(odd.quotas[0]).toMatchObject({ providerId: "p", utilization: 5, limit: 10, usedFraction: 0.5, dimension: "" });
    expect(Number.isNaN(odd.quotas[1].limit)).toBe(true);
    expect(odd.toJSON().quotas[1].limit).toBeNull();
    expect(() => new QuotaList("nope" as never)).toThrow(
      'Cannot create QuotaList: quotas must be an array (the quotas "value" items)',
    );
  });
  it("displays as a table with bars; toString and inspect give the text", async () => {
    const bundle = list.toMimeBundle();
    expect(Object.keys(bundle).sort()).toEqual(["application/json", "text/html", "text/plain"]);
    expect(bundle["text/html"]).toContain('aria-label="92% used"');
    const { inspect } = await import("node:util");
    expect(inspect(list)).toBe(bundle["text/plain"]);
    expect(String(list)).toBe(bundle["text/plain"]);
  });
});

describe("ws.quotas() against the emulator", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ pageSize: 1 });
  });
  afterAll(() => emu.stop());

  it("follows every page (one request each), sorted, and the top-level quotas() uses the last workspace", async () => {
    const ws = await connect({ env: emu.revealEnv(), envFile: false, progress: false });
    const before = emu.control.requestLog({ path: "/quotas" }).length;
    const list = await ws.quotas();
    expect(emu.control.requestLog({ path: "/quotas" }).length - before).toBe(3);
    expect(list.info.pages).toBe(3);
    expect(list.quotas.map((q) => q.providerId)).toEqual(["quantinuum", "ionq", "microsoft-qc"]);
    expect(list.toMimeBundle()["text/plain"]).toContain("Quotas of workspace emulator-ws  [1 near the limit]");
    const top = await topLevelQuotas();
    expect(top.quotas.map((q) => q.dimension)).toEqual(list.quotas.map((q) => q.dimension));
    expectNoSecrets(secretsOf(emu), list, top, ws);
  });

  it("a rejected key is an UnauthorizedError that says what it was doing", async () => {
    const ws = await connect({ env: emu.revealEnv(), envFile: false, progress: false, verify: false });
    emu.control.setKeysEnabled(false);
    try {
      const e = await rejection(ws.quotas());
      expect(isUnauthorizedError(e)).toBe(true);
      expect(e.message).toMatch(
        /^Cannot list quotas in workspace "emulator-ws": the key was rejected: it may have been regenerated, or access keys may be disabled for this workspace \(check with `keys.status\(\)`\)/,
      );
      expectNoSecrets(secretsOf(emu), e);
    } finally {
      emu.control.setKeysEnabled(true);
    }
  });
});
