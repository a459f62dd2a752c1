// The flight plan: deterministic, prefix-stable, exact mix proportions per
// block, seeds spread out; shards disjoint and covering.
import { describe, expect, it } from "vitest";
import { FlightPlan, parseMix, mixString, parseShard, inShard, parseDatasetSeed, flightId } from "../../src/generate/plan.js";

describe("flight plan", () => {
  it("parses and reduces a mix, and refuses bad ones", () => {
    const m = parseMix("normal=60,busydelay=20,sockets=20", ["normal", "busydelay", "sockets"]);
    expect(mixString(m)).toBe("normal=3,busydelay=1,sockets=1");
    expect(m.block).toBe(5);
    expect(mixString(parseMix("normal=10,sockets=0"))).toBe("normal=1");
    expect(() => parseMix("normal=1,flying=2", ["normal"])).toThrow(/unknown scenario 'flying'/);
    expect(() => parseMix("normal")).toThrow(/SCENARIO=WEIGHT/);
    expect(() => parseMix("normal=0")).toThrow(/positive weight/);
    expect(() => parseMix("normal=1,normal=2")).toThrow(/twice/);
  });

  it("gives every block of W flights the mix's exact counts, and depends only on S, the mix and i", () => {
    const mix = parseMix("normal=60,busydelay=20,sockets=20");
    const a = new FlightPlan(7n, mix), b = new FlightPlan(7n, mix), c = new FlightPlan(8n, mix);
    const flightsA = Array.from({ length: 500 }, (_, i) => a.flight(i));
    // Same inputs, any order of asking: same flights.
    for (let i = 499; i >= 0; i -= 7) expect(b.flight(i)).toEqual(flightsA[i]);
    for (let blk = 0; blk < 100; blk++) {
      const counts: Record<string, number> = {};
      for (let j = 0; j < 5; j++) counts[flightsA[blk * 5 + j].scenario] = (counts[flightsA[blk * 5 + j].scenario] ?? 0) + 1;
      expect(counts).toEqual({ normal: 3, busydelay: 1, sockets: 1 });
    }
    // The order within blocks varies (it is shuffled), as do the seeds.
    const orders = new Set(Array.from({ length: 100 }, (_, blk) => flightsA.slice(blk * 5, blk * 5 + 5).map((f) => f.scenario).join()));
    expect(orders.size).toBeGreaterThan(5);
    const seeds = new Set(flightsA.map((f) => f.seed));
    expect(seeds.size).toBe(500);
    for (const f of flightsA) expect(f.seed >>> 0).toBe(f.seed);
    // Another dataset seed: other seeds.
    const other = Array.from({ length: 500 }, (_, i) => c.flight(i).seed);
    expect(other.filter((s, i) => s === flightsA[i].seed).length).toBe(0);
    expect(flightsA[42].id).toBe(flightId(42));
  });

  it("shards are disjoint and cover every flight", () => {
    for (const m of [1, 2, 3, 8]) {
      const owners = Array.from({ length: 100 }, (_, i) => [...Array(m).keys()].filter((k) => inShard(i, { k: k + 1, m })));
      expect(owners.every((o) => o.length === 1)).toBe(true);
    }
    expect(parseShard("2/8")).toEqual({ k: 2, m: 8 });
    expect(() => parseShard("0/8")).toThrow(/between 1 and M/);
    expect(() => parseShard("9/8")).toThrow(/between 1 and M/);
    expect(() => parseShard("x")).toThrow(/K\/M/);
  });

  it("takes 64-bit dataset seeds and refuses others", () => {
    expect(parseDatasetSeed("18446744073709551615")).toBe(18446744073709551615n);
    expect(() => parseDatasetSeed("18446744073709551616")).toThrow(/64 bits/);
    expect(() => parseDatasetSeed("-1")).toThrow(/non-negative/);
    expect(() => parseDatasetSeed("007")).toThrow(/non-negative/);
  });
});
