// Where a trace lives in the decoded-trace cache: TC_SETS sets of four blocks, the set chosen by a
// multiplicative (Fibonacci) hash of the start RIP. The cache was direct-mapped on `rip ^ rip >> 12`
// before, and in SQLite two hot traces sharing a block evicted each other on every pass (97 % of
// 675 607 builds in one run, docs/jit.md); then 4096 sets of two ways, where SQLite's misses were
// still mostly conflicts (three or more hot traces in one set: at the same capacity, four ways built
// a third as many traces) and CPython's mostly capacity (twice the blocks: a third fewer builds).
// The hash spreads the addresses of code laid out at regular strides, which the xor folded onto few
// blocks. A hit writes nothing: on a miss the set's ways are rebuilt in turn (a round-robin byte per
// set, in way 0's header): least-recently-used order missed 1 to 4 % less but cost the run loop's
// lookup, done for every trace run, a store and more (docs/jit.md, "The decoded-trace cache").
// A trace evicted after the JIT compiled (or refused) it leaves its JIT word in a side table, and
// taking it back when the trace is rebuilt in the same generation (no flush since: the same code, the same
// compiled function) keeps it compiled; before, a rebuilt trace counted to the threshold again.
import { TC_BASE, TC_BLOCK, TC_SET_BITS, TC_WAYS, TC_NEXT, TC_JIT, JIT_KEPT, JIT_KEPT_ENTRIES, JIT_KEPT_ENTRY } from "../memmap";
import { JIT_NEVER } from "../jit/entry";
import { dcEpoch } from "./cacheflush";

const GOLDEN: u64 = 0x9E3779B97F4A7C15;

// Way 0's block of the set `rip` maps to (the other ways follow it).
@inline export function tcSet(rip: u64): usize {
  const set = <u32>((rip * GOLDEN) >> (64 - TC_SET_BITS));
  return TC_BASE + set * (TC_WAYS * TC_BLOCK);
}

// The tag of the trace starting at `rip` in the address space of generation `gen` (cacheflush.ts).
@inline function tagIn(rip: u64, gen: u64): u64 { return rip | (gen << 48); }
// In the running address space.
@inline export function tcTag(rip: u64): u64 { return tagIn(rip, dcEpoch); }

// The block holding the trace at `rip`, or 0.
@inline export function tcFind(s: usize, tag: u64): usize {
  if (load<u64>(s) == tag) return s;
  if (load<u64>(s + TC_BLOCK) == tag) return s + TC_BLOCK;
  if (load<u64>(s + 2 * TC_BLOCK) == tag) return s + 2 * TC_BLOCK;
  if (load<u64>(s + 3 * TC_BLOCK) == tag) return s + 3 * TC_BLOCK;
  return 0;
}

// The block to build a new trace in: the set's ways in turn. A compiled or refused trace there
// leaves its JIT word in the kept table; the tag is cleared, so a build that faults leaves no tag
// on a half-written block.
@inline export function tcVictim(s: usize): usize {
  const w = <u32>load<u8>(s + TC_NEXT);
  store<u8>(s + TC_NEXT, <u8>((w + 1) & (TC_WAYS - 1)));
  const t = s + w * TC_BLOCK;
  const old = load<u64>(t);
  const j = load<u32>(t + TC_JIT);
  if (j >= JIT_NEVER && old != 0) {
    const k = keptSlot(old & 0xFFFF_FFFF_FFFF);
    store<u64>(k, old);
    store<u32>(k + 8, j);
  }
  store<u64>(t, 0);
  return t;
}

// The kept-table entry of a start RIP (other bits of the product than the set's, so the traces of
// one set spread over it).
@inline function keptSlot(rip: u64): usize {
  return JIT_KEPT + (<u32>((rip * GOLDEN) >> 32) & (JIT_KEPT_ENTRIES - 1)) * JIT_KEPT_ENTRY;
}

// After building the trace tagged `tag` at `t`: its JIT word as it was when it was evicted in this
// generation, if it was compiled or refused (buildTrace left it 0: counting from zero).
@inline export function tcRestoreJit(t: usize, rip: u64, tag: u64): void {
  const k = keptSlot(rip);
  if (load<u64>(k) == tag) store<u32>(t + TC_JIT, load<u32>(k + 8));
}

// At the generations' wrap (cacheflush.ts): kept words of 65 534 generations ago must not match again.
export function clearKept(): void { memory.fill(JIT_KEPT, 0, JIT_KEPT_ENTRIES * JIT_KEPT_ENTRY); }

// Traces built since reset() (each a decode of up to TC_MAX instructions): bench/jit-profile.ts and
// test/cpu/trace-cache.test.ts read it.
export let traceBuilds: u64 = 0;
@inline export function countBuild(): void { traceBuilds++; builtInGeneration = true; }
export function resetTraceBuilds(): void { traceBuilds = 0; builtInGeneration = false; }
// Whether a trace may have been built in the running generation (cacheflush.ts: a generation no
// trace was built in has nothing to drop, so a space that frees its code frames one by one at exit
// takes one new generation, not one per frame).
export let builtInGeneration: bool = false;
export function setBuiltInGeneration(b: bool): void { builtInGeneration = b; }

// For the host's JIT (src/machine/jit/jit.ts): the block holding the trace at `rip` in the running
// address space's generation, or 0.
export function traceBlock(rip: u64): usize { return traceBlockOf(rip, dcEpoch); }

// The same in the address space of generation `gen`, which need not be the running one: an answer
// from the JIT's compile thread may arrive after a process switch (src/machine/jit/jit.ts).
export function traceBlockOf(rip: u64, gen: u64): usize { return tcFind(tcSet(rip), tagIn(rip, gen)); }

// The address of that trace's JIT word: in its block while it is decoded, else in the kept table if
// it was evicted with one kept there (compiled, refused, or waiting for the compile thread), else 0.
// An answer for a trace evicted while it waited is written there: the rebuild is entered compiled.
export function jitWordOf(rip: u64, gen: u64): usize {
  const b = traceBlockOf(rip, gen);
  if (b != 0) return b + TC_JIT;
  const k = keptSlot(rip);
  return load<u64>(k) == tagIn(rip, gen) ? k + 8 : 0;
}
