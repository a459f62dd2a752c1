// MXCSR for one SSE instruction: the rounding/flush controls are read once at
// the start (fpBegin), exception flags of every element are collected in
// fpFlags, and fpCommit() folds them into MXCSR, raising #XM (EXIT_FPU_ERROR)
// when one of them is unmasked — in which case the destination is not written.
import { STATE, S_MXCSR } from "../memmap";
import { raiseVector } from "../cpu/state";
import { EXIT_FPU_ERROR } from "../cpu/exits";
import { fpFlags, setFpEnv, clearFpFlags } from "./fp/env";

export const MXCSR_DEFAULT: u32 = 0x1F80;
// Bits this CPU implements (DAZ included), as FXSAVE reports in MXCSR_MASK.
export const MXCSR_MASK: u32 = 0xFFFF;

@inline export function mxcsr(): u32 { return load<u32>(STATE + S_MXCSR); }
@inline export function setMxcsr(v: u32): void { store<u32>(STATE + S_MXCSR, v); }

export function fpBegin(): void {
  const m = mxcsr();
  // RC is bits 13-14, FTZ bit 15, DAZ bit 6, masks bits 7-12.
  setFpEnv((m >> 13) & 3, (m >> 15) & 1, (m >> 6) & 1, (m >> 7) & 0x3F);
  clearFpFlags();
}

// Fold the collected flags into MXCSR. Returns false (after raising #XM) when
// an unmasked exception occurred: the instruction must not write its result.
export function fpCommit(): bool {
  const f = fpFlags;
  if (f == 0) return true;
  const m = mxcsr();
  const unmasked = f & ~(m >> 7) & 0x3F;
  if (unmasked == 0) { setMxcsr(m | f); return true; }
  // An unmasked IE/DE/ZE is found before any lane computes: only those flags
  // are reported. Otherwise every flag is (round.ts computes PE of an
  // unmasked overflow/underflow from the exponent-adjusted result, as x86 does).
  setMxcsr(m | ((unmasked & 0x07) != 0 ? f & 0x07 : f));
  raiseVector(EXIT_FPU_ERROR, 19, 0, 0); // #XM
  return false;
}
