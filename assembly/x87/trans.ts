// The transcendental instructions: F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN,
// FSIN, FCOS, FSINCOS. Special operands follow the SDM's tables; the rest is
// computed with ~120 bits (trans/) and rounded once to 64 bits by RC
// (precision control does not apply), with PE, UE and C1 as for any
// rounding. FSIN/FCOS/FSINCOS/FPTAN leave an operand with |x| >= 2^63 as it
// is and set C2.
import { fpRaise, FE_INVALID, FE_DIVZERO, FE_INEXACT } from "../sse/fp/env";
import { setCc, setSt, pop, isEmpty, fpuCw } from "./stack";
import { x87Commit, preBlocked, stackFault } from "./env";
import { xSe, xSig, ySe, ySig, getX, getY, underflowMasked, anyUnderflow, pushValue } from "./operand";
import {
  unpackA, unpackB, aS, aE, aM, aK, aD, bS, bK, bD, K_ZERO, K_FINITE, K_INF, K_BAD, isNaNK, denormalStops,
  INT_BIT, INDEF_SE, INDEF_SIG, rSe, rSig, setResult, setIndefinite, setInf, setZero,
} from "./ext/value";
import { nan1, nan2 } from "./ext/nan";
import { wSet, wConst, wFromExt, wFromInt, wAdd, wMul, wDiv, wRound, wCopy, wNeg, wAbs, wCmpAbs, wSign, wExp, wHi, wLo } from "./trans/wide";
import { wExpm1, wAtanhSeries, wSinCos, tail } from "./trans/series";
import { reduceHalfPi, redQ } from "./trans/reduce";

// Slots 0-9 for this file (series.ts uses 10-15).
const X: u32 = 0, Y: u32 = 1, T: u32 = 2, U: u32 = 3, V: u32 = 4, R: u32 = 5, C: u32 = 7;

function ln2(d: u32): void { wConst(d, 0, -1, 0xB17217F7D1CF79AB, 0xC9E3B39803F2F6AF); }
function log2e(d: u32): void { wConst(d, 0, 0, 0xB8AA3B295C17F0BB, 0xBE87FED0691D3E88); }
function pi(d: u32): void { wConst(d, 0, 1, 0xC90FDAA22168C234, 0xC4C6628B80DC1CD1); }
function halfPi(d: u32): void { wConst(d, 0, 0, 0xC90FDAA22168C234, 0xC4C6628B80DC1CD1); }
// atan(k/8), k = 1..8
function atanTable(d: u32, k: u32): void {
  switch (k) {
    case 1: wConst(d, 0, -4, 0xFEADD4D5617B6E32, 0xC897989F3E888EF7); break;
    case 2: wConst(d, 0, -3, 0xFADBAFC96406EB15, 0x6DC79EF5F7A217E5); break;
    case 3: wConst(d, 0, -2, 0xB7B0CA0F26F78473, 0x8AA32122DCFE4483); break;
    case 4: wConst(d, 0, -2, 0xED63382B0DDA7B45, 0x6FE445ECBC3A8D03); break;
    case 5: wConst(d, 0, -1, 0x8F005D5EF7F59F9B, 0x5C835E1665C43747); break;
    case 6: wConst(d, 0, -1, 0xA4BC7D1934F70924, 0x19A87F2A457DAC9E); break;
    case 7: wConst(d, 0, -1, 0xB8053E2BC2319E73, 0xCB2DA55210A4443D); break;
    default: wConst(d, 0, -1, 0xC90FDAA22168C234, 0xC4C6628B80DC1CD1); break;
  }
}

export function execTranscendental(modrm: u32): void {
  switch (modrm) {
    case 0xF0: unary(); return;        // F2XM1
    case 0xF1: binaryPop(0); return;   // FYL2X
    case 0xF9: binaryPop(1); return;   // FYL2XP1
    case 0xF3: binaryPop(2); return;   // FPATAN
    case 0xFE: trig(0); return;        // FSIN
    case 0xFF: trig(1); return;        // FCOS
    case 0xFB: trig(2); return;        // FSINCOS
    case 0xF2: trig(3); return;        // FPTAN
  }
}

// F2XM1: ST0 = 2^ST0 - 1
function unary(): void {
  getX(0);
  if (!underflowMasked()) return;
  if (!anyUnderflow()) f2xm1();
  if (anyUnderflow()) setSt(0, INDEF_SE, INDEF_SIG);
  else if (!preBlocked()) setSt(0, rSe, rSig);
  x87Commit(0);
}
function f2xm1(): void {
  unpackA(xSe, xSig);
  if (aK == K_BAD) { fpRaise(FE_INVALID); setIndefinite(); return; }
  if (isNaNK(aK)) { nan1(xSe, xSig, aK); return; }
  if (aK == K_ZERO) { setResult(xSe, xSig); return; }
  if (aK == K_INF) { if (aS == 0) setInf(0); else setResult(0xBFFF, INT_BIT); return; }
  if (aD && denormalStops()) return;
  // Outside the domain (|x| > 1) the host returns x itself, inexact.
  if (aE > 0 || (aE == 0 && aM != INT_BIT)) { fpRaise(FE_INEXACT); setResult(xSe, xSig); return; }
  wFromExt(X, xSe, xSig);
  ln2(T);
  wMul(T, X, T);          // x ln 2
  wExpm1(R, T);
  wRound(R, tail);
}

// FYL2X (0), FYL2XP1 (1), FPATAN (2): ST1 = f(ST1, ST0), then pop.
function binaryPop(kind: u32): void {
  getX(0); getY(1);
  if (!underflowMasked()) return;
  if (!anyUnderflow()) {
    if (kind == 0) fyl2x(false); else if (kind == 1) fyl2x(true); else fpatan();
  }
  if (anyUnderflow()) { setSt(1, INDEF_SE, INDEF_SIG); x87Commit(0); pop(); return; }
  const blocked = preBlocked();
  if (!blocked) setSt(1, rSe, rSig);
  x87Commit(0);
  if (!blocked) pop();
}

// y * log2(x) (plus1: y * log2(1 + x)); x = ST0 (operand A), y = ST1 (B).
function fyl2x(plus1: bool): void {
  unpackA(xSe, xSig); unpackB(ySe, ySig);
  if (aK == K_BAD || bK == K_BAD) { fpRaise(FE_INVALID); setIndefinite(); return; }
  if (isNaNK(aK) || isNaNK(bK)) { nan2(xSe, xSig, aK, ySe, ySig, bK); return; }
  // sign of log2(x) (or log2(1+x)): -1, 0 (x = 1, or x = 0 for plus1), 1; invalid below the domain
  let ls: i32;
  let below = false;
  if (plus1) {
    if (aK == K_ZERO) ls = 0;
    else if (aS == 0) ls = 1;
    else {
      // x < 0: log2(1+x) < 0 for -1 < x < 0; -inf at x = -1; invalid below
      const c = cmpMinusOne();
      // at or below -1 (outside the domain) the host takes the logarithm as
      // negative for a zero or infinite y, and otherwise returns x itself, inexact
      if (c < 0 && aK != K_FINITE) { fpRaise(FE_INVALID); setIndefinite(); return; }
      below = c <= 0;
      ls = -1;
    }
  } else {
    if (aK == K_ZERO) ls = -2;
    else if (aS != 0) { fpRaise(FE_INVALID); setIndefinite(); return; }
    else if (aK == K_INF) ls = 2; // +infinity
    else if (aE == 0 && aM == INT_BIT) ls = 0;
    else ls = aE < 0 ? -1 : 1;
  }
  if (plus1 && aK == K_INF) ls = 2;
  const ys = bS;
  // infinite factors
  if (ls == -2 || ls == 2) {
    if (bK == K_ZERO) { fpRaise(FE_INVALID); setIndefinite(); return; }
    if (ls == -2 && bK == K_FINITE) fpRaise(FE_DIVZERO); // (which outranks DE)
    else if (bD && denormalStops()) return;
    setInf(ls < 0 ? ys ^ 1 : ys);
    return;
  }
  if (bK == K_INF) {
    if (ls == 0) { fpRaise(FE_INVALID); setIndefinite(); return; }
    if (aD && denormalStops()) return;
    setInf(ls < 0 ? ys ^ 1 : ys);
    return;
  }
  if ((aD || bD) && denormalStops()) return;
  if (bK == K_ZERO || ls == 0) {
    const xs: u32 = plus1 ? aS : (ls < 0 ? 1 : 0);
    setZero(ys ^ xs);
    return;
  }
  if (below) { fpRaise(FE_INEXACT); setResult(xSe, xSig); return; }
  wFromExt(Y, ySe, ySig);
  wFromExt(X, xSe, xSig);
  if (plus1 && aE < -2) {
    // small x: ln(1+x) = 2 atanh(x / (2 + x)), accurate however small x is
    wFromInt(T, 2);
    wAdd(T, T, X, false);
    wDiv(U, X, T);
    wAtanhSeries(R, U, false);
    wAdd(R, R, R, false);
    log2e(T);
    wMul(R, R, T);
  } else {
    if (plus1) { wFromInt(T, 1); wAdd(X, X, T, false); } // 1 + x, exact in 128 bits
    log2Wide(R, X);
  }
  wMul(R, R, Y);
  wRound(R, 0);
}

// d = log2(w) for a positive wide w = m * 2^k, m in [sqrt(1/2), sqrt 2):
// k + 2 atanh((m-1)/(m+1)) / ln 2.
function log2Wide(d: u32, w: u32): void {
  let k = wExp(w), me: i32 = 0;
  if (wHi(w) > 0xB504F333F9DE6484) { k += 1; me = -1; }
  wSet(V, 0, me, wHi(w), wLo(w));       // m
  wFromInt(T, 1);
  wAdd(U, V, T, true);                  // m - 1
  wAdd(T, V, T, false);                 // m + 1
  wDiv(U, U, T);
  wAtanhSeries(d, U, false);
  wAdd(d, d, d, false);                 // ln m
  log2e(T);
  wMul(d, d, T);
  wFromInt(C, <i64>k);
  wAdd(d, d, C, false);
}
// Compare x (operand A, negative) with -1: -1 below, 0 equal, 1 above.
function cmpMinusOne(): i32 {
  if (aK == K_INF) return -1;
  if (aE > 0 || (aE == 0 && aM > INT_BIT)) return -1;
  if (aE == 0 && aM == INT_BIT) return 0;
  return 1;
}

// FPATAN: ST1 = atan2(ST1, ST0)
function fpatan(): void {
  unpackA(xSe, xSig); unpackB(ySe, ySig);   // A = x (ST0), B = y (ST1)
  if (aK == K_BAD || bK == K_BAD) { fpRaise(FE_INVALID); setIndefinite(); return; }
  if (isNaNK(aK) || isNaNK(bK)) { nan2(xSe, xSig, aK, ySe, ySig, bK); return; }
  if ((aD || bD) && denormalStops()) return;
  const ys = bS, xs = aS;
  if (bK == K_ZERO || (aK == K_INF && bK != K_INF)) {
    // y = 0 or x infinite: 0 for x > 0 (or +0), pi for x < 0 (or -0)
    if (xs == 0) { setZero(ys); return; }
    pi(R); R_sign(ys); wRound(R, 0); return;
  }
  if (aK == K_ZERO || (bK == K_INF && aK != K_INF)) { halfPi(R); R_sign(ys); wRound(R, 0); return; }
  if (aK == K_INF && bK == K_INF) {
    // +-pi/4 or +-3pi/4
    halfPi(R);
    wSet(T, 0, -1, 0x8000000000000000, 0); // 1/2
    wMul(R, R, T);                        // pi/4
    if (xs != 0) { pi(T); wAdd(R, T, R, true); }
    R_sign(ys); wRound(R, 0); return;
  }
  wFromExt(X, xSe & 0x7FFF, xSig);
  wFromExt(Y, ySe & 0x7FFF, ySig);
  const swap = wCmpAbs(Y, X) > 0;
  if (swap) wDiv(T, X, Y); else wDiv(T, Y, X);
  atanUnit(R, T);
  if (swap) { halfPi(T); wAdd(R, T, R, true); }
  if (xs != 0) { pi(T); wAdd(R, T, R, true); }
  R_sign(ys);
  wRound(R, swap || xs != 0 ? 0 : tail);
}
function R_sign(s: u32): void { if (s != 0) wNeg(R, R); }

// d = atan(t) for 0 <= t <= 1: atan(c) + atan((t - c) / (1 + t c)) with c = k/8 nearest t.
function atanUnit(d: u32, t: u32): void {
  const e = wExp(t);
  let k: u32 = 0;
  if (e >= -4) k = <u32>(((wHi(t) >> <u64>(63 - (e + 4))) + 1) >> 1);
  if (k == 0) { wAtanhSeries(d, t, true); return; }
  wSet(C, 0, 127 - 3, 0, <u64>k); // k/8
  wAdd(U, t, C, true);            // t - c
  wMul(V, t, C);
  wFromInt(X, 1);
  wAdd(V, V, X, false);           // 1 + t c
  wDiv(U, U, V);
  wAtanhSeries(U, U, true);
  atanTable(V, k);
  wAdd(d, V, U, false);
}

// FSIN (0), FCOS (1), FSINCOS (2), FPTAN (3)
function trig(kind: u32): void {
  getX(0);
  const pushes = kind >= 2;
  if (!underflowMasked()) return;
  if (anyUnderflow()) {
    setSt(0, INDEF_SE, INDEF_SIG);
    if (pushes) pushValue(INDEF_SE, INDEF_SIG);
    x87Commit(0);
    return;
  }
  // FSINCOS/FPTAN need a free register for the second result
  if (pushes && !isEmpty(7)) {
    stackFault(true);
    if ((fpuCw() & 1) == 0) return;
    setSt(0, INDEF_SE, INDEF_SIG); pushValue(INDEF_SE, INDEF_SIG);
    x87Commit(0);
    return;
  }
  unpackA(xSe, xSig);
  let c2: u32 = 0;
  let se1 = xSe, sig1 = xSig, se2: u32 = 0x3FFF, sig2 = INT_BIT; // ST0 result, pushed result
  let write = true;
  if (aK == K_BAD || aK == K_INF) { fpRaise(FE_INVALID); se1 = INDEF_SE; sig1 = INDEF_SIG; se2 = se1; sig2 = sig1; }
  else if (isNaNK(aK)) { nan1(xSe, xSig, aK); se1 = rSe; sig1 = rSig; se2 = se1; sig2 = sig1; }
  else if (aK == K_FINITE && aE >= 63) { c2 = 1; write = false; }
  else if (aD && denormalStops()) write = false;
  else if (aK == K_ZERO) {
    // sin and tan keep the signed zero, cos is 1
    if (kind == 1) { se1 = 0x3FFF; sig1 = INT_BIT; }
    // (FSINCOS: the sine replaces ST0 and the cosine is pushed on top, the same 1.0 as FPTAN's)
  } else {
    reduceHalfPi(R, aE, aM);
    const q = redQ;
    const neg = aS;
    if (kind == 0 || kind == 1) {
      const useCos = ((q & 1) != 0) != (kind == 1);
      wSinCos(T, R, useCos);
      // sin: quadrants 2,3 negate; cos: quadrants 1,2 negate; sin is odd
      let flip = kind == 0 ? (q >= 2) : (q == 1 || q == 2);
      if (kind == 0 && neg != 0) flip = !flip;
      if (flip) wNeg(T, T);
      wRound(T, tail);
      se1 = rSe; sig1 = rSig;
    } else if (kind == 2) {
      wSinCos(U, R, (q & 1) == 0);      // cos of x
      const tailCos = tail;
      wSinCos(T, R, (q & 1) != 0);      // sin of x
      const tailSin = tail;
      let fs = q >= 2; if (neg != 0) fs = !fs;
      if (fs) wNeg(T, T);
      if (q == 1 || q == 2) wNeg(U, U);
      // (C1 reports the sine's rounding, as on the host)
      wRound(U, tailCos); se2 = rSe; sig2 = rSig;  // cosine is pushed
      wRound(T, tailSin); se1 = rSe; sig1 = rSig;  // sine ends in ST1
    } else {
      wSinCos(T, R, false);
      wSinCos(U, R, true);
      if ((q & 1) != 0) { wDiv(V, U, T); wNeg(V, V); } else wDiv(V, T, U);
      if (neg != 0) wNeg(V, V);
      wRound(V, 1); // |tan x| > |x|: the neglected rest is beyond the quotient
      se1 = rSe; sig1 = rSig;
    }
  }
  if (preBlocked()) write = false;
  if (write) {
    setSt(0, se1, sig1);
    if (pushes) pushValue(se2, sig2);
  }
  x87Commit(0);
  setCc(0, c1Now(), c2, 0);
}
import { STATE, S_FPU_SW } from "../memmap";
// C1 as the commit left it (rounded up), C0 and C3 undefined: cleared here.
function c1Now(): u32 { return (load<u16>(STATE + S_FPU_SW) >> 9) & 1; }
