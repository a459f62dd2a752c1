// Dataset throughput: flights per minute per scenario through the real
// `generate` pool, with 1 worker and with every core, the scaling between
// them, virtual flight time over wall time, and each worker's peak memory.
// Plus the per-flight export cost (Parquet encoding), with benchmark.js.
// Host wall time is fine here: benchmarks measure the host; flights never read it.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { generate } from "../src/generate/generate.js";
import { eventsParquet } from "../src/generate/events-export.js";
import { runFlight } from "../src/flight/run-flight.js";

export interface ThroughputRow {
  scenario: string;
  flights: number;
  workers: number;
  wallSec: number;
  flightsPerMin: number;
  virtualSec: number;             // recorded flight time, summed over the flights
  virtualOverWall: number;        // per worker: (virtual / wall) / workers
  peakHeapMB: number;             // largest V8 heap of any worker after a flight
  peakWasmMB: number;             // largest external (WebAssembly) memory of any worker after a flight
  failed: number;
}

export interface ScalingRow { scenario: string; one: number; all: number; workers: number; ratio: number }

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
  const out = mkdtempSync(path.join(os.tmpdir(), `skytrace-bench-${scenario}-`));
  try {
    const s = await generate({ out, flights, mix: `${scenario}=1`, seed: "1", workers, flightOptions: options });
    const wallSec = s.wallMs / 1000;
    const virtualSec = s.records.reduce((a, r) => a + (r.virtualNs ?? 0), 0) / 1e9;
    return {
      scenario, flights, workers, wallSec, flightsPerMin: (flights / wallSec) * 60, virtualSec,
      virtualOverWall: virtualSec / wallSec / workers,
      peakHeapMB: Math.max(0, ...s.workers.map((w) => w.peakHeapBytes)) / MB,
      peakWasmMB: Math.max(0, ...s.workers.map((w) => w.peakWasmBytes)) / MB,
      failed: s.failed,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
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
      .add("parquet", () => { eventsParquet(r.files.raw, "flight-000000", "normal", "bench"); }, { minSamples: 5, maxTime: 3 })
      .on("cycle", (e: { target: { hz: number; stats: { sample: number[] } } }) => {
        result = { events, msPerFlight: 1000 / e.target.hz, rowsPerSec: events * e.target.hz, samples: e.target.stats.sample.length };
      })
      .run({ async: false });
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureThroughput(opts: { quick?: boolean; flights?: number; scenarios?: string[] } = {}): Promise<ThroughputResult> {
  const cores = os.availableParallelism();
  const options = opts.quick ? QUICK_OPTIONS : {};
  // A multiple of the worker count, so the last round is not half empty.
  const flights = opts.flights ?? 2 * cores;
  const scenarios = opts.scenarios ?? ["normal", "sockets", "busydelay"];
  const loadavgBefore = os.loadavg();
  const rows: ThroughputRow[] = [];
  const scaling: ScalingRow[] = [];
  for (const scenario of scenarios) {
    const one = await measure(scenario, flights, 1, options);
    const all = await measure(scenario, flights, cores, options);
    rows.push(one, all);
    scaling.push({ scenario, one: one.flightsPerMin, all: all.flightsPerMin, workers: cores, ratio: all.flightsPerMin / one.flightsPerMin });
  }
  return { cores, loadavgBefore, loadavgAfter: os.loadavg(), options, rows, scaling, export: exportCost(options) };
}

export function throughputTables(t: ThroughputResult): string {
  const f1 = (x: number) => x.toFixed(1), f2 = (x: number) => x.toFixed(2);
  const lines = [
    "| scenario | workers | flights | wall s | flights/min | virtual s per flight | virtual/wall per worker | peak V8 heap per worker (MB) | peak WASM/external per worker (MB) | failed |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...t.rows.map((r) => `| ${r.scenario} | ${r.workers} | ${r.flights} | ${f1(r.wallSec)} | ${f1(r.flightsPerMin)} | ${f2(r.virtualSec / r.flights)} | ${f2(r.virtualOverWall)} | ${f1(r.peakHeapMB)} | ${f1(r.peakWasmMB)} | ${r.failed} |`),
    "",
    `| scenario | flights/min, 1 worker | flights/min, ${t.cores} workers | scaling (target ≥ 1.7 on 2 cores) |`,
    "|---|---:|---:|---:|",
    ...t.scaling.map((s) => `| ${s.scenario} | ${f1(s.one)} | ${f1(s.all)} | ${f2(s.ratio)}× |`),
  ];
  if (t.export) lines.push("", `Export of one normal flight (${t.export.events} events) to Parquet: ${f1(t.export.msPerFlight)} ms (${Math.round(t.export.rowsPerSec).toLocaleString("en-US")} rows/s, benchmark.js, ${t.export.samples} samples).`);
  lines.push("", `Load average before/after (1 min): ${f2(t.loadavgBefore[0])} / ${f2(t.loadavgAfter[0])} on ${t.cores} cores${t.loadavgBefore[0] > t.cores * 0.5 ? " — the machine was busy: scaling figures are pessimistic" : ""}.`);
  return lines.join("\n");
}

