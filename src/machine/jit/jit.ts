// The host side of the second tier: when the core's run loop finds a hot trace
// it exits (EXIT_JIT) with the trace's block address; Machine.run asks this
// class to compile it (compile.ts), puts the function in the core's function
// table and marks the trace with its index, and calls run() again. A trace
// that does not compile is marked never to ask again. When the table holds
// MAX_FUNCTIONS compiled traces, every trace is dropped (the core's decoded
// cache is flushed) and the table is refilled from the start: the simplest
// eviction, as qemu flushes its whole code buffer when full.
import { compileRegion, formRegion, readTrace, refusalName, type CompileOptions, type Trace } from "./compile.js";
import { TC_BASE, TC_BLOCK, TC_ENTRIES, TC_HEADER, TC_JIT } from "../layout.js";

export const JIT_NEVER = 0x3fff_ffff;
export const JIT_ENTRY = 0x4000_0000;
const TC_COUNT = 8; // the trace header: { tag u64, count u32, jit u32 } (layout.ts)

// Runs before a trace is compiled. About 1000 rather than 64 since the JIT is on by default: each
// compiled module costs V8 compile work, so code that runs a few hundred times is cheaper
// interpreted (docs/jit.md, bench/jit-threshold.ts: Lua, SQLite and CPython runs took less CPU at
// 1000 than at 64 or 256; the factoring loop compiles 4 regions instead of 43 at the same speed).
export const DEFAULT_JIT_THRESHOLD = 1024;
export const MAX_FUNCTIONS = 4096;

// Compiled modules by their bytes, for the whole thread: a worker flying flight after flight on
// one Machine compiles the same traces to the same bytes every flight, and a module (unlike an
// instance, which belongs to one Machine's memory) can be shared. Emptied when it grows past
// MAX_CACHED.
const MAX_CACHED = 8192;
const modules = new Map<string, WebAssembly.Module>();
// And by what they were compiled from (each trace's start and the decoded slots it compiles, the
// options), so that a later flight does not even emit a region it compiled before: the emitted
// bytes are a function of exactly these.
type Compiled = { module: WebAssembly.Module; instructions: number; traces: number; entries: bigint[]; size: number };
const regions = new Map<string, Compiled>();
const MAX_REGIONS = 2048; // keys are up to a few KB (the decoded slots)
function regionKey(mem: DataView, region: Trace[], o: CompileOptions): string {
  const parts = [`${o.loops ?? true}${o.link ?? true}`];
  for (const t of region) {
    parts.push(t.start.toString(16), Buffer.from(mem.buffer, t.slots, t.ins.length * 32).toString("latin1"));
  }
  return parts.join("|");
}
function moduleOf(bytes: Uint8Array<ArrayBuffer>): { module: WebAssembly.Module; hit: boolean } {
  const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
  const known = modules.get(key);
  if (known) return { module: known, hit: true };
  if (modules.size >= MAX_CACHED) modules.clear();
  const module = new WebAssembly.Module(bytes);
  modules.set(key, module);
  return { module, hit: false };
}

export interface JitStats {
  compiled: number;        // traces compiled
  refused: number;         // hot traces whose first instruction the compiler does not take
  instructions: number;    // instructions in the compiled regions
  traces: number;          // decoded traces in them (a region holds the hot trace and those it jumps to)
  bytes: number;           // module bytes
  compileMs: number;       // host time spent compiling and instantiating
  emitMs: number;          // of which: reading the traces, forming regions and writing their bytes (compile.ts)
  moduleMs: number;        // of which: V8 compiling the bytes (new WebAssembly.Module)
  modules: number;         // WebAssembly modules compiled (new WebAssembly.Module)
  cached: number;          // traces whose module was already compiled (the same bytes, an earlier flight)
  reused: number;          // hot traces a compiled region already held: pointed at it, nothing compiled
  flushes: number;         // times the table filled up and everything was dropped
}

export interface JitCore {
  memory: WebAssembly.Memory;
  setJit(threshold: number): void;
  [name: string]: unknown;
}

export class Jit {
  readonly stats: JitStats = { compiled: 0, refused: 0, instructions: 0, traces: 0, bytes: 0, compileMs: 0, emitMs: 0, moduleMs: 0, modules: 0, cached: 0, reused: 0, flushes: 0 };
  /** Refusal histogram: the instruction each hot trace (or a trace of a region) stopped at, by name (bench/jit-refusals.ts). */
  readonly refusals = new Map<string, number>();
  private next = 1;        // table index 0 is the core's own null entry
  // The compiled region that holds each trace start, valid while the core's flush count is `era`
  // (no code changed, no TLB or probe change since: the traces decode as they did).
  private readonly holder = new Map<bigint, number>();
  private era = -1n;
  private imports: WebAssembly.Imports;

  constructor(private readonly core: JitCore, private readonly table: WebAssembly.Table, readonly threshold = DEFAULT_JIT_THRESHOLD,
    private readonly options: CompileOptions = {}) {
    const c = core as Record<string, unknown>;
    const env: Record<string, unknown> = { memory: core.memory };
    for (const n of ["rip", "flOp", "flSize", "flA", "flB", "flRes", "tlbEpoch", "flCarry", "jitCond", "jitKeep"]) env[n] = c[n];
    this.imports = { env: env as WebAssembly.ModuleImports };
    core.setJit(threshold);
  }

  // After the core's reset() (which turns the JIT off): on again, the table refilled from the start.
  reset(): void {
    this.next = 1;
    this.holder.clear();
    this.era = -1n;         // the core's flush count starts again from 0
    this.core.setJit(this.threshold);
  }

  /** The trace at block address `t` (starting at `start`) became hot: compile it, or mark it never. */
  compile(t: number, start: bigint): void {
    const t0 = performance.now();
    const mem = new DataView(this.core.memory.buffer);
    const era = (this.core as unknown as { dcFlushes: WebAssembly.Global }).dcFlushes.value as bigint;
    if (era !== this.era) { this.holder.clear(); this.era = era; }
    // A trace a region compiled since the last flush holds: enter that region there (it finds the
    // trace by RIP), nothing to compile.
    const held = this.holder.get(start);
    if (held !== undefined) {
      mem.setUint32(t + TC_JIT, JIT_ENTRY + held, true);
      this.stats.reused++;
      this.stats.compileMs += performance.now() - t0;
      return;
    }
    if (this.next >= MAX_FUNCTIONS) {
      this.stats.flushes++;
      this.holder.clear();
      this.next = 1;
      this.core.setJit(this.threshold); // drops every decoded trace, so no old index is reached again
      return;                           // the trace is rebuilt and counted afresh
    }
    const first = readTrace(mem, t + TC_HEADER, mem.getUint32(t + TC_COUNT, true), start);
    // The traces it jumps to, as the core's run loop would find them (run.ts): the same block and
    // tag (start RIP | the cache's epoch, the hot trace's own, since it was just looked up).
    const epoch = mem.getBigUint64(t, true) >> 48n;
    const lookup = (rip: bigint): Trace | null => {
      const b = TC_BASE + (Number((rip ^ (rip >> 12n)) & BigInt(TC_ENTRIES - 1))) * TC_BLOCK;
      if (mem.getBigUint64(b, true) !== (rip | (epoch << 48n))) return null;
      return readTrace(mem, b + TC_HEADER, mem.getUint32(b + TC_COUNT, true), rip);
    };
    const region = formRegion(first, lookup, this.options);
    for (const tr of region) {
      if (tr.stop) { const k = refusalName(tr.stop); this.refusals.set(k, (this.refusals.get(k) ?? 0) + 1); }
    }
    const key = first.ins.length ? regionKey(mem, region, this.options) : "";
    let out = first.ins.length ? regions.get(key) : undefined;
    if (out) this.stats.cached++;
    else {
      const made = compileRegion(region, this.options);
      const t1 = performance.now();
      this.stats.emitMs += t1 - t0;
      if (made) {
        const { module, hit } = moduleOf(made.bytes);
        this.stats.moduleMs += performance.now() - t1;
        if (hit) this.stats.cached++; else this.stats.modules++;
        out = { module, instructions: made.instructions, traces: made.traces, entries: made.entries, size: made.bytes.length };
        if (regions.size >= MAX_REGIONS) regions.clear();
        regions.set(key, out);
      }
    }
    if (!out) {
      mem.setUint32(t + TC_JIT, JIT_NEVER, true);
      this.stats.refused++;
    } else {
      const module = out.module;
      const fn = new WebAssembly.Instance(module, this.imports).exports.f as WebAssembly.ExportValue;
      const idx = this.next++;
      if (idx >= this.table.length) this.table.grow(Math.max(64, this.table.length));
      this.table.set(idx, fn as never);
      mem.setUint32(t + TC_JIT, JIT_ENTRY + idx, true);
      for (const e of out.entries) if (!this.holder.has(e)) this.holder.set(e, idx);
      this.stats.compiled++;
      this.stats.instructions += out.instructions;
      this.stats.traces += out.traces;
      this.stats.bytes += out.size;
    }
    this.stats.compileMs += performance.now() - t0;
  }
}
