// `skytrace export lidds` throughput: a generated dataset (100 flights of the
// default missions: normal and sockets, 4 to 1, the flights whose cost is per
// syscall; --quick: 5 short ones) exported to LID-DS 2021's layout, timed in
// this process: syscalls and .sc lines per second of wall and of CPU, and the
// largest V8 heap and RSS seen after any flight (and after the first tenth of them) (the export holds one flight
// at a time, so these stay near one flight's size whatever the dataset's).
// Host wall time is fine here: benchmarks measure the host.
import { mkdtempSync, rmSync, statSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate } from "../src/generate/generate.js";
import { exportLidds } from "../src/research/lidds/export.js";
import { QUICK_OPTIONS } from "./throughput.js";
import { fileURLToPath } from "node:url";
import { jitDefault } from "../src/machine/jit/default.js";
import { utcMinute, writeSection } from "./doc-section.js";

export interface LiddsExportBench {
  flights: number;
  mix: string;
  syscalls: number;
  lines: number;
  datasetMB: number;      // the per-syscall tables and manifests read
  zipMB: number;          // what the export wrote
  wallSec: number;
  cpuSec: number;
  syscallsPerSec: number;       // per wall second
  syscallsPerCpuSec: number;
  peakHeapMB: number;
  peakRssMB: number;
  rssBeforeMB: number;    // the process's RSS when the export began (after making the dataset in this process)
  rssTenthMB: number;     // the largest RSS seen after the first tenth of the flights: against the peak, whether memory grows with the dataset
  load1: [number, number];
}

const MB = 1024 * 1024;
function folderBytes(dir: string, keep: (name: string) => boolean = () => true): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) n += folderBytes(p, keep);
    else if (keep(e.name)) n += statSync(p).size;
  }
  return n;
}

export async function measureLiddsExport(quick: boolean): Promise<LiddsExportBench> {
  const flights = quick ? 5 : 100;
  const mix = "normal=4,sockets=1";
  const dir = mkdtempSync(path.join(os.tmpdir(), "skytrace-bench-lidds-"));
  try {
    const data = path.join(dir, "data");
    const g = await generate({ out: data, flights, mix, seed: "1", flightOptions: quick ? QUICK_OPTIONS : {} });
    if (g.failed > 0) throw new Error(`${g.failed} flights of the export benchmark's dataset failed`);
    const out = path.join(dir, "scenario");
    let peakHeap = 0, peakRss = 0, tenthRss = 0;
    const sample = (done: number) => {
      const m = process.memoryUsage();
      peakHeap = Math.max(peakHeap, m.heapUsed); peakRss = Math.max(peakRss, m.rss);
      if (done <= Math.ceil(flights / 10)) tenthRss = peakRss;
    };
    const rssBefore = process.memoryUsage().rss;
    const load0 = os.loadavg()[0];
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const s = await exportLidds({ dataset: data, out, seed: 1, onFlight: sample });
    const wallSec = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const cpuSec = (c.user + c.system) / 1e6;
    return {
      flights: s.flights, mix, syscalls: s.syscalls, lines: s.lines,
      datasetMB: folderBytes(data, (n) => n.endsWith(".syscalls.parquet") || n === "manifest.json") / MB,
      zipMB: folderBytes(out) / MB,
      wallSec, cpuSec, syscallsPerSec: s.syscalls / wallSec, syscallsPerCpuSec: s.syscalls / cpuSec,
      peakHeapMB: peakHeap / MB, peakRssMB: peakRss / MB, rssBeforeMB: rssBefore / MB, rssTenthMB: tenthRss / MB, load1: [load0, os.loadavg()[0]],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function liddsExportTable(b: LiddsExportBench): string {
  const f = (x: number, d = 1) => x.toFixed(d);
  return [
    "| flights | syscalls | .sc lines | tables read (MB) | ZIPs written (MB) | wall s | CPU s | syscalls/s (wall) | syscalls/s (CPU) | peak heap (MB) | RSS before / after a tenth / peak (MB) | load before / after |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    `| ${b.flights} (${b.mix}) | ${b.syscalls} | ${b.lines} | ${f(b.datasetMB)} | ${f(b.zipMB)} | ${f(b.wallSec, 2)} | ${f(b.cpuSec, 2)} | ${Math.round(b.syscallsPerSec)} | ${Math.round(b.syscallsPerCpuSec)} | ${f(b.peakHeapMB)} | ${f(b.rssBeforeMB)} / ${f(b.rssTenthMB)} / ${f(b.peakRssMB)} | ${f(b.load1[0])} / ${f(b.load1[1])} |`,
  ].join("\n");
}

/** The table with the run it came from (the command, when, the tier) and the CPU per syscall, as docs/research.md's section holds it. */
export function liddsExportSection(b: LiddsExportBench, command: string, when: Date, jit: boolean): string {
  return [
    `One run of \`${command}\`, ${utcMinute(when)} UTC (this machine's 2 cores, the JIT ${jit ? "on" : "off"}): ${b.flights} flights (${b.mix}), made first in this process, ` +
      "exported in one process, one flight at a time. On a shared machine the wall time is partly waiting; the CPU time is the figure.",
    "",
    liddsExportTable(b),
    "",
    `${((b.cpuSec * 1e6) / b.syscalls).toFixed(1)} µs of CPU per syscall; the largest RSS ${(b.peakRssMB - b.rssTenthMB).toFixed(0)} MB above what it was after the first tenth of the flights.`,
  ].join("\n");
}

// `node dist/bench/lidds-export.js [--quick] [--doc]`: this benchmark alone; --doc also writes
// docs/research.md's "lidds-export" section.
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const b = await measureLiddsExport(process.argv.includes("--quick"));
  console.log(liddsExportTable(b));
  if (process.argv.includes("--doc")) {
    const command = ["node dist/bench/lidds-export.js", ...process.argv.slice(2)].join(" ");
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/research.md"), "lidds-export", liddsExportSection(b, command, new Date(), jitDefault()));
  }
}
