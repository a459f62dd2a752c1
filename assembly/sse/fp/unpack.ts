// Unpacking an operand into sign, exponent and a significand normalized with
// its leading 1 at bit 62 (value = sig * 2^(exp-62)); classifying it; and
// applying DAZ (denormal inputs read as zero, without the DE flag).
import { F64, expOf, expField, fracMask, quietBit } from "./format";
import { fpDaz } from "./env";

export const CL_ZERO: u32 = 0;
export const CL_FINITE: u32 = 1;
export const CL_INF: u32 = 2;
export const CL_QNAN: u32 = 3;
export const CL_SNAN: u32 = 4;

// Operands A and B of the current operation.
export let aSign: u32 = 0; export let aExp: i32 = 0; export let aSig: u64 = 0; export let aCls: u32 = 0; export let aDen: bool = false;
export let bSign: u32 = 0; export let bExp: i32 = 0; export let bSig: u64 = 0; export let bCls: u32 = 0; export let bDen: bool = false;

let uSign: u32 = 0, uExp: i32 = 0, uSig: u64 = 0, uCls: u32 = 0, uDen: bool = false;
export function resetUnpack(): void {
  aSign = 0; aExp = 0; aSig = 0; aCls = 0; aDen = false;
  bSign = 0; bExp = 0; bSig = 0; bCls = 0; bDen = false;
  uSign = 0; uExp = 0; uSig = 0; uCls = 0; uDen = false;
}

function unpack(bits: u64, fmt: u32): void {
  const e = expOf(bits, fmt);
  const m = bits & fracMask(fmt);
  uSign = fmt == F64 ? <u32>(bits >> 63) : <u32>(bits >> 31) & 1;
  uDen = false;
  uExp = 0; uSig = 0;
  if (e == expField(fmt)) {
    uCls = m == 0 ? CL_INF : ((m & quietBit(fmt)) != 0 ? CL_QNAN : CL_SNAN);
  } else if (e == 0) {
    if (m == 0 || fpDaz != 0) { uCls = CL_ZERO; return; }
    uCls = CL_FINITE; uDen = true;
    const lz = <i32>clz(m);
    uSig = m << <u64>(lz - 1);
    uExp = fmt == F64 ? -1011 - lz : -86 - lz;
  } else {
    uCls = CL_FINITE;
    if (fmt == F64) { uExp = <i32>e - 1023; uSig = (m | 0x0010000000000000) << 10; }
    else { uExp = <i32>e - 127; uSig = (m | 0x00800000) << 39; }
  }
}

export function unpackA(bits: u64, fmt: u32): void {
  unpack(bits, fmt); aSign = uSign; aExp = uExp; aSig = uSig; aCls = uCls; aDen = uDen;
}
export function unpackB(bits: u64, fmt: u32): void {
  unpack(bits, fmt); bSign = uSign; bExp = uExp; bSig = uSig; bCls = uCls; bDen = uDen;
}
@inline export function setBSign(s: u32): void { bSign = s; }

@inline export function isNaNCls(c: u32): bool { return c >= CL_QNAN; }

// x > 0: shift right, ORing every bit shifted out into bit 0 (the sticky bit).
@inline export function shiftRightJam(a: u64, dist: i32): u64 {
  if (dist <= 0) return a;
  if (dist >= 64) return a != 0 ? 1 : 0;
  return (a >> <u64>dist) | ((a << <u64>(64 - dist)) != 0 ? 1 : 0);
}
