// Bit instructions: BT/BTS/BTR/BTC (register and imm8 bit offsets; a register
// offset on a memory operand reaches beyond it), BSF/BSR, BSWAP.
import { setKeep, ARITH, setArith, sizeMask, FL_RES, CF, ZF, PF, AF, SF, OF } from "../cpu/flags";
import { readReg, writeReg, exc } from "../cpu/state";
import { readN, writeN, probeWrite } from "../mmu/access";
import { dIsMem, dRm, dRex, dReg, ea } from "./operand";

// kind: 0 BT, 1 BTS, 2 BTR, 3 BTC. regOffset: the offset came from a register
// (signed, may address memory outside the operand) rather than an imm8.
export function bitOp(d: usize, kind: u32, size: u32, offset: u64, regOffset: bool): void {
  const bits: u64 = <u64>size << 3;
  let bit: u64;
  if (dIsMem(d)) {
    let addr = ea(d);
    if (regOffset) {
      // signed offset: move the address by whole operands
      const sh: u64 = size == 8 ? 6 : size == 4 ? 5 : 4;
      let off = offset & sizeMask(size);
      const so: i64 = size == 8 ? <i64>off : size == 4 ? <i64><i32>off : <i64><i16>off;
      addr += <u64>((so >> <i64>sh) * <i64>size);
      bit = <u64>so & (bits - 1);
    } else bit = offset & (bits - 1);
    if (kind != 0 && !probeWrite(addr, size)) return;
    const v = readN(addr, size);
    if (exc != 0) return;
    const r = update(kind, v, bit);
    if (kind != 0) { writeN(addr, size, r); if (exc != 0) return; }
    setCarry((v >> bit) & 1);
  } else {
    bit = offset & (bits - 1);
    const reg = dRm(d), rex = dRex(d);
    const v = readReg(reg, size, rex);
    if (kind != 0) writeReg(reg, size, rex, update(kind, v, bit));
    setCarry((v >> bit) & 1);
  }
}

@inline function update(kind: u32, v: u64, bit: u64): u64 {
  const b: u64 = <u64>1 << bit;
  return kind == 1 ? v | b : kind == 2 ? v & ~b : v ^ b;
}

// CF = the bit; the other flags keep their values (what AMD Zen does; OF/SF/AF/PF
// are undefined by the SDM, ZF unaffected).
@inline function setCarry(cf: u64): void {
  setKeep(ARITH & ~CF, cf);
}

// BSF (reverse = false) / BSR. Source 0: ZF = 1 and the destination keeps its
// value (AMD documents this; Intel leaves it undefined). The other flags are
// undefined; AMD Zen clears CF/OF/SF/AF and sets PF from the index written (0 when none).
export function bitScan(d: usize, reverse: bool, size: u32, dstReg: u32, rex: u32, src: u64): void {
  if (src == 0) { setArith(ZF | PF); return; }
  const idx: u64 = reverse ? 63 - clz<u64>(src) : ctz<u64>(src);
  writeReg(dstReg, size, rex, idx);
  setArith((popcnt<u64>(idx) & 1) == 0 ? PF : 0);
}

export function byteSwap(v: u64, size: u32): u64 {
  if (size == 8) return bswap<u64>(v);
  if (size == 4) return <u64>bswap<u32>(<u32>v);
  return 0; // 16-bit BSWAP is undefined; hardware clears the low word
}

// POPCNT r, r/m (F3 0F B8): the count of set bits; OF SF AF CF PF cleared, ZF = (source == 0).
export function popCount(d: usize, size: u32): void {
  const v = dIsMem(d) ? readN(ea(d), size) : readReg(dRm(d), size, dRex(d));
  if (exc != 0) return;
  writeReg(dReg(d), size, dRex(d), popcnt<u64>(v));
  setArith(v == 0 ? ZF : 0);
}
