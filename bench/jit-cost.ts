// The JIT's compile cost where a command pays it: the first run in a fresh process (bench/fresh-run.ts),
// on issue 14's workloads (bench/jit-workloads.ts). Each workload runs `runs` times in new
// processes with the JIT (default threshold) and with the interpreter alone, alternated; the row
// gives the fastest JIT run's wall time, its compile time (emitting the bytes; V8's module compile)
// and its share of that wall time, and the share's range over all the JIT runs.
//   node dist/bench/jit-cost.js [RUNS=3] [WORKLOAD,…] [--doc] [--against DIR] [--against-env K=V,…]
// --doc: into docs/jit.md; --against DIR: another checkout (built), its JIT runs alternated with
// this one's, in a second table (the interpreter column is this checkout's); --against-env: the
// environment the --against runs add (`--against . --against-env SKYTRACE_JIT_THREAD=0`: this
// build with and without its compile thread).
// "JIT compile" is the main thread's time in the JIT: the share of wall time the issue asks about.
// Both it and the wall time are taken without the main thread's waits for a CPU (fresh-run.ts
// jitShare): on a busy machine a wall clock counted the compile thread, or any other process,
// running in the main thread's place; "as wall clock" gives the share with those waits in.
// With a compile thread, the thread's own time (writing the code, V8's module compile) is the
// column beside it: moved work, not removed work.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freshRun, missing, jitShare, type FreshRun } from "./fresh-run.js";
import { JIT_WORKLOADS } from "./jit-workloads.js";
import { utcMinute, writeSection } from "./doc-section.js";
import { loadavg } from "node:os";
import { median } from "./median.js";

export interface JitCostRow { name: string; label: string; skipped?: string; jit: FreshRun[]; interpreter: FreshRun[]; against?: FreshRun[] }

/** `against`: another checkout's root, whose JIT runs alternate with this one's (its rows: jitCostTable's second table). */
export function measureJitCost(runs: number, names = Object.keys(JIT_WORKLOADS), against?: string, againstEnv: Record<string, string> = {}): JitCostRow[] {
  return names.map((name) => {
    const spec = JIT_WORKLOADS[name];
    if (!spec) throw new Error(`unknown workload ${name}: one of ${Object.keys(JIT_WORKLOADS).join(", ")}`);
    const row: JitCostRow = { name, label: spec.label, jit: [], interpreter: [] };
    const why = missing(spec.w);
    if (why) return { ...row, skipped: why };
    for (let i = 0; i < runs; i++) {
      for (const jit of i % 2 === 0 ? [true, false] : [false, true]) (jit ? row.jit : row.interpreter).push(freshRun(spec.w, jit));
      if (against) (row.against ??= []).push(freshRun(spec.w, true, path.resolve(against), 1, againstEnv));
    }
    return row;
  });
}

const best = (xs: FreshRun[]): FreshRun => xs.reduce((a, b) => (b.wallSec < a.wallSec ? b : a));
const share = jitShare;
const wallShare = (r: FreshRun): number => (100 * r.compileSec) / r.wallSec;
/** "min / median / max %" of `xs`. */
export const spread = (xs: number[]): string => `${Math.min(...xs).toFixed(1)} / ${median(xs).toFixed(1)} / ${Math.max(...xs).toFixed(1)} %`;

export function jitCostTable(rows: JitCostRow[], which: "jit" | "against" = "jit"): string {
  const s = (x: number) => `${x.toFixed(2)} s`;
  const ms = (x: number) => `${(x * 1000).toFixed(0)} ms`;
  const lines = [
    "| run | interpreter: wall (CPU) | JIT: wall (CPU; main thread) | JIT compile, main thread (+ waiting for a CPU) | of which emitting; V8 module | share | share, every run: min / median / max | as wall clock, waits in | compile thread | regions (modules, KB) |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    if (r.skipped) { lines.push(`| ${r.label} | skipped: ${r.skipped} |||||||||`); continue; }
    const runs = which === "jit" ? r.jit : r.against!;
    const i = best(r.interpreter), j = best(runs);
    const shares = runs.map(share);
    lines.push(`| ${r.label} | ${s(i.wallSec)} (${s(i.cpuSec)}) | ${s(j.wallSec)} (${s(j.cpuSec)}${j.mainCpuSec !== undefined ? `; ${s(j.mainCpuSec)}` : ""}) | ${ms(j.compileSec - (j.compileWaitSec ?? 0))} (+ ${ms(j.compileWaitSec ?? 0)}) | ${ms(j.emitSec)}; ${ms(j.moduleSec)} | ` +
      `${share(j).toFixed(1)} % | ${spread(shares)} | ${spread(runs.map(wallShare))} | ${j.requested ? ms(j.threadSec ?? 0) : ""} | ` +
      `${j.regions}${j.dropped ? ` + ${j.dropped} dropped` : ""} (${j.modules}, ${(j.bytes / 1024).toFixed(0)}) |`);
  }
  return lines.join("\n");
}

export const COMPILE_TARGET = 10;   // issue 14: at most 10 % of a first run's wall time

/** What the table comes to: the workloads whose every JIT run kept the main thread's compiling within the target, and those that did not. */
export function jitCostSummary(rows: JitCostRow[]): string {
  const done = rows.filter((r) => !r.skipped && r.jit.length > 0);
  const range = (r: JitCostRow) => spread(r.jit.map(share));
  const within = done.filter((r) => Math.max(...r.jit.map(share)) <= COMPILE_TARGET), over = done.filter((r) => !within.includes(r));
  const list = (rs: JitCostRow[]) => rs.map((r) => `${r.label} (${range(r)})`).join(", ");
  return `Issue 14's target, compiling at most ${COMPILE_TARGET} % of a first run's wall time on the main thread, in every run: ` +
    `${within.length ? `met on ${list(within)}` : "met on none"}${over.length ? `; not met on ${list(over)}` : ""}.`;
}

/** docs/jit.md's section: the run (when, the load), the table and what it comes to. */
export function jitCostSection(rows: JitCostRow[], command: string, load: [number, number], when: Date): string {
  return [
    `One run of \`${command}\`, ${utcMinute(when)} UTC, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after (this machine's 2 cores; the load counts this run too):`,
    "",
    jitCostTable(rows),
    "",
    jitCostSummary(rows),
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const doc = args.includes("--doc");
  const a = args.indexOf("--against");
  const against = a >= 0 ? args[a + 1] : undefined;
  const e = args.indexOf("--against-env");
  const againstEnv = e >= 0 ? Object.fromEntries(args[e + 1].split(",").map((kv) => kv.split("=", 2) as [string, string])) : {};
  const pos = args.filter((x, k) => x !== "--doc" && (a < 0 || (k !== a && k !== a + 1)) && (e < 0 || (k !== e && k !== e + 1)));
  const runs = Number(pos[0] ?? 3);
  const load0 = loadavg()[0], when = new Date();
  const rows = measureJitCost(runs, pos[1] ? pos[1].split(",") : undefined, against, againstEnv);
  const table = jitCostTable(rows);
  console.log(table);
  console.log(`\n${jitCostSummary(rows)}`);
  if (against) console.log(`\n${against}${e >= 0 ? ` with ${args[e + 1]}` : ""}:\n\n${jitCostTable(rows, "against")}`);
  if (doc) {
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/jit.md"), "jit-cost",
      jitCostSection(rows, `node dist/bench/jit-cost.js ${process.argv.slice(2).join(" ")}`, [load0, loadavg()[0]], when));
  }
}
