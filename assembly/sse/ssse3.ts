// SSSE3 packed integer operations (0F 38 00-0B, 1C-1E; PALIGNR is in
// vecimm.ts): byte shuffle, horizontal add/subtract with and without
// saturation, multiply-add of unsigned by signed bytes, rounded high
// multiply, sign and absolute value. 128-bit forms; integer.ts arranges the
// MMX ones. The SSE4.1 keys are passed on to sse41.ts.
import { binop41 } from "./sse41";

// Even and odd 16-bit lanes of a then b: [a0 a2 a4 a6 b0 b2 b4 b6] and [a1 a3 ...].
@inline function evens16(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21, 24, 25, 28, 29);
}
@inline function odds16(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
}
@inline function evens32(a: v128, b: v128): v128 { return i32x4.shuffle(a, b, 0, 2, 4, 6); }
@inline function odds32(a: v128, b: v128): v128 { return i32x4.shuffle(a, b, 1, 3, 5, 7); }

// PMADDUBSW: unsigned bytes of a times signed bytes of b, adjacent products summed with signed saturation.
function pmaddubsw(a: v128, b: v128): v128 {
  const m = i16x8.splat(0x00FF);
  const ae = v128.and(a, m), ao = i16x8.shr_u(a, 8);
  const be = i16x8.shr_s(i16x8.shl(b, 8), 8), bo = i16x8.shr_s(b, 8);
  return i16x8.add_sat_s(i16x8.mul(ae, be), i16x8.mul(ao, bo));
}

// PMULHRSW: (a*b >> 14) + 1 >> 1, low 16 bits (0x8000 * 0x8000 gives 0x8000, not WASM's saturated q15 product).
function pmulhrsw(a: v128, b: v128): v128 {
  const one = i32x4.splat(1);
  const lo = i32x4.shr_s(i32x4.add(i32x4.shr_s(i32x4.extmul_low_i16x8_s(a, b), 14), one), 1);
  const hi = i32x4.shr_s(i32x4.add(i32x4.shr_s(i32x4.extmul_high_i16x8_s(a, b), 14), one), 1);
  return evens16(lo, hi);
}

// PSIGN: a negated where b < 0, zero where b == 0, a where b > 0.
@inline function psign(neg: v128, a: v128, lt: v128, eq: v128): v128 {
  return v128.andnot(v128.bitselect(neg, a, lt), eq);
}

@inline export function binop38(key: u32, a: v128, b: v128): v128 {
  switch (key) {
    case 0x200: return i8x16.swizzle(a, v128.and(b, i8x16.splat(<i8>0x8F))); // PSHUFB
    case 0x201: return i16x8.add(evens16(a, b), odds16(a, b));             // PHADDW
    case 0x202: return i32x4.add(evens32(a, b), odds32(a, b));             // PHADDD
    case 0x203: return i16x8.add_sat_s(evens16(a, b), odds16(a, b));       // PHADDSW
    case 0x204: return pmaddubsw(a, b);
    case 0x205: return i16x8.sub(evens16(a, b), odds16(a, b));             // PHSUBW
    case 0x206: return i32x4.sub(evens32(a, b), odds32(a, b));             // PHSUBD
    case 0x207: return i16x8.sub_sat_s(evens16(a, b), odds16(a, b));       // PHSUBSW
    case 0x208: { const z = i8x16.splat(0); return psign(i8x16.neg(a), a, i8x16.lt_s(b, z), i8x16.eq(b, z)); }
    case 0x209: { const z = i16x8.splat(0); return psign(i16x8.neg(a), a, i16x8.lt_s(b, z), i16x8.eq(b, z)); }
    case 0x20A: { const z = i32x4.splat(0); return psign(i32x4.neg(a), a, i32x4.lt_s(b, z), i32x4.eq(b, z)); }
    case 0x20B: return pmulhrsw(a, b);
    case 0x21C: return i8x16.abs(b);                                       // PABSB (|-128| = 0x80)
    case 0x21D: return i16x8.abs(b);
    case 0x21E: return i32x4.abs(b);
  }
  return binop41(key, a, b);
}
