// The host side of the second tier: when the core's run loop finds a hot trace
// it exits (EXIT_JIT) with the trace's block address; Machine.run asks this
// class to compile it (compile.ts), puts the function in the core's function
// table and marks the trace with its index, and calls run() again. A trace
// that does not compile is marked never to ask again. When the table holds
// MAX_FUNCTIONS compiled traces, every trace is dropped (the core's decoded
// cache is flushed) and the table is refilled from the start: the simplest
// eviction, as qemu flushes its whole code buffer when full.
import { compileTrace, type CompileOptions } from "./compile.js";

export const JIT_NEVER = 0x3fff_ffff;
export const JIT_ENTRY = 0x4000_0000;
// assembly/memmap.ts: the trace header { tag u64, count u32, jit u32 } then 32-byte slots.
const TC_COUNT = 8, TC_JIT = 12, TC_HEADER = 16;

// Runs before a trace is compiled. 1000 rather than 64 since the JIT is on by default: each
// compiled module costs V8 compile work, so code that runs a few hundred times is cheaper
// interpreted (docs/jit.md, bench/jit-threshold.ts: Lua, SQLite and CPython runs took less CPU at
// 1000 than at 64 or 256, the factoring loop and a busydelay flight no more).
export const DEFAULT_JIT_THRESHOLD = 1000;
export const MAX_FUNCTIONS = 4096;

// Compiled modules by their bytes, for the whole thread: a worker flying flight after flight on
// one Machine compiles the same traces to the same bytes every flight, and a module (unlike an
// instance, which belongs to one Machine's memory) can be shared. Emptied when it grows past
// MAX_CACHED.
const MAX_CACHED = 8192;
const modules = new Map<string, WebAssembly.Module>();
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
  instructions: number;    // instructions in the compiled traces
  bytes: number;           // module bytes
  compileMs: number;       // host time spent compiling and instantiating
  cached: number;          // traces whose module was already compiled (the same bytes, an earlier flight)
  flushes: number;         // times the table filled up and everything was dropped
}

export interface JitCore {
  memory: WebAssembly.Memory;
  setJit(threshold: number): void;
  [name: string]: unknown;
}

export class Jit {
  readonly stats: JitStats = { compiled: 0, refused: 0, instructions: 0, bytes: 0, compileMs: 0, cached: 0, flushes: 0 };
  private next = 1;        // table index 0 is the core's own null entry
  private imports: WebAssembly.Imports;

  constructor(private readonly core: JitCore, private readonly table: WebAssembly.Table, readonly threshold = DEFAULT_JIT_THRESHOLD,
    private readonly options: CompileOptions = {}) {
    const c = core as Record<string, unknown>;
    const env: Record<string, unknown> = { memory: core.memory };
    for (const n of ["rip", "flOp", "flSize", "flA", "flB", "flRes", "tlbEpoch", "jitCond", "jitKeep"]) env[n] = c[n];
    this.imports = { env: env as WebAssembly.ModuleImports };
    core.setJit(threshold);
  }

  // After the core's reset() (which turns the JIT off): on again, the table refilled from the start.
  reset(): void {
    this.next = 1;
    this.core.setJit(this.threshold);
  }

  /** The trace at block address `t` (starting at `start`) became hot: compile it, or mark it never. */
  compile(t: number, start: bigint): void {
    const t0 = performance.now();
    const mem = new DataView(this.core.memory.buffer);
    if (this.next >= MAX_FUNCTIONS) {
      this.stats.flushes++;
      this.next = 1;
      this.core.setJit(this.threshold); // drops every decoded trace, so no old index is reached again
      return;                           // the trace is rebuilt and counted afresh
    }
    const out = compileTrace(mem, t + TC_HEADER, mem.getUint32(t + TC_COUNT, true), start, this.options);
    if (!out) {
      mem.setUint32(t + TC_JIT, JIT_NEVER, true);
      this.stats.refused++;
    } else {
      const { module, hit } = moduleOf(out.bytes);
      if (hit) this.stats.cached++;
      const fn = new WebAssembly.Instance(module, this.imports).exports.f as WebAssembly.ExportValue;
      const idx = this.next++;
      if (idx >= this.table.length) this.table.grow(Math.max(64, this.table.length));
      this.table.set(idx, fn as never);
      mem.setUint32(t + TC_JIT, JIT_ENTRY + idx, true);
      this.stats.compiled++;
      this.stats.instructions += out.instructions;
      this.stats.bytes += out.bytes.length;
    }
    this.stats.compileMs += performance.now() - t0;
  }
}
