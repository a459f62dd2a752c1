// The host side of the second tier: when the core's run loop finds a hot trace
// it exits (EXIT_JIT) with the trace's block address; Machine.run asks this
// class to compile it (compile.ts), puts the function in the core's function
// table and marks the trace with its index, and calls run() again. A trace
// that does not compile is marked never to ask again. When the table holds
// MAX_FUNCTIONS compiled traces, every trace is dropped (the core's decoded
// cache is flushed) and the table is refilled from the start: the simplest
// eviction, as qemu flushes its whole code buffer when full.
// With a compile thread (compile-thread.ts) the region's code and module are made there: the hot
// trace is interpreted meanwhile, and the module is entered once it arrives, if nothing changed code.
import { formRegion, readTrace, refusalName, regionCode, regionsModule, traceShape, type CompileOptions, type RegionCode, type TraceShape } from "./compile.js";
import { fnName } from "./wasm.js";
import { TC_BASE, TC_BLOCK, TC_ENTRIES, TC_HEADER, TC_JIT, SPACES, SPACE_MAX, SPACE_ENTRY } from "../layout.js";
import { requestCompile, startCompileThread, type CompileReply, type RegionRequest } from "./compile-thread.js";
import { cpuWaitMs } from "../schedstat.js";

export const JIT_NEVER = 0x3fff_ffff;
export const JIT_ENTRY = 0x4000_0000;
const TC_COUNT = 8; // the trace header: { tag u64, count u16, mru u8, pad u8, jit u32 } (layout.ts)

// Runs before a trace is compiled. 2048 rather than 64 since the JIT is on by default: compiling
// costs the host time on every run, so code that runs a few hundred times is cheaper interpreted
// (docs/jit.md, bench/jit-threshold.ts: a first run of Lua, SQLite and CPython in a fresh process
// compiled a third fewer regions at 2048 than at 1024, with about the same CPU on later runs; the
// factoring loop compiles 3 regions either way).
export const DEFAULT_JIT_THRESHOLD = 2048;
export const MAX_FUNCTIONS = 4096;

// A hot trace's region is compiled together with the regions of the traces that are warm at that
// moment (at least 1 / WARM_SHARE of the threshold's runs: most become hot soon after), up to
// MAX_BATCH regions in one module: V8's fixed cost per module and per instance is most of what a
// small module costs to compile, so batching cuts a first run's compile time (docs/jit.md, "What
// compiling costs"). The warm ones are entered compiled from then on, as they would be once hot.
// At 2 rather than 4, first runs of CPython, SQLite and Lua compiled 250, 392 and 178 regions
// instead of 355, 544 and 195, in a few more modules (31, 33, 15 against 28, 38, 14).
export const MAX_BATCH = 32;
export const WARM_SHARE = 2;

// A region takes in only the traces that have run at least 1 / COLD_SHARE of the threshold's runs
// when it is formed (a trace reached only on a path taken a few times, an error or a loop's last
// exit, stays out: a branch there leaves, as to any trace not in the region). Such traces were a
// fifth of the bytes emitted, and every byte compiled costs V8 twice (Liftoff at the first call,
// then TurboFan on a background thread when the region is hot: about 0.5 ms of CPU per KB, most of
// a first run's JIT cost). At 32 (64 runs at the default threshold), fresh runs of CPython, Lua and
// SQLite took about 10 to 20 % less CPU, their later runs no more (docs/jit.md, "Where a first run's JIT CPU goes";
// test/machine/jit-cold.test.ts). SKYTRACE_JIT_COLD_SHARE=N sets another share (0: every decoded
// trace, as before), for a bench's side-by-side run (bench/jit-cost.ts --against-env).
export const COLD_SHARE = /^[0-9]{1,6}$/.test(process.env.SKYTRACE_JIT_COLD_SHARE ?? "") ? Number(process.env.SKYTRACE_JIT_COLD_SHARE) : 32;

// Compiled regions for the whole thread, by what they were compiled from (each trace's start and
// the decoded slots it compiles, the options: the emitted code is a function of exactly these), so
// that a worker flying flight after flight does not even emit a region it compiled before. A module
// (unlike an instance, which belongs to one Machine's memory) can be shared. Emptied when full.
// `threshold`: the run at which its region was formed (which traces were decoded then: a later run
// at the same threshold forms the same region; EARLY_SHARE).
type Compiled = { module: WebAssembly.Module; name: string; instructions: number; traces: number; entries: bigint[]; size: number; threshold: number };
const regions = new Map<string, Compiled>();
const MAX_REGIONS = 2048; // keys are up to a few KB (the decoded slots)
// The keys of those regions by their first trace's start: what a trace at its early run looks for.
const byStart = new Map<bigint, string[]>();
function remember(key: string, c: Compiled): void {
  if (regions.size >= MAX_REGIONS) { regions.clear(); byStart.clear(); }
  if (!regions.has(key)) {
    const keys = byStart.get(c.entries[0]);
    if (keys) keys.push(key); else byStart.set(c.entries[0], [key]);
  }
  regions.set(key, c);
}

// A later run of code this thread compiled before (a worker's next flight, a benchmark's next
// run) enters its regions at a trace's threshold / EARLY_SHARE-th run rather than at the
// threshold: the core exits there too (assembly/jit/entry.ts jitEarly), and the trace's region
// is entered if the traces it was compiled from are decoded now exactly as then (its key);
// otherwise the trace counts on. Off while the thread has compiled nothing (a first run pays
// nothing for it). docs/jit.md, "Later runs".
export const EARLY_SHARE = 16;
// SKYTRACE_JIT_EARLY=0: no early runs, every trace counts to the threshold as before the `jit-regs`
// step (bench/jit-later.ts --against . --against-env SKYTRACE_JIT_EARLY=0 measures what they gain).
const EARLY_ON = process.env.SKYTRACE_JIT_EARLY !== "0";
// Region k of `module` with the facts its code came with (RegionCode's, or the compile thread's RegionFacts).
function compiledOf(module: WebAssembly.Module, k: number, f: { instructions: number; traces: number; entries: bigint[] }, size: number, threshold: number): Compiled {
  return { module, name: fnName(k), instructions: f.instructions, traces: f.traces, entries: f.entries, size, threshold };
}
// The tag a trace starting at `rip` carries in the address space of generation `space` (its top
// 16 bits: assembly/decoder/tcache.ts): what `holder` and `pending` are keyed by.
const tagIn = (rip: bigint, space: bigint): bigint => rip | (space << 48n);
// The shape of the trace in the block at `block` (starting at `rip`), as forming a region reads it.
const shapeAt = (mem: DataView, block: number, rip: bigint): TraceShape => traceShape(mem, block + TC_HEADER, mem.getUint16(block + TC_COUNT, true), rip);
function regionKey(mem: DataView, region: TraceShape[], o: CompileOptions): string {
  const parts = [`${o.loops ?? true}${o.link ?? true}${o.chain ?? true}`];
  for (const t of region) {
    parts.push(t.start.toString(16), Buffer.from(mem.buffer, t.slots, t.count * 32).toString("latin1"));
  }
  return parts.join("|");
}

// Every block of the trace cache whose trace has run at least `warm` times, not compiled, refused or
// pending: into `out` (any address space's: the warm list's refill when its ring overflowed). A
// function of its own, small, so that V8 optimizes its loop early.
export function scanWarm(words: Uint32Array, warm: number, out: Set<number>): void {
  const step = TC_BLOCK / 4, jit = TC_JIT / 4;
  for (let i = 0, w = 0; i < TC_ENTRIES; i++, w += step) {
    const runs = words[w + jit];
    if (runs >= warm && runs < JIT_NEVER) out.add(i);
  }
}

export interface JitStats {
  compiled: number;        // traces compiled
  refused: number;         // hot traces whose first instruction the compiler does not take
  instructions: number;    // instructions in the compiled regions
  traces: number;          // decoded traces in them (a region holds the hot trace and those it jumps to)
  distinct: number;        // of which different start addresses (traces - distinct: copies in several regions)
  bytes: number;           // module bytes compiled
  compileMs: number;       // host time spent compiling and instantiating (wall clock, waitMs included)
  waitMs: number;          // of which the main thread waited for a CPU, another thread running in its place (schedstat.ts; Linux)
  emitMs: number;          // of which: reading the traces, forming regions and writing their bytes (compile.ts)
  moduleMs: number;        // of which: writing the module and V8 compiling it (new WebAssembly.Module)
  modules: number;         // WebAssembly modules compiled (new WebAssembly.Module)
  cached: number;          // regions compiled before in this thread (an earlier flight or run): only instantiated
  reused: number;          // hot traces a compiled region already held: pointed at it, nothing compiled
  held: number;            // traces not hot yet pointed at the region holding them when it was compiled
  early: number;           // regions compiled before in this thread entered at a trace's early run (EARLY_SHARE)
  earlyMissed: number;     // early runs where regions cached from that trace were all refused (a trace not decoded yet, or decoded differently)
  retaken: number;         // regions of a hot trace's batch taken from the thread's cache as they were, not formed anew (a later run)
  flushes: number;         // times the table filled up and everything was dropped
  // With a compile thread (compileMs, emitMs and moduleMs are then the main thread's own time):
  requested: number;       // regions posted to the compile thread
  dropped: number;         // of which answered after a flush or a reset, or with an error: never entered
  threadEmitMs: number;    // the compile thread's time writing the regions' code
  threadModuleMs: number;  // and compiling their modules (new WebAssembly.Module; with `eager`, their functions too)
}

// Whether the compile thread also compiles each module's functions before posting it
// (SKYTRACE_JIT_EAGER=1). V8 compiles them lazily otherwise, with Liftoff at their first call, in the
// main thread, inside the run; that was under a millisecond per function and a few ms per run
// (--trace-wasm-compilation-times), and asking for it in the thread made the thread's time longer
// (answers later) and the main thread's CPU no shorter: off (docs/jit.md, "Compiling off the main thread").
export const EAGER_IN_THREAD = process.env.SKYTRACE_JIT_EAGER === "1";

// What a request in flight covers: a flush (the core's count `era`) or a reset (`gen`) since it
// was made drops its answer; `space`: the generation of the address space its traces are of (their
// tags' top bits; the answer may come after a process switch); `also`: hot traces its regions
// hold, marked pending meanwhile.
interface InFlight { era: bigint; gen: number; space: bigint; also: bigint[] }

export interface JitCore {
  memory: WebAssembly.Memory;
  setJit(threshold: number): void;
  setJitEarly(n: number): void;
  traceBlock(rip: bigint): number;
  traceBlockOf(rip: bigint, space: bigint): number; // in the address space of that generation
  jitWordOf(rip: bigint, space: bigint): number;    // its JIT word's address, in the block or the kept table
  dcFlushes: WebAssembly.Global; // every flush of the decoded cache, counted (assembly/decoder/cacheflush.ts)
  setJitWarm(runs: number): void; // the warm ring (assembly/jit/entry.ts): traces reaching `runs` are noted there
  warmRing(): number;
  warmPushes: WebAssembly.Global;
  WARM_RING_ENTRIES: WebAssembly.Global;
  [name: string]: unknown;
}

export class Jit {
  readonly stats: JitStats = { compiled: 0, refused: 0, instructions: 0, traces: 0, distinct: 0, bytes: 0, compileMs: 0, waitMs: 0, emitMs: 0, moduleMs: 0, modules: 0, cached: 0, reused: 0, held: 0, early: 0, earlyMissed: 0, retaken: 0, flushes: 0,
    requested: 0, dropped: 0, threadEmitMs: 0, threadModuleMs: 0 };
  /** Refusal histogram: the instruction each hot trace (or a trace of a region) stopped at, by name (bench/jit-refusals.ts). */
  readonly refusals = new Map<string, number>();
  private next = 1;        // table index 0 is the core's own null entry
  // The compiled region that holds each trace, by its tag (start RIP and its address space's
  // generation: two processes may run different code at one address), valid while the core's
  // flush count is `era` (no code changed, no page-table or probe change since: the traces decode
  // as they did; a process switch is not a flush, assembly/decoder/cacheflush.ts).
  private readonly holder = new Map<bigint, number>();
  private era = -1n;
  // The traces (by tag, as `holder`) that regions in flight to the compile thread hold (valid while `era` is).
  private readonly pending = new Map<bigint, InFlight>();
  private gen = 0;         // reset() counts here: an answer to a request made before one is dropped
  private imports: WebAssembly.Imports;

  constructor(private readonly core: JitCore, private readonly table: WebAssembly.Table, readonly threshold = DEFAULT_JIT_THRESHOLD,
    private readonly options: CompileOptions = {}, readonly compileThread = false) {
    const c = core as Record<string, unknown>;
    const env: Record<string, unknown> = { memory: core.memory };
    for (const n of ["rip", "flOp", "flSize", "flA", "flB", "flRes", "tlbEpoch", "flCarry", "jitCond", "jitKeep", "dcEpoch"]) env[n] = c[n];
    env.table = table; // compiled code tail-calls the next compiled trace through it (compile.ts)
    this.imports = { env: env as WebAssembly.ModuleImports };
    if (compileThread) startCompileThread();
    this.setJit();
  }

  // The core's threshold and warm mark (every decoded trace dropped), and the warm list read from its start.
  private setJit(): void {
    this.core.setJit(this.threshold);
    this.core.setJitWarm(this.threshold > 1 ? Math.ceil(this.threshold / WARM_SHARE) : 0);
    this.warm.clear();
    this.warmRead = (this.core.warmPushes.value as number) >>> 0;
    this.warmEra = this.core.dcFlushes.value as bigint;
    this.setEarly();
  }

  // The early run (EARLY_SHARE) on while this thread has compiled regions to enter, and where it
  // is at least the 2nd (at the tests' threshold 16 an exit at every trace's first run would be
  // one per trace decoded).
  private setEarly(): void {
    const early = Math.floor(this.threshold / EARLY_SHARE);
    this.early = EARLY_ON && regions.size > 0 && early >= 2;
    this.core.setJitEarly(this.early ? early : 0);
  }
  private early = false; // whether the core exits at the early run (and a batch takes cached regions first)

  // After the core's reset() (which turns the JIT off): on again, the table refilled from the start.
  reset(): void {
    this.next = 1;
    this.holder.clear();
    this.pending.clear();
    this.gen++;
    this.era = -1n;         // the core's flush count starts again from 0
    this.setJit();
  }

  /**
   * The trace at block address `t` (starting at `start`) became hot: compile its region, with those
   * of the traces warm now (MAX_BATCH), or mark it never.
   */
  compile(t: number, start: bigint): void {
    const t0 = performance.now();
    const mem = new DataView(this.core.memory.buffer);
    const era = this.core.dcFlushes.value as bigint;
    if (era !== this.era) { this.holder.clear(); this.pending.clear(); this.era = era; }
    // The hot trace's generation (its tag's top bits): the traces of a region are of the same.
    const epoch = mem.getBigUint64(t, true) >> 48n;
    const tagOf = (rip: bigint): bigint => tagIn(rip, epoch);
    // A trace a region compiled since the last flush holds: enter that region there (it finds the
    // trace by RIP), nothing to compile.
    const held = this.holder.get(tagOf(start));
    if (held !== undefined) {
      mem.setUint32(t + TC_JIT, JIT_ENTRY + held, true);
      this.stats.reused++;
      this.stats.compileMs += performance.now() - t0;
      return;
    }
    // A trace a region in flight holds: interpreted (not counted again) until that region arrives.
    const inFlight = this.pending.get(tagOf(start));
    if (inFlight) {
      mem.setUint32(t + TC_JIT, JIT_NEVER, true);
      inFlight.also.push(start);
      this.stats.reused++;
      this.stats.compileMs += performance.now() - t0;
      return;
    }
    const runs = mem.getUint32(t + TC_JIT, true) + 1;
    if (runs < this.threshold) {
      // Its early run: a region cached for it, else count on.
      if (this.enterCached(mem, t, start, epoch)) this.stats.early++; else mem.setUint32(t + TC_JIT, runs, true);
      this.stats.compileMs += performance.now() - t0;
      return;
    }
    if (this.next + MAX_BATCH >= MAX_FUNCTIONS) {
      this.stats.flushes++;
      this.holder.clear();
      this.next = 1;
      this.setJit();                    // drops every decoded trace, so no old index is reached again
      return;                           // the trace is rebuilt and counted afresh
    }
    // From here on (a batch formed, posted or compiled) the main thread's waits for a CPU are
    // counted (waitMs); the early returns above take microseconds, and reading the waits twice
    // would be most of their time (about 3 µs: a later Lua run makes 300 such calls).
    const w0 = cpuWaitMs(), tw = performance.now();
    // The traces a region takes in, as the core's run loop would find them (run.ts): any way of
    // their set, tagged with the current generation (the hot trace's own, just looked up), by the
    // core's own lookup (assembly/decoder/tcache.ts).
    const covered = new Set<bigint>();
    const cold = COLD_SHARE > 0 ? Math.floor(this.threshold / COLD_SHARE) : 0;
    const traceBlock = this.core.traceBlock as (rip: bigint) => number;
    const lookup = (rip: bigint): TraceShape | null => {
      const b = traceBlock(rip);
      if (b === 0) return null;
      // Not a trace another region holds already (compiled earlier, or in this batch): a branch
      // there leaves, and the run loop enters that region (once the trace is hot). Copies of one
      // trace in several regions were most of the bytes emitted (Lua at threshold 1024: 1535 traces
      // compiled, 647 different ones).
      if (this.holder.has(tagOf(rip)) || covered.has(rip) || this.pending.has(tagOf(rip))) return null;
      // Nor one that has run too few times to be worth its code (COLD_SHARE).
      if (mem.getUint32(b + TC_JIT, true) < cold) return null;
      return shapeAt(mem, b, rip);
    };
    // The hot trace first, then the warm ones of the same epoch, most runs first (ties: lower start
    // first), from the warm list (warmBlocks: the core's ring, not a scan of every header), as block
    // indices in a reused array: the start's BigInt (and the holder lookup it needs) is made only for
    // the warm traces the batch reaches (docs/jit.md, "The main thread's part of a compile").
    const firsts: Array<{ block: number; start: bigint }> = [{ block: t, start }];
    const warm = Math.ceil(this.threshold / WARM_SHARE);
    let found: number[] = [];
    const words = new Uint32Array(this.core.memory.buffer, TC_BASE, (TC_ENTRIES * TC_BLOCK) / 4);
    const step = TC_BLOCK / 4;
    // Block i's 48-bit start RIP (its tag's low bits), exact as a double: the high half is < 2^16.
    const startOf = (i: number): number => (words[i * step + 1] & 0xffff) * 0x1_0000_0000 + words[i * step];
    if (this.threshold > 1) {
      found = this.found;
      found.length = 0;
      this.warmBlocks(words, Number(epoch), warm, found);
      const jit = TC_JIT / 4;
      // runs descending, then the start ascending
      found.sort((a, b) => words[b * step + jit] - words[a * step + jit] || startOf(a) - startOf(b));
    }
    let next = 0; // the next of `found` to turn into a first trace
    const firstAt = (k: number): { block: number; start: bigint } | null => {
      while (k >= firsts.length && next < found.length) {
        const i = found[next++];
        const rip = BigInt(startOf(i));
        if (rip !== start && !this.holder.has(tagOf(rip)) && !this.pending.has(tagOf(rip))) firsts.push({ block: TC_BASE + i * TC_BLOCK, start: rip });
      }
      return k < firsts.length ? firsts[k] : null;
    };
    // Each first trace's region, unless a region of this batch holds it already (it is entered
    // there once hot, as any held trace is).
    const jobs: Array<{ block: number; key: string; region: TraceShape[]; done?: Compiled; code?: RegionCode }> = [];
    for (let k = 0, f = firstAt(0); f; f = firstAt(++k)) {
      if (jobs.length >= MAX_BATCH) break;
      if (covered.has(f.start)) continue;
      // In a later run, a region compiled before from this trace, if its traces decode as then: the
      // one taken in the run that compiled it, not one formed anew around the traces other regions
      // hold by now (those entered early hold more than they did then).
      const hit = this.early ? this.cachedRegion(mem, f.block, f.start) : undefined;
      if (hit) {
        for (const tr of hit.traces) covered.add(tr.start);
        jobs.push({ block: f.block, key: hit.key, region: hit.traces, done: hit.c });
        this.stats.retaken++;
        continue;
      }
      const first = shapeAt(mem, f.block, f.start);
      const region = formRegion(first, lookup, this.options);
      for (const tr of region) {
        if (tr.stop) { const k = refusalName(tr.stop); this.refusals.set(k, (this.refusals.get(k) ?? 0) + 1); }
      }
      const n = first.count;
      const key = n ? regionKey(mem, region, this.options) : "";
      const done = n ? regions.get(key) : undefined;
      // Compiling itself, the main thread reads the region's traces whole (their compiled prefix). (regionCode
      // refuses exactly a region whose first trace compiles nothing: the compile thread's never does.)
      const code = done || this.compileThread ? undefined
        : regionCode(region.map((tr) => readTrace(mem, tr.slots, tr.count, tr.start)), this.options) ?? undefined;
      if (!done && (this.compileThread ? n === 0 : !code)) {
        mem.setUint32(f.block + TC_JIT, JIT_NEVER, true);
        this.stats.refused++;
        continue;
      }
      for (const tr of region) covered.add(tr.start);
      jobs.push({ block: f.block, key, region, done, code });
    }
    // The regions not compiled before, in one module.
    const fresh = jobs.filter((j) => !j.done);
    const t1 = performance.now();
    this.stats.emitMs += t1 - t0;
    if (fresh.length && this.compileThread) this.post(mem, era, epoch, fresh);
    else if (fresh.length) {
      const { module, bytes } = regionsModule(fresh.map((j) => j.code!));
      this.stats.modules++;
      this.stats.bytes += bytes;
      fresh.forEach((j, k) => { j.done = compiledOf(module, k, j.code!, bytes / fresh.length, this.threshold); remember(j.key, j.done); });
    }
    this.stats.moduleMs += performance.now() - t1;
    for (const j of jobs) {
      if (!j.done) continue; // in flight
      if (!j.code) this.stats.cached++;
      this.install(this.next++, j.block + TC_JIT, j.done, epoch);
    }
    this.spent(t0, w0, tw);
  }

  // A JIT call's time since `t0` into stats.compileMs, and the main thread's waits for a CPU since
  // `w0` (schedstat.ts) into stats.waitMs, at most the wall time since `tw` (read with `w0`).
  private spent(t0: number, w0: number, tw: number): void {
    const now = performance.now();
    this.stats.waitMs += Math.max(0, Math.min(cpuWaitMs() - w0, now - tw));
    this.stats.compileMs += now - t0;
  }

  // Enter the trace at block `t` in a region this thread compiled from it before (cachedRegion);
  // false if there is none. (Also trying it at the threshold instead of forming the hot trace's
  // region, without its warm batch, compiled more regions in a second CPython run, 23 against 9:
  // the warm ones then formed differently. The batch now takes cached regions first, compile().)
  private enterCached(mem: DataView, t: number, start: bigint, space: bigint): boolean {
    const hit = this.cachedRegion(mem, t, start);
    if (!hit) { if (byStart.has(start)) this.stats.earlyMissed++; return false; }
    this.stats.cached++;
    this.install(this.next++, t + TC_JIT, hit.c, space);
    return true;
  }

  // The region this thread compiled from the trace at block `t` (starting at `start`) before,
  // formed at this threshold, whose traces are all decoded now exactly as they were then (the
  // same key: the code is a function of exactly these), with those traces' shapes; undefined if
  // there is none (no such region, or one of its traces not decoded yet or decoded differently).
  private cachedRegion(mem: DataView, t: number, start: bigint): { c: Compiled; key: string; traces: TraceShape[] } | undefined {
    const traceBlock = this.core.traceBlock as (rip: bigint) => number;
    for (const key of byStart.get(start) ?? []) {
      const c = regions.get(key);
      if (!c || c.threshold !== this.threshold || this.next + 1 >= MAX_FUNCTIONS) continue;
      const traces: TraceShape[] = [];
      for (const rip of c.entries) {
        const b = rip === start ? t : traceBlock(rip);
        if (b === 0) break;
        traces.push(shapeAt(mem, b, rip));
      }
      if (traces.length === c.entries.length && regionKey(mem, traces, this.options) === key) return { c, key, traces };
    }
    return undefined;
  }

  // Region `out` at table index `idx`, entered from the trace whose JIT word is at `word` (0: none);
  // its traces are of the address space of generation `space`.
  private install(idx: number, word: number, out: Compiled, space: bigint): void {
    const fn = this.instanceOf(out.module).exports[out.name] as WebAssembly.ExportValue;
    while (idx >= this.table.length) this.table.grow(Math.max(64, this.table.length));
    this.table.set(idx, fn as never);
    const mem = new DataView(this.core.memory.buffer);
    const traceBlockOf = this.core.traceBlockOf as (rip: bigint, space: bigint) => number;
    if (word) mem.setUint32(word, JIT_ENTRY + idx, true);
    for (const e of out.entries) {
      const tag = tagIn(e, space);
      if (this.holder.has(tag)) continue;
      this.holder.set(tag, idx);
      // The region's other traces are entered in it from now on, not only once each is hot: a
      // branch to one from compiled code goes on there (the tail call of compile.ts), where it
      // was interpreted up to the threshold's runs (the run loop's entries alike). The region
      // holds a copy of that trace's code as it is now, valid while the cache's epoch lasts.
      const b = e === out.entries[0] ? 0 : traceBlockOf(e, space);
      if (b !== 0 && mem.getUint32(b + TC_JIT, true) < JIT_NEVER) { mem.setUint32(b + TC_JIT, JIT_ENTRY + idx, true); this.stats.held++; }
    }
    this.stats.compiled++;
    this.stats.instructions += out.instructions;
    this.stats.traces += out.traces;
    for (const e of out.entries) if (!this.seen.has(e)) { this.seen.add(e); this.stats.distinct++; }
  }

  // The regions of `jobs` to the compile thread: what their code is a function of (each trace's
  // start and compiled slots) copied out of the core's memory, their first traces marked pending
  // (JIT_NEVER: interpreted, not counted again) and their table indices taken now, so that the
  // table-full check above counts them.
  private post(mem: DataView, era: bigint, space: bigint, jobs: Array<{ block: number; key: string; region: TraceShape[] }>): void {
    let size = 0;
    for (const j of jobs) for (const t of j.region) size += t.count * 32;
    const slots = new Uint8Array(size);
    const regions: RegionRequest[] = [];
    let at = 0;
    for (const j of jobs) {
      for (const t of j.region) { slots.set(new Uint8Array(mem.buffer, t.slots, t.count * 32), at); at += t.count * 32; }
      regions.push({ starts: j.region.map((t) => t.start), counts: j.region.map((t) => t.count) });
    }
    const flight: InFlight = { era, gen: this.gen, space, also: [] };
    const asked = jobs.map((j) => {
      mem.setUint32(j.block + TC_JIT, JIT_NEVER, true);
      for (const t of j.region) {
        const tag = tagIn(t.start, space);
        if (!this.pending.has(tag)) this.pending.set(tag, flight);
      }
      return { start: j.region[0].start, key: j.key, idx: this.next++, entries: j.region.map((t) => t.start) };
    });
    this.stats.requested += jobs.length;
    requestCompile({ regions, slots, options: this.options, eager: EAGER_IN_THREAD }, (reply) => this.receive(reply, flight, asked));
  }

  // An answer from the compile thread (inside Machine.run, between two runs of the core). Its regions
  // go into the thread's region cache whatever happened since (the cache is keyed by what they were
  // compiled from); they are entered only if no flush, no reset and no drop of their address space's
  // traces came between the request and now: then the traces they were compiled from are still what
  // the core runs (the same count of flushes and the space's generation still live: nothing wrote
  // its code, changed its page tables or probes; a process switch is neither), and each trace still marked
  // pending, in its own address space, is pointed at its region: in its block, or in the kept
  // table if it was evicted meanwhile (its rebuild takes the word back: it stayed JIT_NEVER,
  // interpreted, when only blocks were looked at).
  private receive(reply: CompileReply, flight: InFlight, asked: Array<{ start: bigint; key: string; idx: number; entries: bigint[] }>): void {
    const w0 = cpuWaitMs(), t0 = performance.now();
    const tagOf = (rip: bigint): bigint => tagIn(rip, flight.space);
    for (const a of asked) for (const e of a.entries) if (this.pending.get(tagOf(e)) === flight) this.pending.delete(tagOf(e));
    if ("error" in reply) {
      this.stats.dropped += asked.length;
      process.emitWarning(`skytrace: the JIT's compile thread refused a module (${reply.error}); its traces stay interpreted`);
      this.spent(t0, w0, t0);
      return;
    }
    this.stats.modules++;
    this.stats.bytes += reply.bytes;
    this.stats.threadEmitMs += reply.emitMs;
    this.stats.threadModuleMs += reply.moduleMs;
    const done = reply.regions.map((r, k) => compiledOf(reply.module, k, r, reply.bytes / asked.length, this.threshold));
    done.forEach((c, k) => remember(asked[k].key, c));
    if (flight.gen !== this.gen || flight.era !== (this.core.dcFlushes.value as bigint) || !this.live(flight.space)) {
      this.stats.dropped += asked.length;
      this.spent(t0, w0, t0);
      return;
    }
    const mem = new DataView(this.core.memory.buffer);
    const jitWordOf = this.core.jitWordOf as (rip: bigint, space: bigint) => number;
    const pendingWord = (rip: bigint): number => {
      const w = jitWordOf(rip, flight.space);
      return w !== 0 && mem.getUint32(w, true) === JIT_NEVER ? w : 0;
    };
    asked.forEach((a, k) => this.install(a.idx, pendingWord(a.start), done[k], flight.space));
    for (const s of flight.also) {
      const w = pendingWord(s), idx = this.holder.get(tagOf(s));
      if (w && idx !== undefined) mem.setUint32(w, JIT_ENTRY + idx, true);
    }
    this.spent(t0, w0, t0);
  }

  // Whether generation `space` is still an address space's (assembly/decoder/cacheflush.ts SPACES):
  // a space whose code was written or freed, or whose page tables or probes changed, took another,
  // and its traces of this one are unreachable (an answer for them would be entered nowhere).
  private live(space: bigint): boolean {
    const q = new BigUint64Array(this.core.memory.buffer, SPACES, (SPACE_MAX * SPACE_ENTRY) / 8);
    for (let i = 0; i < SPACE_MAX; i++) if (q[(i * SPACE_ENTRY) / 8 + 1] === space) return true;
    return false;
  }

  private readonly found: number[] = []; // compile()'s warm blocks (indices), reused

  // The warm list: the blocks (indices) whose trace reached the warm mark since the last flush and
  // was not seen since with fewer runs (rebuilt) or compiled, refused or pending (JIT_NEVER and
  // above). The core notes every trace reaching the mark in its warm ring (assembly/jit/entry.ts),
  // so every block that is warm now is in this set, unless the ring overflowed since the last look
  // (then the headers are scanned, as before the ring: the same blocks either way).
  private readonly warm = new Set<number>();
  private warmRead = 0; // the core's warmPushes when the ring was last read
  private warmEra = -1n; // and its flush count then

  // The blocks (indices) whose trace is of epoch `ep` and has run at least `warm` times, not compiled
  // or refused yet: into `out`, in no particular order.
  private warmBlocks(words: Uint32Array, ep: number, warm: number, out: number[]): void {
    // A flush since the last look: every trace listed is gone (those pushed since are in the ring).
    const era = this.core.dcFlushes.value as bigint;
    if (era !== this.warmEra) { this.warm.clear(); this.warmEra = era; }
    const pushes = (this.core.warmPushes.value as number) >>> 0, n = (pushes - this.warmRead) >>> 0;
    const size = (this.core.WARM_RING_ENTRIES.value as number) >>> 0;
    const step = TC_BLOCK / 4, jit = TC_JIT / 4;
    if (n > size) {
      this.warm.clear();
      scanWarm(words, warm, this.warm);
    } else if (n > 0) {
      const ring = new Uint32Array(this.core.memory.buffer, this.core.warmRing(), size);
      for (let k = this.warmRead; k !== pushes; k = (k + 1) >>> 0) this.warm.add((ring[k & (size - 1)] - TC_BASE) / TC_BLOCK);
    }
    this.warmRead = pushes;
    for (const i of this.warm) {
      const w = i * step, runs = words[w + jit];
      if (runs < warm || runs >= JIT_NEVER) { this.warm.delete(i); continue; } // rebuilt, compiled, refused or pending
      if (words[w + 1] >>> 16 === ep) out.push(i); // another address space's warm traces stay listed
    }
  }
  private readonly seen = new Set<bigint>(); // every start address a compiled region held (stats.distinct)
  // One instance per module for this Machine (its memory and globals): a module's regions share it,
  // and a later flight on the same Machine takes a cached region's function from it.
  private readonly instances = new Map<WebAssembly.Module, WebAssembly.Instance>();
  private instanceOf(module: WebAssembly.Module): WebAssembly.Instance {
    let i = this.instances.get(module);
    if (!i) {
      if (this.instances.size >= MAX_REGIONS) this.instances.clear();
      i = new WebAssembly.Instance(module, this.imports);
      this.instances.set(module, i);
    }
    return i;
  }
}
