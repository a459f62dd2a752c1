// Building a decoded trace: the instructions that run one after another from a
// start RIP, decoded once and replayed by the run loop without a cache lookup
// per instruction (Bochs's trace cache idea). A trace ends after an
// unconditional control transfer or an instruction that exits to the host (the
// instruction table's `ends` column, src/isa/table.ts); it runs on past
// conditional branches (the loop checks RIP after each instruction and leaves
// the trace whenever control went elsewhere).
// Only the first instruction may touch a second page, so building a trace never
// decodes (or faults on) bytes that execution might not reach. A code probe
// (decoder/probe.ts) ends the trace with its own slot, in place of its
// instruction: reaching it exits, and the run resumes with a new trace there.
import { TC_HEADER, TC_MAX, DC_SLOT_SIZE, TC_JIT, TC_COUNT } from "../memmap";
import { countBuild } from "./tcache";
import { decode, OP_INVALID } from "./decode";
import { D_OP, D_LEN, D_MODRM } from "./slot";
import { endsTrace as insnEndsTrace } from "./insns";
import { exc, clearExc } from "../cpu/state";
import { probeCount, probeAt, emitProbe } from "./probe";

// An unconditional transfer or an exit to the host: the table's `ends` column (src/isa/table.ts).
function endsTrace(slot: usize): bool {
  const op = <u32>load<u16>(slot + D_OP);
  return op == OP_INVALID || insnEndsTrace(op, (<u32>load<u8>(slot + D_MODRM) >> 3) & 7);
}

// Decode the trace starting at `rip` into the block at `t`. Returns false when
// the first instruction cannot be decoded (its fault is pending in `exc`).
export function buildTrace(rip: u64, t: usize): bool {
  countBuild();
  let p = rip;
  let n: u32 = 0;
  while (n < TC_MAX) {
    if (n > 0 && (<u32>p & 0xFFF) > 4096 - 15) break;   // might straddle into the next page
    const slot = t + TC_HEADER + n * DC_SLOT_SIZE;
    if (probeCount != 0) {
      const k = probeAt(p);
      if (k >= 0) { emitProbe(slot, k); n++; break; }
    }
    if (!decode(p, slot)) {
      if (n == 0) return false;
      clearExc();                                        // not reached yet: fault when executed
      break;
    }
    n++;
    if (endsTrace(slot)) break;
    p += <u64>load<u8>(slot + D_LEN);
  }
  store<u16>(t + TC_COUNT, <u16>n);                    // not the byte after it: way 0's next-way byte (tcache.ts)
  store<u32>(t + TC_JIT, 0);                             // not hot yet, nothing compiled
  return exc == 0;
}
