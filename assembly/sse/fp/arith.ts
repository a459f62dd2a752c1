// IEEE-754 add, subtract, multiply, divide and square root on binary32/binary64
// bit patterns, exact under all four rounding modes, with x86's NaN rules (a
// NaN source is returned quieted, the first source winning; invalid operations
// give the default NaN) and x86's flag precedence per element: an invalid
// operation (SNaN, inf-inf, 0*inf, ...) or a divide-by-zero reports only that;
// otherwise DE for a denormal input, then what rounding reports.
import { F64, defaultNaN, signBitOf, infOf, quiet } from "./format";
import { setRoundedUp, fpRc, fpRaise, RC_DOWN, FE_INVALID, FE_DENORMAL, FE_DIVZERO, FE_INEXACT, RC_NEAR, RC_UP } from "./env";
import {
  unpackA, unpackB, aSign, aExp, aSig, aCls, aDen, bSign, bExp, bSig, bCls, bDen, setBSign,
  CL_ZERO, CL_FINITE, CL_INF, CL_SNAN, isNaNCls, shiftRightJam,
} from "./unpack";
import { roundPack, normRoundPack } from "./round";

@inline function signed(sign: u32, fmt: u32, mag: u64): u64 { return (sign != 0 ? signBitOf(fmt) : 0) | mag; }

// NaN result of a two-operand operation where a or b is a NaN.
export function propagateNaN(a: u64, b: u64, fmt: u32): u64 {
  if (aCls == CL_SNAN || bCls == CL_SNAN) fpRaise(FE_INVALID);
  return isNaNCls(aCls) ? quiet(a, fmt) : quiet(b, fmt);
}

@inline function denormals(): void { if (aDen || bDen) fpRaise(FE_DENORMAL); }

// a + b (sub: a - b)
export function fadd(a: u64, b: u64, fmt: u32, sub: bool): u64 {
  unpackA(a, fmt); unpackB(b, fmt);
  if (isNaNCls(aCls) || isNaNCls(bCls)) return propagateNaN(a, b, fmt);
  const sb = sub ? bSign ^ 1 : bSign;
  setBSign(sb);
  if (aCls == CL_INF || bCls == CL_INF) {
    if (aCls == CL_INF && bCls == CL_INF && aSign != sb) { fpRaise(FE_INVALID); return defaultNaN(fmt); }
    denormals();
    return aCls == CL_INF ? signed(aSign, fmt, infOf(fmt)) : signed(sb, fmt, infOf(fmt));
  }
  denormals();
  if (aCls == CL_ZERO && bCls == CL_ZERO) {
    const s = aSign == sb ? aSign : (fpRc == RC_DOWN ? 1 : 0);
    return signed(s, fmt, 0);
  }
  if (aCls == CL_ZERO) return roundPack(sb, bExp, bSig, fmt);
  if (bCls == CL_ZERO) return roundPack(aSign, aExp, aSig, fmt);
  // Order by magnitude: x is the larger.
  let xs = aSign, xe = aExp, xm = aSig, ye = bExp, ym = bSig, ys = sb;
  if (bExp > aExp || (bExp == aExp && bSig > aSig)) { xs = sb; xe = bExp; xm = bSig; ys = aSign; ye = aExp; ym = aSig; }
  const d = xe - ye;
  if (xs == ys) {
    const sum = xm + shiftRightJam(ym, d);   // < 2^64: both below 2^63
    return normRoundPack(xs, xe, sum, fmt);
  }
  // Subtract magnitudes with one guard bit (leading 1 moved to bit 63).
  const diff = (xm << 1) - shiftRightJam(ym << 1, d);
  if (diff == 0) return signed(fpRc == RC_DOWN ? 1 : 0, fmt, 0);
  return normRoundPack(xs, xe - 1, diff, fmt);
}

// 64x64 -> 128-bit product, high and low halves.
export let mulHi: u64 = 0;
export let mulLo: u64 = 0;
export function resetArith(): void { mulHi = 0; mulLo = 0; }
export function mul128(a: u64, b: u64): void {
  const a0 = a & 0xFFFFFFFF, a1 = a >> 32, b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
  mulLo = (mid << 32) | (p00 & 0xFFFFFFFF);
  mulHi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

export function fmul(a: u64, b: u64, fmt: u32): u64 {
  unpackA(a, fmt); unpackB(b, fmt);
  if (isNaNCls(aCls) || isNaNCls(bCls)) return propagateNaN(a, b, fmt);
  const s = aSign ^ bSign;
  if (aCls == CL_INF || bCls == CL_INF) {
    if (aCls == CL_ZERO || bCls == CL_ZERO) { fpRaise(FE_INVALID); return defaultNaN(fmt); }
    denormals();
    return signed(s, fmt, infOf(fmt));
  }
  denormals();
  if (aCls == CL_ZERO || bCls == CL_ZERO) return signed(s, fmt, 0);
  mul128(aSig, bSig);                       // in [2^124, 2^126)
  let e = aExp + bExp;
  let sig: u64;
  if (mulHi < (<u64>1 << 61)) sig = (mulHi << 2) | (mulLo >> 62) | ((mulLo << 2) != 0 ? 1 : 0);
  else { e += 1; sig = (mulHi << 1) | (mulLo >> 63) | ((mulLo << 1) != 0 ? 1 : 0); }
  return roundPack(s, e, sig, fmt);
}

export function fdiv(a: u64, b: u64, fmt: u32): u64 {
  unpackA(a, fmt); unpackB(b, fmt);
  if (isNaNCls(aCls) || isNaNCls(bCls)) return propagateNaN(a, b, fmt);
  const s = aSign ^ bSign;
  if (aCls == CL_INF) {
    if (bCls == CL_INF) { fpRaise(FE_INVALID); return defaultNaN(fmt); }
    denormals();
    return signed(s, fmt, infOf(fmt));
  }
  if (bCls == CL_INF) { denormals(); return signed(s, fmt, 0); }
  if (bCls == CL_ZERO) {
    if (aCls == CL_ZERO) { fpRaise(FE_INVALID); return defaultNaN(fmt); }
    fpRaise(FE_DIVZERO);
    return signed(s, fmt, infOf(fmt));
  }
  denormals();
  if (aCls == CL_ZERO) return signed(s, fmt, 0);
  // Long division: q = floor(aSig * 2^k / bSig) with its leading 1 at bit 62.
  let e = aExp - bExp;
  let rem = aSig, q: u64 = 0, k = 62;
  if (rem < bSig) { e -= 1; k = 63; } else { rem -= bSig; q = 1; }
  for (let i = 0; i < k; i++) {
    rem <<= 1; q <<= 1;
    if (rem >= bSig) { rem -= bSig; q |= 1; }
  }
  return roundPack(s, e, q | (rem != 0 ? 1 : 0), fmt);
}

// Square root: the host's sqrt is correctly rounded to nearest; the exact
// square of that result tells whether it was inexact and which way, which is
// all the directed modes need.
export function fsqrt(a: u64, fmt: u32): u64 {
  unpackA(a, fmt);
  if (isNaNCls(aCls)) { if (aCls == CL_SNAN) fpRaise(FE_INVALID); return quiet(a, fmt); }
  if (aCls == CL_ZERO) return signed(aSign, fmt, 0);
  if (aSign != 0) { fpRaise(FE_INVALID); return defaultNaN(fmt); }
  if (aDen) fpRaise(FE_DENORMAL);
  if (aCls == CL_INF) return a;
  let r: u64;
  let cmp: i32; // sign of r*r - a
  if (fmt == F64) {
    const x = reinterpret<f64>(a);
    r = reinterpret<u64>(Math.sqrt(x));
    cmp = cmpSquare64(r, aExp, aSig);
  } else {
    const x = reinterpret<f32>(<u32>a);
    const rf = Mathf.sqrt(x);
    r = <u64>reinterpret<u32>(rf);
    const sq = <f64>rf * <f64>rf, xd = <f64>x;   // exact in binary64
    cmp = sq < xd ? -1 : (sq > xd ? 1 : 0);
  }
  if (cmp == 0) return r;
  fpRaise(FE_INEXACT);
  if (fpRc == RC_NEAR) { setRoundedUp(cmp > 0); return r; }
  if (fpRc == RC_UP) { setRoundedUp(true); return cmp < 0 ? r + 1 : r; }
  return cmp > 0 ? r - 1 : r; // down, toward zero
}

// Compare r*r with the value sig * 2^(exp-62) exactly (r a positive normal binary64).
function cmpSquare64(r: u64, exp: i32, sig: u64): i32 {
  const re = <i32>(r >> 52) - 1023;
  const rm = (r & 0x000FFFFFFFFFFFFF) | 0x0010000000000000; // r = rm * 2^(re-52)
  mul128(rm, rm);                                         // r^2 = P * 2^(2re-104)
  // a = sig * 2^(exp-62) = (sig >> 10) * 2^(exp-52) exactly (sig has >= 10 zero low bits)
  const am = sig >> 10;
  const d = (exp - 52) - (2 * re - 104);                  // a = am * 2^d in units of 2^(2re-104)
  // Compare (mulHi:mulLo) with am << d; d is in [0, 64) for these magnitudes.
  let xh: u64 = 0, xl: u64 = am;
  if (d >= 64) { xh = am << <u64>(d - 64); xl = 0; }
  else if (d > 0) { xh = am >> <u64>(64 - d); xl = am << <u64>d; }
  else if (d < 0) { xl = am >> <u64>(-d); }
  if (mulHi != xh) return mulHi < xh ? -1 : 1;
  if (mulLo != xl) return mulLo < xl ? -1 : 1;
  return 0;
}
