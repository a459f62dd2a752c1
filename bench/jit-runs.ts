// Where a later run's CPU goes: a workload run RUNS times in one process (a new Machine each, as
// bench/jit-later.ts's runs are), and for each run its CPU time (every thread), the main thread's,
// the other threads' (V8's compiler workers and the JIT's compile thread), the functions V8
// compiled in it with Liftoff and with TurboFan (counted from `--trace-wasm-compilation-times`, which
// the child process runs with), and the JIT's counters. docs/jit.md, "The second run in a process".
//   node dist/bench/jit-runs.js [WORKLOAD=python] [RUNS=3] [--env K=V,…]
// --env: the child's environment adds these (`--env SKYTRACE_JIT_EARLY=0`: without the early runs).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { threadCpuMs } from "../src/machine/schedstat.js";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { JIT_WORKLOADS } from "./jit-workloads.js";
import type { Workload } from "./fresh-run.js";

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), here.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const MARK = "jit-runs:";

interface RunRow { cpu: number; main: number; compiled: number; cached: number; early: number; earlyMissed: number; retaken: number; requested: number; builds: number }


async function child(w: Workload, runs: number): Promise<void> {
  const { Machine } = await import("../src/machine/machine.js");
  const { runProgram } = await import("../src/kernel/run-program.js");
  if (!("file" in w)) throw new Error("jit-runs: a program workload (lua, sqlite, python, factor)");
  const name = path.basename(w.file);
  const program = readFileSync(path.resolve(root, w.file));
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage(), m0 = threadCpuMs() / 1000;
    const machine = new Machine(undefined, { jit: true });
    const r = runProgram({ program, guestPath: "/bench/" + name, argv: [name, ...w.args], stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine, fsDirs: w.fsDirs });
    if (r.kind !== "exited" || r.status !== 0) throw new Error(`${w.file} failed: ${r.kind}`);
    const c = process.cpuUsage(c0), s = machine.jit!.stats;
    const row: RunRow = { cpu: (c.user + c.system) / 1e6, main: threadCpuMs() / 1000 - m0, compiled: s.compiled, cached: s.cached, early: s.early,
      earlyMissed: s.earlyMissed, retaken: s.retaken, requested: s.requested, builds: Number(machine.core.traceBuilds.value) };
    console.log(MARK + JSON.stringify(row));
  }
}

function main(args: string[]): void {
  const e = args.indexOf("--env");
  const env = e >= 0 ? Object.fromEntries(args[e + 1].split(",").map((kv) => kv.split("=", 2) as [string, string])) : {};
  const pos = args.filter((_, k) => e < 0 || (k !== e && k !== e + 1));
  const name = pos[0] ?? "python", runs = Number(pos[1] ?? 3);
  if (!JIT_WORKLOADS[name]) { console.error(`jit-runs: unknown workload ${name}: one of ${Object.keys(JIT_WORKLOADS).join(", ")}`); process.exit(2); }
  const load0 = loadavg()[0];
  // V8 prints its lines through C's stdout, buffered when it is a pipe; line-buffered (stdbuf, where
  // there is one) they arrive in order with the child's own.
  const cmd = [process.execPath, "--trace-wasm-compilation-times", here, "--child", name, String(runs)];
  const line = existsSync("/usr/bin/stdbuf") ? ["/usr/bin/stdbuf", "-oL", ...cmd] : cmd;
  const r = spawnSync(line[0], line.slice(1), { encoding: "utf8", maxBuffer: 1 << 28, env: { ...process.env, ...env } });
  if (r.status !== 0) { console.error(`jit-runs: the run failed: ${(r.stderr || "").trim().split("\n").pop()}`); process.exit(1); }
  console.log(`${JIT_WORKLOADS[name].label}, ${runs} runs in one process${Object.keys(env).length ? ` (${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(" ")})` : ""}; load ${load0.toFixed(1)} to ${loadavg()[0].toFixed(1)}`);
  console.log("| run | CPU | main thread | other threads | V8 Liftoff | V8 TurboFan (KB of bodies) | regions | cached | early | early refused | retaken | posted | trace builds |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  let lift = 0, turbo = 0, bodies = 0, k = 0;
  // V8's lines and the child's own arrive on one stream: a run's compiles are those printed before its row.
  for (const line of r.stdout.split("\n")) {
    // "Compiled function 0x…#N using TurboFan, took … ms and … bytes; bodysize B codesize C"
    const m = / using (Liftoff|TurboFan),.* bodysize (\d+)/.exec(line);
    if (m) { if (m[1] === "Liftoff") lift++; else { turbo++; bodies += Number(m[2]); } }
    const at = line.indexOf(MARK);
    if (at < 0) continue;
    const o = JSON.parse(line.slice(at + MARK.length)) as RunRow;
    console.log(`| ${++k} | ${o.cpu.toFixed(3)} s | ${o.main.toFixed(3)} s | ${(o.cpu - o.main).toFixed(3)} s | ${lift} | ${turbo} (${(bodies / 1024).toFixed(0)}) | ${o.compiled} | ${o.cached} | ${o.early} | ${o.earlyMissed} | ${o.retaken} | ${o.requested} | ${o.builds} |`);
    lift = turbo = bodies = 0;
  }
}

const a = process.argv.slice(2);
if (a[0] === "--child") await child(JIT_WORKLOADS[a[1]].w, Number(a[2]));
else main(a);
