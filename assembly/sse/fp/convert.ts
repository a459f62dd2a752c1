// Conversions between binary32, binary64 and integers, rounding by the current
// mode (or truncating for CVTT*). Out-of-range and NaN inputs give the integer
// indefinite (0x80000000 / 0x8000000000000000) with IE.
import { F32, F64, quiet, signBitOf, infOf } from "./format";
import { setRoundedUp, fpRc, fpRaise, RC_NEAR, RC_DOWN, RC_UP, RC_ZERO, FE_INVALID, FE_DENORMAL, FE_INEXACT } from "./env";
import { unpackA, aSign, aExp, aSig, aCls, aDen, CL_ZERO, CL_INF, CL_SNAN, isNaNCls, shiftRightJam } from "./unpack";
import { roundPack, normRoundPack } from "./round";

// binary64 <-> binary32 (NaN payloads keep their top bits, quieted).
export function fconvert(a: u64, from: u32, to: u32): u64 {
  unpackA(a, from);
  if (isNaNCls(aCls)) {
    if (aCls == CL_SNAN) fpRaise(FE_INVALID);
    const q = quiet(a, from);
    if (from == F64 && to == F32) return ((q >> 32) & 0x80000000) | 0x7F800000 | ((q >> 29) & 0x7FFFFF);
    if (from == F32 && to == F64) return ((q & 0x80000000) << 32) | 0x7FF0000000000000 | ((q & 0x7FFFFF) << 29);
    return q;
  }
  const s: u64 = aSign != 0 ? signBitOf(to) : 0;
  if (aCls == CL_INF) return s | infOf(to);
  if (aDen) fpRaise(FE_DENORMAL);
  if (aCls == CL_ZERO) return s;
  return roundPack(aSign, aExp, aSig, to);
}

// Signed integer (held in an i64) to binary32/binary64.
export function fromInt(v: i64, to: u32): u64 {
  if (v == 0) return 0;
  const sign: u32 = v < 0 ? 1 : 0;
  const mag: u64 = v < 0 ? <u64>(-v) : <u64>v; // -(-2^63) wraps to 2^63, as wanted
  return normRoundPack(sign, 62, mag, to);
}

// binary32/binary64 to a signed integer of `bits` (32 or 64), rounding by the
// current mode unless `truncate`. Returns the result as a u64 bit pattern.
export function toInt(a: u64, from: u32, bits: u32, truncate: bool): u64 {
  const indefinite: u64 = bits == 64 ? 0x8000000000000000 : 0x80000000;
  unpackA(a, from);
  setRoundedUp(false);
  if (isNaNCls(aCls) || aCls == CL_INF) { fpRaise(FE_INVALID); return indefinite; }
  if (aCls == CL_ZERO) return 0;
  const rc = truncate ? RC_ZERO : fpRc;
  if (aExp > 63) { fpRaise(FE_INVALID); return indefinite; }
  // Integer part and the fraction's relation to one half.
  let ip: u64, frac: u32; // 0 exact, 1 below half, 2 half, 3 above half
  if (aExp == 63) { ip = aSig << 1; frac = 0; }
  else if (aExp >= 0) {
    const sh = <u64>(62 - aExp);
    ip = aSig >> sh;
    const f = sh == 0 ? 0 : aSig & ((<u64>1 << sh) - 1);
    const h: u64 = sh == 0 ? 0 : <u64>1 << (sh - 1);
    frac = f == 0 ? 0 : (f < h ? 1 : (f == h ? 2 : 3));
  } else {
    ip = 0;
    frac = aExp == -1 ? (aSig == (<u64>1 << 62) ? 2 : 3) : 1;
  }
  let up = false;
  if (frac != 0) {
    if (rc == RC_NEAR) up = frac == 3 || (frac == 2 && (ip & 1) != 0);
    else if (rc == RC_DOWN) up = aSign != 0;
    else if (rc == RC_UP) up = aSign == 0;
  }
  if (up) ip += 1;
  setRoundedUp(up);
  const limit: u64 = bits == 64 ? 0x8000000000000000 : 0x80000000;
  if (aSign != 0 ? ip > limit : ip >= limit) { fpRaise(FE_INVALID); setRoundedUp(false); return indefinite; }
  if (frac != 0) fpRaise(FE_INEXACT);
  const r: u64 = aSign != 0 ? 0 - ip : ip;
  return bits == 64 ? r : r & 0xFFFFFFFF;
}
