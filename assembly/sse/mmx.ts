// The MMX registers: MM0-MM7 are the low 64 bits (the significands) of the
// x87 physical registers R0-R7, whatever TOP is. A write sets the register's
// sign and exponent (bits 64-79) to all ones. Every instruction that names an
// MMX register first takes a pending x87 exception (#MF), and afterwards
// leaves TOP = 0 with every register tagged valid; EMMS tags them all empty.
// The full tag word the core keeps is what FNSTENV/FNSAVE show, which real
// CPUs compute from the contents (a register MMX wrote has exponent 0x7FFF:
// "special"), so the transition recomputes the tags from the contents.
import { physSig, storePhys, setTag, fpuTop, setFpuTop, fpuTw, setFpuTw, physSe, tagFor, TAG_SPECIAL } from "../x87/stack";
import { dReg, dRm, dIsMem, ea } from "../exec/operand";
import { read64, read32, read16, read8 } from "../mmu/access";
import { exc } from "../cpu/state";

@inline export function mmRead(i: u32): u64 { return physSig(i & 7); }
export function mmWrite(i: u32, v: u64): void {
  storePhys(i & 7, 0xFFFF, v);
  setTag(i & 7, TAG_SPECIAL);
}

@inline export function mmReg(d: usize): u32 { return dReg(d) & 7; }   // REX.R does not extend MMX registers
@inline export function mmRm(d: usize): u32 { return dRm(d) & 7; }

// The x87-to-MMX transition, after an instruction that named an MMX register completed.
export function mmxEnter(): void {
  const tw = fpuTw();
  // already in MMX state: TOP 0 and no register empty (no tag pair 11)
  if (fpuTop() == 0 && (tw & (tw >> 1) & 0x5555) == 0) return;
  setFpuTop(0);
  let t: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) t |= tagFor(physSe(p), physSig(p)) << (p << 1);
  setFpuTw(t);
}

// The r/m source of an MMX-form instruction: an MMX register, or `size`
// bytes of memory (no alignment rule), zero-extended. Check exc after.
export function mmSrc(d: usize, size: u32): u64 {
  if (!dIsMem(d)) return mmRead(mmRm(d));
  const a = ea(d);
  if (size == 8) return read64(a);
  if (size == 4) return <u64>read32(a);
  if (size == 2) return <u64>read16(a);
  return <u64>read8(a);
}
