// The JIT's compile cost where a command pays it: the first run in a fresh process (bench/fresh-run.ts),
// on issue 14's workloads (bench/jit-workloads.ts). Each workload runs `runs` times in new
// processes with the JIT (default threshold) and with the interpreter alone, alternated; the row
// gives the fastest JIT run's wall time, its compile time (emitting the bytes; V8's module compile)
// and its share of that wall time, and the share's range over all the JIT runs.
//   node dist/bench/jit-cost.js [RUNS=3] [WORKLOAD,…] [--doc]   (--doc: into docs/jit.md)
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freshRun, missing, type FreshRun } from "./fresh-run.js";
import { JIT_WORKLOADS } from "./jit-workloads.js";
import { writeSection } from "./doc-section.js";

export interface JitCostRow { name: string; label: string; skipped?: string; jit: FreshRun[]; interpreter: FreshRun[] }

export function measureJitCost(runs: number, names = Object.keys(JIT_WORKLOADS)): JitCostRow[] {
  return names.map((name) => {
    const spec = JIT_WORKLOADS[name];
    if (!spec) throw new Error(`unknown workload ${name}: one of ${Object.keys(JIT_WORKLOADS).join(", ")}`);
    const row: JitCostRow = { name, label: spec.label, jit: [], interpreter: [] };
    const why = missing(spec.w);
    if (why) return { ...row, skipped: why };
    for (let i = 0; i < runs; i++) {
      for (const jit of i % 2 === 0 ? [true, false] : [false, true]) (jit ? row.jit : row.interpreter).push(freshRun(spec.w, jit));
    }
    return row;
  });
}

const best = (xs: FreshRun[]): FreshRun => xs.reduce((a, b) => (b.wallSec < a.wallSec ? b : a));
const share = (r: FreshRun): number => (100 * r.compileSec) / r.wallSec;

export function jitCostTable(rows: JitCostRow[]): string {
  const s = (x: number) => `${x.toFixed(2)} s`;
  const ms = (x: number) => `${(x * 1000).toFixed(0)} ms`;
  const lines = [
    "| run | interpreter: wall (CPU) | JIT: wall (CPU) | JIT compile | of which emitting; V8 module | share of wall | share, every run | regions (modules, KB) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    if (r.skipped) { lines.push(`| ${r.label} | skipped: ${r.skipped} |||||||`); continue; }
    const i = best(r.interpreter), j = best(r.jit);
    const shares = r.jit.map(share);
    lines.push(`| ${r.label} | ${s(i.wallSec)} (${s(i.cpuSec)}) | ${s(j.wallSec)} (${s(j.cpuSec)}) | ${ms(j.compileSec)} | ${ms(j.emitSec)}; ${ms(j.moduleSec)} | ` +
      `${share(j).toFixed(0)} % | ${Math.min(...shares).toFixed(0)}–${Math.max(...shares).toFixed(0)} % | ${j.regions} (${j.modules}, ${(j.bytes / 1024).toFixed(0)}) |`);
  }
  return lines.join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const doc = args.includes("--doc");
  const pos = args.filter((a) => a !== "--doc");
  const runs = Number(pos[0] ?? 3);
  const table = jitCostTable(measureJitCost(runs, pos[1] ? pos[1].split(",") : undefined));
  console.log(table);
  if (doc) writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/jit.md"), "jit-cost", table);
}
