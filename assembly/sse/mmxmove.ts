// The MMX-register forms of the moves and element operations: MOVD/MOVQ
// between MMX and general registers or memory, MOVQ mm, MOVNTQ, PSHUFW,
// PINSRW/PEXTRW, PMOVMSKB, MASKMOVQ (with MASKMOVDQU), MOVQ2DQ, MOVDQ2Q.
import { mmRead, mmWrite, mmReg, mmRm, mmSrc } from "./mmx";
import { regX, rmX, SRC_TMP } from "./operand";
import { dIsMem, dRex, dReg, dImm, ea, readRM, writeRM } from "../exec/operand";
import { exc, gpr, setGpr, RDI } from "../cpu/state";
import { REX_W, D_ASZ } from "../decoder/slot";
import { write64, write8 } from "../mmu/access";
import { K_MM } from "./rows";

// 0F 6E: MOVD/MOVQ mm, r/m32|64 (zero-extended)
export function movdToMm(d: usize): void {
  const w = (dRex(d) & REX_W) != 0;
  const v = readRM(d, w ? 8 : 4);
  if (exc != 0) return;
  mmWrite(mmReg(d), v);
}
// 0F 7E: MOVD/MOVQ r/m32|64, mm
export function movdFromMm(d: usize): void {
  writeRM(d, (dRex(d) & REX_W) != 0 ? 8 : 4, mmRead(mmReg(d)));
}
// 0F 6F: MOVQ mm, mm/m64
export function load64(d: usize): void {
  const v = mmSrc(d, 8);
  if (exc != 0) return;
  mmWrite(mmReg(d), v);
}
// 0F 7F: MOVQ mm/m64, mm; 0F E7: MOVNTQ m64, mm
export function store64(d: usize): void {
  const v = mmRead(mmReg(d));
  if (dIsMem(d)) write64(ea(d), v);
  else mmWrite(mmRm(d), v);
}

// 0F 70: PSHUFW mm, mm/m64, imm8
export function pshufw(d: usize): void {
  const v = mmSrc(d, 8);
  if (exc != 0) return;
  const n = <u32>dImm(d);
  let r: u64 = 0;
  for (let i: u32 = 0; i < 4; i++) r |= ((v >> (<u64>((n >> (i << 1)) & 3) << 4)) & 0xFFFF) << (<u64>i << 4);
  mmWrite(mmReg(d), r);
}

// 0F C4: PINSRW mm, r32/m16, imm8 (imm8[1:0])
export function pinsrwMm(d: usize): void {
  const v = readRM(d, 2);
  if (exc != 0) return;
  const sh = <u64>(dImm(d) & 3) << 4;
  const r = mmReg(d);
  mmWrite(r, (mmRead(r) & ~(<u64>0xFFFF << sh)) | ((v & 0xFFFF) << sh));
}
// 0F C5: PEXTRW r32, mm, imm8 (imm8[1:0])
export function pextrwMm(d: usize): void {
  setGpr(dReg(d), (mmRead(mmRm(d)) >> (<u64>(dImm(d) & 3) << 4)) & 0xFFFF);
}

// 0F D7: PMOVMSKB r32, mm
export function pmovmskbMm(d: usize): void {
  const v = mmRead(mmRm(d));
  let m: u64 = 0;
  for (let i: u64 = 0; i < 8; i++) m |= ((v >> ((i << 3) + 7)) & 1) << i;
  setGpr(dReg(d), m);
}

// MASKMOVQ mm1, mm2 / MASKMOVDQU xmm1, xmm2: the bytes of the first whose
// mask byte (in the second) has its top bit set are stored at [RDI] ([EDI] with 67).
export function maskmov(d: usize, info: u32): void {
  const mm = ((info >> 8) & 3) == K_MM;
  const n: u32 = mm ? 8 : 16;
  let a = gpr(RDI);
  if (load<u8>(d + D_ASZ) == 4) a &= 0xFFFFFFFF;
  // Copy first: the source and mask stay intact if a byte faults.
  if (mm) { store<u64>(SRC_TMP, mmRead(mmReg(d))); store<u64>(SRC_TMP + 16 - 8, mmRead(mmRm(d))); }
  else { memory.copy(SRC_TMP, regX(d), 16); }
  const mask: usize = mm ? SRC_TMP + 8 : rmX(d);
  for (let i: u32 = 0; i < n; i++) {
    if ((load<u8>(mask + i) & 0x80) != 0) { write8(a + i, load<u8>(SRC_TMP + i)); if (exc != 0) return; }
  }
}

// F3 0F D6: MOVQ2DQ xmm, mm (upper half cleared); F2 0F D6: MOVDQ2Q mm, xmm
export function movq2dq(d: usize): void {
  const x = regX(d);
  store<u64>(x, mmRead(mmRm(d))); store<u64>(x, 0, 8);
}
export function movdq2q(d: usize): void { mmWrite(mmReg(d), load<u64>(rmX(d))); }
