// The JIT's design choices measured on one program (docs/jit.md): the factoring
// benchmark interpreted, with one compiled trace per function that leaves at
// every branch back to its start (one call per pass, as a trace-at-a-time JIT
// without linking does), with traces that loop inside themselves (Blink's paths
// that loop back, on one trace), with regions of linked traces (the default),
// and at several compile thresholds. Best of 3 runs each; a new Machine per run
// (its compile time is reported, though runs after the first of a variant reuse
// the process's compiled modules). Run: node dist/bench/jit-shapes.js [N]
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Machine } from "../src/machine/machine.js";
import { Jit, DEFAULT_JIT_THRESHOLD } from "../src/machine/jit/jit.js";
import { runProgram } from "../src/kernel/run-program.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const program = readFileSync(path.join(root, "build/guest/bench/factor"));
const n = process.argv[2] ?? "32";

function once(make: () => Machine): { sec: number; ticks: bigint; compileMs: number; traces: number } {
  const machine = make();
  const t0 = performance.now();
  const r = runProgram({ program, guestPath: "/bench/factor", argv: ["factor", n], stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine });
  const sec = (performance.now() - t0) / 1000;
  if (r.kind !== "exited" || r.status !== 0) throw new Error("factor failed");
  return { sec, ticks: r.ticks, compileMs: machine.jit?.stats.compileMs ?? 0, traces: machine.jit?.stats.compiled ?? 0 };
}

const custom = (threshold: number, o: { loops?: boolean; link?: boolean }) => (): Machine => {
  const m = new Machine(undefined, { jit: false });
  (m as { jit: Jit }).jit = new Jit(m.core as never, m.core.table, threshold, o);
  return m;
};
const variants: Array<[string, () => Machine]> = [
  ["interpreter", () => new Machine(undefined, { jit: false })],
  ["JIT, one trace per function, a call per pass (no loop inside)", custom(DEFAULT_JIT_THRESHOLD, { loops: false, link: false })],
  ["JIT, one trace per function, loops inside", custom(DEFAULT_JIT_THRESHOLD, { link: false })],
  [`JIT, regions of linked traces (default, threshold ${DEFAULT_JIT_THRESHOLD})`, () => new Machine(undefined, { jit: true })],
  ["JIT, regions, threshold 64", () => new Machine(undefined, { jit: 64 })],
  ["JIT, regions, threshold 1", () => new Machine(undefined, { jit: 1 })],
];
console.log(`| factor ${n} | best of 3 | MIPS | compile | traces |\n|---|---:|---:|---:|---:|`);
for (const [name, make] of variants) {
  let best = { sec: Infinity, ticks: 0n, compileMs: 0, traces: 0 };
  for (let i = 0; i < 3; i++) { const r = once(make); if (r.sec < best.sec) best = r; }
  console.log(`| ${name} | ${best.sec.toFixed(2)} s | ${(Number(best.ticks) / 1e6 / best.sec).toFixed(0)} | ${best.compileMs.toFixed(0)} ms | ${best.traces} |`);
}
