// A change to the JIT side by side with another build, by the CPU time of a warm run: each
// workload runs `repeat` times in a process of its own (a new Machine each, the thread's region
// cache warm after the first, as bench/programs.ts's best-of runs are), and the last run's CPU time
// (user + system, every thread) is kept; the two builds' processes alternate, `rounds` times. On
// this shared 2-core machine wall time mostly measures the neighbours (qemu's own time moved 2x
// between two runs of bench/programs.ts at load 13); CPU time moves far less.
//   node dist/bench/jit-later.js [ROUNDS=3] [WORKLOAD,…=lua,sqlite] --against DIR [--repeat N=5] [--against-env K=V,…]
// DIR: another checkout, built (its dist/bench/fresh-run.js runs its build); --against-env: the
// environment its runs add (`--against . --against-env SKYTRACE_JIT_EARLY=0`: this build without
// its early runs).
import { loadavg } from "node:os";
import { freshRun, missing } from "./fresh-run.js";
import { JIT_WORKLOADS } from "./jit-workloads.js";

const args = process.argv.slice(2);
const opt = (name: string): string | undefined => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
const against = opt("--against");
const repeat = Number(opt("--repeat") ?? 5);
const againstEnv: Record<string, string> = Object.fromEntries((opt("--against-env") ?? "").split(",").filter(Boolean).map((kv) => kv.split("=", 2) as [string, string]));
if (!against) { console.error("jit-later: --against DIR is required (another built checkout)"); process.exit(2); }
const rounds = Number(args[0] ?? 3);
const names = (args[1] ?? "lua,sqlite").split(",");
for (const n of names) if (!JIT_WORKLOADS[n]) { console.error(`jit-later: unknown workload ${n}: one of ${Object.keys(JIT_WORKLOADS).join(", ")}`); process.exit(2); }

const fmt = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(3)} s (median ${s[Math.floor(s.length / 2)].toFixed(3)})`;
};
console.log(`load ${loadavg()[0].toFixed(1)}; ${rounds} rounds, run ${repeat} of ${repeat} in each process`);
const theirName = `${against}${Object.keys(againstEnv).length ? ` (${Object.entries(againstEnv).map(([k, v]) => `${k}=${v}`).join(" ")})` : ""}`;
console.log(`| run | this build: CPU, best (median) | ${theirName}: CPU, best (median) |`);
console.log("|---|---:|---:|");
for (const n of names) {
  const spec = JIT_WORKLOADS[n];
  const why = missing(spec.w);
  if (why) { console.log(`| ${spec.label} | ${why} | |`); continue; }
  const mine: number[] = [], theirs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    for (const b of i % 2 === 0 ? [undefined, against] : [against, undefined]) {
      const r = freshRun(spec.w, true, b, repeat, b ? againstEnv : {});
      (b ? theirs : mine).push(r.laterCpuSec ?? r.cpuSec);
    }
  }
  console.log(`| ${spec.label} | ${fmt(mine)} | ${fmt(theirs)} |`);
}
console.log(`load ${loadavg()[0].toFixed(1)} at the end`);
