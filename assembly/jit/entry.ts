// The second tier's door in the run loop. Each decoded trace counts its runs in
// its header (TC_JIT); at the threshold the loop exits to the host, before the
// trace runs (nothing retired), and the host compiles it into a WebAssembly
// function that shares this memory (src/machine/jit) and puts it in the
// function table. From then on the loop calls it through the table instead of
// interpreting the trace. The compiled code runs whole instructions only, never
// faults (it leaves before an instruction it cannot finish: a TLB miss, a
// division it does not do) and returns the budget it did not spend, with RIP
// set; the loop counts what it spent as it counts its own instructions. Where
// compiled code leaves by a transfer (a branch out of its region, a RET, an
// indirect JMP or CALL) it does itself what the loop would do next: looks the
// trace at the new RIP up (decoder/tcache.ts's lookup, written inline by
// src/machine/jit/compile.ts) and, if that trace is compiled and budget is
// left, tail-calls its function (chaining: the loop, which does nothing else
// between two compiled traces, is not re-entered; the tick count is the budget
// spent either way). A rebuilt trace (new start RIP, or a flush of the trace
// cache on a code write, CR3 or probe change) starts at
// zero again, so stale compiled code is never reached; only a rebuild of the
// same start RIP in the same epoch (no flush since) takes back the word it had
// when evicted (decoder/tcache.ts).
import { TC_JIT } from "../memmap";
import { raise, setInstRip } from "../cpu/state";
import { EXIT_JIT } from "../cpu/exits";

export const JIT_NEVER: u32 = 0x3FFF_FFFF;  // the host could not compile it: interpret, stop counting
export const JIT_ENTRY: u32 = 0x4000_0000;  // JIT_ENTRY + table index: compiled

// Runs before a trace is compiled (0: the JIT is off).
export let jitThreshold: u32 = 0;
export function setJitThreshold(n: u32): void { jitThreshold = n; }
export function resetJit(): void { jitThreshold = 0; jitEarly = 0; jitWarm = 0; warmPushes = 0; memory.fill(WARM_RING, 0, WARM_RING_ENTRIES * 4); }

// The warm list: when a trace's count reaches `jitWarm` (the host's mark, below the threshold;
// 0: none) its block address goes into a ring of WARM_RING_ENTRIES, and `warmPushes` counts every
// push (it wraps at 2^32). The host, which batches the warm traces' regions with a hot one's, reads
// the pushes since its last look instead of scanning every block header (src/machine/jit/jit.ts);
// it checks each block's count and tag itself, so a block rebuilt since is never taken for warm.
// If more than the ring holds were pushed since, it scans the headers as before.
export const WARM_RING_ENTRIES: u32 = 1024;
const WARM_RING: usize = memory.data(<i32>(WARM_RING_ENTRIES * 4), 4);
let jitWarm: u32 = 0;
export let warmPushes: u32 = 0;
export function setJitWarm(n: u32): void { jitWarm = n; }
export function warmRing(): usize { return WARM_RING; }

// An earlier run at which the loop also exits (0: none): the host enters a region its thread
// compiled before (a later run of the same code) without waiting for the threshold.
export let jitEarly: u32 = 0;
export function setJitEarly(n: u32): void { jitEarly = n; }

// Count one run of the trace at `t` (starting at `r`); true when it just became hot and the
// compile request is pending (the loop leaves with EXIT_JIT, RIP on the trace).
@inline export function countRun(t: usize, r: u64, j: u32): bool {
  if (j >= JIT_NEVER) return false;
  if (j + 1 < jitThreshold && j + 1 != jitEarly) {
    store<u32>(t + TC_JIT, j + 1);
    if (j + 1 == jitWarm) { store<u32>(WARM_RING + ((warmPushes & (WARM_RING_ENTRIES - 1)) << 2), <u32>t); warmPushes++; }
    return false;
  }
  setInstRip(r);
  raise(EXIT_JIT, 0, <u64>t);
  return true;
}

// Enter compiled code: returns the budget left (all of it: it ran nothing, interpret the trace).
@inline export function enterCompiled(j: u32, budget: i64): i64 {
  return call_indirect<i64>(j - JIT_ENTRY, budget);
}
