// Data movement: MOVUPS/MOVAPS/MOVDQA/MOVDQU/LDDQU/MOVNTDQA and the stores
// (the non-temporal ones too), MOVSS/MOVSD, MOVLPS/MOVHPS/MOVLPD/MOVHPD/
// MOVHLPS/MOVLHPS, MOVD/MOVQ with XMM, MOVNTI, MOVMSKPS/MOVMSKPD/PMOVMSKB.
import { regX, rmX, src128, srcLow, store128, storeLow, checkAlign, SRC_TMP } from "./operand";
import { dIsMem, dRex, dReg, ea, readRM, writeRM } from "../exec/operand";
import { exc, gpr, setGpr, RDI } from "../cpu/state";
import { REX_W, D_ASZ } from "../decoder/slot";
import { write8, writeN, write128 } from "../mmu/access";

// xmm <- xmm/m128
export function load128(d: usize, aligned: bool): void {
  const src = src128(d, aligned);
  if (src != 0) memory.copy(regX(d), src, 16);
}
// xmm/m128 <- xmm
export function store128From(d: usize, aligned: bool): void { store128(d, regX(d), aligned); }

// MOVSS/MOVSD load: a memory source zero-extends, a register source merges the low lane.
export function movScalarLoad(d: usize, size: u32): void {
  const v = srcLow(d, size);
  if (exc != 0) return;
  const dst = regX(d);
  if (dIsMem(d)) { store<u64>(dst, 0); store<u64>(dst, 0, 8); }
  if (size == 8) store<u64>(dst, v); else store<u32>(dst, <u32>v);
}
export function movScalarStore(d: usize, size: u32): void {
  const s = regX(d);
  storeLow(d, size, size == 8 ? load<u64>(s) : <u64>load<u32>(s));
}

// Move 64 bits into the low (hiDst=false) or high half of xmm from m64, or for
// the register forms (MOVHLPS/MOVLHPS) from the other half of the r/m register.
export function movHalfLoad(d: usize, hiDst: bool): void {
  const dst = regX(d);
  let v: u64;
  if (dIsMem(d)) { v = srcLow(d, 8); if (exc != 0) return; }
  else v = hiDst ? load<u64>(rmX(d)) : load<u64>(rmX(d), 8);
  store<u64>(dst + (hiDst ? 8 : 0), v);
}
export function movHalfStore(d: usize, hiSrc: bool): void {
  storeLow(d, 8, load<u64>(regX(d) + (hiSrc ? 8 : 0)));
}

// 66 0F 6E: MOVD/MOVQ xmm, r/m32|64 (zero-extended)
export function movdToXmm(d: usize): void {
  const w = (dRex(d) & REX_W) != 0;
  const v = readRM(d, w ? 8 : 4);
  if (exc != 0) return;
  const dst = regX(d);
  store<u64>(dst, v); store<u64>(dst, 0, 8);
}
// 66 0F 7E: MOVD/MOVQ r/m32|64, xmm
export function movdFromXmm(d: usize): void {
  const w = (dRex(d) & REX_W) != 0;
  writeRM(d, w ? 8 : 4, load<u64>(regX(d)));
}
// F3 0F 7E: MOVQ xmm, xmm/m64 (zero-extended)
export function movqLoad(d: usize): void {
  const v = srcLow(d, 8);
  if (exc != 0) return;
  const dst = regX(d);
  store<u64>(dst, v); store<u64>(dst, 0, 8);
}
// 66 0F D6: MOVQ xmm/m64, xmm (a register destination is zero-extended)
export function movqStore(d: usize): void {
  const v = load<u64>(regX(d));
  if (dIsMem(d)) { storeLow(d, 8, v); return; }
  const r = rmX(d);
  store<u64>(r, v); store<u64>(r, 0, 8);
}

// 0F C3: MOVNTI m32|64, r32|64
export function movnti(d: usize): void {
  const w = (dRex(d) & REX_W) != 0;
  const v = gpr(dReg(d));
  writeN(ea(d), w ? 8 : 4, w ? v : v & 0xFFFFFFFF);
}

// MOVMSKPS/MOVMSKPD/PMOVMSKB r32, xmm: sign bits of the lanes.
export function movmsk(d: usize, lane: u32): void {
  const v = v128.load(rmX(d));
  let m: u32;
  if (lane == 4) m = i32x4.bitmask(v);
  else if (lane == 8) m = i64x2.bitmask(v);
  else m = i8x16.bitmask(v);
  setGpr(dReg(d), <u64>m);
}
