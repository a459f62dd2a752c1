// Register operands of the instruction being executed: X (usually ST0) and Y,
// read with the stack-underflow check (an empty register reads as the
// indefinite and is reported by underflowMasked), and the result helpers.
import { isEmpty, stSe, stSig, setSt, push, fpuCw } from "./stack";
import { stackFault, noteEmptyRead, preBlocked } from "./env";
import { INDEF_SE, INDEF_SIG, rSe, rSig } from "./ext/value";

export let xSe: u32 = 0;
export let xSig: u64 = 0;
export let ySe: u32 = 0;
export let ySig: u64 = 0;
let underflowed = false;
export function resetX87Operand(): void { xSe = 0; xSig = 0; ySe = 0; ySig = 0; underflowed = false; }

export function beginOperands(): void { underflowed = false; }
@inline export function anyUnderflow(): bool { return underflowed; }

export function getX(i: u32): void {
  if (isEmpty(i)) { underflowed = true; noteEmptyRead(); xSe = INDEF_SE; xSig = INDEF_SIG; return; }
  xSe = stSe(i); xSig = stSig(i);
}
export function getY(i: u32): void {
  if (isEmpty(i)) { underflowed = true; noteEmptyRead(); ySe = INDEF_SE; ySig = INDEF_SIG; return; }
  ySe = stSe(i); ySig = stSig(i);
}
export function setY(se: u32, sig: u64): void { ySe = se; ySig = sig; }

// After reading registers: a masked underflow still writes the indefinite;
// an unmasked one writes nothing (false).
export function underflowMasked(): bool {
  if (!underflowed) return true;
  stackFault(false);
  return (fpuCw() & 1) != 0;
}

// Write the operation's result (rSe/rSig), or the indefinite after a masked underflow.
// False when an unmasked exception kept the result from being written.
export function writeResult(i: u32): bool {
  if (underflowed) { setSt(i, INDEF_SE, INDEF_SIG); return true; }
  if (preBlocked()) return false;
  setSt(i, rSe, rSig);
  return true;
}

// Push, or report a stack overflow (masked: the indefinite is pushed).
export function pushValue(se: u32, sig: u64): bool {
  if (!isEmpty(7)) {
    stackFault(true);
    if ((fpuCw() & 1) == 0) return false;
    se = INDEF_SE; sig = INDEF_SIG;
  }
  push(se, sig);
  return true;
}

// Precision control: 24, 53 or 64 bits (the reserved setting acts as 64).
export function precisionBits(): u32 {
  const pc = (fpuCw() >> 8) & 3;
  return pc == 0 ? 24 : (pc == 2 ? 53 : 64);
}
