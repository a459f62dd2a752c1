// bench/jit-cost.ts: a first run in a fresh process, with the JIT's compile time and its share, and
// a workload whose binary is missing as a row saying why.
import { describe, it, expect } from "vitest";
import { measureJitCost, jitCostTable } from "../../bench/jit-cost.js";
import { missing } from "../../bench/fresh-run.js";

describe("bench/jit-cost.ts", () => {
  it("factor 32: each run in its own process compiles its regions from nothing", () => {
    const rows = measureJitCost(1, ["factor"]);
    const j = rows[0].jit[0];
    expect(j.regions).toBeGreaterThan(0);
    expect(j.modules).toBeGreaterThan(0);
    expect(j.modules).toBeLessThanOrEqual(j.regions);
    expect(j.compileSec).toBeGreaterThan(0);
    expect(rows[0].interpreter[0].regions).toBe(0);
    expect(jitCostTable(rows)).toMatch(/^\| factor 32 \| [0-9.]+ s \([0-9.]+ s\) \| [0-9.]+ s \([0-9.]+ s(; [0-9.]+ s)?\) \| \d+ ms \| \d+ ms; \d+ ms \| \d+ % \| \d+–\d+ % \| (\d+ ms)? \| \d+( \+ \d+ dropped)? \(\d+, \d+\) \|$/m);
  });
  it("a workload that was not built is skipped with the reason", () => {
    expect(missing({ file: "build/guest/bench-libs/no-such", args: [] })).toMatch(/no-such is missing/);
    expect(missing({ flight: "normal", seed: 1 })).toBeUndefined();
  });
});
