// Ordered comparison of two extended values. Unordered when either is a NaN
// or an unsupported encoding; IE for an SNaN or unsupported operand, and for
// any NaN when the comparison is signaling (FCOM, FCOMI, FTST); DE for a
// denormal operand of an ordered comparison.
import { fpRaise, FE_INVALID, FE_DENORMAL } from "../../sse/fp/env";
import { unpackA, unpackB, aS, aE, aM, aK, aD, bS, bE, bM, bK, bD, K_ZERO, K_INF, K_SNAN, K_BAD, isNaNK } from "./value";

export const CMP_LT: u32 = 0;
export const CMP_EQ: u32 = 1;
export const CMP_GT: u32 = 2;
export const CMP_UN: u32 = 3;

export function extCompare(ase: u32, asig: u64, bse: u32, bsig: u64, signaling: bool): u32 {
  unpackA(ase, asig); unpackB(bse, bsig);
  if (aK == K_BAD || bK == K_BAD || isNaNK(aK) || isNaNK(bK)) {
    if (signaling || aK == K_SNAN || bK == K_SNAN || aK == K_BAD || bK == K_BAD) fpRaise(FE_INVALID);
    return CMP_UN;
  }
  if (aD || bD) fpRaise(FE_DENORMAL);
  if (aK == K_ZERO && bK == K_ZERO) return CMP_EQ;
  // magnitude order, then sign
  const am = magKey(aK), bm = magKey(bK);
  let c: i32; // sign of |a| - |b|
  if (am != bm) c = am < bm ? -1 : 1;
  else if (aK != 1) c = 0;
  else if (aE != bE) c = aE < bE ? -1 : 1;
  else c = aM == bM ? 0 : (aM < bM ? -1 : 1);
  if (aK == K_ZERO) return bS != 0 ? CMP_GT : CMP_LT;
  if (bK == K_ZERO) return aS != 0 ? CMP_LT : CMP_GT;
  if (aS != bS) return aS != 0 ? CMP_LT : CMP_GT;
  if (c == 0) return CMP_EQ;
  return ((c < 0) != (aS != 0)) ? CMP_LT : CMP_GT;
}
// zero < finite < infinity
@inline function magKey(k: u32): u32 { return k == K_ZERO ? 0 : (k == K_INF ? 2 : 1); }
