import { afterEach, describe, expect, it, vi } from "vitest";
import { display } from "../../src/kernel/display.ts";
import { isMimeBundle, mimeBundleOf } from "../../src/kernel/mime_bundle_of.ts";
import { JUPYTER_DISPLAY } from "../../src/displayable.ts";
import { Secret } from "../../src/connection/secret.ts";
import { UnauthorizedError } from "../../src/request_errors.ts";
import { installFakeDeno, installFakeTslab, type Sent } from "./_fake_kernels.ts";

const KEY = "s3cr3t-access-key-value-0123456789";

describe("display() on a terminal", () => {
  afterEach(() => vi.restoreAllMocks());

  function captured(): string[] {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void lines.push(a.join(" ")));
    return lines;
  }

  it("prints the text/plain of a bundle", async () => {
    const lines = captured();
    await display({ "text/plain": "hello", "text/html": "<b>hello</b>" });
    expect(lines).toEqual(["hello"]);
  });
  it("prints a Displayable's text", async () => {
    const lines = captured();
    await display({
      toMimeBundle: () => ({ "text/plain": "table", "text/html": "<table></table>" }),
    });
    expect(lines).toEqual(["table"]);
  });
  it("prints a Secret's mask and fingerprint, never the value", async () => {
    const lines = captured();
    const s = new Secret(KEY);
    await display(s);
    expect(lines).toEqual([`••••••••  ${s.fingerprint}`]);
    expect(lines.join("")).not.toContain(KEY);
  });
  it("prints an error's name, code and message", async () => {
    const lines = captured();
    await display(
      new UnauthorizedError("KeyRejected", "Cannot list targets: rejected.", { statusCode: 401 }),
    );
    expect(lines).toEqual([
      "UnauthorizedError [KeyRejected]: Cannot list targets: rejected.\n  status: 401",
    ]);
  });
  it("prints strings as they are and other values through inspect", async () => {
    const lines = captured();
    await display("plain");
    await display({ answer: 42 });
    await display(7);
    expect(lines).toEqual(["plain", "{ answer: 42 }", "7"]);
  });
  it("prints nothing for an update outside a kernel", async () => {
    const lines = captured();
    await display("x", { displayId: "d", update: true });
    expect(lines).toEqual([]);
  });
});

describe("display() in kernels", () => {
  let undo: () => void = () => {};
  afterEach(() => undo());

  it("Deno: raw bundle through Deno.jupyter.display", async () => {
    const sent: Sent[] = [];
    undo = installFakeDeno(sent);
    await display({
      toMimeBundle: () => ({
        "text/plain": "t",
        "text/html": "<b>t</b>",
        "application/json": { a: 1 },
      }),
    });
    expect(sent).toEqual([{
      kind: "deno",
      data: { "text/plain": "t", "text/html": "<b>t</b>", "application/json": { a: 1 } },
      displayId: undefined,
      update: false,
      raw: true,
    }]);
  });
  it("Deno: display id and update are passed on", async () => {
    const sent: Sent[] = [];
    undo = installFakeDeno(sent);
    await display("a", { displayId: "d1" });
    await display("b", { displayId: "d1", update: true });
    expect(sent.map((s) => [s.data["text/plain"], s.displayId, s.update])).toEqual([[
      "a",
      "d1",
      false,
    ], ["b", "d1", true]]);
  });
  it("tslab: display_data through the kernel writer, JSON-serialisable", async () => {
    const sent: Sent[] = [];
    undo = installFakeTslab(sent);
    await display({ "text/html": "<i>x</i>", "application/json": { when: new Date(0) } });
    expect(sent).toEqual([{
      kind: "tslab",
      data: {
        "text/html": "<i>x</i>",
        "application/json": { when: "1970-01-01T00:00:00.000Z" },
        "text/plain": "x",
      },
      displayId: undefined,
      update: false,
    }]);
  });
  it("tslab: an Error renders as HTML too", async () => {
    const sent: Sent[] = [];
    undo = installFakeTslab(sent);
    await display(new Error("<boom>"));
    expect(sent[0].data["text/html"]).toContain("&lt;boom&gt;");
  });
});

describe("mimeBundleOf()", () => {
  it("uses Symbol.for('Jupyter.display'), also async", async () => {
    const v = { [JUPYTER_DISPLAY]: () => Promise.resolve({ "text/html": "<p>a &amp; b</p>" }) };
    expect(await mimeBundleOf(v)).toEqual({
      "text/html": "<p>a &amp; b</p>",
      "text/plain": "a & b",
    });
  });
  it("drops unserialisable and undefined entries", async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(
      await mimeBundleOf({ "text/plain": "t", "application/json": cyclic, "text/html": undefined }),
    ).toEqual({
      "text/plain": "t",
    });
  });
});

describe("isMimeBundle()", () => {
  it("accepts objects keyed by MIME types only", () => {
    expect(isMimeBundle({ "text/plain": "x" })).toBe(true);
    expect(isMimeBundle({ "application/vnd.dataresource+json": {} })).toBe(true);
    expect(isMimeBundle({})).toBe(false);
    expect(isMimeBundle({ "text/plain": "x", name: "y" })).toBe(false);
    expect(isMimeBundle(["text/plain"])).toBe(false);
    expect(isMimeBundle(
      new (class {
        "text/plain" = "x";
      })(),
    )).toBe(false);
  });
});
