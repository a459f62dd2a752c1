// Stack pushes and pops. A push writes first and moves RSP after, so a faulting
// store leaves RSP as it was.
import { gpr, setGpr, exc, RSP } from "../cpu/state";
import { readN, writeN } from "../mmu/access";

// Push `size` (8 or 2) bytes; false after a fault.
@inline export function push(size: u32, v: u64): bool {
  const sp = gpr(RSP) - size;
  writeN(sp, size, v);
  if (exc != 0) return false;
  setGpr(RSP, sp);
  return true;
}

// Value on top of the stack (RSP unchanged; the caller pops after its other effects).
@inline export function peek(size: u32): u64 { return readN(gpr(RSP), size); }
