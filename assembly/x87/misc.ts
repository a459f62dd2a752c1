// FXAM, FRNDINT, FSCALE, FXTRACT and the constant loads.
import { fpRaise, fpRc, FE_INVALID, FE_DENORMAL, FE_DIVZERO, RC_NEAR, RC_UP } from "../sse/fp/env";
import { phys, tagOf, physSe, physSig, setCc, TAG_EMPTY, setSt } from "./stack";
import { x87Commit } from "./env";
import { xSe, xSig, ySe, ySig, getX, getY, underflowMasked, writeResult, pushValue, anyUnderflow } from "./operand";
import {
  classify, unpackA, unpackB, aS, aE, aM, aK, aD, bS, bE, bM, bK, bD, K_ZERO, K_FINITE, K_INF, K_BAD, K_QNAN, K_SNAN, isNaNK, denormalStops,
  BIAS, INT_BIT, QUIET_BIT, INDEF_SE, INDEF_SIG, setResult, setIndefinite, setInf, setZero, rSe, rSig,
} from "./ext/value";
import { nan1, specials2 } from "./ext/nan";
import { roundToIntegral, fromInt64 } from "./ext/convert";
import { roundExt } from "./ext/round";

// C3 C2 C0: 000 unsupported, 001 NaN, 010 normal, 011 infinity, 100 zero,
// 101 empty, 110 denormal; C1 the sign.
export function fxam(): void {
  const p = phys(0);
  const se = physSe(p), sig = physSig(p);
  const sign = se >> 15;
  if (tagOf(p) == TAG_EMPTY) { setCc(1, sign, 0, 1); return; } // C1: the sign of what the empty register still holds
  const k = classify(se, sig);
  if (k == K_BAD) setCc(0, sign, 0, 0);
  else if (k == K_QNAN || k == K_SNAN) setCc(1, sign, 0, 0);
  else if (k == K_INF) setCc(1, sign, 1, 0);
  else if (k == K_ZERO) setCc(0, sign, 0, 1);
  else if ((se & 0x7FFF) == 0) setCc(0, sign, 1, 1);
  else setCc(0, sign, 1, 0);
}

export function frndint(): void {
  getX(0);
  if (!underflowMasked()) return;
  roundToIntegral(xSe, xSig);
  writeResult(0);
  x87Commit(0);
}

// FSCALE: ST0 * 2^trunc(ST1), at full precision.
export function fscale(): void {
  getX(0); getY(1);
  if (!underflowMasked()) return;
  if (!anyUnderflow()) scale();
  writeResult(0);
  x87Commit(0);
}
function scale(): void {
  unpackA(xSe, xSig); unpackB(ySe, ySig);
  if (specials2(xSe, xSig, aK, ySe, ySig, bK)) return;
  if (bK == K_INF) {
    if (bS == 0) { if (aK == K_ZERO) { fpRaise(FE_INVALID); setIndefinite(); } else { if (aD && denormalStops()) return; setInf(aS); } }
    else { if (aK == K_INF) { fpRaise(FE_INVALID); setIndefinite(); } else { if (aD && denormalStops()) return; setZero(aS); } }
    return;
  }
  if ((aD || bD) && denormalStops()) return;
  if (aK != K_FINITE) { setResult(xSe, xSig); return; }
  let n: i32 = 0;
  if (bK == K_FINITE && bE >= 0) {
    n = bE >= 20 ? (1 << 20) : <i32>(bM >> <u64>(63 - bE));
    if (bS != 0) n = -n;
  }
  roundExt(aS, aE + n, aM, 0, 64);
}

// FXTRACT: ST0 -> exponent (ST1) and significand (ST0).
export function fxtract(): void {
  getX(0);
  if (!underflowMasked()) return;
  let se = xSe, sig = xSig;
  let eSe: u32, eSig: u64;
  if (anyUnderflow()) { eSe = INDEF_SE; eSig = INDEF_SIG; se = INDEF_SE; sig = INDEF_SIG; }
  else {
    unpackA(xSe, xSig);
    if (aK == K_BAD) { fpRaise(FE_INVALID); se = INDEF_SE; sig = INDEF_SIG; eSe = se; eSig = sig; }
    else if (isNaNK(aK)) { nan1(xSe, xSig, aK); se = rSe; sig = rSig; eSe = se; eSig = sig; }
    else if (aK == K_ZERO) { fpRaise(FE_DIVZERO); eSe = 0xFFFF; eSig = INT_BIT; }
    else if (aK == K_INF) { eSe = 0x7FFF; eSig = INT_BIT; }
    else {
      if (aD && denormalStops()) { x87Commit(0); return; }
      fromInt64(<i64>aE);
      eSe = rSe; eSig = rSig;
      se = (aS << 15) | <u32>BIAS; sig = aM;
    }
  }
  // ST0 becomes the exponent, then the significand is pushed.
  if (fpRaiseUnmasked()) { x87Commit(0); return; }
  setSt(0, eSe, eSig);
  pushValue(se, sig);
  x87Commit(0);
}
import { fpFlags, fpMasks } from "../sse/fp/env";
@inline function fpRaiseUnmasked(): bool { return (fpFlags & 0x3F & ~fpMasks) != 0; }

// FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ (D9 E8..EE). The irrational
// ones are rounded by RC from their exact values (all are positive).
export function loadConstant(k: u32): void {
  let se: u32 = 0, sig: u64 = 0, nearestUp = false;
  switch (k) {
    case 0: se = 0x3FFF; sig = INT_BIT; break;
    case 1: se = 0x4000; sig = 0xD49A784BCD1B8AFE; break;                     // log2(10)
    case 2: se = 0x3FFF; sig = 0xB8AA3B295C17F0BB; nearestUp = true; break;   // log2(e)
    case 3: se = 0x4000; sig = 0xC90FDAA22168C234; nearestUp = true; break;   // pi
    case 4: se = 0x3FFD; sig = 0x9A209A84FBCFF798; nearestUp = true; break;   // log10(2)
    case 5: se = 0x3FFE; sig = 0xB17217F7D1CF79AB; nearestUp = true; break;   // ln(2)
    default: break;                                                           // +0
  }
  if (k >= 1 && k <= 5 && (fpRc == RC_UP || (fpRc == RC_NEAR && nearestUp))) sig += 1;
  pushValue(se, sig);
}
