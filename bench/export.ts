// The columnar export's cost per flight: a few normal flights (default
// missions), each exported to Parquet many times in this process after a
// warm-up, as a generate worker does once per flight. Prints the median and
// the fastest wall time per flight, the median CPU time (this process's, the
// figure a busy machine disturbs least) and the file's size.
//   node dist/bench/export.js [--flights N] [--reps R]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runFlight } from "../src/flight/index.js";
import { eventsParquet } from "../src/generate/events-export.js";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const flights = arg("--flights", 3), reps = arg("--reps", 40);
const rows: string[] = [];
const medians: number[] = [], cpuMedians: number[] = [];
for (let seed = 1; seed <= flights; seed++) {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-bench-export-"));
  try {
    const r = runFlight({ scenario: "normal", seed, outDir: dir });
    const id = `flight-${String(seed).padStart(6, "0")}`;
    let bytes = 0;
    for (let k = 0; k < 10; k++) bytes = eventsParquet(r.columns, id, "normal", "bench").length;   // warm-up (JIT)
    const ms: number[] = [], cpu: number[] = [];
    for (let k = 0; k < reps; k++) {
      const c0 = process.cpuUsage(), t0 = performance.now();
      eventsParquet(r.columns, id, "normal", "bench");
      ms.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    ms.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    const median = ms[ms.length >> 1];
    medians.push(median);
    cpuMedians.push(cpu[cpu.length >> 1]);
    rows.push(`| ${seed} | ${r.columns.n} | ${median.toFixed(1)} | ${ms[0].toFixed(1)} | ${cpu[cpu.length >> 1].toFixed(1)} | ${bytes} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
console.log(`| seed | events | median ms | fastest ms | median CPU ms | Parquet bytes |\n|---:|---:|---:|---:|---:|---:|\n${rows.join("\n")}`);
console.log(`\nmean of the medians: ${mean(medians)} ms wall, ${mean(cpuMedians)} ms CPU per normal flight (${reps} exports each, after 10 warm-up)`);
