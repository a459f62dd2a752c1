// What dropping every address space's decoded code at a code write, a freed code frame, execve and
// a probe change costs, against dropping only the spaces concerned (the code-page marks,
// assembly/decoder/cacheflush.ts; docs/jit.md, "The decoded-trace cache"): each workload run in
// fresh processes (bench/fresh-run.ts), SKYTRACE_SPACE_FLUSH=0 (every space, as before) and the
// default alternated, the JIT at its default; per run the trace builds, the flushes of every space
// and the drops of one, the regions entered (of which from the thread's region cache, compiled
// before), the modules compiled and the JIT's main-thread time, and the CPU time (user + system,
// every thread) and wall time: best and median of the rounds. Flights of every scenario that forks
// or execs (shell) and of those that do not (normal, busydelay, sockets), and two programs of this
// machine's under --sysroot / that run others: a shell loop (sh-loop) and CPython calling
// subprocess.run in a loop (py-subprocess).
//   node dist/bench/space-flush.js [ROUNDS=3] [WORKLOAD,…] [--interpreter]
// WORKLOAD: a scenario (seed 1), scenario:seed, sh-loop or py-subprocess.
import { freshRun, missing, type FreshRun, type Workload } from "./fresh-run.js";

const HOST: Record<string, Workload> = {
  // 30 rounds of /bin/true and echo | /bin/cat: 60 programs exec'd by one shell
  "sh-loop": { host: "/bin/sh", args: ["sh", "-c", "i=0; while [ $i -lt 30 ]; do /bin/true; echo $i | /bin/cat > /dev/null; i=$((i+1)); done"] },
  // 30 rounds of a hot Python loop and a subprocess
  "py-subprocess": { host: "/usr/bin/python3", args: ["python3", "-c",
    "import subprocess\ndef work(n):\n s = 0\n for i in range(n): s += i * i % 7\n return s\nfor k in range(30):\n work(6000)\n subprocess.run(['/bin/true'])\n"] },
};

const args = process.argv.slice(2);
const pos = args.filter((a) => !a.startsWith("--"));
const rounds = Number(pos[0] ?? 3);
const names = (pos[1] ?? "shell,normal,busydelay:5,sockets,sh-loop,py-subprocess").split(",");
const jit = !args.includes("--interpreter");

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[(s.length - 1) >> 1]; };
const best = (xs: number[]): number => Math.min(...xs);

console.log(`| workload (${jit ? "JIT" : "interpreter"}) | a code write, freed code frame, execve or probe change drops | trace builds | flushes of every space | drops of one | regions entered (from the region cache) | modules | JIT main thread | CPU s: best, median | wall s: best, median |`);
console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const name of names) {
  const [scenario, seed] = name.split(":");
  const w: Workload = HOST[name] ?? { flight: scenario, seed: Number(seed ?? 1) };
  const why = missing(w);
  if (why) { console.log(`| ${name} | skipped: ${why} |`); continue; }
  const runs: Record<"all" | "own", FreshRun[]> = { all: [], own: [] };
  for (let k = 0; k < rounds; k++) {
    runs.all.push(freshRun(w, jit, undefined, 1, { SKYTRACE_SPACE_FLUSH: "0" }));
    runs.own.push(freshRun(w, jit, undefined, 1, { SKYTRACE_SPACE_FLUSH: "1" }));
  }
  for (const which of ["all", "own"] as const) {
    const r = runs[which], f = r[0];
    const same = (k: keyof FreshRun) => r.every((x) => x[k] === f[k]) ? `${f[k]}` : r.map((x) => x[k]).join("/");
    console.log(`| ${name} | ${which === "all" ? "every space (SKYTRACE_SPACE_FLUSH=0)" : "the spaces concerned"} | ${same("traceBuilds")} | ${same("flushes")} | ${same("drops")} | ${r.map((x) => `${x.regions} (${x.cached})`).join(", ")} | ${r.map((x) => x.modules).join(", ")} | ${median(r.map((x) => x.compileSec * 1000)).toFixed(0)} ms | ${best(r.map((x) => x.cpuSec)).toFixed(2)}, ${median(r.map((x) => x.cpuSec)).toFixed(2)} | ${best(r.map((x) => x.wallSec)).toFixed(2)}, ${median(r.map((x) => x.wallSec)).toFixed(2)} |`);
  }
}
