// Floating-point environment shared by the soft-float routines: the rounding
// mode and flush controls of the instruction being executed (set from MXCSR for
// SSE, from the control word for x87) and the exception flags it raised, in
// MXCSR bit order.

export const RC_NEAR: u32 = 0;
export const RC_DOWN: u32 = 1;
export const RC_UP: u32 = 2;
export const RC_ZERO: u32 = 3;

export const FE_INVALID: u32 = 0x01;   // IE
export const FE_DENORMAL: u32 = 0x02;  // DE
export const FE_DIVZERO: u32 = 0x04;   // ZE
export const FE_OVERFLOW: u32 = 0x08;  // OE
export const FE_UNDERFLOW: u32 = 0x10; // UE
export const FE_INEXACT: u32 = 0x20;   // PE

export let fpRc: u32 = RC_NEAR;
export let fpFtz: u32 = 0;      // flush tiny results to zero
export let fpDaz: u32 = 0;      // treat denormal inputs as zero
export let fpMasks: u32 = 0x3F; // exception masks (1 = masked)
export let fpFlags: u32 = 0;
export let fpRoundedUp: bool = false; // the last rounding increased the magnitude (x87 C1)
export function resetFpEnv(): void { fpRc = RC_NEAR; fpFtz = 0; fpDaz = 0; fpMasks = 0x3F; fpFlags = 0; fpRoundedUp = false; }

@inline export function setFpEnv(rc: u32, ftz: u32, daz: u32, masks: u32): void {
  fpRc = rc; fpFtz = ftz; fpDaz = daz; fpMasks = masks;
}
@inline export function clearFpFlags(): void { fpFlags = 0; fpRoundedUp = false; }
@inline export function setRoundedUp(up: bool): void { fpRoundedUp = up; }
@inline export function fpRaise(f: u32): void { fpFlags |= f; }
