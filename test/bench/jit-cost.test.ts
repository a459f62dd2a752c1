// bench/jit-cost.ts: a first run in a fresh process, with the JIT's compile time and its share, and
// a workload whose binary is missing as a row saying why.
import { describe, it, expect } from "vitest";
import { measureJitCost, jitCostTable } from "../../bench/jit-cost.js";
import { missing, jitShare, type FreshRun } from "../../bench/fresh-run.js";
import { JIT_WORKLOADS } from "../../bench/jit-workloads.js";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

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
    expect(jitCostTable(rows)).toMatch(/^\| factor 32 \| [0-9.]+ s \([0-9.]+ s\) \| [0-9.]+ s \([0-9.]+ s(; [0-9.]+ s)?\) \| \d+ ms \(\+ \d+ ms\) \| \d+ ms; \d+ ms \| [0-9.]+ % \| [0-9.]+ \/ [0-9.]+ \/ [0-9.]+ % \| [0-9.]+ \/ [0-9.]+ \/ [0-9.]+ % \| (\d+ ms)? \| \d+( \+ \d+ dropped)? \(\d+, \d+\) \|$/m);
  });
  it("factor 32 with the compile thread: its regions are posted, and the thread's time is a column of its own", () => {
    const rows = withEnv("SKYTRACE_JIT_THREAD", "1", () => measureJitCost(1, ["factor"]));
    const j = rows[0].jit[0];
    expect(j.requested).toBeGreaterThan(0);
    expect(j.mainCpuSec).toBeGreaterThan(0);
    expect(j.mainCpuSec).toBeLessThanOrEqual(j.cpuSec);
    // The main thread's waits for a CPU (Linux): those inside the JIT are some of the whole run's.
    if (process.platform === "linux") {
      expect(j.waitSec).toBeGreaterThanOrEqual(j.compileWaitSec!);
      expect(j.compileWaitSec).toBeGreaterThanOrEqual(0);
      expect(j.compileWaitSec).toBeLessThanOrEqual(j.compileSec);
    }
    expect(jitCostTable(rows)).toMatch(/^\| factor 32 \| .* \| \d+ ms \| \d+( \+ \d+ dropped)? \(\d+, \d+\) \|$/m);
  });
  // On one CPU (taskset) the compile thread can only run in the main thread's place: waking it with a
  // request often hands it the CPU inside the post, and the wall clock inside the JIT's calls then holds
  // its work. Those waits are counted (Jit.stats.waitMs) and left out of the share.
  it.skipIf(process.platform !== "linux" || spawnSync("taskset", ["--version"]).status !== 0 || missing(JIT_WORKLOADS.lua.w) !== undefined)("lua 10 on one CPU: the main thread's waits inside the JIT are counted apart", () => {
    const r = spawnSync("taskset", ["-c", "0", process.execPath, path.join(root, "dist/bench/fresh-run.js"), JSON.stringify({ w: JIT_WORKLOADS.lua.w, jit: true })],
      { encoding: "utf8", timeout: 120_000, env: { ...process.env, SKYTRACE_JIT_THREAD: "1" } });
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout.trim().split("\n").pop()!) as FreshRun;
    expect(j.requested).toBeGreaterThan(0);
    expect(j.compileWaitSec).toBeGreaterThan(0);
    expect(j.compileWaitSec).toBeLessThan(j.compileSec);
    expect(j.waitSec).toBeGreaterThanOrEqual(j.compileWaitSec!);
    expect(jitShare(j)).toBeLessThan((100 * j.compileSec) / j.wallSec);
  });
  it("a workload that was not built is skipped with the reason", () => {
    expect(missing({ file: "build/guest/bench-libs/no-such", args: [] })).toMatch(/no-such is missing/);
    expect(missing({ flight: "normal", seed: 1 })).toBeUndefined();
  });
});
