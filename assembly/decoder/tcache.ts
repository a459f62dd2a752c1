// Where a trace lives in the decoded-trace cache: TC_SETS sets of two blocks, the set chosen by a
// multiplicative (Fibonacci) hash of the start RIP. The cache was direct-mapped on `rip ^ rip >> 12`
// before, and in SQLite two hot traces sharing a block evicted each other on every pass (97 % of
// 675 607 builds in one run, docs/jit.md); a second way keeps both, and the hash spreads the
// addresses of code laid out at regular strides, which the xor folded onto few blocks.
// On a miss the way not used last is rebuilt (one MRU bit per set, in way 0's header).
import { TC_BASE, TC_BLOCK, TC_SET_BITS, TC_MRU } from "../memmap";
import { dcEpoch } from "./cacheflush";

const GOLDEN: u64 = 0x9E3779B97F4A7C15;

// Way 0's block of the set `rip` maps to (way 1 follows it).
@inline export function tcSet(rip: u64): usize {
  const set = <u32>((rip * GOLDEN) >> (64 - TC_SET_BITS));
  return TC_BASE + set * (2 * TC_BLOCK);
}

// The tag a trace starting at `rip` carries while the cache's epoch is the current one.
@inline export function tcTag(rip: u64): u64 { return rip | (dcEpoch << 48); }

// The block holding the trace at `rip` (marking its way used last), or 0.
@inline export function tcFind(s: usize, tag: u64): usize {
  if (load<u64>(s) == tag) {
    if (load<u8>(s + TC_MRU) != 0) store<u8>(s + TC_MRU, 0);
    return s;
  }
  const t = s + TC_BLOCK;
  if (load<u64>(t) == tag) {
    if (load<u8>(s + TC_MRU) == 0) store<u8>(s + TC_MRU, 1);
    return t;
  }
  return 0;
}

// The block to build a new trace in: the way not used last, now the one used last. Its tag is
// cleared first, so a build that faults leaves no tag on a half-written block.
@inline export function tcVictim(s: usize): usize {
  const w1 = load<u8>(s + TC_MRU) == 0;
  store<u8>(s + TC_MRU, w1 ? 1 : 0);
  const t = w1 ? s + TC_BLOCK : s;
  store<u64>(t, 0);
  return t;
}

// Traces built since reset() (each a decode of up to TC_MAX instructions): bench/jit-profile.ts and
// test/cpu/trace-cache.test.ts read it.
export let traceBuilds: u64 = 0;
@inline export function countBuild(): void { traceBuilds++; }
export function resetTraceBuilds(): void { traceBuilds = 0; }

// For the host's JIT (src/machine/jit/jit.ts): the block holding the trace at `rip` in the current
// epoch, or 0. Does not touch the MRU bit, so looking does not change what is evicted.
export function traceBlock(rip: u64): usize {
  const s = tcSet(rip), tag = tcTag(rip);
  if (load<u64>(s) == tag) return s;
  if (load<u64>(s + TC_BLOCK) == tag) return s + TC_BLOCK;
  return 0;
}
