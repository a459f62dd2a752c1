// Flight cost: one recorded flight per scenario (one seed), its wall and CPU
// time against the virtual time it flew, side by side in one run. Host time is
// fine here: benchmarks measure the host; the flight itself never reads it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runFlight, Scenario } from "../src/flight/index.js";
import { Machine } from "../src/machine/machine.js";

export interface FlightBench {
  scenario: Scenario;
  seed: number;
  wallSec: number;
  cpuSec: number;           // user + system CPU of this process during the flight
  virtualSec: number;       // FlightBegin to FlightEnd, virtual time
  syscalls: number;
  outcome: string;
  jit: boolean;             // flown with the second tier (docs/jit.md)
  jitCompileSec?: number;   // host time compiling regions during the flight
  jitRegions?: number;      // regions compiled
}

export function measureFlight(scenario: Scenario, seed = 1, jit = false): FlightBench {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-bench-flight-"));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const machine = new Machine(undefined, { jit });
    const r = runFlight({ scenario, seed, outDir: dir }, { machine });
    const wallSec = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const m = r.manifest;
    const o = m.outcome;
    return {
      scenario, seed, wallSec, cpuSec: (c.user + c.system) / 1e6,
      virtualSec: m.recording.durationNs / 1e9,
      syscalls: m.recording.syscalls,
      jit, ...(machine.jit ? { jitCompileSec: machine.jit.stats.compileMs / 1000, jitRegions: machine.jit.stats.compiled } : {}),
      outcome: o.crashed ? "crashed" : o.landed ? (o.reachedDestination ? "reached, landed" : "landed short") : "did not land",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function flightTable(rows: FlightBench[]): string {
  const lines = [
    "| scenario | tier | seed | outcome | syscalls | virtual s | wall s | CPU s | wall / virtual | JIT compile (regions) |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    lines.push(`| ${r.scenario} | ${r.jit ? "JIT" : "interpreter"} | ${r.seed} | ${r.outcome} | ${r.syscalls} | ${r.virtualSec.toFixed(2)} | ${r.wallSec.toFixed(2)} | ${r.cpuSec.toFixed(2)} | ${(r.wallSec / r.virtualSec).toFixed(2)} | ${r.jit ? `${((r.jitCompileSec ?? 0) * 1000).toFixed(0)} ms, ${(100 * (r.jitCompileSec ?? 0) / r.wallSec).toFixed(0)} % of wall (${r.jitRegions})` : ""} |`);
  }
  return lines.join("\n");
}
