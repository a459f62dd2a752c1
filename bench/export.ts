// The columnar export's cost per flight: a few normal flights (default
// missions), each exported to Parquet many times in this process after a
// warm-up, as a generate worker does once per flight. Prints the median and
// the fastest wall time per flight, the median CPU time (this process's, the
// figure a busy machine disturbs least) and the file's size.
//   node dist/bench/export.js [--flights N] [--reps R] [--doc]
// --doc: the table also into docs/bulk.md, between its markers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { runFlight } from "../src/flight/index.js";
import { eventsParquet } from "../src/generate/events-export.js";
import { utcMinute, writeSection } from "./doc-section.js";

export interface ExportRow { seed: number; events: number; medianMs: number; fastestMs: number; medianCpuMs: number; bytes: number }

export function measureExport(flights: number, reps: number): ExportRow[] {
  const rows: ExportRow[] = [];
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
      rows.push({ seed, events: r.columns.n, medianMs: ms[ms.length >> 1], fastestMs: ms[0], medianCpuMs: cpu[cpu.length >> 1], bytes });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

export function exportTable(rows: ExportRow[], reps: number): string {
  const mean = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(1);
  return [
    "| seed | events | median ms | fastest ms | median CPU ms | Parquet bytes |",
    "|---:|---:|---:|---:|---:|---:|",
    ...rows.map((r) => `| ${r.seed} | ${r.events} | ${r.medianMs.toFixed(1)} | ${r.fastestMs.toFixed(1)} | ${r.medianCpuMs.toFixed(1)} | ${r.bytes} |`),
    "",
    `mean of the medians: ${mean(rows.map((r) => r.medianMs))} ms wall, ${mean(rows.map((r) => r.medianCpuMs))} ms CPU per normal flight (${reps} exports each, after 10 warm-up)`,
  ].join("\n");
}

/** docs/bulk.md's section: the run (the command, when, the load) and its table. */
export function exportSection(rows: ExportRow[], command: string, reps: number, load: [number, number], when: Date): string {
  return `One run of \`${command}\`, ${utcMinute(when)} UTC, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after ` +
    `(this machine's 2 cores; the load counts this run too): normal flights of the default mission, seeds 1 to ${rows.length}.\n\n${exportTable(rows, reps)}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: number): number => { const i = process.argv.indexOf(name); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
  const flights = arg("--flights", 3), reps = arg("--reps", 40);
  const load0 = loadavg()[0], when = new Date();
  const rows = measureExport(flights, reps);
  console.log(exportTable(rows, reps));
  if (process.argv.includes("--doc")) {
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/bulk.md"), "export",
      exportSection(rows, `node dist/bench/export.js ${process.argv.slice(2).join(" ")}`, reps, [load0, loadavg()[0]], when));
  }
}
