// What a research-grade recording costs a flight, all of it at once: the
// per-syscall table with its labels (probes, label pass, Parquet) and the
// realistic clock, side by side with the bare flight of before (--timing
// ideal, no table), and the two halves apart: the same flight in the four
// combinations, alternated round after round in this one process on one
// reused host (as a generate worker runs them), each timed by this process's
// CPU and by the wall clock. The figure to quote is the ratio of medians,
// everything over bare (target: at most 1.15 in wall time): on a shared
// machine every column moves with the neighbours' load, the ratios much less.
// bench/ground-truth.ts and bench/timing.ts measure each half alone, with
// their side figures (the encoding alone, the model's draws alone).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runFlight, type FlightHost } from "../src/flight/run-flight.js";
import { utcMinute, writeSection } from "./doc-section.js";
import { jitDefault } from "../src/machine/jit/default.js";
import type { TimingModelName } from "../src/kernel/timing/model.js";

export interface ResearchMode { timing: TimingModelName; table: boolean }

export interface ResearchCostRow extends ResearchMode {
  flights: number;
  syscalls: number;           // of one flight (the two clocks' flights differ a little)
  medianCpuMs: number;        // user + system CPU of one flight, median over rounds
  medianWallMs: number;
  cpuUsPerSyscall: number;
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
}

export const MODES: readonly ResearchMode[] = [
  { timing: "ideal", table: false },
  { timing: "ideal", table: true },
  { timing: "realistic", table: false },
  { timing: "realistic", table: true },
];
export const WALL_TARGET = 1.15;

const median = (v: number[]): number => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

export function measureResearchCost(rounds: number, scenario = "normal", seed = 1): ResearchCost {
  const host: FlightHost = {};
  const cpu = MODES.map((): number[] => []), wall = MODES.map((): number[] => []);
  const syscalls = MODES.map(() => 0);
  const fly = (k: number): void => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-bench-research-"));
    try {
      host.groundTruth = MODES[k].table;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = runFlight({ scenario, seed, outDir: dir, timing: MODES[k].timing }, host);
      wall[k].push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu[k].push((c.user + c.system) / 1000);
      syscalls[k] = r.manifest.recording.syscalls;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const order = MODES.map((_, k) => k);
  for (const k of order) fly(k);   // warm-up: the JIT and the instance, not counted
  for (const k of order) { cpu[k].length = 0; wall[k].length = 0; }
  for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [...order].reverse() : order) fly(k);
  const rows = MODES.map((m, k): ResearchCostRow => ({
    ...m, flights: rounds, syscalls: syscalls[k], medianCpuMs: median(cpu[k]), medianWallMs: median(wall[k]), cpuUsPerSyscall: (median(cpu[k]) * 1000) / syscalls[k],
  }));
  const bare = 0, all = MODES.length - 1;
  return {
    scenario, seed, rounds, rows,
    wallRatio: rows[all].medianWallMs / rows[bare].medianWallMs,
    cpuRatio: rows[all].medianCpuMs / rows[bare].medianCpuMs,
    pairedWallRatio: median(wall[all].map((w, i) => w / wall[bare][i])),
    pairedCpuRatio: median(cpu[all].map((c, i) => c / cpu[bare][i])),
  };
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
  ].join("\n");
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

// Alone: node dist/bench/research-cost.js [--rounds 8] [--scenario normal] [--seed 1] [--doc]
// --doc: the table also into docs/dataset.md, between its markers.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const val = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const load0 = loadavg();
  const t = measureResearchCost(Number(val("--rounds", "8")), val("--scenario", "normal"), Number(val("--seed", "1")));
  const load: [number, number] = [load0[0], loadavg()[0]];
  console.log(`## A research-grade recording's cost (${t.scenario} flight, seed ${t.seed}, ${t.rounds} rounds of the four combinations, alternated; load average ${load[0].toFixed(2)} before, ${load[1].toFixed(2)} after)\n`);
  console.log(researchCostTable(t));
  if (process.argv.includes("--doc")) {
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/dataset.md"), "research-cost", researchCostSection(t, load, new Date(), jitDefault()));
  }
}
