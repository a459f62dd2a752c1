// The Python autopilot's cost against the C one's (issue 13): the same scenario and seed flown
// by guest/autopilot.c and by guest/autopilot.py (`--autopilot python`, the host's python3 and
// pyserial through the sysroot /), alternated round after round in this one process on one
// reused core instance, each timed by the wall clock and this process's CPU. The figure to quote
// is the ratio of medians, python over c: both move with the neighbours' load, the ratio less.
// Where python3 or pyserial is missing the row is skipped with the reason.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runFlight, type FlightHost } from "../src/flight/run-flight.js";
import { pythonMissing } from "../src/flight/autopilots.js";
import { utcMinute, writeSection } from "./doc-section.js";
import { jitDefault } from "../src/machine/jit/default.js";
import { Machine } from "../src/machine/machine.js";
import { median } from "./median.js";

export type AutopilotName = "c" | "python";

export interface AutopilotRow {
  autopilot: AutopilotName;
  flights: number;
  syscalls: number;          // of one flight
  virtualS: number;          // recorded flight time
  outcome: string;
  medianWallMs: number;
  medianCpuMs: number;       // user + system CPU of this process, median over rounds
}

export type AutopilotCost =
  | { skipped: string }
  | { scenario: string; seed: number; rounds: number; rows: AutopilotRow[]; wallRatio: number; cpuRatio: number; load: [number, number] };


export function measureAutopilots(rounds: number, scenario = "normal", seed = 1): AutopilotCost {
  const why = pythonMissing("/");
  if (why) return { skipped: why };
  const load0 = loadavg()[0];
  // One Machine for every flight, as a generate worker keeps (a new one per flight adds its setup to both alike).
  const host: FlightHost = { machine: new Machine() };
  const names: AutopilotName[] = ["c", "python"];
  const wall = new Map(names.map((n) => [n, [] as number[]]));
  const cpu = new Map(names.map((n) => [n, [] as number[]]));
  const last = new Map<AutopilotName, Omit<AutopilotRow, "autopilot" | "flights" | "medianWallMs" | "medianCpuMs">>();
  const fly = (program: AutopilotName): void => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-bench-autopilot-"));
    try {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = runFlight({ scenario: scenario as never, seed, outDir: dir, program }, host);
      wall.get(program)!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.get(program)!.push((c.user + c.system) / 1000);
      const m = r.manifest, o = m.outcome;
      last.set(program, {
        syscalls: m.recording.syscalls, virtualS: m.recording.durationNs / 1e9,
        outcome: o.crashed ? "crashed" : o.landed ? (o.reachedDestination ? "landed at destination" : "landed off target") : o.autopilotState,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  for (const n of names) fly(n); // warm-up: the JIT, the instance and the sysroot's files read once, not counted
  for (const n of names) { wall.get(n)!.length = 0; cpu.get(n)!.length = 0; }
  for (let r = 0; r < rounds; r++) for (const n of r % 2 ? [...names].reverse() : names) fly(n);
  const rows = names.map((n): AutopilotRow => ({ autopilot: n, flights: rounds, ...last.get(n)!, medianWallMs: median(wall.get(n)!), medianCpuMs: median(cpu.get(n)!) }));
  const [c, py] = rows;
  return { scenario, seed, rounds, rows, wallRatio: py.medianWallMs / c.medianWallMs, cpuRatio: py.medianCpuMs / c.medianCpuMs, load: [load0, loadavg()[0]] };
}

export function autopilotTable(t: AutopilotCost): string {
  if ("skipped" in t) return `Skipped: ${t.skipped}.`;
  const f = (n: number, d = 0) => n.toFixed(d);
  return [
    "| autopilot | flights | outcome | virtual s | syscalls | wall ms / flight (median) | CPU ms / flight (median) |",
    "|---|---|---|---|---|---|---|",
    ...t.rows.map((r) => `| ${r.autopilot} | ${r.flights} | ${r.outcome} | ${f(r.virtualS, 2)} | ${r.syscalls} | ${f(r.medianWallMs)} | ${f(r.medianCpuMs)} |`),
    `| **python / c** | | | | | **${f(t.wallRatio, 2)}×** | ${f(t.cpuRatio, 2)}× |`,
    "",
    `Load average ${f(t.load[0], 2)} before, ${f(t.load[1], 2)} after.`,
  ].join("\n");
}

/** The table with the run it came from (when, the tier), as docs/dataset.md's section holds it. */
export function autopilotSection(t: AutopilotCost, when: Date, jit: boolean): string {
  if ("skipped" in t) return autopilotTable(t);
  return [
    `One run, ${utcMinute(when)} UTC (this machine's 2 cores, the JIT ${jit ? "on" : "off"}): the ${t.scenario} flight of seed ${t.seed} ` +
      `by each autopilot, ${t.rounds} rounds, alternated on one reused instance.`,
    "",
    autopilotTable(t),
  ].join("\n");
}

// Alone: node dist/bench/autopilot.js [--rounds 3] [--scenario normal] [--seed 1] [--doc]
// --doc: the table also into docs/dataset.md, between its markers (not when Python is missing).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const val = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const t = measureAutopilots(Number(val("--rounds", "3")), val("--scenario", "normal"), Number(val("--seed", "1")));
  console.log(`## The Python autopilot against the C one${"skipped" in t ? "" : ` (${t.scenario} flight, seed ${t.seed}, ${t.rounds} rounds each, alternated)`}\n`);
  console.log(autopilotTable(t));
  if (process.argv.includes("--doc")) {
    if ("skipped" in t) { console.error(`--doc: nothing written (${t.skipped})`); process.exitCode = 1; }
    else writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/dataset.md"), "autopilot", autopilotSection(t, new Date(), jitDefault()));
  }
}
