// Power series on wide values (wide.ts): expm1, atanh, atan, sin and cos,
// each summed until the next term falls below 2^-130 of the sum. Arguments
// are kept small by the callers (|t| < 0.7 for expm1, < 0.18 for atanh,
// <= 1/16 for atan, <= pi/4 for sin and cos). Slots 10-15 are theirs.
import { wCopy, wMul, wAdd, wDivSmall, wExp, wIsZero, wFromInt, wNeg, wSign } from "./wide";

const TERM: u32 = 10, SUM: u32 = 11, SQ: u32 = 12, POW: u32 = 13, Q: u32 = 14;

@inline function negligible(term: u32, sum: u32): bool { return wIsZero(term) || wExp(term) < wExp(sum) - 130; }
// Where the neglected rest of the last series lies relative to its sum, in
// magnitude: +1 beyond, -1 short of it, 0 nothing left (see wRound).
export let tail: i32 = 0;
export function resetSeries(): void { tail = 0; }
function setTail(term: u32, sum: u32): void { tail = wIsZero(term) ? 0 : (wSign(term) == wSign(sum) ? 1 : -1); }

// d = e^t - 1 = sum t^n / n!
export function wExpm1(d: u32, t: u32): void {
  wCopy(TERM, t); wCopy(SUM, t);
  for (let n: u32 = 2; n < 200; n++) {
    wMul(TERM, TERM, t); wDivSmall(TERM, TERM, n);
    if (negligible(TERM, SUM)) { setTail(TERM, SUM); break; }
    wAdd(SUM, SUM, TERM, false);
  }
  wCopy(d, SUM);
}

// d = atanh(s) = sum s^(2k+1)/(2k+1) (alternate: atan, with alternating signs)
export function wAtanhSeries(d: u32, s: u32, alternate: bool): void {
  wMul(SQ, s, s);
  wCopy(POW, s); wCopy(SUM, s);
  for (let k: u32 = 1; k < 400; k++) {
    wMul(POW, POW, SQ);
    wDivSmall(TERM, POW, 2 * k + 1);
    if (alternate && (k & 1) != 0) wNeg(TERM, TERM);
    if (negligible(TERM, SUM)) { setTail(TERM, SUM); break; }
    wAdd(SUM, SUM, TERM, false);
  }
  wCopy(d, SUM);
}

// d = sin r (cosine: false) or cos r
export function wSinCos(d: u32, r: u32, cosine: bool): void {
  wMul(SQ, r, r);
  if (cosine) { wFromInt(TERM, 1); wFromInt(SUM, 1); } else { wCopy(TERM, r); wCopy(SUM, r); }
  tail = 0;
  if (wIsZero(r)) { wCopy(d, SUM); return; }
  for (let n: u32 = cosine ? 2 : 3; n < 200; n += 2) {
    wMul(TERM, TERM, SQ); wDivSmall(TERM, TERM, (n - 1) * n);
    wNeg(TERM, TERM);
    if (negligible(TERM, SUM)) { setTail(TERM, SUM); break; }
    wAdd(SUM, SUM, TERM, false);
  }
  wCopy(d, SUM);
}
export { Q };
