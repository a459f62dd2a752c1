// Where a library program's time goes with the JIT on: one run to warm the process (its regions
// compiled and cached, as bench/programs.ts's best-of runs are), then runs under V8's sampling
// profiler (node:inspector), self time split into the core's WebAssembly (the interpreter, its
// run loop, the decoder, the MMU), compiled regions (every other WebAssembly module), the garbage
// collector, and JavaScript (the kernel, the JIT's host side), and the decoded traces the core built
// in a run (each a decode of up to 16 instructions: assembly/decoder/tcache.ts). What to make faster
// next (docs/jit.md).
// Run: node dist/bench/jit-profile.js [lua|sqlite|python] [runs=2] [--core]
// --core: also the core's own functions by self time (the run loop, the interpreter, the decoder,
// the MMU), on stderr; names need a release core with a name section (`npx asc assembly/index.ts
// --target release --debug`), else V8 shows wasm-function[N].
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Session } from "node:inspector/promises";
import { Machine } from "../src/machine/machine.js";
import { runProgram } from "../src/kernel/run-program.js";
import { PROGRAMS } from "./programs.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const argv = process.argv.slice(2).filter((a) => a !== "--core");
const coreFns = process.argv.includes("--core");
const only = argv[0];
const runs = Number(argv[1] ?? 2);

interface Node { id: number; callFrame: { functionName: string; url: string } }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

function once(program: Buffer, name: string, args: string[], fsDirs?: string[]): { s: number; builds: bigint; instructions: bigint } {
  const machine = new Machine(undefined, { jit: true });
  const t0 = performance.now();
  const r = runProgram({ program, guestPath: "/bench/" + name, argv: [name, ...args], stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine, fsDirs });
  if (r.kind !== "exited" || r.status !== 0) throw new Error(`${name} failed`);
  return { s: (performance.now() - t0) / 1000, builds: machine.core.traceBuilds.value as bigint, instructions: machine.ticks };
}

// Self time by category. The core is the WebAssembly module with the most functions.
function shares(p: Profile): Map<string, number> {
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  const fns = new Map<string, Set<string>>();
  for (const n of p.nodes) if (n.callFrame.url.startsWith("wasm://")) {
    const s = fns.get(n.callFrame.url) ?? new Set<string>(); s.add(n.callFrame.functionName); fns.set(n.callFrame.url, s);
  }
  const core = [...fns].sort((a, b) => b[1].size - a[1].size)[0]?.[0];
  const out = new Map<string, number>();
  for (const n of p.nodes) {
    const { url, functionName } = n.callFrame;
    const k = url === core ? "core (interpreter, run loop, decoder, MMU)" : url.startsWith("wasm://") ? "compiled regions"
      : functionName === "(garbage collector)" ? "garbage collector" : functionName === "(idle)" || functionName === "(program)" ? "V8 other" : "JavaScript (kernel, JIT host)";
    out.set(k, (out.get(k) ?? 0) + (self.get(n.id) ?? 0));
  }
  if (coreFns) {
    const by = new Map<string, number>();
    for (const n of p.nodes) if (n.callFrame.url === core) by.set(n.callFrame.functionName, (by.get(n.callFrame.functionName) ?? 0) + (self.get(n.id) ?? 0));
    const all = [...self.values()].reduce((a, b) => a + b, 0);
    for (const [f, us] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.error(`  core ${f}: ${(100 * us / all).toFixed(1)} %`);
  }
  return out;
}

const session = new Session();
session.connect();
console.log("| program | run s | core | compiled regions | JavaScript | garbage collector | V8 other | instructions | trace builds |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const spec of PROGRAMS) {
  if (only && spec.name !== only) continue;
  const binary = path.join(root, "build/guest/bench-libs", spec.name);
  if (!existsSync(binary)) { console.error(`${spec.name}: ${binary} is missing (npm run build:guests)`); continue; }
  const program = readFileSync(binary);
  once(program, spec.name, spec.args, spec.fsDirs);
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 200 });
  await session.post("Profiler.start");
  let best = Infinity, builds = 0n, instructions = 0n;
  for (let i = 0; i < runs; i++) {
    const r = once(program, spec.name, spec.args, spec.fsDirs);
    best = Math.min(best, r.s);
    builds = r.builds;
    instructions = r.instructions;
  }
  const { profile } = await session.post("Profiler.stop") as unknown as { profile: Profile };
  const s = shares(profile), total = [...s.values()].reduce((a, b) => a + b, 0);
  const pc = (k: string): string => `${(100 * (s.get(k) ?? 0) / total).toFixed(0)} %`;
  console.log(`| ${spec.name} ${spec.args.join(" ")} | ${best.toFixed(2)} | ${pc("core (interpreter, run loop, decoder, MMU)")} | ${pc("compiled regions")} | ${pc("JavaScript (kernel, JIT host)")} | ${pc("garbage collector")} | ${pc("V8 other")} | ${instructions} | ${builds} |`);
}
session.disconnect();
