// A wider float for the transcendentals: sign, exponent and a 128-bit
// significand (value = (hi:lo) * 2^(exp-127), bit 127 set unless zero), kept
// in numbered scratch slots of static memory so nothing is allocated. Every
// operation truncates to 128 bits (relative error below 2^-126), so a result
// built from a few dozen of them is good to ~120 bits before its one final
// rounding to the extended format.
import { mul128, mulHi, mulLo } from "../../sse/fp/arith";
import { roundExt } from "../ext/round";
import { BIAS } from "../ext/value";

const SLOTS: u32 = 24;
const WIDE: usize = memory.data(<i32>(SLOTS * 24), 8);
export function resetWide(): void { memory.fill(WIDE, 0, SLOTS * 24); }

@inline function at(i: u32): usize { return WIDE + <usize>(i * 24); }
@inline export function wSign(i: u32): u32 { return load<u32>(at(i)); }
@inline export function wExp(i: u32): i32 { return load<i32>(at(i), 4); }
@inline export function wHi(i: u32): u64 { return load<u64>(at(i), 8); }
@inline export function wLo(i: u32): u64 { return load<u64>(at(i), 16); }
@inline export function wIsZero(i: u32): bool { return wHi(i) == 0; }

// Store, normalizing (hi:lo) so that bit 127 is set (or the value is zero).
export function wSet(d: u32, sign: u32, exp: i32, hi: u64, lo: u64): void {
  if (hi == 0) {
    if (lo == 0) { store<u32>(at(d), sign); store<i32>(at(d), 0, 4); store<u64>(at(d), 0, 8); store<u64>(at(d), 0, 16); return; }
    hi = lo; lo = 0; exp -= 64;
  }
  const lz = <i32>clz(hi);
  if (lz != 0) { hi = (hi << <u64>lz) | (lo >> <u64>(64 - lz)); lo <<= <u64>lz; exp -= lz; }
  store<u32>(at(d), sign); store<i32>(at(d), exp, 4); store<u64>(at(d), hi, 8); store<u64>(at(d), lo, 16);
}
export function wCopy(d: u32, a: u32): void { wSet(d, wSign(a), wExp(a), wHi(a), wLo(a)); }
export function wNeg(d: u32, a: u32): void { wSet(d, wSign(a) ^ 1, wExp(a), wHi(a), wLo(a)); }
export function wAbs(d: u32, a: u32): void { wSet(d, 0, wExp(a), wHi(a), wLo(a)); }
// A finite extended value (sign/exponent word and significand), exactly.
export function wFromExt(d: u32, se: u32, sig: u64): void {
  const e = <i32>(se & 0x7FFF);
  wSet(d, se >> 15, (e == 0 ? 1 : e) - BIAS, sig, 0);
}
export function wFromInt(d: u32, v: i64): void {
  const neg = v < 0;
  wSet(d, neg ? 1 : 0, 127, 0, neg ? <u64>(0 - v) : <u64>v);
}
// Round to the extended format at full precision (sets rSe/rSig and the
// flags). `tail` says where the true value lies when the wide value ends at
// 64 bits (a tiny argument whose correction fell below 128 bits): +1 just
// above in magnitude, -1 just below, 0 exact.
export function wRound(a: u32, tail: i32): void {
  const sign = wSign(a);
  if (wIsZero(a)) { setZero(sign); return; }
  let hi = wHi(a), lo = wLo(a), exp = wExp(a);
  if (lo == 0 && tail > 0) lo = 1;
  else if (lo == 0 && tail < 0) { // just below: (hi:0) - 1, renormalized if hi was a power of two
    lo = 0xFFFFFFFFFFFFFFFF;
    if (hi == 0x8000000000000000) { hi = 0xFFFFFFFFFFFFFFFF; exp -= 1; } else hi -= 1;
  }
  roundExt(sign, exp, hi, lo, 64);
  // The host reports PE even when the result is exact (log2 of a power of
  // two, 2^1 - 1), and so UE for an exact denormal result.
  fpRaise((rSe & 0x7FFF) == 0 && rSig != 0 ? FE_INEXACT | FE_UNDERFLOW : FE_INEXACT);
}
import { fpRaise, FE_INEXACT, FE_UNDERFLOW } from "../../sse/fp/env";
import { rSe, rSig } from "../ext/value";
import { setZero } from "../ext/value";

// |a| compared with |b|: -1, 0, 1.
export function wCmpAbs(a: u32, b: u32): i32 {
  if (wIsZero(a) || wIsZero(b)) return wIsZero(a) ? (wIsZero(b) ? 0 : -1) : 1;
  if (wExp(a) != wExp(b)) return wExp(a) < wExp(b) ? -1 : 1;
  if (wHi(a) != wHi(b)) return wHi(a) < wHi(b) ? -1 : 1;
  if (wLo(a) != wLo(b)) return wLo(a) < wLo(b) ? -1 : 1;
  return 0;
}

// d = a + b (sub: a - b)
export function wAdd(d: u32, a: u32, b: u32, sub: bool): void {
  const sb = wSign(b) ^ (sub ? 1 : 0);
  if (wIsZero(b)) { wCopy(d, a); return; }
  if (wIsZero(a)) { wSet(d, sb, wExp(b), wHi(b), wLo(b)); return; }
  let x = a, y = b, xs = wSign(a), ys = sb;
  if (wCmpAbs(a, b) < 0) { x = b; y = a; xs = sb; ys = wSign(a); }
  const e = wExp(x);
  const n = e - wExp(y);
  // align y, keeping a sticky bit for what falls off (so a small term is never lost without trace)
  let yh = wHi(y), yl = wLo(y);
  if (n >= 128) { yh = 0; yl = 1; }
  else if (n >= 64) {
    const k = n - 64;
    const lost = k == 0 ? yl : (yl | (yh << <u64>(64 - k)));
    yl = (k == 0 ? yh : yh >> <u64>k) | (lost != 0 ? 1 : 0); yh = 0;
  }
  else if (n > 0) {
    const lost = yl << <u64>(64 - n);
    yl = (yl >> <u64>n) | (yh << <u64>(64 - n)) | (lost != 0 ? 1 : 0); yh >>= <u64>n;
  }
  const xh = wHi(x), xl = wLo(x);
  if (xs == ys) {
    const lo = xl + yl;
    const c: u64 = lo < xl ? 1 : 0;
    const hi = xh + yh + c;
    if (hi < xh || (hi == xh && c != 0)) { // carry out of bit 127
      wSet(d, xs, e + 1, (hi >> 1) | 0x8000000000000000, (lo >> 1) | (hi << 63));
      return;
    }
    wSet(d, xs, e, hi, lo);
    return;
  }
  const lo = xl - yl;
  const hi = xh - yh - (xl < yl ? 1 : 0);
  wSet(d, xs, e, hi, lo);
}

// d = a * b (the top 128 bits of the 256-bit product)
export function wMul(d: u32, a: u32, b: u32): void {
  const s = wSign(a) ^ wSign(b);
  if (wIsZero(a) || wIsZero(b)) { wSet(d, s, 0, 0, 0); return; }
  const ah = wHi(a), al = wLo(a), bh = wHi(b), bl = wLo(b);
  mul128(ah, bh); const hh = mulHi, hl = mulLo;
  mul128(ah, bl); const m1h = mulHi, m1l = mulLo;
  mul128(al, bh); const m2h = mulHi, m2l = mulLo;
  mul128(al, bl); const ll = mulHi;
  // word 1 (bits 64..127 of the 256-bit product) collects the carries into the top 128
  let w1 = ll; let c: u64 = 0;
  w1 += m1l; if (w1 < m1l) c++;
  w1 += m2l; if (w1 < m2l) c++;
  let lo = hl; let c2: u64 = 0;
  lo += m1h; if (lo < m1h) c2++;
  lo += m2h; if (lo < m2h) c2++;
  lo += c; if (lo < c) c2++;
  const hi = hh + c2;
  // product = (hi:lo:w1) * 2^(ea + eb - 254); normalized top at bit 255 or 254
  wSet(d, s, wExp(a) + wExp(b) + 1, hi, lo);
  if ((hi >> 63) == 0) { // wSet shifted in zeros: bring in w1's top bit instead
    store<u64>(at(d), wLo(d) | (w1 >> 63), 16);
  }
}

// d = a / b, 128 quotient bits by long division (b non-zero).
export function wDiv(d: u32, a: u32, b: u32): void {
  const s = wSign(a) ^ wSign(b);
  if (wIsZero(a)) { wSet(d, s, 0, 0, 0); return; }
  const bh = wHi(b), bl = wLo(b);
  let rh = wHi(a), rl = wLo(a), top: u64 = 0;
  let qh: u64 = 0, ql: u64 = 0;
  let e = wExp(a) - wExp(b);
  if (rh < bh || (rh == bh && rl < bl)) { // A < B: start from 2A, one exponent lower
    top = rh >> 63; rh = (rh << 1) | (rl >> 63); rl <<= 1; e -= 1;
  }
  for (let i = 0; i < 128; i++) {
    const ge = top != 0 || rh > bh || (rh == bh && rl >= bl);
    qh = (qh << 1) | (ql >> 63); ql = (ql << 1) | (ge ? 1 : 0);
    if (ge) { const bor: u64 = rl < bl ? 1 : 0; rl -= bl; rh = rh - bh - bor; }
    top = rh >> 63; rh = (rh << 1) | (rl >> 63); rl <<= 1;
  }
  wSet(d, s, e, qh, ql);
}

// d = a / n for a small positive integer n.
export function wDivSmall(d: u32, a: u32, n: u32): void {
  const t: u32 = SLOTS - 1;
  wFromInt(t, <i64>n);
  wDiv(d, a, t);
}
export function wConst(d: u32, sign: u32, exp: i32, hi: u64, lo: u64): void { wSet(d, sign, exp, hi, lo); }
