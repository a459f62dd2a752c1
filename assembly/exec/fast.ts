// Fast forms (src/isa/table.ts; decoder/classify.ts picks them): the instruction shapes that make up most
// of compiled code, executed without the generic dispatch. Each case does
// exactly what the generic executor does for that shape: either a specialised
// body for 32/64-bit register forms, or a direct call of the generic
// executor's own function (test/cpu/fastforms.test.ts runs programs both ways
// in lockstep).
//
// execFast returns true when the run loop may go straight on to the next
// decoded instruction of the trace, false when it must look again: an exit is
// pending, control went elsewhere, or a store hit decoded code (dcEpoch moved).
import * as F from "../decoder/insns";
import { P_REP } from "../decoder/slot";
import { gpr, setGpr, readReg, writeReg, rip, setRip, exc, raise, RSP, RAX, RCX, RDX } from "../cpu/state";
import { EXIT_GP } from "../cpu/exits";
import { canonical } from "../mmu/pagewalk";
import { cond, sizeMask, sext, setKeep, CF, OF, AF } from "../cpu/flags";
import { read64, read32, read16, read8, write64, write32 } from "../mmu/access";
import { dReg, dRm, dRex, dOsz, dImm, dOp, dModrm, dExt, dPfx, ea, readRM, writeRM, readR, writeR } from "./operand";
import { aluResult, aluFlags, aluRM, test } from "./alu";
import { push } from "./stack";
import { imul2, mul1, div1 } from "./muldiv";
import { shiftRM } from "./shift";
import { aluBlock, group3, group5 } from "./map0";
import { dcEpoch } from "../decoder/cacheflush";
import { fpArith, fpComis } from "../sse/fparith";
import { mxcsr } from "../sse/mxcsr";
import { regX, srcLow } from "../sse/operand";
import { load128, store128From, movScalarLoad, movScalarStore, movdToXmm, movdFromXmm } from "../sse/move";
import { packedInt } from "../sse/integer";
import { cvtsi2s, cvts2si } from "../sse/convert";
import { probeHit } from "./probe";

@inline function rd(size: u32, a: u64): u64 { return size == 8 ? read64(a) : <u64>read32(a); }
@inline function setR(r: u32, size: u32, v: u64): void { setGpr(r, size == 8 ? v : v & 0xFFFFFFFF); }
@inline function getR(r: u32, size: u32): u64 { return size == 8 ? gpr(r) : gpr(r) & 0xFFFFFFFF; }
// ALU op into register `dst` with source value b (already masked to size); CMP writes nothing.
@inline function aluInto(op: u32, size: u32, dst: u32, b: u64): void {
  const a = getR(dst, size);
  const r = aluResult(op, size, a, b);
  if (op != 7) setGpr(dst, r);
  aluFlags(op, size, a, b, r);
}
// After a form that may fault but writes no memory.
@inline function noFault(): bool { return exc == 0; }
// After a form that may store (a store to a code page drops decoded traces).
@inline function stored(epoch: u64): bool { return exc == 0 && dcEpoch == epoch; }
// After a generic executor that might also move RIP.
@inline function straight(next: u64, epoch: u64): bool { return exc == 0 && rip == next && dcEpoch == epoch; }

@inline function normal64(x: u64): bool { const e = <u32>(x >> 52) & 0x7FF; return e != 0 && e != 0x7FF; }

// F2 0F 58/59/5C/5E. With MXCSR at its default masks and rounding, PE already
// set and normal inputs and result, the host's f64 result is the x86 result
// and MXCSR cannot change: sse/fparith.ts's own fast path, without its set-up.
// Anything else goes to fpArith.
function sdArith(d: usize): void {
  const op = dOp(d) & 0xFF;
  const b = srcLow(d, 8);
  if (exc != 0) return;
  const dst = regX(d);
  const a = load<u64>(dst);
  if ((mxcsr() & 0xFFE0) == 0x1FA0 && normal64(a) && normal64(b)) {
    const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
    const r = op == 0x58 ? x + y : op == 0x59 ? x * y : op == 0x5C ? x - y : x / y;
    const rb = reinterpret<u64>(r);
    if (normal64(rb)) { store<u64>(dst, rb); return; }
  }
  fpArith(d, op, 2);
}

// form 0..3 and op as in classify.ts's F_ALU_OPS; op is a constant at every call.
@inline function aluForm(form: u32, op: u32, d: usize): bool {
  const size = dOsz(d);
  if (form == 0) { aluInto(op, size, dRm(d), getR(dReg(d), size)); return true; }
  if (form == 1) { aluInto(op, size, dReg(d), getR(dRm(d), size)); return true; }
  if (form == 3) { aluInto(op, size, dRm(d), dImm(d) & sizeMask(size)); return true; }
  const b = rd(size, ea(d));
  if (exc != 0) return false;
  aluInto(op, size, dReg(d), b);
  return true;
}

@inline export function execFast(f: u32, d: usize, next: u64, epoch: u64): bool {
  switch (f) {
    case F.F_ALU_OPS + 0: return aluForm(0, 0, d);
    case F.F_ALU_OPS + 1: return aluForm(0, 1, d);
    case F.F_ALU_OPS + 4: return aluForm(0, 4, d);
    case F.F_ALU_OPS + 5: return aluForm(0, 5, d);
    case F.F_ALU_OPS + 6: return aluForm(0, 6, d);
    case F.F_ALU_OPS + 7: return aluForm(0, 7, d);
    case F.F_ALU_OPS + 8: return aluForm(1, 0, d);
    case F.F_ALU_OPS + 9: return aluForm(1, 1, d);
    case F.F_ALU_OPS + 12: return aluForm(1, 4, d);
    case F.F_ALU_OPS + 13: return aluForm(1, 5, d);
    case F.F_ALU_OPS + 14: return aluForm(1, 6, d);
    case F.F_ALU_OPS + 15: return aluForm(1, 7, d);
    case F.F_ALU_OPS + 16: return aluForm(2, 0, d);
    case F.F_ALU_OPS + 17: return aluForm(2, 1, d);
    case F.F_ALU_OPS + 20: return aluForm(2, 4, d);
    case F.F_ALU_OPS + 21: return aluForm(2, 5, d);
    case F.F_ALU_OPS + 22: return aluForm(2, 6, d);
    case F.F_ALU_OPS + 23: return aluForm(2, 7, d);
    case F.F_ALU_OPS + 24: return aluForm(3, 0, d);
    case F.F_ALU_OPS + 25: return aluForm(3, 1, d);
    case F.F_ALU_OPS + 28: return aluForm(3, 4, d);
    case F.F_ALU_OPS + 29: return aluForm(3, 5, d);
    case F.F_ALU_OPS + 30: return aluForm(3, 6, d);
    case F.F_ALU_OPS + 31: return aluForm(3, 7, d);
    case F.F_IMUL_I: {
      const osz = dOsz(d);
      const v = readRM(d, osz);
      if (exc != 0) return false;
      writeR(d, osz, imul2(osz, v, dImm(d) & sizeMask(osz)));
      return true;
    }
    case F.F_MOV_RR_89: setR(dRm(d), dOsz(d), gpr(dReg(d))); return true;
    case F.F_MOV_RR_8B: setR(dReg(d), dOsz(d), gpr(dRm(d))); return true;
    case F.F_LOAD: {
      const size = dOsz(d);
      const v = rd(size, ea(d));
      if (exc != 0) return false;
      setR(dReg(d), size, v);
      return true;
    }
    case F.F_STORE: {
      const a = ea(d);
      if (dOsz(d) == 8) write64(a, gpr(dReg(d))); else write32(a, <u32>gpr(dReg(d)));
      return stored(epoch);
    }
    case F.F_MOV_RI: setR(dReg(d), dOsz(d), dImm(d)); return true;
    case F.F_TEST_RR: {
      const size = dOsz(d);
      test(size, getR(dRm(d), size), getR(dReg(d), size));
      return true;
    }
    case F.F_JCC:
      if (cond(dOp(d) & 15)) { setRip(next + dImm(d)); return false; }
      return true;
    case F.F_JMP: setRip(next + dImm(d)); return false;
    case F.F_LEA: setR(dReg(d), dOsz(d), ea(d)); return true;
    case F.F_PUSH: push(8, gpr(dReg(d))); return stored(epoch);
    case F.F_POP: {
      const v = read64(gpr(RSP));
      if (exc != 0) return false;
      setGpr(RSP, gpr(RSP) + 8);
      setGpr(dReg(d), v); // POP RSP: the popped value wins
      return true;
    }
    case F.F_CALL: if (push(8, next)) setRip(next + dImm(d)); return false;
    case F.F_RET: {
      const t = read64(gpr(RSP));
      if (exc != 0) return false;
      if (!canonical(t)) { raise(EXIT_GP, 0, 0); return false; } // exec/branch.ts returnFrom
      setGpr(RSP, gpr(RSP) + 8);
      setRip(t);
      return false;
    }
    case F.F_MOVZX8: {
      const v: u64 = (dModrm(d) >> 6) != 3 ? <u64>read8(ea(d)) : readReg(dRm(d), 1, dRex(d));
      if (exc != 0) return false;
      setR(dReg(d), dOsz(d), v);
      return true;
    }
    case F.F_MOVZX16: {
      const v: u64 = (dModrm(d) >> 6) != 3 ? <u64>read16(ea(d)) : gpr(dRm(d)) & 0xFFFF;
      if (exc != 0) return false;
      setR(dReg(d), dOsz(d), v);
      return true;
    }
    case F.F_NOP: return true;
    case F.F_IMUL_RR: {
      const size = dOsz(d), dst = dReg(d);
      setR(dst, size, imul2(size, getR(dst, size), getR(dRm(d), size)));
      return true;
    }
    case F.F_MULDIV_R: {
      const size = dOsz(d), ext = dExt(d), v = getR(dRm(d), size);
      if (ext == 6 && size == 8 && v != 0 && gpr(RDX) == 0) {
        // DIV r64 of a 64-bit dividend (RDX = 0, the usual case): div1's result without its 128-bit path
        const a = gpr(RAX), q = a / v;
        setGpr(RAX, q); setGpr(RDX, a - q * v);
        setKeep(CF | OF, AF); // div1's flags (muldiv.ts divFlags)
        return true;
      }
      if (ext < 6) mul1(size, v, ext == 5); else div1(size, v, ext == 7);
      return noFault();
    }
    // The generic executors' own functions (exec/map0.ts, map1.ts, sse/sse.ts).
    case F.F_ALU_BLOCK: aluBlock(d, dOp(d)); return stored(epoch);
    case F.F_ALU_RMI: {
      const size: u32 = dOp(d) == 0x80 ? 1 : dOsz(d);
      aluRM(d, dExt(d), size, dImm(d) & sizeMask(size));
      return stored(epoch);
    }
    case F.F_TEST: {
      const op = dOp(d);
      if (op == 0xA8) { test(1, gpr(RAX) & 0xFF, dImm(d) & 0xFF); return true; }
      const size: u32 = op == 0x84 ? 1 : dOsz(d);
      if (op == 0xA9) { test(size, gpr(RAX) & sizeMask(size), dImm(d) & sizeMask(size)); return true; }
      const v = readRM(d, size);
      if (exc != 0) return false;
      test(size, v, readR(d, size));
      return true;
    }
    case F.F_SETCC: {
      const v: u64 = cond(dOp(d) & 15) ? 1 : 0;
      if ((dModrm(d) >> 6) == 3) { writeReg(dRm(d), 1, dRex(d), v); return true; } // writeRM's register path
      writeRM(d, 1, v);
      return stored(epoch);
    }
    case F.F_CMOV: {
      // the source is always read; a 32-bit destination is zero-extended even when not moved
      const osz = dOsz(d);
      const v = readRM(d, osz);
      if (exc != 0) return false;
      if (cond(dOp(d) & 15)) writeR(d, osz, v);
      else if (osz == 4) writeR(d, 4, readR(d, 4));
      return true;
    }
    case F.F_MOVSXD: {
      const osz = dOsz(d);
      const v = readRM(d, 4);
      if (exc != 0) return false;
      writeR(d, osz, osz == 8 ? <u64><i64><i32>v : v);
      return true;
    }
    case F.F_MOVSX: {
      const from: u32 = dOp(d) == 0x1BE ? 1 : 2;
      const v = readRM(d, from);
      if (exc != 0) return false;
      writeR(d, dOsz(d), <u64>sext(v, from));
      return true;
    }
    case F.F_CDQE: {
      const osz = dOsz(d), half = osz >> 1;
      writeReg(RAX, osz, 0x40, <u64>sext(gpr(RAX) & sizeMask(half), half));
      return true;
    }
    case F.F_CQO: {
      const osz = dOsz(d);
      const neg = (gpr(RAX) & (<u64>1 << ((<u64>osz << 3) - 1))) != 0;
      writeReg(RDX, osz, 0x40, neg ? 0xFFFFFFFFFFFFFFFF : 0);
      return true;
    }
    case F.F_SHIFT: {
      const op = dOp(d);
      const size: u32 = (op & 1) == 0 ? 1 : dOsz(d);
      const count: u32 = op <= 0xC1 ? <u32>dImm(d) & 0xFF : op <= 0xD1 ? 1 : <u32>gpr(RCX) & 0xFF;
      shiftRM(d, dExt(d), size, count);
      return stored(epoch);
    }
    case F.F_MOV_MI: writeRM(d, dOp(d) == 0xC6 ? 1 : dOsz(d), dImm(d)); return stored(epoch);
    case F.F_MOV8: {
      if (dOp(d) == 0x88) { writeRM(d, 1, readR(d, 1)); return stored(epoch); }
      const v = readRM(d, 1);
      if (exc != 0) return false;
      writeR(d, 1, v);
      return true;
    }
    case F.F_GROUP3: group3(d, dOp(d) == 0xF6 ? 1 : dOsz(d)); return stored(epoch);
    case F.F_GROUP5: group5(d); return straight(next, epoch);
    case F.F_SD_ARITH: sdArith(d); return noFault();
    case F.F_MOVSD_LOAD: movScalarLoad(d, 8); return noFault();
    case F.F_MOVSD_STORE: movScalarStore(d, 8); return stored(epoch);
    case F.F_LOAD128: { const op = dOp(d); load128(d, op == 0x128 || (op == 0x16F && (dPfx(d) & P_REP) == 0)); return noFault(); }
    case F.F_STORE128: { const op = dOp(d); store128From(d, op == 0x129 || (op == 0x17F && (dPfx(d) & P_REP) == 0)); return stored(epoch); }
    case F.F_PINT: packedInt(d, dOp(d) & 0xFF); return noFault();
    case F.F_COMISD: fpComis(d, true, dOp(d) == 0x12F); return noFault();
    case F.F_MOVQ_X: if (dOp(d) == 0x16E) movdToXmm(d); else movdFromXmm(d); return stored(epoch);
    case F.F_CVTSI2SD: cvtsi2s(d, true); return noFault();
    case F.F_CVTSD2SI: cvts2si(d, true, dOp(d) == 0x12C); return noFault();
    case F.F_PROBE: probeHit(d); return false;  // exits before the instruction (exec/probe.ts)
  }
  return false;
}
