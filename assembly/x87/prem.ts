// FPREM (truncated quotient) and FPREM1 (quotient rounded to nearest): the
// exact remainder of ST0 by ST1 when their exponents differ by less than 64,
// with the quotient's low bits in C0 C3 C1 (Q2 Q1 Q0); otherwise a partial
// reduction by 2^N times ST1 (N in 32..63) with C2 = 1, to be repeated.
import { fpRaise, FE_INVALID, FE_DENORMAL } from "../sse/fp/env";
import { setCc } from "./stack";
import { x87Commit } from "./env";
import { xSe, xSig, ySe, ySig, getX, getY, underflowMasked, writeResult, anyUnderflow } from "./operand";
import { unpackA, unpackB, aS, aE, aM, aK, aD, bE, bM, bK, bD, K_ZERO, K_INF, denormalStops, setResult, setIndefinite } from "./ext/value";
import { specials2 } from "./ext/nan";
import { roundExt, normRoundExt } from "./ext/round";

let quotient: u64 = 0;
let partial = false;
let stopped = false;
export function resetPrem(): void { quotient = 0; partial = false; stopped = false; }

export function fprem(ieee: bool): void {
  getX(0); getY(1);
  if (!underflowMasked()) return;
  quotient = 0; partial = false; stopped = false;
  if (!anyUnderflow()) remainder(ieee);
  writeResult(0);
  x87Commit(0);
  if (anyUnderflow() || stopped) setCc(0, 0, 0, 0);
  else if (partial) setCc(0, 0, 1, 0);
  else setCc(<u32>(quotient >> 2) & 1, <u32>quotient & 1, 0, <u32>(quotient >> 1) & 1);
}

function remainder(ieee: bool): void {
  unpackA(xSe, xSig); unpackB(ySe, ySig);
  if (specials2(xSe, xSig, aK, ySe, ySig, bK)) return;
  if (aK == K_INF || bK == K_ZERO) { fpRaise(FE_INVALID); setIndefinite(); return; }
  if ((aD || bD) && denormalStops()) { stopped = true; return; }
  if (aK == K_ZERO || bK == K_INF) { setResult(xSe, xSig); if (aD) roundExt(aS, aE, aM, 0, 64); return; }
  let d = aE - bE;
  if (d >= 64) { partial = true; d = 32 + ((d - 32) & 31); }
  if (d < 0) {
    // |x| < |y|: the quotient is 0, or 1 for FPREM1 when |x| > |y|/2
    if (ieee && d == -1 && aM > bM) {
      // |y| - |x| = (2*bM - aM) * 2^(bE-64), exact, with the opposite sign
      const lo = (bM << 1) - aM;
      const hi = (bM >> 63) - ((bM << 1) < aM ? 1 : 0);
      normRoundExt(aS ^ 1, bE + 63, hi, lo, 64);
      quotient = 1;
    } else roundExt(aS, aE, aM, 0, 64); // x itself (normalized when it was a denormal)
    return;
  }
  // remainder of (aM * 2^d) / bM, keeping the quotient's low bits
  let rem = aM, q: u64 = 0;
  if (rem >= bM) { rem -= bM; q = 1; }
  for (let k = 0; k < d; k++) {
    const top = rem >> 63;
    rem <<= 1; q <<= 1;
    if (top != 0 || rem >= bM) { rem -= bM; q |= 1; }
  }
  let sign = aS;
  if (ieee && !partial) {
    // round the quotient to nearest: compare 2*rem with bM
    const big = (rem >> 63) != 0;
    const twice = rem << 1;
    if (big || twice > bM || (twice == bM && (q & 1) != 0)) { rem = bM - rem; q += 1; sign ^= 1; }
  }
  quotient = q;
  const rexp = partial ? aE - d : bE;
  if (rem == 0) { setResult(aS << 15, 0); return; }
  const lz = <i32>clz(rem); // rem's value is rem * 2^(rexp-63)
  roundExt(sign, rexp - lz, rem << <u64>lz, 0, 64);
}

