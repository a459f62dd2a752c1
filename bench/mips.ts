// Core throughput: run a static guest program in the emulator and natively
// (and under qemu-x86_64 when installed), side by side in one run, and report
// MIPS and the slowdown versus native. Host wall time is fine here: benchmarks
// measure the host; only flights must not read it.
import { readFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { runProgram } from "../src/kernel/run-program.js";
import { SYSCALL_COST_NS } from "../src/kernel/kernel.js";
import type { HostStdio } from "../src/kernel/fs/devices.js";
import { recIsSyscall, RECORD_WORDS } from "../src/machine/trace-ring.js";
import { Machine } from "../src/machine/machine.js";
import { freshRun } from "./fresh-run.js";

export interface MipsResult {
  name: string;
  args: string[];
  instructions: number;     // retired guest instructions (kernel time excluded)
  emulatedSec: number;      // best of the runs
  nativeSec: number;        // best of the runs
  qemuSec: number | null;
  outputsMatch: boolean;    // emulated stdout == native stdout
  jit: boolean;             // run with the second tier (src/machine/jit)
  jitCompileSec?: number;   // host time compiling regions, in the best run (later runs reuse the thread's compiled modules)
  jitTraces?: number;       // regions compiled in that run
  jitFirstSec?: number;     // the wall time of a first run in a fresh process (bench/fresh-run.ts): everything compiled from scratch
  jitFirstCompileSec?: number; // host time compiling in that run
}

function silentStdio(out: Buffer[]): HostStdio {
  return {
    read: () => 0,
    write: (_fd, data) => { out.push(Buffer.from(data)); },
    kind: () => "pipe",
  };
}

/** The best wall time of `runs` runs of a host command (native, or under qemu-x86_64), and its stdout; null if it failed. */
export function timeNative(cmd: string, args: string[], runs: number): { sec: number; stdout: string } | null {
  let best = Infinity, stdout = "";
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 26 });
    const dt = (performance.now() - t0) / 1000;
    if (r.error || r.status !== 0) return null;
    stdout = r.stdout;
    best = Math.min(best, dt);
  }
  return { sec: best, stdout };
}

/** Whether `name` is a command on the PATH (qemu-x86_64 is optional: its columns are left out without it). */
export function hasCommand(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;
}

export function measureMips(name: string, binary: string, args: string[], runs = 3, jit = false): MipsResult {
  if (!existsSync(binary)) throw new Error(`bench: ${binary} is missing; run 'npm run build:guests'`);
  const program = readFileSync(binary);
  let best = Infinity, instructions = 0, emulatedOut = "", compileSec = 0, traces = 0, firstSec = 0, firstCompileSec = 0;
  for (let i = 0; i < runs; i++) {
    const out: Buffer[] = [];
    let syscalls = 0;
    // A new Machine per run: each run compiles its own traces, as a command's run does.
    const machine = new Machine(undefined, { jit });
    const t0 = performance.now();
    const r = runProgram({
      program, guestPath: "/bench/" + name, argv: [name, ...args], stdio: silentStdio(out), machine,
      trace: (r, n) => { for (let i = 0; i < n; i++) if (recIsSyscall(r, i * RECORD_WORDS)) syscalls++; },
    });
    const dt = (performance.now() - t0) / 1000;
    if (r.kind !== "exited" || r.status !== 0) throw new Error(`bench: ${name} failed in the emulator: ${JSON.stringify(r, (_k, v) => typeof v === "bigint" ? v.toString() : v)}`);
    instructions = Number(r.ticks - BigInt(syscalls) * SYSCALL_COST_NS);
    emulatedOut = Buffer.concat(out).toString("utf8");
    if (dt < best) { best = dt; compileSec = (machine.jit?.stats.compileMs ?? 0) / 1000; traces = machine.jit?.stats.compiled ?? 0; }
  }
  if (jit) { const f = freshRun({ file: binary, args }, true); firstSec = f.wallSec; firstCompileSec = f.compileSec; }
  const native = timeNative(binary, args, runs);
  if (!native) throw new Error(`bench: ${binary} failed natively`);
  const qemu = hasCommand("qemu-x86_64") ? timeNative("qemu-x86_64", [binary, ...args], runs) : null;
  return {
    name, args, instructions, emulatedSec: best, nativeSec: native.sec, qemuSec: qemu?.sec ?? null,
    outputsMatch: emulatedOut === native.stdout,
    jit, ...(jit ? { jitCompileSec: compileSec, jitTraces: traces, jitFirstSec: firstSec, jitFirstCompileSec: firstCompileSec } : {}),
  };
}

export function mipsTable(rows: MipsResult[]): string {
  const f = (x: number) => x.toFixed(1);
  const lines = [
    "| program | tier | instructions | skytrace MIPS | native MIPS | qemu-x86_64 MIPS | slowdown vs native | JIT compile (regions): best run; first run in a fresh process | output matches native |",
    "|---|---|---:|---:|---:|---:|---:|---:|---|",
  ];
  for (const r of rows) {
    const m = r.instructions / 1e6;
    const pct = (c = 0, w = 1): string => `${(c * 1000).toFixed(0)} ms, ${(100 * c / w).toFixed(0)} %`;
    const compile = r.jit ? `${pct(r.jitCompileSec, r.emulatedSec)} (${r.jitTraces}); ${pct(r.jitFirstCompileSec, r.jitFirstSec)} of ${(r.jitFirstSec ?? 0).toFixed(2)} s` : "";
    lines.push(`| ${r.name} ${r.args.join(" ")} | ${r.jit ? "JIT" : "interpreter"} | ${r.instructions.toLocaleString("en-US")} | ${f(m / r.emulatedSec)} | ${f(m / r.nativeSec)} | ${r.qemuSec ? f(m / r.qemuSec) : "not installed"} | ${f(r.emulatedSec / r.nativeSec)}× | ${compile} | ${r.outputsMatch ? "yes" : "NO"} |`);
  }
  return lines.join("\n");
}
