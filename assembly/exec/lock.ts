// The LOCK prefix: with one vCPU every read-modify-write is already atomic, so
// LOCK only has to be validated. It is #UD unless the instruction is one of the
// lockable read-modify-writes and its destination is memory.
import { dExt, dIsMem } from "./operand";

export function lockAllowed(d: usize, op: u32): bool {
  if (!dIsMem(d)) return false;
  if (op < 0x38) return (op & 7) < 2; // ADD OR ADC SBB AND SUB XOR r/m, r
  switch (op) {
    case 0x80: case 0x81: case 0x83: return dExt(d) != 7;  // not CMP
    case 0x86: case 0x87: return true;                     // XCHG
    case 0xF6: case 0xF7: { const e = dExt(d); return e == 2 || e == 3; } // NOT NEG
    case 0xFE: case 0xFF: return dExt(d) < 2;              // INC DEC
    case 0x1AB: case 0x1B3: case 0x1BB: return true;       // BTS BTR BTC
    case 0x1BA: return dExt(d) >= 5;
    case 0x1B0: case 0x1B1: case 0x1C0: case 0x1C1: return true; // CMPXCHG XADD
    case 0x1C7: return dExt(d) == 1;                       // CMPXCHG8B/16B
  }
  return false;
}
