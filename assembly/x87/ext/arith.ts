// Extended-precision add, subtract, multiply, divide and square root,
// rounded to the precision p (24/53/64) and the rounding mode in effect.
// Results land in rSe/rSig (value.ts); flags in the shared fp environment.
// Precedence as on x87: an unsupported or NaN operand settles the result;
// then invalid operations (inf-inf, 0*inf, 0/0, inf/inf, sqrt of a negative)
// and divide-by-zero report only themselves; otherwise DE for a denormal
// operand, then what rounding reports.
import { fpRc, fpRaise, fpMasks, RC_DOWN, FE_INVALID, FE_DENORMAL, FE_DIVZERO } from "../../sse/fp/env";
import { mul128, mulHi, mulLo } from "../../sse/fp/arith";
import {
  unpackA, unpackB, aS, aE, aM, aK, aD, bS, bE, bM, bK, bD, setBSign,
  K_ZERO, K_INF, K_BAD, INT_BIT, setResult, setZero, setInf, setIndefinite, isNaNK,
} from "./value";
import { specials2, nan1 } from "./nan";
import { roundExt, normRoundExt, shiftRight128Jam, shHi, shLo } from "./round";

// DE for a denormal operand; true when it is unmasked, which stops the
// operation before it computes anything.
function denormals(): bool {
  if (!aD && !bD) return false;
  fpRaise(FE_DENORMAL);
  return (fpMasks & FE_DENORMAL) == 0;
}

export function extAdd(ase: u32, asig: u64, bse: u32, bsig: u64, sub: bool, p: u32): void {
  unpackA(ase, asig); unpackB(bse, bsig);
  if (specials2(ase, asig, aK, bse, bsig, bK)) return;
  const sb = sub ? bS ^ 1 : bS;
  setBSign(sb);
  if (aK == K_INF || bK == K_INF) {
    if (aK == K_INF && bK == K_INF && aS != sb) { fpRaise(FE_INVALID); setIndefinite(); return; }
    if (denormals()) return;
    setInf(aK == K_INF ? aS : sb);
    return;
  }
  if (denormals()) return;
  if (aK == K_ZERO && bK == K_ZERO) { setZero(aS == sb ? aS : (fpRc == RC_DOWN ? 1 : 0)); return; }
  if (aK == K_ZERO) { roundExt(sb, bE, bM, 0, p); return; }
  if (bK == K_ZERO) { roundExt(aS, aE, aM, 0, p); return; }
  // x is the larger magnitude.
  let xs = aS, xe = aE, xm = aM, ys = sb, ye = bE, ym = bM;
  if (bE > aE || (bE == aE && bM > aM)) { xs = sb; xe = bE; xm = bM; ys = aS; ye = aE; ym = aM; }
  shiftRight128Jam(ym, 0, xe - ye);
  const yh = shHi, yl = shLo;
  if (xs == ys) {
    const lo = yl, hi = xm + yh;
    if (hi < xm) { // carry out of bit 63: one more exponent step
      shiftRight128Jam(hi, lo, 1);
      roundExt(xs, xe + 1, shHi | INT_BIT, shLo, p);
      return;
    }
    roundExt(xs, xe, hi, lo, p);
    return;
  }
  const lo = 0 - yl;
  const hi = xm - yh - (yl != 0 ? 1 : 0);
  if (hi == 0 && lo == 0) { setZero(fpRc == RC_DOWN ? 1 : 0); return; }
  normRoundExt(xs, xe, hi, lo, p);
}

export function extMul(ase: u32, asig: u64, bse: u32, bsig: u64, p: u32): void {
  unpackA(ase, asig); unpackB(bse, bsig);
  if (specials2(ase, asig, aK, bse, bsig, bK)) return;
  const s = aS ^ bS;
  if (aK == K_INF || bK == K_INF) {
    if (aK == K_ZERO || bK == K_ZERO) { fpRaise(FE_INVALID); setIndefinite(); return; }
    if (denormals()) return;
    setInf(s); return;
  }
  if (denormals()) return;
  if (aK == K_ZERO || bK == K_ZERO) { setZero(s); return; }
  mul128(aM, bM);
  normRoundExt(s, aE + bE + 1, mulHi, mulLo, p);
}

export function extDiv(ase: u32, asig: u64, bse: u32, bsig: u64, p: u32): void {
  unpackA(ase, asig); unpackB(bse, bsig);
  if (specials2(ase, asig, aK, bse, bsig, bK)) return;
  const s = aS ^ bS;
  if (aK == K_INF) {
    if (bK == K_INF) { fpRaise(FE_INVALID); setIndefinite(); return; }
    if (denormals()) return;
    setInf(s); return;
  }
  if (bK == K_INF) { if (denormals()) return; setZero(s); return; }
  if (bK == K_ZERO) {
    if (aK == K_ZERO) { fpRaise(FE_INVALID); setIndefinite(); return; }
    fpRaise(FE_DIVZERO); setInf(s); return;
  }
  if (denormals()) return;
  if (aK == K_ZERO) { setZero(s); return; }
  divSig(aM, bM);
  roundExt(s, aE - bE + qExp, qHi, qLo, p);
}

// 128 quotient bits of a/b (both with bit 63 set), the leading one at bit
// 127, the remainder jammed into bit 0; qExp = 0 when a >= b, else -1.
export let qHi: u64 = 0;
export let qLo: u64 = 0;
export let qExp: i32 = 0;
export function resetExtArith(): void { qHi = 0; qLo = 0; qExp = 0; }
export function divSig(a: u64, b: u64): void {
  let rem = a, hi: u64 = 0, lo: u64 = 0, n = 128;
  qExp = 0;
  if (rem >= b) { rem -= b; lo = 1; n = 127; } else qExp = -1;
  for (let i = 0; i < n; i++) {
    const top = rem >> 63;
    rem <<= 1;
    hi = (hi << 1) | (lo >> 63); lo <<= 1;
    if (top != 0 || rem >= b) { rem -= b; lo |= 1; }
  }
  qHi = hi; qLo = lo | (rem != 0 ? 1 : 0);
}

export function extSqrt(ase: u32, asig: u64, p: u32): void {
  unpackA(ase, asig);
  if (aK == K_BAD) { fpRaise(FE_INVALID); setIndefinite(); return; }
  if (isNaNK(aK)) { nan1(ase, asig, aK); return; }
  if (aK == K_ZERO) { setZero(aS); return; }
  if (aS != 0) { fpRaise(FE_INVALID); setIndefinite(); return; }
  if (denormals()) return;
  if (aK == K_INF) { setInf(0); return; }
  // M = aM * 2^64 (odd exponent) or aM * 2^63 (even): value = M * 2^(2k).
  const odd = (aE & 1) != 0;
  const mh = odd ? aM : aM >> 1, ml = odd ? <u64>0 : aM << 63;
  const r = isqrt128(mh, ml);
  // remainder M - r^2 (< 2r + 1 < 2^65): compare with r for the half-way test
  mul128(r, r);
  const dl = ml - mulLo;
  const dh = mh - mulHi - (ml < mulLo ? 1 : 0);
  let extra: u64 = 0;
  if (dh != 0 || dl != 0) extra = (dh != 0 || dl > r) ? 0x8000000000000001 : 1;
  roundExt(0, aE >> 1, r, extra, p);
}

// floor(sqrt(hi:lo)) for hi >= 2^62.
export function isqrt128(hi: u64, lo: u64): u64 {
  let r: u64 = 0;
  for (let bit: i32 = 63; bit >= 0; bit--) {
    const t = r | (<u64>1 << <u64>bit);
    mul128(t, t);
    if (mulHi < hi || (mulHi == hi && mulLo <= lo)) r = t;
  }
  return r;
}

