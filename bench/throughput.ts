// Dataset throughput: flights per minute per scenario through the real
// `generate` pool, with 1 worker and with every core, the scaling between
// them, virtual flight time over wall time, and each worker's peak memory.
// Plus the per-flight export cost (Parquet encoding), with benchmark.js.
// Host wall time is fine here: benchmarks measure the host; flights never read it.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { eventsParquet } from "../src/generate/events-export.js";
import { runFlight } from "../src/flight/run-flight.js";
import { measuredGenerate, warmFlightsPerMin } from "./scaling.js";

export interface ThroughputRow {
  scenario: string;
  flights: number;
  workers: number;
  wallSec: number;
  flightsPerMin: number;
  warmFlightsPerMin: number;      // once every worker is going (bench/scaling.ts warmFlightsPerMin; -1: too few flights)
  virtualSec: number;             // recorded flight time, summed over the flights
  virtualOverWall: number;        // per worker: (virtual / wall) / workers
  peakHeapMB: number;             // largest V8 heap of any worker after a flight
  peakWasmMB: number;             // largest WebAssembly memory of any worker's core instance
  failed: number;
  cpuSecPerFlight: number;        // the whole process's CPU (workers, main thread, V8's GC and compiler threads) per flight
  workerCpuSecPerFlight: number;  // the worker threads' own CPU during their flights (-1: not measurable)
  exportMsPerFlight: number;      // the Parquet export, in the worker
  startMs: number;                // mean worker start-up (thread, modules, first task)
  load1: [number, number];        // 1-minute load average before / after this row
  othersCores: number;            // CPU the rest of the machine used meanwhile, in cores (-1 unknown)
}

// ratio: measured. cpuBound: what the process's own CPU costs allow on free
// cores: W workers need (process CPU per flight at W) of the W cores per
// flight, 1 worker's flight takes its thread's CPU while the GC helpers and the
// main thread use another core: W × worker CPU₁ / process CPU_W (at most W).
// warm*: the same from the flights/min once every worker is going (-1: too few flights).
export interface ScalingRow { scenario: string; one: number; all: number; workers: number; ratio: number; warmOne: number; warmAll: number; warmRatio: number; cpuBound: number }

export interface ThroughputResult {
  cores: number;
  loadavgBefore: number[];
  loadavgAfter: number[];
  options: Record<string, unknown>;
  rows: ThroughputRow[];
  scaling: ScalingRow[];
  export: { events: number; msPerFlight: number; rowsPerSec: number; samples: number } | null;
}

// Short missions for --quick (the CI smoke run): 0.5 m away, 0.5 m up, 10 polls a second.
export const QUICK_OPTIONS = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } };

const MB = 1024 * 1024;

async function measure(scenario: string, flights: number, workers: number, options: Record<string, unknown>): Promise<ThroughputRow> {
  const { s, wallSec, cpuSec, load1, othersCores, sum } = await measuredGenerate(scenario, flights, workers, options);
  const virtualSec = s.records.reduce((a, r) => a + (r.virtualNs ?? 0), 0) / 1e9;
  return {
    scenario, flights, workers, wallSec, flightsPerMin: (flights / wallSec) * 60, warmFlightsPerMin: warmFlightsPerMin(s.completions), virtualSec,
    virtualOverWall: virtualSec / wallSec / workers,
    peakHeapMB: Math.max(0, ...s.workers.map((w) => w.peakHeapBytes)) / MB,
    peakWasmMB: Math.max(0, ...s.workers.map((w) => w.peakWasmBytes)) / MB,
    failed: s.failed,
    cpuSecPerFlight: cpuSec / flights,
    workerCpuSecPerFlight: s.workers.some((w) => w.cpuMs < 0) ? -1 : sum((w) => w.cpuMs) / 1000 / flights,
    exportMsPerFlight: sum((w) => w.exportMs) / flights,
    startMs: sum((w) => w.startMs) / Math.max(1, s.workers.length),
    load1, othersCores,
  };
}

// benchmark.js fits a step of milliseconds repeated many times: the export of one flight.
function exportCost(options: Record<string, unknown>): ThroughputResult["export"] {
  const require = createRequire(import.meta.url);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const Benchmark = require("benchmark") as any;
  const dir = mkdtempSync(path.join(os.tmpdir(), "skytrace-bench-export-"));
  try {
    const r = runFlight({ ...options, scenario: "normal", seed: 1, outDir: dir } as never);
    const events = r.manifest.recording.lines;
    let result: ThroughputResult["export"] = null;
    new Benchmark.Suite()
      .add("parquet", () => { eventsParquet(r.columns, "flight-000000", "normal", "bench"); }, { minSamples: 5, maxTime: 3 })
      .on("cycle", (e: { target: { hz: number; stats: { sample: number[] } } }) => {
        result = { events, msPerFlight: 1000 / e.target.hz, rowsPerSec: events * e.target.hz, samples: e.target.stats.sample.length };
      })
      .run({ async: false });
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureThroughput(opts: { quick?: boolean; flights?: number; scenarios?: string[]; rounds?: number } = {}): Promise<ThroughputResult> {
  const cores = os.availableParallelism();
  const options = opts.quick ? QUICK_OPTIONS : {};
  // A multiple of the worker count, so the last round is not half empty, and
  // enough that each worker's start-up does not dominate: issue 4's target is
  // for "thousands of flights with one command", and a worker pays its start-up
  // once (its thread and modules, ~0.15 s, then ~1 s of CPU over its first
  // three flights while V8 optimizes the host code for that thread and the
  // second tier compiles the guest's regions, ~0.07 s of it). Every scenario
  // takes 48 per core: busydelay used 8 while its flights took ~8 s each, but
  // with the second tier they take ~0.7 s (the others ~0.3 s), and 8 flights a
  // worker left its start-up a fifth of a 2-worker run.
  const flights = opts.flights ?? 48 * cores;
  const scenarios = opts.scenarios ?? ["normal", "sockets", "busydelay"];
  const rounds = Math.max(1, opts.rounds ?? 1);
  const loadavgBefore = os.loadavg();
  const rows: ThroughputRow[] = [];
  const scaling: ScalingRow[] = [];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const scenario of scenarios) {
    // Alternated (1, W, W, 1, ...): a neighbour's load drifting over the run hits both alike.
    const ones: ThroughputRow[] = [], alls: ThroughputRow[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const w of r % 2 === 0 ? [1, cores] : [cores, 1]) {
        const row = await measure(scenario, flights, w, options);
        (w === 1 ? ones : alls).push(row);
        rows.push(row);
      }
    }
    const one = mean(ones.map((x) => x.flightsPerMin)), all = mean(alls.map((x) => x.flightsPerMin));
    const known = (xs: ThroughputRow[]) => xs.every((x) => x.warmFlightsPerMin > 0);
    const warmOne = known(ones) ? mean(ones.map((x) => x.warmFlightsPerMin)) : -1, warmAll = known(alls) ? mean(alls.map((x) => x.warmFlightsPerMin)) : -1;
    const wcpu1 = mean(ones.map((x) => x.workerCpuSecPerFlight)), pcpuW = mean(alls.map((x) => x.cpuSecPerFlight));
    scaling.push({
      scenario, one, all, workers: cores, ratio: all / one,
      warmOne, warmAll, warmRatio: warmOne > 0 && warmAll > 0 ? warmAll / warmOne : -1,
      cpuBound: wcpu1 > 0 ? Math.min(cores, (cores * wcpu1) / pcpuW) : -1,
    });
  }
  return { cores, loadavgBefore, loadavgAfter: os.loadavg(), options, rows, scaling, export: exportCost(options) };
}

export function throughputTables(t: ThroughputResult): string {
  const f0 = (x: number) => x.toFixed(0), f1 = (x: number) => x.toFixed(1), f2 = (x: number) => x.toFixed(2);
  const lines = [
    "| scenario | workers | flights | wall s | flights/min | flights/min once warm | virtual s per flight | virtual/wall per worker | CPU s per flight (process / workers) | export ms per flight | worker start-up ms | peak V8 heap per worker (MB) | peak WASM per worker (MB) | failed | others' CPU (cores) | load before/after |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...t.rows.map((r) => `| ${r.scenario} | ${r.workers} | ${r.flights} | ${f1(r.wallSec)} | ${f1(r.flightsPerMin)} | ${r.warmFlightsPerMin < 0 ? "-" : f1(r.warmFlightsPerMin)} | ${f2(r.virtualSec / r.flights)} | ${f2(r.virtualOverWall)} | ${f2(r.cpuSecPerFlight)} / ${r.workerCpuSecPerFlight < 0 ? "-" : f2(r.workerCpuSecPerFlight)} | ${f0(r.exportMsPerFlight)} | ${f0(r.startMs)} | ${f1(r.peakHeapMB)} | ${f1(r.peakWasmMB)} | ${r.failed} | ${r.othersCores < 0 ? "-" : f2(r.othersCores)} | ${f2(r.load1[0])} / ${f2(r.load1[1])} |`),
    "",
    `| scenario | flights/min, 1 worker | flights/min, ${t.cores} workers | scaling (target ≥ 1.7 on 2 cores) | once warm: 1 worker | ${t.cores} workers | scaling once warm | CPU-bound scaling on free cores |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...t.scaling.map((s) => `| ${s.scenario} | ${f1(s.one)} | ${f1(s.all)} | ${f2(s.ratio)}× | ${s.warmOne < 0 ? "-" : f1(s.warmOne)} | ${s.warmAll < 0 ? "-" : f1(s.warmAll)} | ${s.warmRatio < 0 ? "-" : f2(s.warmRatio) + "×"} | ${s.cpuBound < 0 ? "-" : f2(s.cpuBound) + "×"} |`),
  ];
  if (t.export) lines.push("", `Export of one normal flight (${t.export.events} events) to Parquet: ${f1(t.export.msPerFlight)} ms (${Math.round(t.export.rowsPerSec).toLocaleString("en-US")} rows/s, benchmark.js, ${t.export.samples} samples).`);
  // The load average counts this benchmark too; what others used is measured per row.
  const busiest = Math.max(0, ...t.rows.map((r) => r.othersCores));
  lines.push("", `Load average before/after (1 min, this benchmark included): ${f2(t.loadavgBefore[0])} / ${f2(t.loadavgAfter[0])} on ${t.cores} cores.${busiest > 0.2 ? ` Other processes used up to ${f2(busiest)} cores during a row: scaling figures are pessimistic.` : ""}`);
  lines.push("Others' CPU: what the rest of the machine (other processes, other containers on this kernel) used during the row, from /proc/stat, in cores.");
  lines.push("Once warm: the flights that came back after every worker's second, over the time from then to the last (each worker's start: its thread, modules and JIT warm-up, once per run).");
  lines.push("CPU-bound scaling: W × (worker-thread CPU per flight with 1 worker) / (process CPU per flight with W workers): what the process's own costs allow on W free cores (docs/bulk.md).");
  return lines.join("\n");
}
