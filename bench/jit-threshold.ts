// `node dist/bench/jit-threshold.js [THRESHOLD,…] [WORKLOAD,…] [--doc] [--later]`: the CPU time of one run per
// workload (bench/jit-workloads.ts) and JIT threshold ("off": the interpreter), each in a fresh
// process (bench/fresh-run.ts: no run reuses another's compiled modules), with the regions
// compiled and the JIT's compile time as a share of the run's wall time. CPU time (user + system, all threads, V8's compiler threads included) rather than wall
// time: it is what the JIT's compiling costs, and other load on the machine moves it less.
// docs/jit.md's threshold table (--doc writes it there, between its markers).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freshRun, missing } from "./fresh-run.js";
import { JIT_WORKLOADS } from "./jit-workloads.js";
import { writeSection } from "./doc-section.js";

const args = process.argv.slice(2);
const doc = args.includes("--doc");
// --later: each process runs the workload 4 times (a new Machine each) and the cell adds the
// fourth run's CPU, when the thread's region cache holds what the first compiled.
const later = args.includes("--later");
const pos = args.filter((a) => a !== "--doc" && a !== "--later");
const thresholds = (pos[0] ?? "off,1024,2048,4096").split(",");
const workloads = (pos[1] ?? "python,sqlite,lua,factor,busydelay,normal").split(",");
const lines = [
  `| run | ${thresholds.map((t) => (t === "off" ? "interpreter" : `threshold ${t}`)).join(" | ")} |`,
  `|---|${thresholds.map(() => "---:").join("|")}|`,
];
for (const name of workloads) {
  const spec = JIT_WORKLOADS[name];
  if (!spec) throw new Error(`unknown workload ${name}: one of ${Object.keys(JIT_WORKLOADS).join(", ")}`);
  const why = missing(spec.w);
  if (why) { lines.push(`| ${spec.label} | skipped: ${why} |${thresholds.slice(1).map(() => "").join("|")}|`); continue; }
  const cells = thresholds.map((t) => {
    const r = freshRun(spec.w, t === "off" ? false : Number(t), undefined, later ? 4 : 1);
    const after = later ? `; later ${r.laterCpuSec!.toFixed(2)} s` : "";
    return t === "off" ? `${r.cpuSec.toFixed(2)} s${after}` : `${r.cpuSec.toFixed(2)} s (${r.regions}; ${((100 * r.compileSec) / r.wallSec).toFixed(0)} %)${after}`;
  });
  lines.push(`| ${spec.label} | ${cells.join(" | ")} |`);
  console.log(lines[lines.length - 1]);
}
console.log("\n" + lines.join("\n"));
if (doc) writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/jit.md"), "jit-threshold", lines.join("\n"));
