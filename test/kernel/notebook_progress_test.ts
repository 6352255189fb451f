import { afterEach, describe, expect, it, vi } from "vitest";
import { createProgress } from "../../src/kernel/notebook_progress.ts";
import { installFakeDeno, installFakeTslab, type Sent } from "./_fake_kernels.ts";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("createProgress()", () => {
  let undo: () => void = () => {};
  afterEach(() => {
    undo();
    undo = () => {};
    vi.restoreAllMocks();
  });

  it("prints nothing on a terminal by default", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const p = createProgress("Waiting");
    p.update("attempt 2 of 5");
    await p.done("Connected");
    expect(log).not.toHaveBeenCalled();
  });
  it("prints one line per step on a terminal with { terminal: true }", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((s: unknown) => void lines.push(String(s)));
    const p = createProgress("Waiting for the key", { terminal: true });
    await tick();
    p.update("attempt 2 of 5, retrying in 3 s");
    await tick();
    await p.done("Connected");
    expect(lines).toEqual([
      "Waiting for the key: Working",
      "Waiting for the key: Working (attempt 2 of 5, retrying in 3 s)",
      "Waiting for the key: Connected",
    ]);
  });
  it("Deno: one display, then updates in place with the same display_id", async () => {
    const sent: Sent[] = [];
    undo = installFakeDeno(sent);
    const p = createProgress("Connecting");
    await tick();
    p.update("attempt 2 of 5");
    await tick();
    await p.fail("NetworkError");
    expect(sent.length).toBe(3);
    const id = sent[0].displayId;
    expect(id).toMatch(/^aqn-progress-/);
    expect(sent.every((s) => s.displayId === id && s.raw === true)).toBe(true);
    expect(sent.map((s) => s.update)).toEqual([false, ...sent.slice(1).map(() => true)]);
    expect(sent.at(-1)?.data["text/plain"]).toBe("Connecting: Failed (NetworkError)");
    expect(sent.at(-1)?.data["text/html"]).toContain("background:#cf222e");
  });
  it("tslab: display_data then update_display_data with transient.display_id", async () => {
    const sent: Sent[] = [];
    undo = installFakeTslab(sent);
    const p = createProgress("<Listing>");
    await tick();
    p.update("x");
    await tick();
    await p.done();
    expect(sent.map((s) => s.data["text/plain"])).toEqual([
      "<Listing>: Working",
      "<Listing>: Working (x)",
      "<Listing>: Done",
    ]);
    expect(sent[0].update).toBe(false);
    expect(sent.at(-1)).toMatchObject({ update: true, displayId: sent[0].displayId });
    expect(sent.at(-1)?.data["text/plain"]).toBe("<Listing>: Done");
    expect(sent.at(-1)?.data["text/html"]).toContain("&lt;Listing&gt;");
  });
  it("coalesces bursts of updates: only the latest pending state is sent", async () => {
    const sent: Sent[] = [];
    undo = installFakeDeno(sent);
    const p = createProgress("Busy");
    for (let i = 0; i < 100; i++) p.update(`step ${i}`);
    await p.done("ok");
    expect(sent.length).toBeLessThanOrEqual(3);
    expect(sent.at(-1)?.data["text/plain"]).toBe("Busy: ok");
  });
  it("never throws when the kernel channel fails, and ignores calls after done", async () => {
    (globalThis as any).Deno = { jupyter: { display: () => Promise.reject(new Error("closed")) } };
    undo = () => delete (globalThis as any).Deno;
    const p = createProgress("Busy");
    p.update("x");
    await expect(p.done()).resolves.toBeUndefined();
    p.update("late");
    await expect(p.fail("late")).resolves.toBeUndefined();
  });
  it("{ enabled: false } shows nothing even in a kernel", async () => {
    const sent: Sent[] = [];
    undo = installFakeDeno(sent);
    const p = createProgress("Busy", { enabled: false });
    p.update("x");
    await p.done();
    expect(sent).toEqual([]);
  });
});
