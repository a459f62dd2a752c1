// `node dist/bench/jit-threshold.js [THRESHOLD,…] [WORKLOAD,…] [--doc] [--later]`: the CPU time of one run per
// workload (bench/jit-workloads.ts) and JIT threshold ("off": the interpreter), each in a fresh
// process (bench/fresh-run.ts: no run reuses another's compiled modules), with the regions
// compiled and the JIT's compile time as a share of the run's wall time. CPU time (user + system, all threads, V8's compiler threads included) rather than wall
// time: it is what the JIT's compiling costs, and other load on the machine moves it less.
// docs/jit.md's threshold table (--doc writes it there, between its markers, with the run's time and load).
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freshRun, missing, type FreshRun } from "./fresh-run.js";
import { JIT_WORKLOADS } from "./jit-workloads.js";
import { utcMinute, writeSection } from "./doc-section.js";

/** One workload's row: skipped with the reason, or a run per threshold ("off" first, if asked). */
export type ThresholdRow = { label: string; skipped: string } | { label: string; runs: FreshRun[] };

export function thresholdTable(thresholds: string[], rows: ThresholdRow[], later: boolean): string {
  const lines = [
    `| run | ${thresholds.map((t) => (t === "off" ? "interpreter" : `threshold ${t}`)).join(" | ")} |`,
    `|---|${thresholds.map(() => "---:").join("|")}|`,
  ];
  for (const row of rows) {
    if ("skipped" in row) { lines.push(`| ${row.label} | skipped: ${row.skipped} |${thresholds.slice(1).map(() => "").join("|")}|`); continue; }
    const cells = thresholds.map((t, k) => {
      const r = row.runs[k];
      const after = later ? `; later ${r.laterCpuSec!.toFixed(2)} s` : "";
      return t === "off" ? `${r.cpuSec.toFixed(2)} s${after}` : `${r.cpuSec.toFixed(2)} s (${r.regions}; ${((100 * r.compileSec) / r.wallSec).toFixed(0)} %)${after}`;
    });
    lines.push(`| ${row.label} | ${cells.join(" | ")} |`);
  }
  return lines.join("\n");
}

/** docs/jit.md's section: the run (the command, when, the load) and its table. */
export function thresholdSection(command: string, table: string, load: [number, number], when: Date): string {
  return `One run of \`${command}\`, ${utcMinute(when)} UTC, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after ` +
    `(this machine's 2 cores; the load counts this run too):\n\n${table}`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const doc = args.includes("--doc");
  // --later: each process runs the workload 4 times (a new Machine each) and the cell adds the
  // fourth run's CPU, when the thread's region cache holds what the first compiled.
  const later = args.includes("--later");
  const pos = args.filter((a) => a !== "--doc" && a !== "--later");
  const thresholds = (pos[0] ?? "off,1024,2048,4096").split(",");
  const workloads = (pos[1] ?? "python,sqlite,lua,factor,busydelay,normal").split(",");
  const unknown = workloads.find((n) => !JIT_WORKLOADS[n]);
  if (unknown) { console.error(`jit-threshold: unknown workload ${unknown}: one of ${Object.keys(JIT_WORKLOADS).join(", ")}`); process.exit(2); }
  const load0 = loadavg()[0], when = new Date();
  const rows: ThresholdRow[] = [];
  for (const name of workloads) {
    const spec = JIT_WORKLOADS[name];
    const why = missing(spec.w);
    rows.push(why ? { label: spec.label, skipped: why }
      : { label: spec.label, runs: thresholds.map((t) => freshRun(spec.w, t === "off" ? false : Number(t), undefined, later ? 4 : 1)) });
    console.log(thresholdTable(thresholds, rows.slice(-1), later).split("\n")[2]);
  }
  const table = thresholdTable(thresholds, rows, later);
  console.log("\n" + table);
  if (doc) {
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/jit.md"), "jit-threshold",
      thresholdSection(`node dist/bench/jit-threshold.js ${args.join(" ")}`, table, [load0, loadavg()[0]], when));
  }
}
