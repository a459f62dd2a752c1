// Which share of the retired instructions the interpreter runs with the JIT on, and what compiled
// code stopped before, weighted by the instructions interpreted after it (docs/jit.md, "More
// forms"). The refusal histogram (bench/jit-refusals.ts) counts places; this counts runs.
//
// How: every compiled function the JIT puts in the core's table is wrapped (a
// WebAssembly.Function, V8's --experimental-wasm-type-reflection, which this script asks for by
// running itself again) in a JavaScript function that adds up what it retired and reads where it
// left (the core's `rip`). Between two compiled calls of one run-loop call, the budget passed in
// fell by what the first retired plus what the interpreter ran in between: those interpreted
// instructions are charged to the instruction compiled code left at, named as the refusal
// histogram names it, or where it is a form the compiler takes, to the trace there being not
// compiled (below the threshold, or a region stopped before it) or compiled but not entered
// (its first access missed the TLB, or the budget was below one pass). What the interpreter runs
// before the first compiled call of a run-loop call (after a syscall or another exit to the host,
// or with nothing compiled yet) is charged to "(from the host)". Nothing of the run changes: the
// wrapper returns what the function returned, and the same regions are compiled (with chaining off:
// a transfer returns to the run loop, so each compiled call is counted; compile.ts `chain`).
// Run: node dist/bench/jit-interp.js [top=30] [lua,sqlite,python]
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Machine } from "../src/machine/machine.js";
import { runProgram } from "../src/kernel/run-program.js";
import { readTrace, refusalName, compiles } from "../src/machine/jit/compile.js";
import { JIT_ENTRY, JIT_NEVER } from "../src/machine/jit/jit.js";
import { TC_HEADER, TC_JIT } from "../src/machine/layout.js";
import { PROGRAMS } from "./programs.js";

type WasmFunctionCtor = new (type: { parameters: string[]; results: string[] }, fn: (b: bigint) => bigint) => unknown;
const WasmFunction = (WebAssembly as unknown as { Function?: WasmFunctionCtor }).Function;
if (!WasmFunction) {
  const r = spawnSync(process.execPath, ["--experimental-wasm-type-reflection", ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(r.status ?? 1);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const top = Number(process.argv[2] ?? 30);
const only = process.argv[3]?.split(",");


// The state the wrappers share (one Machine at a time).
let core: Record<string, unknown> | null = null;
let compiled = 0n;          // instructions retired by compiled code
let left: bigint | null = null; // the budget after the last compiled call, while in one run-loop call
let leftAt = 0n;            // where that call left
let charged = new Map<string, bigint>();

function nameAt(rip: bigint): string {
  const c = core!;
  const b = (c.traceBlock as (r: bigint) => number)(rip);
  if (b === 0) return "(trace evicted)";
  const mem = new DataView((c.memory as WebAssembly.Memory).buffer);
  const tr = readTrace(mem, b + TC_HEADER, 1, rip);
  const s = tr.stop ?? tr.ins[0]?.s;
  if (!s) return "(empty trace)";
  if (!compiles(s as never)) return refusalName(s as never);
  // A form the compiler takes: the trace there is not compiled (yet: below the threshold, or a
  // region stopped before it), or it is but its function retired nothing (a TLB miss, the budget).
  const j = mem.getUint32(b + TC_JIT, true);
  return j >= JIT_ENTRY && j !== JIT_NEVER ? "(a compiled trace that did not enter: TLB miss, budget)" : "(a trace not compiled: a form the compiler takes)";
}
function charge(k: string, n: bigint): void { charged.set(k, (charged.get(k) ?? 0n) + n); }

const origSet = WebAssembly.Table.prototype.set;
WebAssembly.Table.prototype.set = function (this: WebAssembly.Table, i: number, fn?: unknown) {
  if (typeof fn !== "function" || i === 0) return origSet.call(this, i, fn as never);
  const f = fn as (b: bigint) => bigint;
  const w = new WasmFunction!({ parameters: ["i64"], results: ["i64"] }, (budget: bigint): bigint => {
    if (left !== null && budget <= left) { if (left > budget) charge(nameAt(leftAt), left - budget); }
    const after = f(budget); // the budget it left (compile.ts)
    compiled += budget - after;
    left = after;
    leftAt = (core!.rip as WebAssembly.Global).value as bigint;
    return after;
  });
  return origSet.call(this, i, w as never);
};

function program(name: string, args: string[], fsDirs?: string[]): { ticks: bigint; m: Machine } {
  // Chaining off: a compiled function's tail call to the next would go through the wrapped table
  // entry (JavaScript: no tail call, so the stack grows) and hide the transfer from the count.
  const machine = new Machine(undefined, { jit: true, jitOptions: { chain: false } });
  core = machine.core as unknown as Record<string, unknown>;
  // A new run-loop call starts with no compiled call before it: wrap the core's run.
  const run = core.run as (n: bigint) => number;
  const c = core;
  core = new Proxy(c, { get: (t, p) => (p === "run" ? (n: bigint) => { left = null; return run(n); } : t[p as string]) });
  Object.defineProperty(machine, "core", { value: core });
  const r = runProgram({
    program: readFileSync(path.join(root, "build/guest/bench-libs", name)), guestPath: "/bench/" + name, argv: [name, ...args],
    stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine, fsDirs,
  });
  if (r.kind !== "exited" || r.status !== 0) throw new Error(`${name} failed`);
  return { ticks: machine.ticks, m: machine };
}

const per: Array<[string, Map<string, bigint>, bigint]> = [];
const total = new Map<string, bigint>();
for (const { name, args, fsDirs } of PROGRAMS) {
  if (only && !only.includes(name)) continue;
  if (!existsSync(path.join(root, "build/guest/bench-libs", name))) { console.error(`${name}: not built, skipped`); continue; }
  compiled = 0n; left = null; charged = new Map();
  const { ticks } = program(name, args, fsDirs);
  const interp = ticks - compiled;
  const attributed = [...charged.values()].reduce((a, b) => a + b, 0n);
  charge("(from the host)", interp - attributed);
  per.push([`${name} ${args.join(" ")}`, charged, interp]);
  for (const [k, v] of charged) total.set(k, (total.get(k) ?? 0n) + v);
  const pct = (n: bigint, d: bigint): string => (Number((n * 10000n) / d) / 100).toFixed(1);
  console.log(`${name} ${args.join(" ")}: ${ticks} instructions retired, ${interp} interpreted (${pct(interp, ticks)} %), ${compiled} compiled`);
}
const k = (n: bigint): string => (Number(n) / 1000).toFixed(0);
// The `top` heaviest of `rows`, a column per program and their sum.
function table(title: string, rows: Array<[string, bigint]>): void {
  console.log(`\n${title}\n`);
  console.log(`| instruction | ${per.map(([n]) => n).join(" | ")} | all |`);
  console.log(`|---|${per.map(() => "---:").join("|")}|---:|`);
  for (const [name, v] of rows.sort((a, b) => (b[1] > a[1] ? 1 : b[1] < a[1] ? -1 : 0)).slice(0, top)) {
    console.log(`| ${name} | ${per.map(([, m]) => k(m.get(name) ?? 0n)).join(" | ")} | ${k(v)} |`);
  }
}
table("interpreted instructions (thousands) after compiled code left at, or could not enter:", [...total]);
table("the same, forms the compiler does not take only:", [...total].filter(([n]) => !n.startsWith("(")));
