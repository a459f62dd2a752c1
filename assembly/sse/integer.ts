// Packed integer operations (the table's "vec" and "shiftimm" rows): the
// SSE2 set of 0F 60-76 and D1-FE (add/sub with and without saturation,
// compares, min/max, averages, multiplies, PSADBW, logic, shifts, packs and
// unpacks) and the SSSE3/SSE4 ones of 0F 38 (sse/ssse3.ts, sse/sse41.ts), on
// WASM SIMD lanes, which have the same wrap-around and saturation rules. The
// MMX forms compute on the low half of a 128-bit value: lane-wise operations
// give the MMX result there as they are; packs, horizontal adds, PUNPCKH and
// PSHUFB are arranged so they do too (vbin64).
import { regX, src128, srcVec } from "./operand";
import { dImm, dExt, dIsMem, dRm, dOp } from "../exec/operand";
import { xmmAddr, raiseOpcode, exc } from "../cpu/state";
import { EXIT_INVALID_OPCODE } from "../cpu/exits";
import { regKind, memSizeCode, K_MM, R_ALIGNED } from "./rows";
import { mmRead, mmWrite, mmReg, mmRm, mmSrc } from "./mmx";
import { binop38 } from "./ssse3";

function pmulhuw(a: v128, b: v128): v128 {
  const lo = i32x4.shr_u(i32x4.extmul_low_i16x8_u(a, b), 16);
  const hi = i32x4.shr_u(i32x4.extmul_high_i16x8_u(a, b), 16);
  return i16x8.narrow_i32x4_u(lo, hi);
}
function pmulhw(a: v128, b: v128): v128 {
  const lo = i32x4.shr_s(i32x4.extmul_low_i16x8_s(a, b), 16);
  const hi = i32x4.shr_s(i32x4.extmul_high_i16x8_s(a, b), 16);
  return i16x8.narrow_i32x4_s(lo, hi);
}
function psadbw(a: v128, b: v128): v128 {
  const d = v128.or(i8x16.sub_sat_u(a, b), i8x16.sub_sat_u(b, a)); // |a - b| per byte
  const w = i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(d));
  const s0 = <u64>(i32x4.extract_lane(w, 0) + i32x4.extract_lane(w, 1));
  const s1 = <u64>(i32x4.extract_lane(w, 2) + i32x4.extract_lane(w, 3));
  return i64x2.replace_lane(i64x2.splat(s0), 1, s1);
}

// Shift every lane by `count` (an unsigned 64-bit count; SSE saturates where WASM wraps).
function shift(op: u32, a: v128, count: u64): v128 {
  switch (op) {
    case 0xD1: return count > 15 ? i64x2.splat(0) : i16x8.shr_u(a, <i32>count);
    case 0xD2: return count > 31 ? i64x2.splat(0) : i32x4.shr_u(a, <i32>count);
    case 0xD3: return count > 63 ? i64x2.splat(0) : i64x2.shr_u(a, <i32>count);
    case 0xE1: return i16x8.shr_s(a, count > 15 ? 15 : <i32>count);
    case 0xE2: return i32x4.shr_s(a, count > 31 ? 31 : <i32>count);
    case 0xF1: return count > 15 ? i64x2.splat(0) : i16x8.shl(a, <i32>count);
    case 0xF2: return count > 31 ? i64x2.splat(0) : i32x4.shl(a, <i32>count);
    default:   return count > 63 ? i64x2.splat(0) : i64x2.shl(a, <i32>count); // F3
  }
}

function binop(op: u32, a: v128, b: v128): v128 {
  switch (op) {
    case 0x60: return i8x16.shuffle(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    case 0x61: return i8x16.shuffle(a, b, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23);
    case 0x62: return i8x16.shuffle(a, b, 0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
    case 0x63: return i8x16.narrow_i16x8_s(a, b);
    case 0x64: return i8x16.gt_s(a, b);
    case 0x65: return i16x8.gt_s(a, b);
    case 0x66: return i32x4.gt_s(a, b);
    case 0x67: return i8x16.narrow_i16x8_u(a, b);
    case 0x68: return i8x16.shuffle(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    case 0x69: return i8x16.shuffle(a, b, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31);
    case 0x6A: return i8x16.shuffle(a, b, 8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
    case 0x6B: return i16x8.narrow_i32x4_s(a, b);
    case 0x6C: return i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
    case 0x6D: return i8x16.shuffle(a, b, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31);
    case 0x74: return i8x16.eq(a, b);
    case 0x75: return i16x8.eq(a, b);
    case 0x76: return i32x4.eq(a, b);
    case 0xD4: return i64x2.add(a, b);
    case 0xD5: return i16x8.mul(a, b);
    case 0xD8: return i8x16.sub_sat_u(a, b);
    case 0xD9: return i16x8.sub_sat_u(a, b);
    case 0xDA: return i8x16.min_u(a, b);
    case 0xDB: return v128.and(a, b);
    case 0xDC: return i8x16.add_sat_u(a, b);
    case 0xDD: return i16x8.add_sat_u(a, b);
    case 0xDE: return i8x16.max_u(a, b);
    case 0xDF: return v128.andnot(b, a);
    case 0xE0: return i8x16.avgr_u(a, b);
    case 0xE3: return i16x8.avgr_u(a, b);
    case 0xE4: return pmulhuw(a, b);
    case 0xE5: return pmulhw(a, b);
    case 0xE8: return i8x16.sub_sat_s(a, b);
    case 0xE9: return i16x8.sub_sat_s(a, b);
    case 0xEA: return i16x8.min_s(a, b);
    case 0xEB: return v128.or(a, b);
    case 0xEC: return i8x16.add_sat_s(a, b);
    case 0xED: return i16x8.add_sat_s(a, b);
    case 0xEE: return i16x8.max_s(a, b);
    case 0xEF: return v128.xor(a, b);
    case 0xF4: {
      const m = i64x2(0xFFFFFFFF, 0xFFFFFFFF);
      return i64x2.mul(v128.and(a, m), v128.and(b, m));
    }
    case 0xF5: return i32x4.dot_i16x8_s(a, b);
    case 0xF6: return psadbw(a, b);
    case 0xF8: return i8x16.sub(a, b);
    case 0xF9: return i16x8.sub(a, b);
    case 0xFA: return i32x4.sub(a, b);
    case 0xFB: return i64x2.sub(a, b);
    case 0xFC: return i8x16.add(a, b);
    case 0xFD: return i16x8.add(a, b);
    case 0xFE: return i32x4.add(a, b);
    case 0xD1: case 0xD2: case 0xD3: case 0xE1: case 0xE2: case 0xF1: case 0xF2: case 0xF3:
      return shift(op, a, i64x2.extract_lane(b, 0));
  }
  return binop38(op, a, b);
}

// An MMX operation: a and b as the low halves of 128-bit values.
function vbin64(key: u32, a: u64, b: u64): u64 {
  const va = i64x2.replace_lane(i64x2.splat(0), 0, a), vb = i64x2.replace_lane(i64x2.splat(0), 0, b);
  switch (key) {
    // packs and horizontal operations: a and b side by side, as one 128-bit operand
    case 0x63: case 0x67: case 0x6B: case 0x201: case 0x202: case 0x203: case 0x205: case 0x206: case 0x207: {
      const v = i64x2.replace_lane(va, 1, b);
      return i64x2.extract_lane(binop(key, v, v), 0);
    }
    // PUNPCKHBW/WD/DQ: the upper half of the 128-bit PUNPCKL of the two
    case 0x68: case 0x69: case 0x6A: return i64x2.extract_lane(binop(key - 8, va, vb), 1);
    // PSHUFB: three index bits
    case 0x200: return i64x2.extract_lane(i8x16.swizzle(va, v128.and(vb, i8x16.splat(<i8>0x87))), 0);
  }
  return i64x2.extract_lane(binop(key, va, vb), 0);
}

// The "vec" rows: reg = reg OP r/m, for MMX (P, Q) or XMM (V, W) operands.
// The r/m operand's size is the row's (PUNPCKL mm, m32; PMOVSXBD xmm, m32 ...).
export function vec(d: usize, info: u32): void {
  const op = dOp(d);
  const key = op < 0x200 ? op & 0xFF : op;
  const size = memSizeCode(info);
  if (regKind(info) == K_MM) {
    const b = mmSrc(d, size);
    if (exc != 0) return;
    mmWrite(mmReg(d), vbin64(key, mmRead(mmReg(d)), b));
    return;
  }
  const src = srcVec(d, size, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const dst = regX(d);
  v128.store(dst, binop(key, v128.load(dst), v128.load(src)));
}

// xmm = xmm OP xmm/m128 (the fast form of the SSE2 rows)
export function packedInt(d: usize, op: u32): void {
  const src = src128(d, true);
  if (src == 0) return;
  const dst = regX(d);
  v128.store(dst, binop(op, v128.load(dst), v128.load(src)));
}

// 0F 71/72/73 /n ib: shifts by an immediate (MMX and XMM), and PSRLDQ/PSLLDQ.
export function shiftImm(d: usize, op: u32, mmx: bool): void {
  const ext = dExt(d);
  if (dIsMem(d)) { raiseOpcode(EXIT_INVALID_OPCODE, 0x100 | op); return; }
  const n = dImm(d) & 0xFF;
  if (mmx) {
    let sop: u32 = ext == 2 ? 0xD0 : ext == 4 ? 0xE0 : 0xF0;
    sop |= op - 0x70; // 71: word, 72: dword, 73: qword
    const r = mmRm(d);
    mmWrite(r, i64x2.extract_lane(shift(sop, i64x2.replace_lane(i64x2.splat(0), 0, mmRead(r)), n), 0));
    return;
  }
  const r = xmmAddr(dRm(d));
  const a = v128.load(r);
  let sop: u32 = 0;
  if (op == 0x71) sop = ext == 2 ? 0xD1 : ext == 4 ? 0xE1 : ext == 6 ? 0xF1 : 0;
  else if (op == 0x72) sop = ext == 2 ? 0xD2 : ext == 4 ? 0xE2 : ext == 6 ? 0xF2 : 0;
  else {
    if (ext == 3 || ext == 7) { byteShift(r, <u32>n, ext == 7); return; }
    sop = ext == 2 ? 0xD3 : ext == 6 ? 0xF3 : 0;
  }
  if (sop == 0) { raiseOpcode(EXIT_INVALID_OPCODE, 0x100 | op); return; }
  v128.store(r, shift(sop, a, n));
}

// PSRLDQ / PSLLDQ: whole-register byte shifts (counts above 15 clear it).
function byteShift(r: usize, n: u32, left: bool): void {
  const lo = load<u64>(r), hi = load<u64>(r, 8);
  if (n > 15) { store<u64>(r, 0); store<u64>(r, 0, 8); return; }
  const s = <u64>n << 3;
  let nlo: u64, nhi: u64;
  if (left) {
    if (s >= 64) { nhi = lo << (s - 64); nlo = 0; }
    else { nhi = s == 0 ? hi : (hi << s) | (lo >> (64 - s)); nlo = lo << s; }
  } else {
    if (s >= 64) { nlo = hi >> (s - 64); nhi = 0; }
    else { nlo = s == 0 ? lo : (lo >> s) | (hi << (64 - s)); nhi = hi >> s; }
  }
  store<u64>(r, nlo); store<u64>(r, nhi, 8);
}
