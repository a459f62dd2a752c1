// Fast forms (decoder/classify.ts): the few instruction shapes that make up
// most of compiled code, executed without the generic dispatch. Each case does
// exactly what the generic executor does for that shape (the differential
// tests run both paths).
import * as F from "../decoder/classify";
import { gpr, setGpr, readReg, writeReg, rip, setRip, exc, RSP } from "../cpu/state";
import { cond, sizeMask } from "../cpu/flags";
import { read64, read32, read16, read8, write64, write32 } from "../mmu/access";
import { dReg, dRm, dRex, dOsz, dImm, dOp, dModrm, ea } from "./operand";
import { aluResult, aluFlags, test } from "./alu";
import { push } from "./stack";
import { imul2, mul1, div1 } from "./muldiv";

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

export function execFast(f: u32, d: usize): void {
  switch (f) {
    case F.F_MOV_RR_89: setR(dRm(d), dOsz(d), gpr(dReg(d))); return;
    case F.F_MOV_RR_8B: setR(dReg(d), dOsz(d), gpr(dRm(d))); return;
    case F.F_LOAD: {
      const size = dOsz(d);
      const v = rd(size, ea(d));
      if (exc != 0) return;
      setR(dReg(d), size, v);
      return;
    }
    case F.F_STORE: {
      const a = ea(d);
      if (dOsz(d) == 8) write64(a, gpr(dReg(d))); else write32(a, <u32>gpr(dReg(d)));
      return;
    }
    case F.F_MOV_RI: setR(dReg(d), dOsz(d), dImm(d)); return;
    case F.F_ALU_RR_RM: { const size = dOsz(d); aluInto(dOp(d) >> 3, size, dRm(d), getR(dReg(d), size)); return; }
    case F.F_ALU_RR_REG: { const size = dOsz(d); aluInto(dOp(d) >> 3, size, dReg(d), getR(dRm(d), size)); return; }
    case F.F_ALU_R_MEM: {
      const size = dOsz(d);
      const b = rd(size, ea(d));
      if (exc != 0) return;
      aluInto(dOp(d) >> 3, size, dReg(d), b);
      return;
    }
    case F.F_ALU_RI: { const size = dOsz(d); aluInto((dModrm(d) >> 3) & 7, size, dRm(d), dImm(d) & sizeMask(size)); return; }
    case F.F_TEST_RR: {
      const size = dOsz(d);
      test(size, getR(dRm(d), size), getR(dReg(d), size));
      return;
    }
    case F.F_JCC: if (cond(dOp(d) & 15)) setRip(rip + dImm(d)); return;
    case F.F_JMP: setRip(rip + dImm(d)); return;
    case F.F_LEA: setR(dReg(d), dOsz(d), ea(d)); return;
    case F.F_PUSH: push(8, gpr(dReg(d))); return;
    case F.F_POP: {
      const v = read64(gpr(RSP));
      if (exc != 0) return;
      setGpr(RSP, gpr(RSP) + 8);
      setGpr(dReg(d), v); // POP RSP: the popped value wins
      return;
    }
    case F.F_CALL: if (push(8, rip)) setRip(rip + dImm(d)); return;
    case F.F_RET: {
      const t = read64(gpr(RSP));
      if (exc != 0) return;
      setGpr(RSP, gpr(RSP) + 8);
      setRip(t);
      return;
    }
    case F.F_MOVZX8: {
      const v: u64 = (dModrm(d) >> 6) != 3 ? <u64>read8(ea(d)) : readReg(dRm(d), 1, dRex(d));
      if (exc != 0) return;
      setR(dReg(d), dOsz(d), v);
      return;
    }
    case F.F_MOVZX16: {
      const v: u64 = (dModrm(d) >> 6) != 3 ? <u64>read16(ea(d)) : gpr(dRm(d)) & 0xFFFF;
      if (exc != 0) return;
      setR(dReg(d), dOsz(d), v);
      return;
    }
    case F.F_NOP: return;
    case F.F_IMUL_RR: {
      const size = dOsz(d), dst = dReg(d);
      setR(dst, size, imul2(size, getR(dst, size), getR(dRm(d), size)));
      return;
    }
    case F.F_MULDIV_R: {
      const size = dOsz(d), ext = (dModrm(d) >> 3) & 7, v = getR(dRm(d), size);
      if (ext < 6) mul1(size, v, ext == 5); else div1(size, v, ext == 7);
      return;
    }
  }
}
