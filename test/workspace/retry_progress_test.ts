import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/emulator/mod.ts";
import { connect } from "../../src/connect.ts";
import { installFakeTslab, type Sent } from "../kernel/_fake_kernels.ts";

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(() => emu.stop());

describe("Workspace waits", () => {
  it("show an updatable progress line in a notebook while retrying, ending in done", async () => {
    const sent: Sent[] = [];
    const uninstall = installFakeTslab(sent);
    try {
      const ws = await connect({ env: emu.revealEnv(), envFile: false, verify: false, retry: { baseDelayMs: 10 } });
      emu.control.setFaults([{ fault: 503, count: 2, listener: "dataPlane", retryAfterSeconds: 0 }]);
      const list = await ws.listTargets();
      expect(list.length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 50));
      const texts = sent.map((s) => String(s.data["text/plain"]));
      expect(texts[0]).toMatch(/^Listing targets of emulator-ws: /);
      expect(texts.some((t) => /attempt 2 of 5: HTTP 503, retrying in/.test(t))).toBe(true);
      expect(texts[texts.length - 1]).toMatch(/done/);
      expect(new Set(sent.map((s) => s.displayId)).size).toBe(1);
      expect(sent.slice(1).every((s) => s.update)).toBe(true);
    } finally {
      uninstall();
    }
  });

  it("show nothing when no retry was needed, and nothing on a terminal", async () => {
    const sent: Sent[] = [];
    const uninstall = installFakeTslab(sent);
    try {
      const ws = await connect({ env: emu.revealEnv(), envFile: false });
      await ws.listTargets();
      expect(sent).toEqual([]);
    } finally {
      uninstall();
    }
    const logs: unknown[] = [];
    const original = console.log;
    console.log = (...a: unknown[]) => logs.push(a);
    try {
      const ws = await connect({ env: emu.revealEnv(), envFile: false, verify: false, retry: { baseDelayMs: 10 } });
      emu.control.setFaults([{ fault: 503, count: 1, listener: "dataPlane", retryAfterSeconds: 0 }]);
      await ws.listTargets();
    } finally {
      console.log = original;
    }
    expect(logs).toEqual([]);
  });
});
