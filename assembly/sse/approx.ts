// RCPPS, RCPSS, RSQRTPS, RSQRTSS: approximate 1/x and 1/sqrt(x) of binary32.
// The SDM bounds their relative error by 1.5 * 2^-12 and leaves the bits to
// the model. This core's approximation: the exact value rounded to nearest
// to 12 significant bits (the low 11 mantissa bits zero, as the hardware's
// are), a relative error of at most 2^-12, computed in integers so that it
// is the same everywhere. The special cases as the SDM defines them and the
// AMD host does them: no MXCSR flags or exceptions whatever MXCSR says;
// denormal operands count as zero (±0 -> ±inf); ±inf -> ±0 (RSQRT of -inf,
// or of any negative non-zero number, the default NaN); a NaN comes back
// quiet; a reciprocal that would be below 2^-126 (|x| >= 2^126) is ±0.
// (The AMD Zen 5 host's values are a table lookup on the top 12 mantissa
// bits, plus the exponent's parity for RSQRT, with no closed form found:
// docs/cpu-model.md.)
import { regX, srcVec, srcLow } from "./operand";
import { exc } from "../cpu/state";

const DEFAULT_NAN: u32 = 0xFFC00000;

// Round-to-nearest of 4096 * z for z = 2^23 / m (m the 24-bit significand), in [2048, 4096].
@inline function rcp12(m: u32): u32 {
  const n: u64 = <u64>1 << 35;
  const q = <u32>(n / <u64>m), r = n % <u64>m;
  return q + (r * 2 >= <u64>m ? 1 : 0); // (no ties: m does not divide 2^36 for m > 1)
}

// Round-to-nearest of 4096 * z for z = sqrt(2^23 / w), w in [2^23, 2^25): the
// largest y with w * (2y - 1)^2 <= 2^49 (z >= (y - 1/2) / 4096; no ties).
@inline function rsqrt12(w: u32): u32 {
  const lim: u64 = <u64>1 << 49;
  let y = <u32>Math.round(4096.0 * Math.sqrt(8388608.0 / <f64>w));
  while (y > 2048 && <u64>w * <u64>(2 * y - 1) * <u64>(2 * y - 1) > lim) y--;
  while (<u64>w * <u64>(2 * y + 1) * <u64>(2 * y + 1) <= lim) y++;
  return y;
}

// z * 2^k with y = round(4096 z) in [2048, 4096] as a binary32 of biased exponent e for z in [1/2, 1).
@inline function pack(sign: u32, e: i32, y: u32): u32 {
  if (y == 4096) return sign | (<u32>(e + 1) << 23);
  return sign | (<u32>e << 23) | ((y - 2048) << 12);
}

export function rcp32(x: u32): u32 {
  const sign = x & 0x80000000, e = <i32>((x >> 23) & 0xFF), f = x & 0x7FFFFF;
  if (e == 0xFF) return f != 0 ? x | 0x400000 : sign; // NaN quieted; 1/inf = 0
  if (e == 0) return sign | 0x7F800000;               // zero or denormal: infinity
  if (e >= 253) return sign;                          // |x| >= 2^126: a tiny result, flushed
  // 1/x = z * 2^(127 - e + 1 - 1), z = 2^23/m in (1/2, 1]: biased exponent 253 - e for z < 1
  return pack(sign, 253 - e, rcp12(0x800000 | f));
}

export function rsqrt32(x: u32): u32 {
  const sign = x & 0x80000000, e = <i32>((x >> 23) & 0xFF), f = x & 0x7FFFFF;
  if (e == 0xFF) return f != 0 ? x | 0x400000 : (sign != 0 ? DEFAULT_NAN : 0);
  if (e == 0) return sign | 0x7F800000;               // ±0 and denormals: ±infinity
  if (sign != 0) return DEFAULT_NAN;
  // x = w * 2^(e - 127 - 23) with w = m or 2m so that the exponent is even:
  // 1/sqrt(x) = z * 2^((150 - e') / 2 - 23/2 ...) folded below.
  const odd = ((e - 127) & 1) != 0;
  const w = (0x800000 | f) << (odd ? 1 : 0);          // x = (w / 2^23) * 2^(e - 127 - odd)
  const half = (e - 127 - (odd ? 1 : 0)) >> 1;        // 1/sqrt(x) = z * 2^-half, z = sqrt(2^23/w) in (1/2, 1]
  return pack(0, 126 - half, rsqrt12(w));
}

// Executors: packed (four lanes) and scalar (lane 0; the others keep the destination's).
export function approx(d: usize, packed: bool, sqrt: bool, aligned: bool): void {
  const dst = regX(d);
  if (packed) {
    const s = srcVec(d, 16, aligned);
    if (exc != 0) return;
    const a = load<u32>(s), b = load<u32>(s, 4), c = load<u32>(s, 8), e = load<u32>(s, 12);
    store<u32>(dst, sqrt ? rsqrt32(a) : rcp32(a));
    store<u32>(dst, sqrt ? rsqrt32(b) : rcp32(b), 4);
    store<u32>(dst, sqrt ? rsqrt32(c) : rcp32(c), 8);
    store<u32>(dst, sqrt ? rsqrt32(e) : rcp32(e), 12);
    return;
  }
  const v = <u32>srcLow(d, 4);
  if (exc != 0) return;
  store<u32>(dst, sqrt ? rsqrt32(v) : rcp32(v));
}
