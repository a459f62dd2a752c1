// Rounding an exact result to the extended format at 24, 53 or 64 bits of
// precision (the control word's PC) and the extended exponent range, with
// the x87 flags: PE when inexact and C1 when the magnitude was rounded up;
// OE/UE. A masked overflow gives infinity or the largest finite value by the
// rounding mode; a masked underflow denormalizes (UE only if also inexact),
// tininess being judged after rounding, as x86 does. Unmasked, the result is
// delivered with its exponent wrapped by 24576 (the x87 bias adjust).
// Input: value = (hi:lo) * 2^(exp-127), with bit 63 of hi set.
import { fpRc, fpMasks, fpRaise, setRoundedUp, RC_NEAR, RC_UP, RC_DOWN, FE_INEXACT, FE_OVERFLOW, FE_UNDERFLOW } from "../../sse/fp/env";
import { BIAS, EXP_MAX, INT_BIT, setResult } from "./value";

const HALF: u64 = 0x8000000000000000;
const WRAP: i32 = 24576;

let carried = false, inexact = false, roundedUp = false;
export function resetExtRound(): void { carried = false; inexact = false; roundedUp = false; shHi = 0; shLo = 0; }

// Round (hi:lo) to p bits; the kept bits come back aligned at bit 63. A carry
// out of the top (all ones rounded up) returns 2^63 with `carried`.
function roundBits(sign: u32, hi: u64, lo: u64, p: u32): u64 {
  let kept: u64, extra: u64;
  if (p >= 64) { kept = hi; extra = lo; }
  else { kept = hi >> <u64>(64 - p); extra = (hi << <u64>p) | (lo != 0 ? 1 : 0); }
  inexact = extra != 0;
  let up = false;
  if (inexact) {
    if (fpRc == RC_NEAR) up = extra > HALF || (extra == HALF && (kept & 1) != 0);
    else if (fpRc == RC_UP) up = sign == 0;
    else if (fpRc == RC_DOWN) up = sign != 0;
  }
  roundedUp = up;
  carried = false;
  if (up) kept += 1;
  if (p >= 64) {
    if (up && kept == 0) { carried = true; return INT_BIT; }
    return kept;
  }
  if ((kept >> <u64>p) != 0) { carried = true; return INT_BIT; }
  return kept << <u64>(64 - p);
}

// Shift (hi:lo) right by n, ORing what falls off into bit 0.
export let shHi: u64 = 0;
export let shLo: u64 = 0;
export function shiftRight128Jam(hi: u64, lo: u64, n: i32): void {
  if (n <= 0) { shHi = hi; shLo = lo; return; }
  if (n >= 128) { shHi = 0; shLo = (hi | lo) != 0 ? 1 : 0; return; }
  if (n >= 64) {
    const s = <u64>(n - 64);
    shHi = 0;
    shLo = (n == 64 ? hi : hi >> s) | (((n == 64 ? 0 : hi << (64 - s)) | lo) != 0 ? 1 : 0);
    return;
  }
  const s = <u64>n;
  shHi = hi >> s;
  shLo = (hi << (64 - s)) | (lo >> s) | ((lo << (64 - s)) != 0 ? 1 : 0);
}

export function roundExt(sign: u32, exp: i32, hi: u64, lo: u64, p: u32): void {
  const s = sign << 15;
  let E = exp + BIAS;
  if (E >= 1) {
    let sig = roundBits(sign, hi, lo, p);
    if (carried) E += 1;
    if (E >= <i32>EXP_MAX) {
      if ((fpMasks & FE_OVERFLOW) == 0) {
        // beyond what the wrap can bring back (FSCALE by a huge power): infinity
        if (E - WRAP >= <i32>EXP_MAX) { fpRaise(FE_OVERFLOW | FE_INEXACT); setRoundedUp(true); setResult(s | EXP_MAX, INT_BIT); return; }
        fpRaise(inexact ? FE_OVERFLOW | FE_INEXACT : FE_OVERFLOW);
        setRoundedUp(roundedUp);
        setResult(s | <u32>((E - WRAP) & 0x7FFF), sig);
        return;
      }
      overflow(sign, p);
      return;
    }
    if (inexact) fpRaise(FE_INEXACT);
    setRoundedUp(roundedUp);
    setResult(s | <u32>E, sig);
    return;
  }
  // Tiny unless rounding at p bits with an unbounded exponent reaches 2^emin.
  let tiny = true;
  if (E == 0) { roundBits(sign, hi, lo, p); tiny = !carried; }
  if (tiny && (fpMasks & FE_UNDERFLOW) == 0) {
    // beyond what the wrap can bring back: a signed zero
    if (E + WRAP <= 0) { fpRaise(FE_UNDERFLOW | FE_INEXACT); setRoundedUp(false); setResult(s, 0); return; }
    const sig = roundBits(sign, hi, lo, p);
    fpRaise(inexact ? FE_UNDERFLOW | FE_INEXACT : FE_UNDERFLOW);
    setRoundedUp(roundedUp);
    setResult(s | <u32>((E + (carried ? 1 : 0) + WRAP) & 0x7FFF), sig);
    return;
  }
  shiftRight128Jam(hi, lo, 1 - E);
  const sig = roundBits(sign, shHi, shLo, p);
  if (inexact) fpRaise(tiny ? FE_INEXACT | FE_UNDERFLOW : FE_INEXACT);
  setRoundedUp(roundedUp);
  setResult(s | ((sig & INT_BIT) != 0 ? 1 : 0), sig);
}

// Masked overflow: infinity, or the largest finite value when rounding toward zero.
function overflow(sign: u32, p: u32): void {
  fpRaise(FE_OVERFLOW | FE_INEXACT);
  const toInf = fpRc == RC_NEAR || (fpRc == RC_UP && sign == 0) || (fpRc == RC_DOWN && sign != 0);
  setRoundedUp(toInf);
  if (toInf) setResult((sign << 15) | EXP_MAX, INT_BIT);
  else setResult((sign << 15) | (EXP_MAX - 1), p >= 64 ? 0xFFFFFFFFFFFFFFFF : ~((<u64>1 << <u64>(64 - p)) - 1));
}

// Normalize a non-zero 128-bit significand (value = (hi:lo) * 2^(exp-127)) and round.
export function normRoundExt(sign: u32, exp: i32, hi: u64, lo: u64, p: u32): void {
  if (hi == 0) { hi = lo; lo = 0; exp -= 64; }
  const lz = <i32>clz(hi);
  if (lz != 0) {
    hi = (hi << <u64>lz) | (lo >> <u64>(64 - lz));
    lo = lo << <u64>lz;
    exp -= lz;
  }
  roundExt(sign, exp, hi, lo, p);
}
