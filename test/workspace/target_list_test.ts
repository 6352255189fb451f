import { describe, expect, it } from "vitest";
import { filterTargets, TargetList } from "../../src/workspace/target_list.ts";
import { PROVIDERS } from "../render/_targets_fixture.ts";

const list = new TargetList(PROVIDERS, { workspaceName: "demo" });
const ids = (l: Iterable<{ id: string }>) => [...l].map((t) => t.id);

describe("TargetList", () => {
  it("flattens targets with their providerId, in service order", () => {
    expect(list.length).toBe(6);
    expect(list.providers.map((p) => p.id)).toEqual(["ionq", "pasqal", "qci", "<b>evil</b>"]);
    expect(list.targets.map((t) => `${t.providerId}/${t.id}`)).toEqual([
      "ionq/ionq.qpu.aria-1",
      "ionq/ionq.simulator",
      "pasqal/pasqal.sim.emu-tn",
      "pasqal/pasqal.qpu.fresnel",
      "qci/qci.simulator",
      "<b>evil</b>/<script>alert(1)</script>",
    ]);
    expect(ids(list)).toEqual(list.targets.map((t) => t.id));
  });
  it("does not share or mutate the input objects", () => {
    expect(list.providers[0]).not.toBe(PROVIDERS[0]);
    expect((PROVIDERS[0].targets![0] as any).providerId).toBeUndefined();
  });
  it("get() finds an id case-insensitively", () => {
    expect(list.get("IONQ.Simulator")?.averageQueueTime).toBe(1235);
    expect(list.get("nope")).toBeUndefined();
  });
  it("filter() by provider: exact, case-insensitive", () => {
    expect(ids(list.filter({ provider: "IonQ" }))).toEqual(["ionq.qpu.aria-1", "ionq.simulator"]);
    expect(ids(list.filter({ provider: "ion" }))).toEqual([]);
  });
  it("filter() by target: exact id wins, otherwise substring", () => {
    const l = new TargetList([{
      id: "ionq",
      currentAvailability: "Available",
      targets: [
        { id: "ionq.qpu", currentAvailability: "Available", averageQueueTime: 1 },
        { id: "ionq.qpu.aria-1", currentAvailability: "Available", averageQueueTime: 1 },
      ],
    }]);
    expect(ids(l.filter({ target: "IONQ.QPU" }))).toEqual(["ionq.qpu"]);
    expect(ids(l.filter({ target: "qpu" }))).toEqual(["ionq.qpu", "ionq.qpu.aria-1"]);
    expect(ids(list.filter({ target: "simulator" }))).toEqual(["ionq.simulator", "qci.simulator"]);
  });
  it("filter() by availability: one value or a list", () => {
    expect(ids(list.filter({ availability: "Degraded" }))).toEqual(["pasqal.qpu.fresnel"]);
    expect(ids(list.filter({ availability: ["Unavailable", "Degraded"] }))).toEqual([
      "ionq.qpu.aria-1",
      "pasqal.qpu.fresnel",
      "qci.simulator",
    ]);
  });
  it("filter() combines criteria and drops providers left empty", () => {
    const f = list.filter({ target: "sim", availability: "Available" });
    expect(ids(f)).toEqual(["ionq.simulator", "pasqal.sim.emu-tn"]);
    expect(f.providers.map((p) => p.id)).toEqual(["ionq", "pasqal"]);
    expect(f.info.workspaceName).toBe("demo");
    expect(f.toJSON().filter).toEqual({ target: "sim", availability: "Available" });
    expect(f.toString()).toContain(
      "2 targets from 2 providers · filter: target sim, availability Available",
    );
  });
  it("filter() by provider alone keeps a provider without targets", () => {
    const l = new TargetList([{ id: "empty", currentAvailability: "Available", targets: [] }]);
    expect(l.filter({ provider: "EMPTY" }).providers.map((p) => p.id)).toEqual(["empty"]);
  });
  it("filter() rejects an unknown availability with a RangeError", () => {
    expect(() => list.filter({ availability: "Up" as any })).toThrow(
      new RangeError(
        'Cannot filter targets: unknown availability "Up". Use "Available", "Degraded" or "Unavailable"',
      ),
    );
  });
  it("the constructor rejects a non-array", () => {
    expect(() => new TargetList({} as any)).toThrow(TypeError);
  });
  it("toJSON() omits unset info and drops an invalid fetchedAt", () => {
    expect(Object.keys(new TargetList([], { fetchedAt: "not a date" }).toJSON())).toEqual([
      "providers",
    ]);
  });
});

describe("filterTargets()", () => {
  it("is pure and keeps order", () => {
    const all = list.targets;
    expect(filterTargets(all, {}).map((t) => t.id)).toEqual(all.map((t) => t.id));
    expect(filterTargets(all, { availability: "available" as any }).map((t) => t.id)).toEqual([
      "ionq.simulator",
      "pasqal.sim.emu-tn",
      "<script>alert(1)</script>",
    ]);
    expect(all.length).toBe(6);
  });
});
