// The benchmark's "once warm" rate: flights that came back after every
// worker's second, over the time from then to the last.
import { describe, expect, it } from "vitest";
import { warmFlightsPerMin } from "../../bench/scaling.js";

describe("warmFlightsPerMin", () => {
  it("counts from the moment the slowest worker finished its second flight", () => {
    // Worker 1: a slow first flight (warm-up), then one every second. Worker 2 likewise, half a second behind.
    const c = [
      { ms: 3000, threadId: 1 }, { ms: 3500, threadId: 2 },
      { ms: 4000, threadId: 1 }, { ms: 4500, threadId: 2 },   // every worker has 2: from 4500 on
      { ms: 5000, threadId: 1 }, { ms: 5500, threadId: 2 }, { ms: 6000, threadId: 1 }, { ms: 6500, threadId: 2 },
    ];
    expect(warmFlightsPerMin(c)).toBeCloseTo((4 / 2000) * 60_000, 9);   // 120 a minute, not the whole run's 8 in 6.5 s
    expect(warmFlightsPerMin(c, 1)).toBeCloseTo((6 / 3000) * 60_000, 9);
  });

  it("says -1 when a worker has too few flights, or too few come after", () => {
    expect(warmFlightsPerMin([{ ms: 1000, threadId: 1 }, { ms: 2000, threadId: 2 }, { ms: 3000, threadId: 1 }])).toBe(-1);
    expect(warmFlightsPerMin([{ ms: 1000, threadId: 1 }, { ms: 2000, threadId: 1 }, { ms: 3000, threadId: 1 }])).toBe(-1);
    expect(warmFlightsPerMin([])).toBe(-1);
  });

  it("ignores flights whose worker died (thread -1) when finding the start, counts them after", () => {
    const c = [{ ms: 1000, threadId: 1 }, { ms: 2000, threadId: 1 }, { ms: 2500, threadId: -1 }, { ms: 3000, threadId: 1 }];
    expect(warmFlightsPerMin(c)).toBeCloseTo((2 / 1000) * 60_000, 9);
  });
});
