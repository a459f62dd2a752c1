// One-byte opcode map (integer instructions; D8-DF go to the x87 unit).
import { raiseOpcode, raise, raiseVector, gpr, setGpr, rip, exc, readReg, writeReg, RAX, RCX, RDX, RBX, RSP, RBP } from "../cpu/state";
import { EXIT_UNIMPLEMENTED, EXIT_INVALID_OPCODE, EXIT_GP, EXIT_INT3 } from "../cpu/exits";
import { dImm, dImm2, dReg, dRex, dOsz, dPfx, dExt, dIsMem, dRm, readRM, writeRM, readR, writeR, ea } from "./operand";
import { cond, sizeMask, sext, getFlags, setFlagsValue, setFlagBit, materialize, setArith, flags, CF, DF, PF, AF, ZF, SF, ARITH } from "../cpu/flags";
import { readN, writeN, probeWrite } from "../mmu/access";
import { P_REP, P_REPNE, P_ADDR32, P_OPSIZE, D_ASZ, D_SEG, D_BASE, D_INDEX, D_SCALE, D_DISP, R_NONE, R_RIP } from "../decoder/slot";
import { aluRM, aluReg, test, unaryRM } from "./alu";
import { shiftRM } from "./shift";
import { mul1, div1, imul2 } from "./muldiv";
import { push, peek } from "./stack";
import { jumpTo, callTo, returnFrom, branchSize } from "./branch";
import { stringOp, STR_MOVS, STR_CMPS, STR_STOS, STR_LODS, STR_SCAS } from "./string";
import { execX87, fwait } from "../x87/x87";
import { STATE, S_FSBASE, S_GSBASE } from "../memmap";
import { SEG_FS } from "../decoder/slot";

@inline function ud(op: u32): void { raiseOpcode(EXIT_INVALID_OPCODE, op); }
@inline function gp(): void { raise(EXIT_GP, 0, 0); }
// Stack operand size: 8, or 2 with a 66 prefix.
@inline function stackSize(d: usize): u32 { return (dPfx(d) & P_OPSIZE) != 0 ? 2 : 8; }
@inline function immOf(d: usize, size: u32): u64 { return dImm(d) & sizeMask(size); }

// LEA: the address without any segment base.
function leaAddr(d: usize): u64 {
  const base = <u32>load<u8>(d + D_BASE);
  const index = <u32>load<u8>(d + D_INDEX);
  let a: u64 = <u64><i64>load<i32>(d + D_DISP);
  if (base < 16) a += gpr(base);
  else if (base == R_RIP) a += rip;
  if (index < 16) a += gpr(index) << load<u8>(d + D_SCALE);
  if (load<u8>(d + D_ASZ) == 4) a &= 0xFFFFFFFF;
  return a;
}

function repKind(d: usize): u32 {
  const p = dPfx(d);
  return (p & P_REP) != 0 ? 1 : (p & P_REPNE) != 0 ? 2 : 0;
}

// ALU block 00-3F (op & 7 < 6): op/8 = operation, op&7 = form. Also a fast form.
export function aluBlock(d: usize, op: u32): void {
  const alu = op >> 3;
  const osz = dOsz(d);
  switch (op & 7) {
    case 0: aluRM(d, alu, 1, readR(d, 1)); return;
    case 1: aluRM(d, alu, osz, readR(d, osz)); return;
    case 2: { const v = readRM(d, 1); if (exc != 0) return; aluReg(dReg(d), dRex(d), alu, 1, v); return; }
    case 3: { const v = readRM(d, osz); if (exc != 0) return; aluReg(dReg(d), dRex(d), alu, osz, v); return; }
    case 4: aluReg(RAX, 0x40, alu, 1, immOf(d, 1)); return;
    default: aluReg(RAX, 0x40, alu, osz, immOf(d, osz)); return;
  }
}

export function execMap0(d: usize, op: u32): void {
  if (op < 0x40 && (op & 7) < 6) { aluBlock(d, op); return; }
  switch (op) {
    // PUSH/POP r (50-5F)
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57: {
      const s = stackSize(d);
      push(s, readReg(dReg(d), s, 0x40));
      return;
    }
    case 0x58: case 0x59: case 0x5A: case 0x5B: case 0x5C: case 0x5D: case 0x5E: case 0x5F: {
      const s = stackSize(d);
      const v = peek(s);
      if (exc != 0) return;
      setGpr(RSP, gpr(RSP) + s);
      writeReg(dReg(d), s, 0x40, v); // POP RSP: the popped value wins
      return;
    }
    case 0x63: { // MOVSXD (without REX.W: a plain 32-bit move)
      const osz = dOsz(d);
      const v = readRM(d, 4);
      if (exc != 0) return;
      writeR(d, osz, osz == 8 ? <u64><i64><i32>v : v);
      return;
    }
    case 0x68: case 0x6A: push(stackSize(d), dImm(d)); return;
    case 0x69: case 0x6B: {
      const osz = dOsz(d);
      const v = readRM(d, osz);
      if (exc != 0) return;
      writeR(d, osz, imul2(osz, v, immOf(d, osz)));
      return;
    }
    case 0x6C: case 0x6D: case 0x6E: case 0x6F: gp(); return; // INS/OUTS: #GP at CPL 3
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7A: case 0x7B: case 0x7C: case 0x7D: case 0x7E: case 0x7F:
      if (cond(op & 15)) jumpTo(d, rip + dImm(d));
      return;
    case 0x80: case 0x82: aluRM(d, dExt(d), 1, immOf(d, 1)); return;
    case 0x81: case 0x83: { const osz = dOsz(d); aluRM(d, dExt(d), osz, immOf(d, osz)); return; }
    case 0x84: { const v = readRM(d, 1); if (exc != 0) return; test(1, v, readR(d, 1)); return; }
    case 0x85: { const osz = dOsz(d); const v = readRM(d, osz); if (exc != 0) return; test(osz, v, readR(d, osz)); return; }
    case 0x86: case 0x87: { // XCHG r/m, r
      const size: u32 = op == 0x86 ? 1 : dOsz(d);
      const r = readR(d, size);
      if (dIsMem(d)) {
        const a = ea(d);
        if (!probeWrite(a, size)) return;
        const v = readN(a, size);
        if (exc != 0) return;
        writeN(a, size, r);
        if (exc != 0) return;
        writeR(d, size, v);
      } else {
        const v = readRM(d, size);
        writeRM(d, size, r);
        writeR(d, size, v);
      }
      return;
    }
    case 0x88: { writeRM(d, 1, readR(d, 1)); return; }
    case 0x89: { const osz = dOsz(d); writeRM(d, osz, readR(d, osz)); return; }
    case 0x8A: { const v = readRM(d, 1); if (exc != 0) return; writeR(d, 1, v); return; }
    case 0x8B: { const osz = dOsz(d); const v = readRM(d, osz); if (exc != 0) return; writeR(d, osz, v); return; }
    case 0x8C: { // MOV r/m, Sreg: CS = 0x33, SS = 0x2B (Linux user selectors), others 0 (Sreg 6, 7: #UD by the table)
      const sr = dExt(d);
      const sel: u64 = sr == 1 ? 0x33 : sr == 2 ? 0x2B : 0;
      // a register destination takes the operand size (zero-extended); memory is always 16-bit
      writeRM(d, dIsMem(d) ? 2 : dOsz(d), sel);
      return;
    }
    case 0x8D: { // LEA (a register operand is #UD: the table has no row for it)
      writeR(d, dOsz(d), leaAddr(d));
      return;
    }
    case 0x8F: { // POP r/m, /0 only (the address is computed with RSP already incremented)
      const s = stackSize(d);
      const v = peek(s);
      if (exc != 0) return;
      const old = gpr(RSP);
      setGpr(RSP, old + s);
      writeRM(d, s, v);
      if (exc != 0) setGpr(RSP, old);
      return;
    }
    case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
      if (dReg(d) == 0) return; // 90 without REX.B: NOP / PAUSE (no zero-extension of EAX)
      const osz = dOsz(d), r = dReg(d);
      const a = readReg(RAX, osz, 0x40), b = readReg(r, osz, 0x40);
      writeReg(RAX, osz, 0x40, b);
      writeReg(r, osz, 0x40, a);
      return;
    }
    case 0x98: { // CBW / CWDE / CDQE
      const osz = dOsz(d);
      const half = osz >> 1;
      writeReg(RAX, osz, 0x40, <u64>sext(gpr(RAX) & sizeMask(half), half));
      return;
    }
    case 0x99: { // CWD / CDQ / CQO
      const osz = dOsz(d);
      const neg = (gpr(RAX) & (<u64>1 << ((<u64>osz << 3) - 1))) != 0;
      writeReg(RDX, osz, 0x40, neg ? 0xFFFFFFFFFFFFFFFF : 0);
      return;
    }
    case 0x9B: fwait(); return; // FWAIT: delivers a pending unmasked x87 exception (#MF)
    case 0x9C: { // PUSHF (RF and VM read as 0)
      const s = stackSize(d);
      push(s, getFlags() & 0xFCFFFF);
      return;
    }
    case 0x9D: { // POPF at CPL 3: IF and IOPL keep their values; TF is not emulated
      const s = stackSize(d);
      const v = peek(s);
      if (exc != 0) return;
      setGpr(RSP, gpr(RSP) + s);
      const user: u64 = 0x1 | 0x4 | 0x10 | 0x40 | 0x80 | 0x400 | 0x800 | 0x4000 | 0x40000 | 0x200000;
      const um: u64 = s == 2 ? user & 0xFFFF : user;
      setFlagsValue((getFlags() & ~um) | (v & um));
      return;
    }
    case 0x9E: { // SAHF
      const ah = (gpr(RAX) >> 8) & (SF | ZF | AF | PF | CF);
      setArith((getFlags() & ~(SF | ZF | AF | PF | CF)) | ah);
      return;
    }
    case 0x9F: { // LAHF
      const f = getFlags() & (SF | ZF | AF | PF | CF | 2);
      setGpr(RAX, (gpr(RAX) & ~<u64>0xFF00) | (f << 8));
      return;
    }
    case 0xA0: case 0xA1: case 0xA2: case 0xA3: { // MOV with a moffs address
      const size: u32 = (op & 1) == 0 ? 1 : dOsz(d);
      let a = dImm(d);
      const seg = load<u8>(d + D_SEG);
      if (seg != 0) a += load<u64>(STATE + (seg == SEG_FS ? S_FSBASE : S_GSBASE));
      if (op < 0xA2) { const v = readN(a, size); if (exc != 0) return; writeReg(RAX, size, 0x40, v); }
      else writeN(a, size, readReg(RAX, size, 0x40));
      return;
    }
    case 0xA4: case 0xA5: stringOp(d, STR_MOVS, op == 0xA4 ? 1 : dOsz(d), repKind(d) != 0 ? 1 : 0, load<u8>(d + D_ASZ)); return;
    case 0xA6: case 0xA7: stringOp(d, STR_CMPS, op == 0xA6 ? 1 : dOsz(d), repKind(d), load<u8>(d + D_ASZ)); return;
    case 0xA8: test(1, gpr(RAX) & 0xFF, immOf(d, 1)); return;
    case 0xA9: { const osz = dOsz(d); test(osz, gpr(RAX) & sizeMask(osz), immOf(d, osz)); return; }
    case 0xAA: case 0xAB: stringOp(d, STR_STOS, op == 0xAA ? 1 : dOsz(d), repKind(d) != 0 ? 1 : 0, load<u8>(d + D_ASZ)); return;
    case 0xAC: case 0xAD: stringOp(d, STR_LODS, op == 0xAC ? 1 : dOsz(d), repKind(d) != 0 ? 1 : 0, load<u8>(d + D_ASZ)); return;
    case 0xAE: case 0xAF: stringOp(d, STR_SCAS, op == 0xAE ? 1 : dOsz(d), repKind(d), load<u8>(d + D_ASZ)); return;
    case 0xB0: case 0xB1: case 0xB2: case 0xB3: case 0xB4: case 0xB5: case 0xB6: case 0xB7:
      writeReg(dReg(d), 1, dRex(d), dImm(d)); return;
    case 0xB8: case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF:
      writeReg(dReg(d), dOsz(d), 0x40, dImm(d)); return;
    case 0xC0: shiftRM(d, dExt(d), 1, <u32>dImm(d) & 0xFF); return;
    case 0xC1: shiftRM(d, dExt(d), dOsz(d), <u32>dImm(d) & 0xFF); return;
    case 0xD0: shiftRM(d, dExt(d), 1, 1); return;
    case 0xD1: shiftRM(d, dExt(d), dOsz(d), 1); return;
    case 0xD2: shiftRM(d, dExt(d), 1, <u32>gpr(RCX) & 0xFF); return;
    case 0xD3: shiftRM(d, dExt(d), dOsz(d), <u32>gpr(RCX) & 0xFF); return;
    case 0xC2: case 0xC3: returnFrom(d, op == 0xC2 ? dImm(d) & 0xFFFF : 0); return; // RET [imm16]
    case 0xC6: case 0xC7: { // MOV r/m, imm (/0 only)
      const size: u32 = op == 0xC6 ? 1 : dOsz(d);
      writeRM(d, size, dImm(d));
      return;
    }
    case 0xC8: enter(d); return;
    case 0xC9: { // LEAVE
      const s = stackSize(d);
      const v = readN(gpr(RBP), s);
      if (exc != 0) return;
      setGpr(RSP, gpr(RBP) + s);
      writeReg(RBP, s, 0x40, v);
      return;
    }
    case 0xCC: raiseVector(EXIT_INT3, 3, 0, 0); return; // #BP, a trap: RIP is already past it
    case 0xF1: raiseVector(EXIT_INT3, 1, 0, 0); return; // INT1 (ICEBP): a #DB trap, SIGTRAP on Linux
    case 0xCD: { // INT n: Linux's IDT gates for user mode are DPL 0 except #BP and #OF: the
      // others are #GP with the gate's selector error code (IDT, vector << 3 | 2).
      // INT 0x80 (the 32-bit system call gate) is not supported: it is #GP here.
      const n = <u32>dImm(d) & 0xFF;
      if (n == 3 || n == 4) { raiseVector(EXIT_INT3, n, 0, 0); return; }
      raise(EXIT_GP, (n << 3) | 2, 0);
      return;
    }
    case 0xD7: { // XLAT
      let a = gpr(RBX) + (gpr(RAX) & 0xFF);
      if (load<u8>(d + D_ASZ) == 4) a &= 0xFFFFFFFF;
      const v = readN(a, 1);
      if (exc != 0) return;
      setGpr(RAX, (gpr(RAX) & ~<u64>0xFF) | v);
      return;
    }
    case 0xD8: case 0xD9: case 0xDA: case 0xDB: case 0xDC: case 0xDD: case 0xDE: case 0xDF:
      execX87(d, op); return;
    case 0xE0: case 0xE1: case 0xE2: { // LOOPNE / LOOPE / LOOP
      const amask: u64 = load<u8>(d + D_ASZ) == 4 ? 0xFFFFFFFF : 0xFFFFFFFFFFFFFFFF;
      const c = (gpr(RCX) - 1) & amask;
      let take = c != 0;
      if (op == 0xE0) take = take && !cond(4);
      else if (op == 0xE1) take = take && cond(4);
      if (take) { jumpTo(d, rip + dImm(d)); if (exc != 0) return; } // a #GP leaves RCX as it was
      setGpr(RCX, c);
      return;
    }
    case 0xE3: { // JRCXZ / JECXZ
      const amask: u64 = load<u8>(d + D_ASZ) == 4 ? 0xFFFFFFFF : 0xFFFFFFFFFFFFFFFF;
      if ((gpr(RCX) & amask) == 0) jumpTo(d, rip + dImm(d));
      return;
    }
    case 0xE4: case 0xE5: case 0xE6: case 0xE7: case 0xEC: case 0xED: case 0xEE: case 0xEF:
      gp(); return; // IN/OUT at CPL 3 with IOPL 0
    case 0xE8: callTo(d, rip + dImm(d)); return;                 // CALL rel32 / rel16
    case 0xE9: case 0xEB: jumpTo(d, rip + dImm(d)); return;     // JMP rel32 / rel16 / rel8
    case 0xF4: case 0xFA: case 0xFB: gp(); return; // HLT CLI STI: privileged
    case 0xF5: materialize(); setFlagBit(CF, (flags & CF) == 0); return; // CMC
    case 0xF6: case 0xF7: group3(d, op == 0xF6 ? 1 : dOsz(d)); return;
    case 0xF8: materialize(); setFlagBit(CF, false); return; // CLC
    case 0xF9: materialize(); setFlagBit(CF, true); return;  // STC
    case 0xFC: setFlagBit(DF, false); return; // CLD
    case 0xFD: setFlagBit(DF, true); return;  // STD
    case 0xFE: unaryRM(d, dExt(d), 1); return; // INC, DEC r/m8 (/0, /1)
    case 0xFF: group5(d); return;
  }
  raiseOpcode(EXIT_UNIMPLEMENTED, op);
}

export function group3(d: usize, size: u32): void {
  switch (dExt(d)) {
    case 0: case 1: { const v = readRM(d, size); if (exc != 0) return; test(size, v, dImm(d) & sizeMask(size)); return; }
    case 2: unaryRM(d, 2, size); return;
    case 3: unaryRM(d, 3, size); return;
    case 4: case 5: { const v = readRM(d, size); if (exc != 0) return; mul1(size, v, dExt(d) == 5); return; }
    default: { const v = readRM(d, size); if (exc != 0) return; div1(size, v, dExt(d) == 7); return; }
  }
}

export function group5(d: usize): void {
  switch (dExt(d)) {
    case 0: unaryRM(d, 0, dOsz(d)); return;
    case 1: unaryRM(d, 1, dOsz(d)); return;
    case 2: { // CALL r/m64 (r/m16 with 66)
      const t = readRM(d, branchSize(d));
      if (exc != 0) return;
      callTo(d, t);
      return;
    }
    case 4: { const t = readRM(d, branchSize(d)); if (exc != 0) return; jumpTo(d, t); return; } // JMP r/m64
    case 6: { // PUSH r/m
      const s = stackSize(d);
      const v = readRM(d, s);
      if (exc != 0) return;
      push(s, v);
      return;
    }
    default: // /3, /5: far CALL/JMP through memory, never used by user programs (/7: #UD by the table)
      raiseOpcode(EXIT_UNIMPLEMENTED, 0xFF);
  }
}

// ENTER imm16, imm8, as the AMD host does it: the pushes and nested frame-pointer
// copies are stored as they go (a later fault leaves the earlier stores, with RSP
// and RBP unchanged), then the new stack top (the frame less imm16) must be
// writable, then RBP and RSP change.
function enter(d: usize): void {
  const s = stackSize(d);
  const alloc = dImm(d) & 0xFFFF;
  const level = dImm2(d) & 31;
  const frame = gpr(RSP) - s;
  writeN(frame, s, readReg(RBP, s, 0x40));
  if (exc != 0) return;
  let sp = frame;
  if (level > 0) {
    let bp = gpr(RBP);
    for (let i: u32 = 1; i < level; i++) {
      bp -= s;
      const v = readN(bp, s);
      if (exc != 0) return;
      sp -= s;
      writeN(sp, s, v);
      if (exc != 0) return;
    }
    sp -= s;
    writeN(sp, s, frame);
    if (exc != 0) return;
  }
  const top = sp - alloc;
  if (!probeWrite(top, 1)) return;
  writeReg(RBP, s, 0x40, frame);
  setGpr(RSP, top);
}
