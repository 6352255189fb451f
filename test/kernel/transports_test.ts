import { afterEach, describe, expect, it } from "vitest";
import { detectKernel } from "../../src/kernel/transports.ts";
import { installFakeDeno, installFakeTslab, installThrowingDeno } from "./_fake_kernels.ts";

describe("detectKernel()", () => {
  let undo: (() => void)[] = [];
  afterEach(() => {
    undo.forEach((u) => u());
    undo = [];
  });

  it("is none under vitest", () => {
    expect(detectKernel()).toBe("none");
  });
  it("is none and does not throw when the Deno.jupyter getter throws", () => {
    undo.push(installThrowingDeno());
    expect(() => detectKernel()).not.toThrow();
    expect(detectKernel()).toBe("none");
  });
  it("is deno when Deno.jupyter.display exists", () => {
    undo.push(installFakeDeno([]));
    expect(detectKernel()).toBe("deno");
  });
  it("is tslab when tslab's jupyter.js with a writer is in the module cache", () => {
    undo.push(installFakeTslab([]));
    expect(detectKernel()).toBe("tslab");
  });
  it("ignores a tslab copy whose writer is not set yet", () => {
    const cache = (process as any).getBuiltinModule("module")._cache;
    cache["/other/tslab/dist/jupyter.js"] = { exports: { lastWriteDisplayData: null } };
    undo.push(() => delete cache["/other/tslab/dist/jupyter.js"]);
    expect(detectKernel()).toBe("none");
  });
});
