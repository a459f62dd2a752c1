// The JIT's design choices measured on one program (docs/jit.md): the factoring
// benchmark interpreted, with compiled traces that leave at every branch back
// to their start (one call per pass, as a trace-at-a-time JIT without linking
// does), with traces that loop inside themselves (Blink's linked paths, on one
// trace), and at several compile thresholds. Best of 3 runs each; a new Machine
// (and new compiled code) per run. Run: node dist/bench/jit-shapes.js [N]
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { Machine } from "../src/machine/machine.js";
import { Jit } from "../src/machine/jit/jit.js";
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

const variants: Array<[string, () => Machine]> = [
  ["interpreter", () => new Machine(undefined, { jit: false })],
  ["JIT, a call per pass (no loop inside)", () => {
    const m = new Machine(undefined, { jit: false });
    (m as { jit: Jit }).jit = new Jit(m.core as never, m.core.table, 64, { loops: false });
    return m;
  }],
  ["JIT, threshold 64, loops inside (default)", () => new Machine(undefined, { jit: 64 })],
  ["JIT, threshold 1", () => new Machine(undefined, { jit: 1 })],
  ["JIT, threshold 1000", () => new Machine(undefined, { jit: 1000 })],
];
console.log(`| factor ${n} | best of 3 | MIPS | compile | traces |\n|---|---:|---:|---:|---:|`);
for (const [name, make] of variants) {
  let best = { sec: Infinity, ticks: 0n, compileMs: 0, traces: 0 };
  for (let i = 0; i < 3; i++) { const r = once(make); if (r.sec < best.sec) best = r; }
  console.log(`| ${name} | ${best.sec.toFixed(2)} s | ${(Number(best.ticks) / 1e6 / best.sec).toFixed(0)} | ${best.compileMs.toFixed(0)} ms | ${best.traces} |`);
}
