// String instructions MOVS STOS LODS CMPS SCAS (INS/OUTS are #GP in user mode)
// with REP/REPE/REPNE. Every iteration is one tick. When the budget runs out,
// or an access faults, RCX/RSI/RDI describe the iterations done so far and RIP
// stays on the instruction, so it resumes where it stopped.
import { gpr, setGpr, setRip, instRip, exc, budget, setBudget, addTicks, readReg, writeReg, RAX, RCX, RSI, RDI } from "../cpu/state";
import { getDF, setLazy, sizeMask, FL_SUB, getZF } from "../cpu/flags";
import { readN, writeN } from "../mmu/access";
import { STATE, S_FSBASE, S_GSBASE } from "../memmap";
import { SEG_FS, SEG_GS, D_SEG } from "../decoder/slot";

export const STR_MOVS: u32 = 0;
export const STR_CMPS: u32 = 1;
export const STR_STOS: u32 = 2;
export const STR_LODS: u32 = 3;
export const STR_SCAS: u32 = 4;

// rep: 0 none, 1 REP/REPE (F3), 2 REPNE (F2). asz: 8 or 4 (67 prefix).
export function stringOp(d: usize, kind: u32, size: u32, rep: u32, asz: u32): void {
  const amask: u64 = asz == 8 ? 0xFFFFFFFFFFFFFFFF : 0xFFFFFFFF;
  const step: u64 = getDF() ? <u64>(-<i64>size) : <u64>size;
  // A segment override applies to the source (RSI) operand only.
  const seg = load<u8>(d + D_SEG);
  const srcBase: u64 = seg == SEG_FS ? load<u64>(STATE + S_FSBASE) : seg == SEG_GS ? load<u64>(STATE + S_GSBASE) : 0;
  const m = sizeMask(size);
  let first = true;
  while (true) {
    if (rep != 0) {
      if ((gpr(RCX) & amask) == 0) return;
      if (!first) {
        if (budget <= 0) { setRip(instRip); return; } // resume here next slice
        addTicks(1);
        setBudget(budget - 1);
      }
    }
    first = false;
    const si = gpr(RSI) & amask, di = gpr(RDI) & amask;
    switch (kind) {
      case STR_MOVS: {
        const v = readN(si + srcBase, size);
        if (exc != 0) return;
        writeN(di, size, v);
        if (exc != 0) return;
        setGpr(RSI, advance(RSI, step, amask));
        setGpr(RDI, advance(RDI, step, amask));
        break;
      }
      case STR_STOS:
        writeN(di, size, gpr(RAX));
        if (exc != 0) return;
        setGpr(RDI, advance(RDI, step, amask));
        break;
      case STR_LODS: {
        const v = readN(si + srcBase, size);
        if (exc != 0) return;
        writeReg(RAX, size, 0x40, v);
        setGpr(RSI, advance(RSI, step, amask));
        break;
      }
      case STR_CMPS: {
        const a = readN(si + srcBase, size);
        if (exc != 0) return;
        const b = readN(di, size);
        if (exc != 0) return;
        setLazy(FL_SUB, size, a, b, (a - b) & m);
        setGpr(RSI, advance(RSI, step, amask));
        setGpr(RDI, advance(RDI, step, amask));
        break;
      }
      default: { // SCAS
        const b = readN(di, size);
        if (exc != 0) return;
        const a = readReg(RAX, size, 0x40);
        setLazy(FL_SUB, size, a, b, (a - b) & m);
        setGpr(RDI, advance(RDI, step, amask));
      }
    }
    if (rep == 0) return;
    setGpr(RCX, advance(RCX, <u64>-1, amask));
    if (kind == STR_CMPS || kind == STR_SCAS) {
      if (rep == 1 && !getZF()) return;  // REPE: stop on mismatch
      if (rep == 2 && getZF()) return;   // REPNE: stop on match
    }
  }
}

// reg + delta within the address size (a 32-bit update zero-extends).
@inline function advance(r: u32, delta: u64, amask: u64): u64 { return (gpr(r) + delta) & amask; }

