// Two-operand ALU (ADD OR ADC SBB AND SUB XOR CMP, in /digit order) and the
// unary group (NOT NEG INC DEC). Results are computed first and flags recorded
// after the destination was written, so a faulting store changes nothing.
import { setLazy, setLazyCarry, getCF, sizeMask, FL_ADD, FL_ADC, FL_SUB, FL_SBB, FL_LOGIC, FL_INC, FL_DEC } from "../cpu/flags";
import { readReg, writeReg, exc } from "../cpu/state";
import { readN, writeN, probeWrite } from "../mmu/access";
import { dIsMem, dRm, dRex, ea, readRMW, writeRMW } from "./operand";

// Carry-in of the current ADC/SBB (sampled before anything changes).
let carryIn: u64 = 0;
export function resetAlu(): void { carryIn = 0; }

@inline export function aluResult(op: u32, size: u32, a: u64, b: u64): u64 {
  const m = sizeMask(size);
  switch (op) {
    case 0: return (a + b) & m;
    case 1: return a | b;
    case 2: carryIn = getCF() ? 1 : 0; return (a + b + carryIn) & m;
    case 3: carryIn = getCF() ? 1 : 0; return (a - b - carryIn) & m;
    case 4: return a & b;
    case 6: return a ^ b;
    default: return (a - b) & m; // SUB, CMP
  }
}

@inline export function aluFlags(op: u32, size: u32, a: u64, b: u64, r: u64): void {
  switch (op) {
    case 0: setLazy(FL_ADD, size, a, b, r); break;
    case 2: setLazyCarry(FL_ADC, size, a, b, r, carryIn); break;
    case 3: setLazyCarry(FL_SBB, size, a, b, r, carryIn); break;
    case 5: case 7: setLazy(FL_SUB, size, a, b, r); break;
    default: setLazy(FL_LOGIC, size, a, b, r);
  }
}

// op r/m, value (b already masked to size). CMP never writes.
export function aluRM(d: usize, op: u32, size: u32, b: u64): void {
  if (dIsMem(d)) {
    const addr = ea(d);
    // a read-modify-write faults as a write (#PF error code W=1), before anything changes
    if (op != 7 && !probeWrite(addr, size)) return;
    const a = readN(addr, size);
    if (exc != 0) return;
    const r = aluResult(op, size, a, b);
    if (op != 7) { writeN(addr, size, r); if (exc != 0) return; }
    aluFlags(op, size, a, b, r);
  } else {
    const reg = dRm(d), rex = dRex(d);
    const a = readReg(reg, size, rex);
    const r = aluResult(op, size, a, b);
    if (op != 7) writeReg(reg, size, rex, r);
    aluFlags(op, size, a, b, r);
  }
}

// op reg, value (register destination by number, e.g. ModRM.reg or AL/eAX).
export function aluReg(reg: u32, rex: u32, op: u32, size: u32, b: u64): void {
  const a = readReg(reg, size, rex);
  const r = aluResult(op, size, a, b);
  if (op != 7) writeReg(reg, size, rex, r);
  aluFlags(op, size, a, b, r);
}

// TEST: AND without writing.
@inline export function test(size: u32, a: u64, b: u64): void { setLazy(FL_LOGIC, size, a, b, a & b); }

// F6/F7 /2 NOT, /3 NEG; FE/FF /0 INC, /1 DEC on r/m.
export function unaryRM(d: usize, kind: u32, size: u32): void {
  const a = readRMW(d, size);
  if (exc != 0) return;
  const m = sizeMask(size);
  let r: u64;
  switch (kind) {
    case 0: r = (a + 1) & m; break;
    case 1: r = (a - 1) & m; break;
    case 2: r = ~a & m; break;
    default: r = (0 - a) & m;
  }
  writeRMW(d, size, r);
  if (exc != 0) return;
  switch (kind) {
    case 0: setLazyCarry(FL_INC, size, a, 1, r, getCF() ? 1 : 0); break;
    case 1: setLazyCarry(FL_DEC, size, a, 1, r, getCF() ? 1 : 0); break;
    case 3: setLazy(FL_SUB, size, 0, a, r); break;
    // NOT: no flags
  }
}
