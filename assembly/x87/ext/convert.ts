// Conversions between the extended format and binary32/binary64 memory
// operands and integers. Loads are exact (a binary32/64 denormal becomes a
// normal extended value); stores round by the control word's RC with the
// destination's precision and exponent range.
import { F32, F64 } from "../../sse/fp/format";
import { roundPack } from "../../sse/fp/round";
import { fpRc, fpRaise, setRoundedUp, RC_NEAR, RC_DOWN, RC_UP, RC_ZERO, FE_INVALID, FE_DENORMAL, FE_INEXACT } from "../../sse/fp/env";
import { unpackA, aS, aE, aM, aK, aD, K_ZERO, K_INF, K_SNAN, K_BAD, isNaNK, denormalStops, BIAS, EXP_MAX, INT_BIT, QUIET_BIT, setResult, rSe, rSig } from "./value";

// binary32 (fmt F32, low 32 bits) or binary64 -> extended, exact. SNaNs are kept as SNaNs.
export function fromBinary(v: u64, fmt: u32): void {
  const f64 = fmt == F64;
  const sign: u32 = f64 ? <u32>(v >> 63) : <u32>(v >> 31) & 1;
  const e: u32 = f64 ? <u32>(v >> 52) & 0x7FF : <u32>(v >> 23) & 0xFF;
  const m: u64 = f64 ? v & 0x000FFFFFFFFFFFFF : v & 0x7FFFFF;
  const top: u64 = f64 ? 11 : 40;   // frac bits move up to just below the integer bit
  const s = sign << 15;
  if (e == (f64 ? <u32>0x7FF : <u32>0xFF)) { setResult(s | EXP_MAX, INT_BIT | (m << top)); return; }
  if (e == 0) {
    if (m == 0) { setResult(s, 0); return; }
    const lz = <i32>clz(m);
    const unb = (f64 ? -1074 : -149) + 63 - lz;   // exponent of the leading one
    setResult(s | <u32>(unb + BIAS), m << <u64>lz);
    return;
  }
  setResult(s | <u32>(<i32>e - (f64 ? 1023 : 127) + BIAS), INT_BIT | (m << top));
}

// Integer -> extended, exact.
export function fromInt64(x: i64): void {
  if (x == 0) { setResult(0, 0); return; }
  const sign: u32 = x < 0 ? 1 : 0;
  const mag: u64 = x < 0 ? <u64>(0 - x) : <u64>x;
  const lz = <i32>clz(mag);
  setResult((sign << 15) | <u32>(63 - lz + BIAS), mag << <u64>lz);
}

// Extended -> binary32/binary64 bit pattern (a denormal source raises no DE). Unsupported encodings give the
// indefinite with IE; NaNs keep their top payload bits, quieted.
export function toBinary(se: u32, sig: u64, fmt: u32): u64 {
  unpackA(se, sig);
  const f64 = fmt == F64;
  const s: u64 = f64 ? <u64>aS << 63 : <u64>aS << 31;
  if (aK == K_BAD) { fpRaise(FE_INVALID); return f64 ? 0xFFF8000000000000 : 0xFFC00000; }
  if (isNaNK(aK)) {
    if (aK == K_SNAN) fpRaise(FE_INVALID);
    const q = sig | QUIET_BIT;
    return f64 ? s | 0x7FF0000000000000 | ((q >> 11) & 0x000FFFFFFFFFFFFF) : s | 0x7F800000 | <u64>((q >> 40) & 0x7FFFFF);
  }
  if (aK == K_INF) return s | (f64 ? 0x7FF0000000000000 : 0x7F800000);
  if (aK == K_ZERO) return s;
  return roundPack(aS, aE, (aM >> 1) | (aM & 1), f64 ? F64 : F32);
}

// Extended -> signed integer of `bits` (16, 32, 64) rounded by RC (or
// truncated). Out of range, NaN, infinity or unsupported: IE and the integer
// indefinite (the most negative value). Returned as a u64 bit pattern.
export function toInt(se: u32, sig: u64, bits: u32, truncate: bool): u64 {
  const indefinite: u64 = <u64>1 << <u64>(bits - 1);
  const mask: u64 = bits == 64 ? 0xFFFFFFFFFFFFFFFF : (<u64>1 << <u64>bits) - 1;
  unpackA(se, sig);
  setRoundedUp(false);
  if (aK == K_BAD || isNaNK(aK) || aK == K_INF) { fpRaise(FE_INVALID); return indefinite; }
  if (aK == K_ZERO) return 0;
  const rc = truncate ? RC_ZERO : fpRc;
  if (aE > 63) { fpRaise(FE_INVALID); return indefinite; }
  // integer part, and the fraction: 0 exact, 1 below half, 2 half, 3 above half
  let ip: u64, frac: u32;
  if (aE == 63) { ip = aM; frac = 0; }
  else if (aE >= 0) {
    const sh = <u64>(63 - aE);
    ip = aM >> sh;
    const f = aM << (64 - sh);
    frac = f == 0 ? 0 : (f < INT_BIT ? 1 : (f == INT_BIT ? 2 : 3));
  } else {
    ip = 0;
    frac = aE == -1 ? (aM == INT_BIT ? 2 : 3) : 1;
  }
  let up = false;
  if (frac != 0) {
    if (rc == RC_NEAR) up = frac == 3 || (frac == 2 && (ip & 1) != 0);
    else if (rc == RC_DOWN) up = aS != 0;
    else if (rc == RC_UP) up = aS == 0;
  }
  let carry = false;
  if (up) { ip += 1; carry = ip == 0; }
  const limit: u64 = indefinite;
  if (carry || (aS != 0 ? ip > limit : ip >= limit)) { fpRaise(FE_INVALID); return indefinite; }
  setRoundedUp(up);
  if (frac != 0) fpRaise(FE_INEXACT);
  return (aS != 0 ? 0 - ip : ip) & mask;
}

// Round to an integral extended value by RC (FRNDINT), at full precision.
export function roundToIntegral(se: u32, sig: u64): void {
  unpackA(se, sig);
  if (aK == K_BAD) { fpRaise(FE_INVALID); setResult(0xFFFF, 0xC000000000000000); return; }
  if (isNaNK(aK)) { if (aK == K_SNAN) fpRaise(FE_INVALID); setResult(se, sig | QUIET_BIT); return; }
  if (aK == K_INF || aK == K_ZERO) { setResult(se, sig); return; }
  if (aD && denormalStops()) return;
  if (aE >= 63) { setResult(se, sig); return; }
  const s = aS << 15;
  let ip: u64, frac: u32;
  if (aE >= 0) {
    const sh = <u64>(63 - aE);
    ip = aM >> sh;
    const f = aM << (64 - sh);
    frac = f == 0 ? 0 : (f < INT_BIT ? 1 : (f == INT_BIT ? 2 : 3));
  } else { ip = 0; frac = aE == -1 ? (aM == INT_BIT ? 2 : 3) : 1; }
  if (frac == 0) { setResult(se, sig); return; }
  let up = false;
  if (fpRc == RC_NEAR) up = frac == 3 || (frac == 2 && (ip & 1) != 0);
  else if (fpRc == RC_DOWN) up = aS != 0;
  else if (fpRc == RC_UP) up = aS == 0;
  if (up) ip += 1;
  fpRaise(FE_INEXACT);
  setRoundedUp(up);
  if (ip == 0) { setResult(s, 0); return; }
  const lz = <i32>clz(ip);
  setResult(s | <u32>(63 - lz + BIAS), ip << <u64>lz);
}
