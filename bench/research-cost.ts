// What a research-grade recording costs a flight, all of it at once: the
// per-syscall table with its labels (probes, label pass, Parquet) and the
// realistic clock, side by side with the bare flight of before (--timing
// ideal, no table), and the two halves apart: the same flight in the four
// combinations, alternated round after round in this one process on one
// reused host (as a generate worker runs them: one Machine, the recorder's
// buffers; a fresh instance per flight would add its setup to every flight
// alike and hide part of the ratio), each timed by this process's
// CPU and by the wall clock. The figure to quote is the ratio of medians,
// everything over bare (target: at most 1.15 in wall time): on a shared
// machine every column moves with the neighbours' load, the ratios much less.
// bench/ground-truth.ts and bench/timing.ts measure each half alone, with
// their side figures (the encoding alone, the model's draws alone).
// --against DIR: another built checkout's flights too, its four alternated
// with this build's every round in this one process (a second table), and
// every file of each combination compared byte for byte between the two.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runFlight, type FlightHost, type FlightResult } from "../src/flight/run-flight.js";
import type { FlightOptions } from "../src/flight/options.js";
import { utcMinute, writeSection } from "./doc-section.js";
import { jitDefault } from "../src/machine/jit/default.js";
import { Machine } from "../src/machine/machine.js";
import type { TimingModelName } from "../src/kernel/timing/model.js";
import { threadCpuMs } from "../src/machine/schedstat.js";
import { median } from "./median.js";

export interface ResearchMode { timing: TimingModelName; table: boolean }

export interface ResearchCostRow extends ResearchMode {
  flights: number;
  syscalls: number;           // of one flight (the two clocks' flights differ a little)
  medianCpuMs: number;        // user + system CPU of one flight, median over rounds
  medianWallMs: number;
  cpuUsPerSyscall: number;
  /** The main thread's own CPU of one flight, median (src/machine/schedstat.ts; NaN off Linux): the wall time's part on a CPU. */
  medianThreadMs?: number;
}

export interface ResearchCost {
  scenario: string;
  seed: number;
  rounds: number;
  rows: ResearchCostRow[];    // bare (ideal, no table), table alone, realistic alone, everything
  /** everything / bare, medians of wall time per flight: the target's figure (<= 1.15). */
  wallRatio: number;
  cpuRatio: number;
  /** The medians over rounds of each round's everything / bare (the flights of a round run back to back). */
  pairedWallRatio: number;
  pairedCpuRatio: number;
  /** everything / bare, medians of the main thread's own CPU: what the wall ratio is on a quiet machine. */
  threadRatio?: number;
}

export const MODES: readonly ResearchMode[] = [
  { timing: "ideal", table: false },
  { timing: "ideal", table: true },
  { timing: "realistic", table: false },
  { timing: "realistic", table: true },
];
export const WALL_TARGET = 1.15;


/** A build's flight and the Machine its host reuses. */
export interface Build {
  runFlight: (options: FlightOptions, host?: FlightHost) => FlightResult;
  newMachine: () => FlightHost["machine"];
}

const THIS_BUILD: Build = { runFlight, newMachine: () => new Machine() };

/** A built checkout's (DIR/dist), to fly beside this build. */
export async function buildOf(dir: string): Promise<Build> {
  const load = async <T>(f: string): Promise<T> => (await import(pathToFileURL(path.resolve(dir, "dist/src", f)).href)) as T;
  const { runFlight: run } = await load<{ runFlight: Build["runFlight"] }>("flight/run-flight.js");
  const { Machine: M } = await load<{ Machine: new () => NonNullable<FlightHost["machine"]> }>("machine/machine.js");
  return { runFlight: run, newMachine: () => new M() };
}

export function measureResearchCost(rounds: number, scenario = "normal", seed = 1): ResearchCost {
  return measureResearchCosts(rounds, scenario, seed, [THIS_BUILD])[0];
}

/**
 * The same measurement for several builds' runFlight at once: every round flies each build's four
 * combinations in turn (the builds' order alternating too), and each combination's files must be
 * the same bytes in every build.
 */
export function measureResearchCosts(rounds: number, scenario: string, seed: number, builds: readonly Build[]): ResearchCost[] {
  const hosts = builds.map((b): FlightHost => ({ machine: b.newMachine() }));
  const cpu = builds.map(() => MODES.map((): number[] => [])), wall = builds.map(() => MODES.map((): number[] => []));
  const own = builds.map(() => MODES.map((): number[] => []));
  const syscalls = builds.map(() => MODES.map(() => 0));
  const sums = MODES.map((): string | undefined => undefined);
  const fly = (b: number, k: number): void => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-bench-research-"));
    try {
      const host = hosts[b];
      host.groundTruth = MODES[k].table;
      const c0 = process.cpuUsage();
      const o0 = threadCpuMs();
      const t0 = performance.now();
      const r = builds[b].runFlight({ scenario, seed, outDir: dir, timing: MODES[k].timing } as FlightOptions, host);
      wall[b][k].push(performance.now() - t0);
      own[b][k].push(threadCpuMs() - o0);
      const c = process.cpuUsage(c0);
      cpu[b][k].push((c.user + c.system) / 1000);
      syscalls[b][k] = r.manifest.recording.syscalls;
      const sum = JSON.stringify(r.checksums);
      if (sums[k] === undefined) sums[k] = sum;
      else if (sums[k] !== sum) throw new Error(`research-cost: build ${b}'s files differ from build 0's (${MODES[k].timing}, table ${MODES[k].table ? "on" : "off"})`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const order = MODES.map((_, k) => k);
  const each = builds.map((_, b) => b);
  for (const b of each) for (const k of order) fly(b, k);   // warm-up: the JIT and the instance, not counted
  for (const b of each) for (const k of order) { cpu[b][k].length = 0; wall[b][k].length = 0; own[b][k].length = 0; }
  for (let r = 0; r < rounds; r++) {
    for (const b of r % 2 ? [...each].reverse() : each) for (const k of r % 2 ? [...order].reverse() : order) fly(b, k);
  }
  return builds.map((_, b) => {
    const rows = MODES.map((m, k): ResearchCostRow => ({
      ...m, flights: rounds, syscalls: syscalls[b][k], medianCpuMs: median(cpu[b][k]), medianWallMs: median(wall[b][k]), cpuUsPerSyscall: (median(cpu[b][k]) * 1000) / syscalls[b][k],
      medianThreadMs: median(own[b][k]),
    }));
    const bare = 0, all = MODES.length - 1;
    return {
      scenario, seed, rounds, rows,
      wallRatio: rows[all].medianWallMs / rows[bare].medianWallMs,
      cpuRatio: rows[all].medianCpuMs / rows[bare].medianCpuMs,
      pairedWallRatio: median(wall[b][all].map((w, i) => w / wall[b][bare][i])),
      pairedCpuRatio: median(cpu[b][all].map((c, i) => c / cpu[b][bare][i])),
      threadRatio: median(own[b][all]) / median(own[b][bare]),
    };
  });
}

export function researchCostTable(t: ResearchCost): string {
  const f = (n: number, d = 0) => n.toFixed(d);
  const bare = t.rows[0];
  return [
    "| clock | per-syscall table and labels | flights | syscalls | CPU ms / flight (median) | wall ms / flight (median) | CPU µs / syscall | wall / bare |",
    "|---|---|---|---|---|---|---|---|",
    ...t.rows.map((r) => `| ${r.timing} | ${r.table ? "on" : "off"} | ${r.flights} | ${r.syscalls} | ${f(r.medianCpuMs)} | ${f(r.medianWallMs)} | ${f(r.cpuUsPerSyscall, 2)} | ${f(r.medianWallMs / bare.medianWallMs, 3)}× |`),
    `| **realistic + table / ideal, no table** | | | | **${f(t.cpuRatio, 3)}×** | **${f(t.wallRatio, 3)}×** | | target ≤ ${WALL_TARGET}× wall: ${t.wallRatio <= WALL_TARGET ? "met" : "not met"} |`,
    "",
    `Round by round (the four flights of a round back to back): everything / bare ${f(t.pairedWallRatio, 3)}× wall, ${f(t.pairedCpuRatio, 3)}× CPU (medians).`,
    ...(t.threadRatio !== undefined && Number.isFinite(t.threadRatio) ? [threadLine(t)] : []),
  ].join("\n");
}

// The CPU columns count the process's other threads too (V8's concurrent GC and compilation, the JIT's
// compile thread), which run beside the main thread: the main thread's own CPU is what the wall time is made of.
function threadLine(t: ResearchCost): string {
  const f = (n: number, d = 0) => n.toFixed(d);
  const [bare, , , all] = t.rows;
  const others = (r: ResearchCostRow): string => f(r.medianCpuMs - (r.medianThreadMs ?? NaN));
  return `The main thread's own CPU (Linux schedstat), median: bare ${f(bare.medianThreadMs ?? NaN)} ms, everything ${f(all.medianThreadMs ?? NaN)} ms, ` +
    `${f(t.threadRatio ?? NaN, 3)}×; the process's other threads (V8's background GC and compilation, the JIT's compile thread) ` +
    `about ${others(bare)} and ${others(all)} ms of CPU beside it.`;
}

/** The table with the run it came from (when, the load, the flight), as docs/dataset.md's section holds it. */
export function researchCostSection(t: ResearchCost, load: [number, number], when: Date, jit: boolean): string {
  return [
    `One run, ${utcMinute(when)} UTC, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after ` +
      `(this machine's 2 cores, the JIT ${jit ? "on" : "off"}; the load counts this run too): the ${t.scenario} flight of seed ${t.seed}, ${t.rounds} rounds of the four combinations, alternated.`,
    "",
    researchCostTable(t),
  ].join("\n");
}

// Alone: node dist/bench/research-cost.js [--rounds 8] [--scenario normal] [--seed 1] [--doc] [--against DIR] [--fresh]
// --doc: the table also into docs/dataset.md, between its markers (this build's).
// --fresh: a new Machine for every flight (as `skytrace fly` makes one), the way this bench flew before 2026-12-05.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const val = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const against = val("--against", "");
  const fresh = (b: Build): Build => (process.argv.includes("--fresh") ? { ...b, newMachine: () => undefined } : b);
  const builds: Build[] = [THIS_BUILD, ...(against ? [await buildOf(against)] : [])].map(fresh);
  const load0 = loadavg();
  const [t, other] = measureResearchCosts(Number(val("--rounds", "8")), val("--scenario", "normal"), Number(val("--seed", "1")), builds);
  const load: [number, number] = [load0[0], loadavg()[0]];
  console.log(`## A research-grade recording's cost (${t.scenario} flight, seed ${t.seed}, ${t.rounds} rounds of the four combinations, alternated; load average ${load[0].toFixed(2)} before, ${load[1].toFixed(2)} after)\n`);
  console.log(researchCostTable(t));
  if (other) {
    console.log(`\n### ${against}, its flights alternated with these round by round (every file the same bytes as this build's)\n`);
    console.log(researchCostTable(other));
  }
  if (process.argv.includes("--doc")) {
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/dataset.md"), "research-cost", researchCostSection(t, load, new Date(), jitDefault()));
  }
}
