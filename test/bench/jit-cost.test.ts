// bench/jit-cost.ts: a first run in a fresh process, with the JIT's compile time and its share, and
// a workload whose binary is missing as a row saying why.
import { describe, it, expect } from "vitest";
import { measureJitCost, jitCostTable } from "../../bench/jit-cost.js";
import { missing } from "../../bench/fresh-run.js";

// fn() with process.env[k] = v (the fresh runs' processes inherit it), then as it was.
function withEnv<T>(k: string, v: string, fn: () => T): T {
  const was = process.env[k];
  process.env[k] = v;
  try { return fn(); } finally { if (was === undefined) delete process.env[k]; else process.env[k] = was; }
}

describe("bench/jit-cost.ts", () => {
  it("factor 32: each run in its own process compiles its regions from nothing", () => {
    // Compiling at once: what the run compiled is in its counters when it ends (with the compile
    // thread, a module still in flight at the end is not; the next case).
    const rows = withEnv("SKYTRACE_JIT_THREAD", "0", () => measureJitCost(1, ["factor"]));
    const j = rows[0].jit[0];
    expect(j.regions).toBeGreaterThan(0);
    expect(j.modules).toBeGreaterThan(0);
    expect(j.modules).toBeLessThanOrEqual(j.regions);
    expect(j.compileSec).toBeGreaterThan(0);
    expect(rows[0].interpreter[0].regions).toBe(0);
    expect(jitCostTable(rows)).toMatch(/^\| factor 32 \| [0-9.]+ s \([0-9.]+ s\) \| [0-9.]+ s \([0-9.]+ s(; [0-9.]+ s)?\) \| \d+ ms \| \d+ ms; \d+ ms \| \d+ % \| \d+–\d+ % \| (\d+ ms)? \| \d+( \+ \d+ dropped)? \(\d+, \d+\) \|$/m);
  });
  it("factor 32 with the compile thread: its regions are posted, and the thread's time is a column of its own", () => {
    const rows = withEnv("SKYTRACE_JIT_THREAD", "1", () => measureJitCost(1, ["factor"]));
    const j = rows[0].jit[0];
    expect(j.requested).toBeGreaterThan(0);
    expect(j.mainCpuSec).toBeGreaterThan(0);
    expect(j.mainCpuSec).toBeLessThanOrEqual(j.cpuSec);
    expect(jitCostTable(rows)).toMatch(/^\| factor 32 \| .* \| \d+ ms \| \d+( \+ \d+ dropped)? \(\d+, \d+\) \|$/m);
  });
  it("a workload that was not built is skipped with the reason", () => {
    expect(missing({ file: "build/guest/bench-libs/no-such", args: [] })).toMatch(/no-such is missing/);
    expect(missing({ flight: "normal", seed: 1 })).toBeUndefined();
  });
});
