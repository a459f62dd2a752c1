// SSE4.1 (and SSE4.2's PCMPGTQ) integer operations: sign/zero extension,
// 64-bit compares, PMULDQ, PMULLD, PACKUSDW, signed/unsigned min/max,
// PHMINPOSUW (lane operations, through integer.ts's "vec"), and the rows
// with their own operand shapes: the variable blends on XMM0, PTEST, the
// element extracts and inserts (PEXTRB/W/D/Q, EXTRACTPS, PINSRB/D/Q, INSERTPS).
import { regX, rmX, srcVec } from "./operand";
import { dOp, dImm, dIsMem, dRex, dRm, ea, readRM } from "../exec/operand";
import { exc, xmmAddr, writeReg } from "../cpu/state";
import { writeN, read32 } from "../mmu/access";
import { setArith, ZF, CF } from "../cpu/flags";
import { REX_W } from "../decoder/slot";
import { R_ALIGNED } from "./rows";

// PHMINPOSUW: the smallest unsigned word of b and its index (the lowest on ties).
function phminposuw(b: v128): v128 {
  let m: u32 = 0xFFFF, idx: u32 = 0;
  const lo = i64x2.extract_lane(b, 0), hi = i64x2.extract_lane(b, 1);
  for (let i: u32 = 0; i < 8; i++) {
    const w = <u32>((i < 4 ? lo >> (<u64>i << 4) : hi >> (<u64>(i - 4) << 4)) & 0xFFFF);
    if (w < m || i == 0) { m = w; idx = i; }
  }
  return i64x2.replace_lane(i64x2.splat(0), 0, <u64>(m | (idx << 16)));
}

@inline export function binop41(key: u32, a: v128, b: v128): v128 {
  switch (key) {
    case 0x220: return i16x8.extend_low_i8x16_s(b);                                          // PMOVSXBW
    case 0x221: return i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(b));                // BD
    case 0x222: return i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(i16x8.extend_low_i8x16_s(b))); // BQ
    case 0x223: return i32x4.extend_low_i16x8_s(b);                                          // WD
    case 0x224: return i64x2.extend_low_i32x4_s(i32x4.extend_low_i16x8_s(b));                // WQ
    case 0x225: return i64x2.extend_low_i32x4_s(b);                                          // DQ
    case 0x230: return i16x8.extend_low_i8x16_u(b);                                          // PMOVZXBW
    case 0x231: return i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(b));
    case 0x232: return i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(b)));
    case 0x233: return i32x4.extend_low_i16x8_u(b);
    case 0x234: return i64x2.extend_low_i32x4_u(i32x4.extend_low_i16x8_u(b));
    case 0x235: return i64x2.extend_low_i32x4_u(b);
    case 0x228: return i64x2.extmul_low_i32x4_s(i32x4.shuffle(a, a, 0, 2, 0, 2), i32x4.shuffle(b, b, 0, 2, 0, 2)); // PMULDQ
    case 0x229: return i64x2.eq(a, b);                                                       // PCMPEQQ
    case 0x22B: return i16x8.narrow_i32x4_u(a, b);                                           // PACKUSDW
    case 0x237: return i64x2.gt_s(a, b);                                                     // PCMPGTQ
    case 0x238: return i8x16.min_s(a, b);
    case 0x239: return i32x4.min_s(a, b);
    case 0x23A: return i16x8.min_u(a, b);
    case 0x23B: return i32x4.min_u(a, b);
    case 0x23C: return i8x16.max_s(a, b);
    case 0x23D: return i32x4.max_s(a, b);
    case 0x23E: return i16x8.max_u(a, b);
    case 0x23F: return i32x4.max_u(a, b);
    case 0x240: return i32x4.mul(a, b);                                                      // PMULLD
    case 0x241: return phminposuw(b);
  }
  return a;
}

// PBLENDVB / BLENDVPS / BLENDVPD: elements of the source where XMM0's element has its top bit set.
export function blendv(d: usize, info: u32): void {
  const src = srcVec(d, 16, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const dst = regX(d);
  const m = v128.load(xmmAddr(0));
  const op = dOp(d) & 0xFF;
  const sel = op == 0x10 ? i8x16.shr_s(m, 7) : op == 0x14 ? i32x4.shr_s(m, 31) : i64x2.shr_s(m, 63);
  v128.store(dst, v128.bitselect(v128.load(src), v128.load(dst), sel));
}

// PTEST: ZF = (a AND b) == 0, CF = (NOT a AND b) == 0; OF SF AF PF cleared.
export function ptest(d: usize, info: u32): void {
  const src = srcVec(d, 16, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const a = v128.load(regX(d)), b = v128.load(src);
  let f: u64 = 0;
  if (!v128.any_true(v128.and(a, b))) f |= ZF;
  if (!v128.any_true(v128.andnot(b, a))) f |= CF;
  setArith(f);
}

// PEXTRB/PEXTRW/PEXTRD/PEXTRQ/EXTRACTPS r/m, xmm, imm8: a register
// destination gets the element zero-extended (to 64 bits: a 32-bit write).
export function pextr(d: usize): void {
  const op = dOp(d) & 0xFF;
  const x = regX(d);
  const n = <u32>dImm(d);
  let size: u32, v: u64;
  if (op == 0x14) { size = 1; v = <u64>load<u8>(x + (n & 15)); }
  else if (op == 0x15) { size = 2; v = <u64>load<u16>(x + ((n & 7) << 1)); }
  else if (op == 0x16 && (dRex(d) & REX_W) != 0) { size = 8; v = load<u64>(x + ((n & 1) << 3)); }
  else { size = 4; v = <u64>load<u32>(x + ((n & 3) << 2)); }
  if (dIsMem(d)) { writeN(ea(d), size, v); return; }
  writeReg(dRm(d), size == 8 ? 8 : 4, 0x40, v);
}

// PINSRB/PINSRD/PINSRQ xmm, r/m, imm8.
export function pinsr(d: usize): void {
  const op = dOp(d) & 0xFF;
  const n = <u32>dImm(d);
  const w = (dRex(d) & REX_W) != 0;
  const size: u32 = op == 0x20 ? 1 : w ? 8 : 4;
  const v = readRM(d, dIsMem(d) ? size : (size == 8 ? 8 : 4));
  if (exc != 0) return;
  const x = regX(d);
  if (size == 1) store<u8>(x + (n & 15), <u8>v);
  else if (size == 4) store<u32>(x + ((n & 3) << 2), <u32>v);
  else store<u64>(x + ((n & 1) << 3), v);
}

// INSERTPS xmm, xmm/m32, imm8: element imm[7:6] of the register source (or
// the m32) into element imm[5:4], then the elements of imm[3:0] cleared.
export function insertps(d: usize): void {
  const n = <u32>dImm(d) & 0xFF;
  let v: u32;
  if (dIsMem(d)) { v = read32(ea(d)); if (exc != 0) return; }
  else v = load<u32>(rmX(d) + ((n >> 6) << 2));
  const x = regX(d);
  store<u32>(x + (((n >> 4) & 3) << 2), v);
  for (let i: u32 = 0; i < 4; i++) if ((n & (1 << i)) != 0) store<u32>(x + (i << 2), 0);
}

