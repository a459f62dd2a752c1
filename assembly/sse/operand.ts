// XMM operands of a decoded instruction: the ModRM.reg register, and the r/m
// source read either from a register or from memory into a scratch buffer
// (legacy SSE requires 16-byte alignment for most 128-bit memory operands).
import { dReg, dRm, dIsMem, ea } from "../exec/operand";
import { xmmAddr, raise, exc } from "../cpu/state";
import { EXIT_GP } from "../cpu/exits";
import { read128, read64, read32, read16, read8, write128, write64, write32 } from "../mmu/access";

// 16 bytes for a memory source, 16 for a result built before it is committed.
const SCRATCH: usize = memory.data(32, 16);
export const SRC_TMP: usize = SCRATCH;
export const RES_TMP: usize = SCRATCH + 16;
export function resetSseOperand(): void { memory.fill(SCRATCH, 0, 32); }

@inline export function regX(d: usize): usize { return xmmAddr(dReg(d)); }
@inline export function rmX(d: usize): usize { return xmmAddr(dRm(d)); }

export function checkAlign(a: u64, n: u64): bool {
  if ((a & (n - 1)) != 0) { raise(EXIT_GP, 0, 0); return false; }
  return true;
}

// Address of the 128-bit r/m source (a register, or memory copied to SRC_TMP); 0 after a fault.
export function src128(d: usize, aligned: bool): usize {
  if (!dIsMem(d)) return rmX(d);
  const a = ea(d);
  if (aligned && !checkAlign(a, 16)) return 0;
  read128(a, SRC_TMP);
  return exc != 0 ? 0 : SRC_TMP;
}

// Low 32/64 bits of the r/m source (register lane 0, or an unaligned memory read).
export function srcLow(d: usize, size: u32): u64 {
  if (!dIsMem(d)) return size == 8 ? load<u64>(rmX(d)) : <u64>load<u32>(rmX(d));
  const a = ea(d);
  return size == 8 ? read64(a) : <u64>read32(a);
}

// Store 16 bytes from `src` to the r/m destination.
export function store128(d: usize, src: usize, aligned: bool): void {
  if (!dIsMem(d)) { memory.copy(rmX(d), src, 16); return; }
  const a = ea(d);
  if (aligned && !checkAlign(a, 16)) return;
  write128(a, src);
}
export function storeLow(d: usize, size: u32, v: u64): void {
  if (!dIsMem(d)) { if (size == 8) store<u64>(rmX(d), v); else store<u32>(rmX(d), <u32>v); return; }
  const a = ea(d);
  if (size == 8) write64(a, v); else write32(a, <u32>v);
}

// The r/m source of a table row: an XMM register, or `size` bytes of memory
// (16, or fewer for PMOVSX/ZX and the like) zero-extended in SRC_TMP. 0 after a fault.
export function srcVec(d: usize, size: u32, aligned: bool): usize {
  if (!dIsMem(d)) return rmX(d);
  if (size == 16) return src128(d, aligned);
  const v = srcLow8(d, size);
  if (exc != 0) return 0;
  store<u64>(SRC_TMP, v); store<u64>(SRC_TMP, 0, 8);
  return SRC_TMP;
}

// 1, 2, 4 or 8 bytes of the memory operand (unaligned).
function srcLow8(d: usize, size: u32): u64 {
  const a = ea(d);
  if (size == 8) return read64(a);
  if (size == 4) return <u64>read32(a);
  if (size == 2) return <u64>read16(a);
  return <u64>read8(a);
}
