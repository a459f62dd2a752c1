// Comparisons (CMPxx predicates, COMIS/UCOMIS) and MIN/MAX, with their flags:
// IE for any NaN on signaling comparisons and MIN/MAX, only for SNaN on quiet
// ones; DE for a denormal input when no NaN is involved.
import { fpRaise, FE_INVALID, FE_DENORMAL } from "./env";
import { unpackA, unpackB, aSign, aExp, aSig, aCls, aDen, bSign, bExp, bSig, bCls, bDen, CL_ZERO, CL_INF, CL_SNAN, isNaNCls } from "./unpack";

export const CMP_LT: i32 = -1;
export const CMP_EQ: i32 = 0;
export const CMP_GT: i32 = 1;
export const CMP_UN: i32 = 2;

// Order of two unpacked non-NaN operands.
function order(): i32 {
  if (aCls == CL_ZERO && bCls == CL_ZERO) return CMP_EQ;
  if (aSign != bSign) return aSign != 0 ? CMP_LT : CMP_GT;
  // same sign: compare magnitudes (zero < finite < inf)
  let m: i32;
  const ar = aCls == CL_ZERO ? 0 : (aCls == CL_INF ? 2 : 1);
  const br = bCls == CL_ZERO ? 0 : (bCls == CL_INF ? 2 : 1);
  if (ar != br) m = ar < br ? -1 : 1;
  else if (ar != 1) m = 0;
  else if (aExp != bExp) m = aExp < bExp ? -1 : 1;
  else m = aSig == bSig ? 0 : (aSig < bSig ? -1 : 1);
  return aSign != 0 ? -m : m;
}

// Compare a with b. signaling: any NaN raises IE (else only SNaN does).
export function fcompare(a: u64, b: u64, fmt: u32, signaling: bool): i32 {
  unpackA(a, fmt); unpackB(b, fmt);
  if (isNaNCls(aCls) || isNaNCls(bCls)) {
    if (signaling || aCls == CL_SNAN || bCls == CL_SNAN) fpRaise(FE_INVALID);
    return CMP_UN;
  }
  if (aDen || bDen) fpRaise(FE_DENORMAL);
  return order();
}

// CMPPS/CMPSS predicate 0..7 -> all-ones / zero.
export function cmpPredicate(a: u64, b: u64, fmt: u32, pred: u32): bool {
  const signaling = pred == 1 || pred == 2 || pred == 5 || pred == 6;
  const c = fcompare(a, b, fmt, signaling);
  switch (pred & 7) {
    case 0: return c == CMP_EQ;
    case 1: return c == CMP_LT;
    case 2: return c == CMP_LT || c == CMP_EQ;
    case 3: return c == CMP_UN;
    case 4: return c != CMP_EQ;
    case 5: return !(c == CMP_LT);
    case 6: return !(c == CMP_LT || c == CMP_EQ);
    default: return c != CMP_UN;
  }
}

// MINSS/MAXSS: the second operand unless the first is strictly smaller/larger
// (so NaNs and equal zeros return the second). With DAZ a denormal returned
// reads as the zero it stood for.
export function fminmax(a: u64, b: u64, fmt: u32, max: bool): u64 {
  const c = fcompare(a, b, fmt, true);
  const pickA = max ? c == CMP_GT : c == CMP_LT;
  if (pickA) return aCls == CL_ZERO ? zeroOf(a, fmt) : a;
  return bCls == CL_ZERO ? zeroOf(b, fmt) : b;
}

@inline function zeroOf(bits: u64, fmt: u32): u64 {
  return fmt == 1 ? bits & 0x8000000000000000 : bits & 0x80000000;
}
