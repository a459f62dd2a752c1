// Rounding an exact result (sign, exp, sig with its leading 1 at bit 62 and
// sticky low bits) to binary32/binary64 under the current rounding mode, with
// the flags x86 sets: PE when inexact, OE on overflow, UE when the result is
// tiny *after* rounding (x86's tininess rule) and inexact — or tiny at all when
// UE is unmasked — and FTZ flushing tiny results to a signed zero.
import { precision, bias, expField, infOf, F64 } from "./format";
import { fpRc, fpFtz, fpMasks, fpRaise, RC_NEAR, RC_ZERO, RC_DOWN, FE_INEXACT, setRoundedUp, FE_OVERFLOW, FE_UNDERFLOW } from "./env";
import { shiftRightJam } from "./unpack";

@inline function signOf(sign: u32, fmt: u32): u64 { return <u64>sign << (fmt == F64 ? 63 : 31); }

export function roundPack(sign: u32, exp: i32, sig: u64, fmt: u32): u64 {
  const p = precision(fmt);
  const shift: u64 = 63 - <u64>p;               // round bits below the kept p bits
  const mask: u64 = (<u64>1 << shift) - 1;
  const half: u64 = <u64>1 << (shift - 1);
  let inc: u64 = half;
  if (fpRc != RC_NEAR) inc = fpRc == RC_ZERO ? 0 : ((fpRc == RC_DOWN) == (sign != 0) ? mask : 0);
  const s = signOf(sign, fmt);
  const E = exp + bias(fmt);
  if (E > <i32>expField(fmt)) return overflow(s, inc, (sig & mask) != 0, fmt); // far above the range
  if (E >= 1) {
    const rb = sig & mask;
    let m = (sig + inc) >> shift;
    if (fpRc == RC_NEAR && rb == half) m &= ~<u64>1;
    const bits = (<u64>(E - 1) << (<u64>p - 1)) + m;
    if ((bits >> (<u64>p - 1)) >= <u64>expField(fmt)) {
      // Unmasked, the trap sees the exponent-adjusted result: PE only if that rounded.
      if ((fpMasks & FE_OVERFLOW) == 0) { fpRaise(rb != 0 ? FE_OVERFLOW | FE_INEXACT : FE_OVERFLOW); return s | bits; }
      fpRaise(FE_OVERFLOW | FE_INEXACT);
      setRoundedUp(inc != 0);
      return s | (inc != 0 ? infOf(fmt) : infOf(fmt) - 1);
    }
    if (rb != 0) fpRaise(FE_INEXACT);
    setRoundedUp(m > (sig >> shift));
    return s | bits;
  }
  // Below the normal range: tiny unless rounding at full precision reaches 2^emin.
  const tiny = E < 0 || ((sig + inc) >> 63) == 0;
  if (tiny && (fpMasks & FE_UNDERFLOW) == 0) {
    // Unmasked underflow: reported for any tiny result; PE as for the exponent-adjusted result.
    fpRaise((sig & mask) != 0 ? FE_UNDERFLOW | FE_INEXACT : FE_UNDERFLOW);
    return s;
  }
  const sd = shiftRightJam(sig, 1 - E);
  const rb = sd & mask;
  if (tiny && fpFtz != 0) {
    fpRaise(FE_UNDERFLOW | FE_INEXACT);
    return s;
  }
  let m = (sd + inc) >> shift;
  if (fpRc == RC_NEAR && rb == half) m &= ~<u64>1;
  if (rb != 0) fpRaise(tiny ? FE_INEXACT | FE_UNDERFLOW : FE_INEXACT);
  setRoundedUp(m > (sd >> shift));
  return s | m;
}

function overflow(s: u64, inc: u64, inexact: bool, fmt: u32): u64 {
  if ((fpMasks & FE_OVERFLOW) == 0) { fpRaise(inexact ? FE_OVERFLOW | FE_INEXACT : FE_OVERFLOW); return s | infOf(fmt); }
  fpRaise(FE_OVERFLOW | FE_INEXACT);
  setRoundedUp(inc != 0);
  return s | (inc != 0 ? infOf(fmt) : infOf(fmt) - 1);
}

// Normalize an arbitrary non-zero significand (value = sig * 2^(exp-62)) and round.
export function normRoundPack(sign: u32, exp: i32, sig: u64, fmt: u32): u64 {
  const lz = <i32>clz(sig);
  if (lz == 0) return roundPack(sign, exp + 1, shiftRightJam(sig, 1), fmt);
  return roundPack(sign, exp - (lz - 1), sig << <u64>(lz - 1), fmt);
}
