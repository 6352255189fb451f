import { describe, expect, it } from "vitest";
import { createEmulatorHandlers } from "../../src/emulator/mod.ts";
import { RequestLog } from "../../src/emulator/request_log.ts";

const req = (i: number) => new Request(`https://127.0.0.1/x/${i}?a=1`);

describe("RequestLog", () => {
  // Issue 13 #8: on main the log kept every request (20,000 requests held 279 MiB).
  it("keeps only the last `size` entries, oldest forgotten first, sequence numbers still counting", () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 50; i++) log.record("arm", req(i), `id-${i}`, "none", 0);
    const entries = log.entries();
    expect(entries.map((e) => [e.seq, e.path])).toEqual([[48, "/x/48"], [49, "/x/49"], [50, "/x/50"]]);
    expect(log.count()).toBe(3);
    log.reset();
    log.record("arm", req(51), "id-51", "none", 0);
    expect(log.entries().map((e) => e.seq)).toEqual([51]);
  });

  it("defaults to 1000 entries and refuses a size that is not a positive integer", () => {
    const log = new RequestLog();
    for (let i = 0; i < 2500; i++) log.record("dataPlane", req(i), "id", "apiKey", 0);
    expect(log.count()).toBe(1000);
    expect(log.entries()[0]!.path).toBe("/x/1500");
    expect(() => new RequestLog(0)).toThrow(
      new RangeError("Cannot set requestLogSize: it must be a positive integer, not 0"),
    );
  });

  it("is sized by the requestLogSize option of the emulator", async () => {
    const h = createEmulatorHandlers({ requestLogSize: 2 });
    for (let i = 0; i < 5; i++) await h.dataPlane(new Request(`https://127.0.0.1/nope/${i}`));
    expect(h.control.requestLog().map((e) => e.path)).toEqual(["/nope/3", "/nope/4"]);
  });
});
