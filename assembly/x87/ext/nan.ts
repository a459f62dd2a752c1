// x87 NaN results. Unlike SSE (first operand wins), a QNaN beats an SNaN and
// between two of a kind the larger significand wins (the positive one on a
// tie). The chosen NaN comes back quieted; an SNaN operand raises IE.
import { fpRaise, FE_INVALID } from "../../sse/fp/env";
import { K_SNAN, K_QNAN, K_BAD, QUIET_BIT, isNaNK, setResult, setIndefinite } from "./value";

export function nan2(ase: u32, asig: u64, ak: u32, bse: u32, bsig: u64, bk: u32): void {
  if (ak == K_SNAN || bk == K_SNAN) fpRaise(FE_INVALID);
  let pickA: bool;
  if (isNaNK(ak) && isNaNK(bk)) {
    if (ak != bk) pickA = ak == K_QNAN;
    else if (asig != bsig) pickA = asig > bsig;
    else pickA = (ase & 0x8000) == 0;
  } else pickA = isNaNK(ak);
  if (pickA) setResult(ase, asig | QUIET_BIT); else setResult(bse, bsig | QUIET_BIT);
}

export function nan1(se: u32, sig: u64, k: u32): void {
  if (k == K_SNAN) fpRaise(FE_INVALID);
  setResult(se, sig | QUIET_BIT);
}

// Unsupported encodings are invalid operands: IE and the indefinite.
export function invalid(): void { fpRaise(FE_INVALID); setIndefinite(); }

// The special-operand step shared by two-operand arithmetic: true when the
// result is settled (unsupported operand or NaN).
export function specials2(ase: u32, asig: u64, ak: u32, bse: u32, bsig: u64, bk: u32): bool {
  if (ak == K_BAD || bk == K_BAD) { invalid(); return true; }
  if (isNaNK(ak) || isNaNK(bk)) { nan2(ase, asig, ak, bse, bsig, bk); return true; }
  return false;
}
