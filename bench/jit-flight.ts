// A whole recorded flight with and without the JIT (docs/jit.md): each
// scenario flown interpreted and with the second tier, alternated, `rounds`
// times, each on a new Machine in this one process (bench/flight.ts's
// measure: wall and CPU time, and the JIT's compile time). The first JIT flight
// of a scenario compiles everything; later ones reuse the process's compiled
// modules (as a generate worker does), so the table shows both.
// Run: node dist/bench/jit-flight.js [rounds=3] [scenario=busydelay,normal] [seed=1]
import { measureFlight, type FlightBench } from "./flight.js";
import type { Scenario } from "../src/flight/index.js";

const rounds = Number(process.argv[2] ?? 3);
const scenarios = (process.argv[3] ?? "busydelay,normal").split(",") as Scenario[];
const seed = Number(process.argv[4] ?? 1);

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
console.log(`| scenario (seed ${seed}) | tier | CPU s: first | CPU s: median of ${rounds} | wall s: median | JIT compile: first flight | later flights | CPU ratio (interpreter / JIT), medians |`);
console.log("|---|---|---:|---:|---:|---:|---:|---:|");
for (const scenario of scenarios) {
  const runs: Record<"i" | "j", FlightBench[]> = { i: [], j: [] };
  for (let k = 0; k < rounds; k++) {
    runs.i.push(measureFlight(scenario, seed, false));
    runs.j.push(measureFlight(scenario, seed, true));
  }
  const cpu = (t: "i" | "j") => median(runs[t].map((r) => r.cpuSec));
  for (const t of ["i", "j"] as const) {
    const r = runs[t];
    const compile = t === "j" ? `${((r[0].jitCompileSec ?? 0) * 1000).toFixed(0)} ms (${r[0].jitRegions} regions)` : "";
    const later = t === "j" && r.length > 1 ? `${(median(r.slice(1).map((x) => x.jitCompileSec ?? 0)) * 1000).toFixed(0)} ms` : "";
    console.log(`| ${scenario} | ${t === "i" ? "interpreter" : "JIT"} | ${r[0].cpuSec.toFixed(2)} | ${cpu(t).toFixed(2)} | ${median(r.map((x) => x.wallSec)).toFixed(2)} | ${compile} | ${later} | ${t === "j" ? (cpu("i") / cpu("j")).toFixed(2) + "×" : ""} |`);
  }
}
