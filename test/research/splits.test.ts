import { describe, it, expect } from "vitest";
import { assignSplits, proportionalCounts, SplitError, type SplitFlight } from "../../src/research/splits.js";

const flights = (n: number, scenario = "normal", from = 0): SplitFlight[] =>
  Array.from({ length: n }, (_, i) => ({ id: `flight-${String(from + i).padStart(6, "0")}`, scenario }));

describe("splits", () => {
  it("LID-DS's proportions: 200/50/750 of 1000 normal flights, anomalous flights only in test", () => {
    expect(proportionalCounts(1000)).toEqual({ training: 200, validation: 50, testNormal: 750 });
    expect(proportionalCounts(7)).toEqual({ training: 1, validation: 0, testNormal: 6 });
    const all = [...flights(40), ...flights(10, "busydelay", 40), ...flights(10, "sockets", 50)];
    const s = assignSplits(all, { seed: 1 });
    const count = (sp: string, sc?: string) => all.filter((f) => s.get(f.id) === sp && (!sc || f.scenario === sc)).length;
    expect([count("training"), count("validation"), count("test", "normal")]).toEqual([8, 2, 30]);
    expect(count("test", "busydelay") + count("test", "sockets")).toBe(20);
    expect(count("training", "busydelay") + count("validation", "sockets")).toBe(0);
  });

  it("depends on the seed and the ids, not on the index's order", () => {
    const all = flights(100);
    const a = assignSplits(all, { seed: 3 });
    const b = assignSplits([...all].reverse(), { seed: 3 });
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
    const c = assignSplits(all, { seed: 4 });
    expect(all.some((f) => a.get(f.id) !== c.get(f.id))).toBe(true);
  });

  it("exact counts leave the normal flights beyond them out", () => {
    const s = assignSplits(flights(20), { seed: 1, counts: { training: 5, validation: 2, testNormal: 3 } });
    expect(s.size).toBe(10);
    expect([...s.values()].filter((v) => v === "training")).toHaveLength(5);
  });

  it("refuses counts the dataset cannot fill, and doubled ids", () => {
    expect(() => assignSplits(flights(5), { seed: 1, counts: { training: 4, validation: 1, testNormal: 1 } })).toThrow(/ask for 6 normal flights .* has 5/);
    expect(() => assignSplits(flights(3, "sockets"), { seed: 1 })).toThrow(SplitError);
    expect(() => assignSplits([...flights(2), ...flights(1)], { seed: 1 })).toThrow(/listed twice/);
  });
});
