// The x87 side of the soft-float environment: rounding from the control word
// (precision control is passed to each rounding, see operand.ts), exception flags
// folded into the status word, and the deferred #MF of an unmasked exception
// (ES/B set now, EXIT_FPU_ERROR at the next waiting x87 instruction).
import { setFpEnv, clearFpFlags, fpFlags, fpRoundedUp, setRoundedUp, FE_INVALID, FE_DENORMAL, FE_DIVZERO } from "../sse/fp/env";
import { fpuCw, setCc } from "./stack";
import { STATE, S_FPU_SW } from "../memmap";
import { raiseVector } from "../cpu/state";
import { EXIT_FPU_ERROR } from "../cpu/exits";

export const SW_SF: u32 = 0x40;  // stack fault
export const SW_ES: u32 = 0x80;  // error summary
export const SW_B: u32 = 0x8000; // busy (mirrors ES)
export const SW_C1: u32 = 0x200;

let memDenormal = false;
let emptyRead = false;
export function resetX87Env(): void { memDenormal = false; emptyRead = false; }
export function setMemDenormal(): void { memDenormal = true; }
// A NaN operand outranks a denormal one.
export function clearMemDenormal(): void { memDenormal = false; }
// A stack underflow outranks a denormal operand.
export function noteEmptyRead(): void { emptyRead = true; }

export function x87Begin(): void {
  memDenormal = false;
  emptyRead = false;
  const cw = fpuCw();
  setFpEnv((cw >> 10) & 3, 0, 0, cw & 0x3F);
  clearFpFlags();
}

@inline function rawSw(): u32 { return load<u16>(STATE + S_FPU_SW); }
@inline function setRawSw(v: u32): void { store<u16>(STATE + S_FPU_SW, <u16>v); }

// Fold flags into the status word; C1 reports whether the result was rounded up.
export function x87Commit(extra: u32): void {
  const f = fpFlags | extra | (memDenormal && !emptyRead && (fpFlags & (FE_INVALID | FE_DIVZERO)) == 0 ? FE_DENORMAL : 0);
  let sw = rawSw() & ~SW_C1;
  if (fpRoundedUp) sw |= SW_C1;
  sw |= f & 0x7F;
  if ((f & 0x3F & ~(fpuCw() & 0x3F)) != 0) sw |= SW_ES | SW_B;
  setRawSw(sw);
}

// Stack overflow (push onto a full register) or underflow (read of an empty one): IE|SF, C1 = overflow.
export function stackFault(overflow: bool): void {
  let sw = (rawSw() & ~SW_C1) | SW_SF | FE_INVALID;
  if (overflow) sw |= SW_C1;
  setRoundedUp(overflow); // so the instruction's commit keeps C1
  if ((fpuCw() & FE_INVALID) == 0) sw |= SW_ES | SW_B;
  setRawSw(sw);
}

// A pending unmasked exception is delivered by the next waiting x87 instruction.
export function pendingFault(): bool {
  if ((rawSw() & SW_ES) == 0) return false;
  raiseVector(EXIT_FPU_ERROR, 16, 0, 0); // #MF
  return true;
}

// After a new control word or environment: ES/B follow the unmasked flags.
export function updateErrorSummary(): void {
  const sw = rawSw();
  if ((sw & 0x3F & ~(fpuCw() & 0x3F)) != 0) setRawSw(sw | SW_ES | SW_B);
  else setRawSw(sw & ~(SW_ES | SW_B));
}

// A denormal memory operand with DE unmasked: the operation stops before computing.
export function memDenormalStops(): bool { return memDenormal && (fpuCw() & FE_DENORMAL) == 0; }

// An unmasked invalid-operation, denormal or divide-by-zero exception leaves
// the destination (and the stack) as they were: these are detected before
// the result exists.
export function preBlocked(): bool {
  const f = fpFlags | (memDenormal && !emptyRead && (fpFlags & (FE_INVALID | FE_DIVZERO)) == 0 ? FE_DENORMAL : 0);
  return (f & 0x07 & ~(fpuCw() & 0x3F)) != 0;
}

export function clearExceptions(): void { setRawSw(rawSw() & ~(0x80FF)); }
export { setCc };
