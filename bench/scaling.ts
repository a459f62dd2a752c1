// Where the scaling goes: the same flights through the real `generate` pool
// with 1 and with W workers, alternated (1, W, W, 1, ...) so a neighbour's load
// hits both alike, with the process's CPU time, each worker's time split
// (flight, Parquet export, files, start-up) and the load average of each run.
//   node dist/bench/scaling.js [--scenario normal] [--flights 16] [--rounds 2] [--workers 2] [--quick] [--doc]
// Host wall and CPU time are fine here: benchmarks measure the host.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate, type GenerateSummary } from "../src/generate/generate.js";
import { QUICK_OPTIONS } from "./throughput.js";
import { replaceSection, utcMinute, writeSection } from "./doc-section.js";

export interface ScalingRun {
  workers: number;
  flights: number;
  wallSec: number;
  flightsPerMin: number;
  warmFlightsPerMin: number; // once every worker is going (warmFlightsPerMin; -1: too few flights)
  cpuSec: number;            // the whole process (main thread, workers, V8's GC and compiler threads)
  workerCpuSec: number;      // the worker threads alone, during their tasks (-1: not measurable)
  busy: number;              // worker task time / (wall × workers)
  perFlightMs: { job: number; export: number; files: number };
  startMs: number;           // mean worker start-up (to its first task's start)
  load1: [number, number];   // 1-minute load average before / after
  othersCores: number;       // CPU the rest of the machine used meanwhile (other processes, other containers), in cores; -1 unknown
}

// Busy CPU time of the whole machine (all processes, every container on this kernel), in seconds; -1 where /proc/stat is missing.
export function machineBusySec(): number {
  try {
    const f = readFileSync("/proc/stat", "latin1").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return (f.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100;
  } catch {
    return -1;
  }
}

// Flights per minute once every worker is going: the flights that came back
// after each worker's `warmup`-th, over the time from then to the last one.
// A worker's first flights also pay for its thread, its modules and the JIT
// compiling the host code, once per run (-1: too few flights to tell).
export function warmFlightsPerMin(completions: GenerateSummary["completions"], warmup = 2): number {
  const byThread = new Map<number, number[]>();
  for (const c of completions) {
    if (c.threadId < 0) continue;
    const times = byThread.get(c.threadId);
    if (times) times.push(c.ms); else byThread.set(c.threadId, [c.ms]);
  }
  if (byThread.size === 0) return -1;
  let from = 0;
  for (const times of byThread.values()) {
    if (times.length < warmup) return -1;
    from = Math.max(from, times[warmup - 1]);
  }
  const after = completions.filter((c) => c.ms > from);
  if (after.length < 2) return -1;
  return (after.length / (after[after.length - 1].ms - from)) * 60_000;
}

// One `generate` run into a temporary folder (removed after), with what every
// benchmark row reads around it: wall and process CPU time, the load average
// and the CPU the rest of the machine used meanwhile.
export interface MeasuredGenerate {
  s: GenerateSummary;
  wallSec: number;
  cpuSec: number;            // the whole process (main thread, workers, V8's GC and compiler threads)
  load1: [number, number];   // 1-minute load average before / after
  othersCores: number;       // CPU the rest of the machine used meanwhile, in cores; -1 unknown
  sum: (f: (w: GenerateSummary["workers"][number]) => number) => number; // over the workers' stats
}

export async function measuredGenerate(scenario: string, flights: number, workers: number, options: Record<string, unknown>): Promise<MeasuredGenerate> {
  const out = mkdtempSync(path.join(os.tmpdir(), `skytrace-bench-${scenario}-`));
  const load0 = os.loadavg()[0];
  const c0 = process.cpuUsage();
  const m0 = machineBusySec();
  try {
    const s = await generate({ out, flights, mix: `${scenario}=1`, seed: "1", workers, flightOptions: options });
    const c = process.cpuUsage(c0);
    const m1 = machineBusySec();
    const wallSec = s.wallMs / 1000, cpuSec = (c.user + c.system) / 1e6;
    return {
      s, wallSec, cpuSec,
      load1: [load0, os.loadavg()[0]],
      othersCores: m0 < 0 || m1 < 0 ? -1 : Math.max(0, (m1 - m0 - cpuSec) / wallSec),
      sum: (f) => s.workers.reduce((a, w) => a + f(w), 0),
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export async function scalingRun(scenario: string, flights: number, workers: number, options: Record<string, unknown>): Promise<ScalingRun> {
  const { s, wallSec, cpuSec, load1, othersCores, sum } = await measuredGenerate(scenario, flights, workers, options);
  const task = sum((w) => w.jobMs + w.exportMs + w.filesMs);
  return {
    workers, flights, wallSec, flightsPerMin: (flights / wallSec) * 60, warmFlightsPerMin: warmFlightsPerMin(s.completions), cpuSec,
    workerCpuSec: s.workers.some((w) => w.cpuMs < 0) ? -1 : sum((w) => w.cpuMs) / 1000,
    busy: task / (s.wallMs * workers),
    perFlightMs: { job: sum((w) => w.jobMs) / flights, export: sum((w) => w.exportMs) / flights, files: sum((w) => w.filesMs) / flights },
    startMs: sum((w) => w.startMs) / Math.max(1, s.workers.length),
    load1, othersCores,
  };
}

export function scalingTable(runs: ScalingRun[]): string {
  const f0 = (x: number) => x.toFixed(0), f1 = (x: number) => x.toFixed(1), f2 = (x: number) => x.toFixed(2);
  return [
    "| workers | flights | wall s | flights/min | once warm | process CPU s | worker CPU s | CPU s / flight | busy | flight ms | export ms | files ms | start-up ms | others' CPU (cores) | load before/after |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ...runs.map((r) => `| ${r.workers} | ${r.flights} | ${f1(r.wallSec)} | ${f1(r.flightsPerMin)} | ${r.warmFlightsPerMin < 0 ? "-" : f1(r.warmFlightsPerMin)} | ${f1(r.cpuSec)} | ${r.workerCpuSec < 0 ? "-" : f1(r.workerCpuSec)} | ${f2(r.cpuSec / r.flights)} | ${f2(r.busy)} | ${f0(r.perFlightMs.job)} | ${f0(r.perFlightMs.export)} | ${f0(r.perFlightMs.files)} | ${f0(r.startMs)} | ${r.othersCores < 0 ? "-" : f2(r.othersCores)} | ${f2(r.load1[0])} / ${f2(r.load1[1])} |`),
  ].join("\n");
}

/** What a run-by-run table comes to: the mean flights per minute of 1 and of W workers, over the whole run and once warm, and CPU per flight. */
export interface ScalingSummary {
  workers: number;
  one: number; all: number; ratio: number;
  warmRatio: number;          // NaN: too few flights to tell
  cpuPerFlightOne: number; cpuPerFlightAll: number;
}

export function scalingSummary(runs: ScalingRun[]): ScalingSummary {
  const w = Math.max(...runs.map((r) => r.workers));
  const of = (n: number) => runs.filter((x) => x.workers === n);
  const mean = (n: number, warm = false) => {
    const r = of(n);
    if (warm && r.some((x) => x.warmFlightsPerMin < 0)) return NaN;   // too few flights to tell
    return r.reduce((a, x) => a + (warm ? x.warmFlightsPerMin : x.flightsPerMin), 0) / r.length;
  };
  const cpf = (n: number) => of(n).reduce((a, x) => a + x.cpuSec / x.flights, 0) / of(n).length;
  return { workers: w, one: mean(1), all: mean(w), ratio: mean(w) / mean(1), warmRatio: mean(w, true) / mean(1, true), cpuPerFlightOne: cpf(1), cpuPerFlightAll: cpf(w) };
}

export const SCALING_TARGET = 1.7;   // issue 4: 2 workers on 2 cores, at least 1.7× the flights per minute of 1

export function scalingSummaryLine(s: ScalingSummary): string {
  const warm = Number.isNaN(s.warmRatio) ? "once warm: too few flights to tell" : `once warm ${s.warmRatio.toFixed(2)}×`;
  return `Scaling ${s.ratio.toFixed(2)}× (mean flights/min ${s.one.toFixed(1)} → ${s.all.toFixed(1)}), ${warm}; process CPU per flight ${s.cpuPerFlightOne.toFixed(2)} s → ${s.cpuPerFlightAll.toFixed(2)} s` +
    (s.workers === 2 ? `. Issue 4's target, ${SCALING_TARGET}× with 2 workers: ${s.ratio >= SCALING_TARGET ? "met" : "not met"} in this run.` : ".");
}

/** The command that makes a section, as its first line says. */
export const scalingCommand = (scenario: string, flights: number, rounds: number, quick: boolean): string =>
  `node dist/bench/scaling.js --scenario ${scenario} --flights ${flights} --rounds ${rounds}${quick ? " --quick" : ""} --doc`;

/** docs/bulk.md's section for one scenario: the run (when, the command, Node), its table and what it comes to. */
export function scalingSection(runs: ScalingRun[], command: string, when: Date, node: string): string {
  return [
    `One run, ${utcMinute(when)} UTC, \`${command}\` (Node ${node}, this machine's 2 cores; each row's load average is its last column, the runs alternated 1, W, W, 1, …):`,
    "",
    scalingTable(runs),
    "",
    scalingSummaryLine(scalingSummary(runs)),
    othersLine(runs),
  ].join("\n");
}

/** What the rest of the machine used meanwhile: beyond a few hundredths of a core, the ratio is the neighbours' as much as the pool's. */
export function othersLine(runs: ScalingRun[]): string {
  const known = runs.map((r) => r.othersCores).filter((c) => c >= 0);
  if (known.length === 0) return "What other processes used meanwhile is unknown here (no /proc/stat).";
  const most = Math.max(...known);
  return `Other processes used at most ${most.toFixed(2)} core meanwhile${most > 0.1 ? ": the ratio measures the neighbours as much as the pool; rerun on a quiet machine for a figure to quote." : "."}`;
}

// --doc: the table also into docs/bulk.md, in the section `scaling-SCENARIO` (normal, sockets, busydelay).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const val = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const scenario = val("--scenario", "normal");
  const flights = Number(val("--flights", "16"));
  const rounds = Number(val("--rounds", "2"));
  const w = Number(val("--workers", String(os.availableParallelism())));
  const quick = process.argv.includes("--quick");
  const options = quick ? QUICK_OPTIONS : {};
  const doc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/bulk.md");
  // A scenario without a section fails now, not after minutes of flights.
  if (process.argv.includes("--doc")) {
    try { replaceSection(readFileSync(doc, "utf8"), `scaling-${scenario}`, ""); } catch (e) {
      console.error(`scaling: --doc: docs/bulk.md has no section for ${scenario} (${(e as Error).message})`);
      process.exit(2);
    }
  }
  const when = new Date();
  const runs: ScalingRun[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const workers of i % 2 === 0 ? [1, w] : [w, 1]) {
      runs.push(await scalingRun(scenario, flights, workers, options));
      console.error(scalingTable(runs.slice(-1)).split("\n")[2]);
    }
  }
  console.log(`## ${scenario}, ${flights} flights a run, ${rounds} rounds (node ${process.version}, flags: ${process.execArgv.join(" ") || "none"})\n`);
  console.log(scalingTable(runs));
  console.log(`\n${scalingSummaryLine(scalingSummary(runs))}`);
  if (process.argv.includes("--doc")) writeSection(doc, `scaling-${scenario}`, scalingSection(runs, scalingCommand(scenario, flights, rounds, quick), when, process.version));
}
