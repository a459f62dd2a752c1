// Lazy arithmetic flags. An ALU instruction records its operation, operand size,
// operands and result; CF/PF/AF/ZF/SF/OF are computed only when something reads
// them (Jcc, SETcc, PUSHF, ...). Instructions with unusual flag rules compute
// them eagerly with setArith(). `flags` always holds the non-arithmetic bits
// (DF, IF, ...), and the arithmetic bits too while flOp == FL_EAGER.

export const CF: u64 = 0x1;
export const PF: u64 = 0x4;
export const AF: u64 = 0x10;
export const ZF: u64 = 0x40;
export const SF: u64 = 0x80;
export const TF: u64 = 0x100;
export const IF: u64 = 0x200;
export const DF: u64 = 0x400;
export const OF: u64 = 0x800;
export const AC: u64 = 0x40000;
export const ID: u64 = 0x200000;
export const ARITH: u64 = CF | PF | AF | ZF | SF | OF;

export const FL_EAGER: u32 = 0;
export const FL_ADD: u32 = 1;
export const FL_ADC: u32 = 2;
export const FL_SUB: u32 = 3;   // also CMP and NEG (a = 0)
export const FL_SBB: u32 = 4;
export const FL_LOGIC: u32 = 5; // AND OR XOR TEST: CF = OF = 0, AF = 0
export const FL_INC: u32 = 6;   // CF preserved in flCarry
export const FL_DEC: u32 = 7;
// Shifts, multiplies, bit scans: ZF/SF/PF come from flRes, CF/OF/AF are
// precomputed bits in flCarry (bit 0 CF, bit 11 OF, bit 4 AF: their RFLAGS positions).
export const FL_RES: u32 = 8;
// MUL, DIV, BT, rotates: some flags keep their old values, the rest become
// known bits. The previous lazy record is parked (sv*) and only evaluated if a
// flag is read before the next flag-setting instruction (usually it is not).
export const FL_KEEP: u32 = 9;

export let flags: u64 = 0x202;
export let flOp: u32 = FL_EAGER;
export let flSize: u32 = 8;
export let flA: u64 = 0;
export let flB: u64 = 0;
export let flRes: u64 = 0;
export let flCarry: u64 = 0; // carry-in of ADC/SBB, preserved CF of INC/DEC

let svOp: u32 = FL_EAGER;
let svSize: u32 = 8;
let svA: u64 = 0;
let svB: u64 = 0;
let svRes: u64 = 0;
let svCarry: u64 = 0;
let keepMask: u64 = 0; // ARITH bits taken from the parked record
let keepBits: u64 = 0; // the other ARITH bits
export function resetFlags(): void {
  flags = 0x202; flOp = FL_EAGER; flSize = 8; flA = 0; flB = 0; flRes = 0; flCarry = 0;
  svOp = FL_EAGER; svSize = 8; svA = 0; svB = 0; svRes = 0; svCarry = 0; keepMask = 0; keepBits = 0;
}

// flags = (old & mask) | bits, for the arithmetic flags; lazy.
export function setKeep(mask: u64, bits: u64): void {
  if (flOp == FL_EAGER) { flags = (flags & (~ARITH | mask)) | bits; return; }
  if (flOp == FL_KEEP) {
    // stacking: the older parked record stays, the masks compose
    keepBits = (keepBits & mask) | bits;
    keepMask = keepMask & mask;
    return;
  }
  svOp = flOp; svSize = flSize; svA = flA; svB = flB; svRes = flRes; svCarry = flCarry;
  keepMask = mask; keepBits = bits;
  flOp = FL_KEEP;
}

function resolveKeep(): void {
  flOp = svOp; flSize = svSize; flA = svA; flB = svB; flRes = svRes; flCarry = svCarry;
  const f = getFlags();
  flags = (f & (~ARITH | keepMask)) | keepBits;
  flOp = FL_EAGER;
}

@inline export function sizeMask(size: u32): u64 { return size == 8 ? 0xFFFFFFFFFFFFFFFF : (<u64>1 << (size << 3)) - 1; }
@inline export function signBit(size: u32): u64 { return <u64>1 << ((size << 3) - 1); }
// Sign-extend a value of `size` bytes to 64 bits.
@inline export function sext(v: u64, size: u32): i64 {
  if (size == 8) return <i64>v;
  const sh: u64 = 64 - (size << 3);
  return (<i64>(v << sh)) >> sh;
}

// Record a lazily evaluated result. a, b and res must already be masked to size.
@inline export function setLazy(op: u32, size: u32, a: u64, b: u64, res: u64): void {
  flOp = op; flSize = size; flA = a; flB = b; flRes = res;
}
@inline export function setLazyCarry(op: u32, size: u32, a: u64, b: u64, res: u64, carry: u64): void {
  flOp = op; flSize = size; flA = a; flB = b; flRes = res; flCarry = carry;
}

// Set all arithmetic flags at once (bits outside ARITH are ignored).
export function setArith(bits: u64): void {
  flags = (flags & ~ARITH) | (bits & ARITH);
  flOp = FL_EAGER;
}

// Replace the whole register (POPF, SYSRET, host writes). Bit 1 always reads as 1.
export function setFlagsValue(v: u64): void {
  flags = (v & 0x3F7FD7) | 2;
  flOp = FL_EAGER;
}

export function getCF(): bool {
  switch (flOp) {
    case FL_KEEP: resolveKeep(); return (flags & CF) != 0;
    case FL_EAGER: return (flags & CF) != 0;
    case FL_ADD: return flRes < flA;
    case FL_ADC: return flCarry != 0 ? flRes <= flA : flRes < flA;
    case FL_SUB: return flA < flB;
    case FL_SBB: return flCarry != 0 ? flA <= flB : flA < flB;
    case FL_LOGIC: return false;
    case FL_RES: return (flCarry & CF) != 0;
    default: return flCarry != 0; // INC, DEC
  }
}

export function getZF(): bool {
  if (flOp == FL_KEEP) resolveKeep();
  if (flOp == FL_EAGER) return (flags & ZF) != 0;
  return flRes == 0;
}

export function getSF(): bool {
  if (flOp == FL_KEEP) resolveKeep();
  if (flOp == FL_EAGER) return (flags & SF) != 0;
  return (flRes & signBit(flSize)) != 0;
}

export function getOF(): bool {
  if (flOp == FL_KEEP) resolveKeep();
  const s = signBit(flSize);
  switch (flOp) {
    case FL_EAGER: return (flags & OF) != 0;
    case FL_ADD: case FL_ADC: return ((flA ^ flRes) & (flB ^ flRes) & s) != 0;
    case FL_SUB: case FL_SBB: return ((flA ^ flB) & (flA ^ flRes) & s) != 0;
    case FL_LOGIC: return false;
    case FL_INC: return flRes == s;
    case FL_RES: return (flCarry & OF) != 0;
    default: return flA == s; // DEC
  }
}

export function getPF(): bool {
  if (flOp == FL_KEEP) resolveKeep();
  if (flOp == FL_EAGER) return (flags & PF) != 0;
  return (popcnt<u32>(<u32>flRes & 0xFF) & 1) == 0;
}

export function getAF(): bool {
  if (flOp == FL_KEEP) resolveKeep();
  switch (flOp) {
    case FL_EAGER: return (flags & AF) != 0;
    case FL_LOGIC: return false;
    case FL_INC: case FL_DEC: return ((flRes ^ flA) & 0x10) != 0;
    case FL_RES: return (flCarry & AF) != 0;
    default: return ((flA ^ flB ^ flRes) & 0x10) != 0;
  }
}

// The full RFLAGS value, arithmetic bits computed.
export function getFlags(): u64 {
  if (flOp == FL_KEEP) resolveKeep();
  if (flOp == FL_EAGER) return flags | 2;
  let f = flags & ~ARITH;
  if (getCF()) f |= CF;
  if (getPF()) f |= PF;
  if (getAF()) f |= AF;
  if (getZF()) f |= ZF;
  if (getSF()) f |= SF;
  if (getOF()) f |= OF;
  return f | 2;
}

// Make the arithmetic flags eager (before an instruction that changes only some of them).
export function materialize(): void {
  if (flOp != FL_EAGER) { flags = getFlags(); flOp = FL_EAGER; }
}

// Non-arithmetic flag updates (CLD/STD, ...).
@inline export function setFlagBit(bit: u64, on: bool): void {
  if (on) flags |= bit; else flags &= ~bit;
}
@inline export function getDF(): bool { return (flags & DF) != 0; }

// Condition codes 0..15 in Jcc/SETcc/CMOVcc order.
@inline export function cond(cc: u32): bool {
  let r: bool;
  const c = cc >> 1;
  if (flOp == FL_SUB) {
    // CMP/SUB fast paths: compare the operands directly.
    switch (c) {
      case 1: r = flA < flB; break;                        // B
      case 2: r = flRes == 0; break;                       // E
      case 3: r = flA <= flB; break;                       // BE
      case 6: r = sext(flA, flSize) < sext(flB, flSize); break;  // L
      case 7: r = sext(flA, flSize) <= sext(flB, flSize); break; // LE
      default: r = slowCond(c);
    }
  } else if (flOp == FL_LOGIC) {
    const s = (flRes & signBit(flSize)) != 0;
    switch (c) {
      case 0: r = false; break;             // O
      case 1: r = false; break;             // B
      case 2: r = flRes == 0; break;        // E
      case 3: r = flRes == 0; break;        // BE
      case 4: r = s; break;                 // S
      case 6: r = s; break;                 // L
      case 7: r = s || flRes == 0; break;   // LE
      default: r = slowCond(c);
    }
  } else {
    r = slowCond(c);
  }
  return (cc & 1) != 0 ? !r : r;
}

function slowCond(c: u32): bool {
  switch (c) {
    case 0: return getOF();
    case 1: return getCF();
    case 2: return getZF();
    case 3: return getCF() || getZF();
    case 4: return getSF();
    case 5: return getPF();
    case 6: return getSF() != getOF();
    default: return getZF() || (getSF() != getOF());
  }
}
