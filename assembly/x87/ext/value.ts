// The 80-bit extended format: a 16-bit sign/exponent word and a 64-bit
// significand with an explicit integer bit (bit 63). Classification of an
// encoding, and unpacking of up to two operands into sign, unbiased exponent
// and a significand normalized to bit 63 (value = sig * 2^(exp-63)).
// Unnormals, pseudo-NaNs and pseudo-infinities are "unsupported" encodings
// (invalid operands since the 387); pseudo-denormals (exponent 0, integer bit
// set) are read as denormals with exponent 1.

import { fpRaise, fpMasks, FE_DENORMAL } from "../../sse/fp/env";

export const BIAS: i32 = 16383;
export const EXP_MAX: u32 = 0x7FFF;
export const INT_BIT: u64 = 0x8000000000000000;
export const QUIET_BIT: u64 = 0x4000000000000000;

// The QNaN floating-point indefinite.
export const INDEF_SE: u32 = 0xFFFF;
export const INDEF_SIG: u64 = 0xC000000000000000;

export const K_ZERO: u32 = 0;
export const K_FINITE: u32 = 1;   // normal or denormal
export const K_INF: u32 = 2;
export const K_QNAN: u32 = 3;
export const K_SNAN: u32 = 4;
export const K_BAD: u32 = 5;      // unnormal, pseudo-NaN, pseudo-infinity

export function classify(se: u32, sig: u64): u32 {
  const e = se & EXP_MAX;
  if (e == EXP_MAX) {
    if ((sig & INT_BIT) == 0) return K_BAD;
    if ((sig << 1) == 0) return K_INF;
    return (sig & QUIET_BIT) != 0 ? K_QNAN : K_SNAN;
  }
  if (e == 0) return sig == 0 ? K_ZERO : K_FINITE;
  return (sig & INT_BIT) != 0 ? K_FINITE : K_BAD;
}
@inline export function isNaNK(k: u32): bool { return k == K_QNAN || k == K_SNAN; }
// Denormal or pseudo-denormal.
@inline export function isDenormalExt(se: u32, sig: u64): bool { return (se & EXP_MAX) == 0 && sig != 0; }

// DE for a denormal operand; true when DE is unmasked, which stops the
// operation before it computes anything.
export function denormalStops(): bool {
  fpRaise(FE_DENORMAL);
  return (fpMasks & FE_DENORMAL) == 0;
}

// Operands A and B of the current operation.
export let aS: u32 = 0; export let aE: i32 = 0; export let aM: u64 = 0; export let aK: u32 = 0; export let aD: bool = false;
export let bS: u32 = 0; export let bE: i32 = 0; export let bM: u64 = 0; export let bK: u32 = 0; export let bD: bool = false;

let uS: u32 = 0, uE: i32 = 0, uM: u64 = 0, uK: u32 = 0, uD: bool = false;
function unpack(se: u32, sig: u64): void {
  uS = se >> 15 & 1;
  uK = classify(se, sig);
  uD = false; uE = 0; uM = sig;
  if (uK != K_FINITE) return;
  const e = se & EXP_MAX;
  if (e == 0) {
    uD = true;
    const lz = <i32>clz(sig);
    uM = sig << <u64>lz;
    uE = 1 - BIAS - lz;
  } else uE = <i32>e - BIAS;
}
export function unpackA(se: u32, sig: u64): void { unpack(se, sig); aS = uS; aE = uE; aM = uM; aK = uK; aD = uD; }
export function unpackB(se: u32, sig: u64): void { unpack(se, sig); bS = uS; bE = uE; bM = uM; bK = uK; bD = uD; }
export function setASign(s: u32): void { aS = s; }
export function setBSign(s: u32): void { bS = s; }

// The result of the current operation.
export let rSe: u32 = 0;
export let rSig: u64 = 0;
export function resetExtValue(): void {
  aS = 0; aE = 0; aM = 0; aK = 0; aD = false;
  bS = 0; bE = 0; bM = 0; bK = 0; bD = false;
  uS = 0; uE = 0; uM = 0; uK = 0; uD = false;
  rSe = 0; rSig = 0;
}
@inline export function setResult(se: u32, sig: u64): void { rSe = se; rSig = sig; }
@inline export function setIndefinite(): void { rSe = INDEF_SE; rSig = INDEF_SIG; }
@inline export function setZero(sign: u32): void { rSe = sign << 15; rSig = 0; }
@inline export function setInf(sign: u32): void { rSe = (sign << 15) | EXP_MAX; rSig = INT_BIT; }
