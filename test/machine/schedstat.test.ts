// src/machine/schedstat.ts: a thread's CPU time and its waits for a CPU (Linux's run_delay), what the
// JIT's main-thread time leaves out (Jit.stats.waitMs). Two threads pinned to one CPU (taskset), each
// spinning: the main thread waits about as long as the other runs, and its CPU time and its waits
// add up to the wall time. Alone on its CPU it waits almost not at all.
import { describe, it, expect } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { cpuWaitMs, threadCpuMs } from "../../src/machine/schedstat.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const linux = process.platform === "linux" && existsSync("/proc/thread-self/schedstat");
const taskset = linux && spawnSync("taskset", ["--version"]).status === 0;

// A child pinned to CPU 0 spins its main thread for `ms` of wall time, with `others` worker threads
// spinning meanwhile; it prints the main thread's wait (cpuWaitMs), CPU time (schedstat's first field) and the wall time.
function spin(ms: number, others: number): { wait: number; cpu: number; wall: number } {
  const script = [
    `import { Worker } from "node:worker_threads";`,
    `import { cpuWaitMs, threadCpuMs } from ${JSON.stringify(path.join(root, "dist/src/machine/schedstat.js"))};`,
    `const stop = new Int32Array(new SharedArrayBuffer(4));`,
    `const ws = Array.from({ length: ${others} }, () => new Worker("import('node:worker_threads').then(({ workerData: [s] }) => { while (Atomics.load(s, 0) === 0); });", { eval: true, workerData: [stop] }));`,
    `await new Promise((r) => setTimeout(r, 100));`,
    `const w0 = cpuWaitMs(), c0 = threadCpuMs(), t0 = performance.now();`,
    `while (performance.now() - t0 < ${ms});`,
    `const out = { wait: cpuWaitMs() - w0, cpu: threadCpuMs() - c0, wall: performance.now() - t0 };`,
    `Atomics.store(stop, 0, 1);`,
    `for (const w of ws) await w.terminate();`,
    `console.log(JSON.stringify(out));`,
  ].join("\n");
  const r = spawnSync("taskset", ["-c", "0", process.execPath, "--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

describe("cpuWaitMs", () => {
  it.skipIf(!linux)("reads this thread's run_delay from /proc/thread-self/schedstat, in ms", () => {
    const before = Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]) / 1e6;
    const w = cpuWaitMs();
    const after = Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]) / 1e6;
    expect(w).toBeGreaterThanOrEqual(before);
    expect(w).toBeLessThanOrEqual(after);
  });
  it.skipIf(!linux)("reads this thread's CPU time, the first field, in ms", () => {
    const field0 = () => Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
    const before = field0();
    const c = threadCpuMs();
    const after = field0();
    expect(c).toBeGreaterThanOrEqual(before);
    expect(c).toBeLessThanOrEqual(after);
  });
  it.skipIf(!taskset)("counts the time another thread on the same CPU ran in the calling thread's place", () => {
    const shared = spin(600, 1);
    // Two spinning threads on one CPU: each runs about half the time. (The machine's other work
    // runs on the other CPUs; CPU + waits = wall: the thread never sleeps while spinning.)
    expect(shared.wait).toBeGreaterThan(0.25 * shared.wall);
    expect(shared.cpu).toBeLessThan(0.75 * shared.wall);
    expect(Math.abs(shared.cpu + shared.wait - shared.wall)).toBeLessThan(0.1 * shared.wall);
  });
});
