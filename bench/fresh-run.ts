// One run of a workload in a process of its own: nothing compiled before it in the process, no
// module in the JIT's per-thread caches, its code generator cold. That is the run a command makes
// (exec, fly, a generate worker's first flight), and issue 14's target for the JIT's compile time
// ("at most 10 % of wall time") holds there, not only on a best-of-N run in a warm process.
// `freshRun` spawns this file; the child prints one JSON line: wall and CPU time (user + system,
// every thread: V8's background compiler threads too) and the JIT's counters.
import { existsSync, readFileSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";

// A program (a static binary under the repository, its arguments, host folders it reads) or a flight.
export type Workload =
  | { file: string; args: string[]; fsDirs?: string[] }
  | { flight: string; seed: number }
  | { host: string; args: string[] };   // a program of this machine's, under --sysroot / (argv[0] is args[0])

export interface FreshRun {
  wallSec: number;
  cpuSec: number;
  mainCpuSec?: number;     // of which the main thread's (Linux: /proc/thread-self/schedstat), where the run and the JIT's main-thread part are
  compileSec: number;      // Jit.stats.compileMs: the main thread's wall time in the JIT (emitting, V8's module compile, instantiating)
  compileWaitSec?: number; // of which it waited for a CPU, another thread running in its place (Jit.stats.waitMs, Linux)
  waitSec?: number;        // the main thread's waits for a CPU over the whole run (schedstat.ts, Linux)
  emitSec: number;         // of which: reading traces, forming regions, writing the bytes (with a compile thread: no writing)
  moduleSec: number;       // of which: new WebAssembly.Module (with a compile thread: copying and posting the request)
  threadSec?: number;      // the compile thread's time (writing the bytes, V8's module compile), beside the main thread's
  requested?: number;      // regions posted to the compile thread
  dropped?: number;        // of which answered after a flush or a reset: not entered
  regions: number;         // hot traces compiled
  modules: number;         // WebAssembly modules made for them
  bytes: number;           // their bytes
  traces: number;          // traces in the regions
  distinct: number;        // of which different ones (the rest are copies: regions overlap)
  laterCpuSec?: number;    // with `repeat`: the CPU time of the last of the runs after the first (a new Machine each, the thread's region cache warm)
  traceBuilds?: number;    // decoded traces built (the core's traceBuilds)
  flushes?: number;        // flushes of every address space's decoded code (the core's dcFlushes)
  drops?: number;          // drops of one space's decoded code (the core's dcDrops; builds before it have none)
  cached?: number;         // of `regions`, taken from the thread's region cache (compiled before, entered again)
  reused?: number;         // hot traces pointed at a region that holds them
}

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), here.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");

/** Why `w` cannot run here (its binary was not built, a folder it reads is missing), or undefined. */
export function missing(w: Workload): string | undefined {
  if ("flight" in w) return undefined;
  if ("host" in w) return existsSync(w.host) ? undefined : `${w.host} is missing on this machine`;
  if (!existsSync(path.resolve(root, w.file))) return `${w.file} is missing (npm run build:guests builds it where its library is installed)`;
  const dir = w.fsDirs?.find((d) => !existsSync(d));
  return dir ? `${dir} is missing (the program reads it)` : undefined;
}

/**
 * Runs `w` once in a new Node process with the JIT at `jit` (false: the interpreter); throws with
 * the child's last line when it fails. `build`: another checkout's root (its dist/bench/fresh-run.js
 * runs the workload, so two builds can be measured side by side: bench/jit-cost.ts --against).
 */
export function freshRun(w: Workload, jit: number | boolean, build?: string, repeat = 1, env: Record<string, string> = {}): FreshRun {
  const script = build ? path.join(path.resolve(build), "dist/bench/fresh-run.js") : here.endsWith(".ts") ? path.join(root, "dist/bench/fresh-run.js") : here;
  if ("file" in w && build) w = { ...w, file: path.resolve(root, w.file) };
  const r = spawnSync(process.execPath, [script, JSON.stringify({ w, jit, repeat })],
    { encoding: "utf8", maxBuffer: 1 << 24, env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`fresh run of ${JSON.stringify(w)} failed: ${(r.stderr || r.stdout).trim().split("\n").filter((l) => /Error/.test(l)).pop() ?? r.status}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as FreshRun;
}

async function child(w: Workload, jit: number | boolean, repeat: number): Promise<FreshRun> {
  const first = await runOnce(w, jit);
  let later: FreshRun | undefined;
  for (let i = 1; i < repeat; i++) later = await runOnce(w, jit);
  return later ? { ...first, laterCpuSec: later.cpuSec } : first;
}

async function runOnce(w: Workload, jit: number | boolean): Promise<FreshRun> {
  // Imported here, not at the top: the parent side (freshRun) needs none of it.
  const { Machine } = await import("../src/machine/machine.js");
  const { cpuWaitMs, threadCpuMs } = await import("../src/machine/schedstat.js");
  // This thread's CPU time in seconds, where Linux says it.
  const threadCpuSec = (): number | undefined => { const ms = threadCpuMs(); return Number.isNaN(ms) ? undefined : ms / 1000; };
  const c0 = process.cpuUsage();
  const m0 = threadCpuSec();
  const w0 = cpuWaitMs();
  const t0 = performance.now();
  const machine = new Machine(undefined, { jit });
  if ("flight" in w) {
    const { runFlight } = await import("../src/flight/index.js");
    const out = mkdtempSync(path.join(tmpdir(), "skytrace-fresh-run-"));
    try { runFlight({ scenario: w.flight as never, seed: w.seed, outDir: out }, { machine }); } finally { rmSync(out, { recursive: true, force: true }); }
  } else if ("host" in w) {
    const { runProgram } = await import("../src/kernel/run-program.js");
    const r = runProgram({ sysroot: "/", guestPath: w.host, argv: w.args, cwd: "/", stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine });
    if (r.kind !== "exited" || r.status !== 0) throw new Error(`${w.host} failed: ${r.kind}`);
  } else {
    const { runProgram } = await import("../src/kernel/run-program.js");
    const name = path.basename(w.file);
    const r = runProgram({ program: readFileSync(path.resolve(root, w.file)), guestPath: "/bench/" + name, argv: [name, ...w.args],
      stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine, fsDirs: w.fsDirs });
    if (r.kind !== "exited" || r.status !== 0) throw new Error(`${w.file} failed: ${r.kind}`);
  }
  const wallSec = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const m1 = threadCpuSec();
  const waitSec = (cpuWaitMs() - w0) / 1000;
  const s = machine.jit?.stats;
  return {
    wallSec, cpuSec: (c.user + c.system) / 1e6, mainCpuSec: m0 !== undefined && m1 !== undefined ? m1 - m0 : undefined, compileSec: (s?.compileMs ?? 0) / 1000,
    compileWaitSec: (s?.waitMs ?? 0) / 1000, waitSec, emitSec: (s?.emitMs ?? 0) / 1000,
    moduleSec: (s?.moduleMs ?? 0) / 1000, regions: s?.compiled ?? 0, modules: s?.modules ?? 0, bytes: s?.bytes ?? 0,
    traces: s?.traces ?? 0, distinct: s?.distinct ?? 0,
    threadSec: ((s?.threadEmitMs ?? 0) + (s?.threadModuleMs ?? 0)) / 1000, requested: s?.requested ?? 0, dropped: s?.dropped ?? 0,
    traceBuilds: Number(machine.core.traceBuilds.value), flushes: Number(machine.core.dcFlushes.value),
    drops: Number(machine.core.dcDrops?.value ?? 0), cached: s?.cached ?? 0, reused: s?.reused ?? 0,
  };
}

/**
 * The JIT's share of a run's main thread, in %: its time in the JIT over the run's wall time, each
 * without the time the main thread waited for a CPU (another thread ran in its place: on a busy
 * machine, often the compile thread that a request had just woken, whose own time is counted
 * apart). On a quiet machine both waits are about 0 and this is the JIT's share of wall time.
 */
export function jitShare(r: FreshRun): number {
  return (100 * (r.compileSec - (r.compileWaitSec ?? 0))) / (r.wallSec - (r.waitSec ?? 0));
}

if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  const { w, jit, repeat } = JSON.parse(process.argv[2]) as { w: Workload; jit: number | boolean; repeat?: number };
  console.log(JSON.stringify(await child(w, jit, repeat ?? 1)));
}
