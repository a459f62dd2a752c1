// Picks a fast form for the instruction shapes that dominate compiled code
// (register moves, loads and stores, ALU, Jcc, CALL, RET, PUSH, POP, LEA,
// MOVZX/MOVSX, SETcc, CMOVcc, shifts, MUL/DIV, the common SSE2 moves and
// scalar double arithmetic). The run loop sends those straight to
// exec/fast.ts, skipping the generic dispatch's map, prefix and operand-kind
// decisions; everything else keeps D_FAST = 0. A fast form is either a
// specialised body (the register forms, 32/64-bit only) or a direct call of
// the very executor the generic dispatch would reach, so both paths are the
// same instruction for instruction (test/cpu/fastforms.test.ts runs programs
// both ways in lockstep). Never fast: LOCK (it needs the LOCK check), and
// prefixes that change the form in ways not listed here.
import * as S from "./slot";

export const F_NONE: u8 = 0;
export const F_MOV_RR_89: u8 = 1;   // mov r/m(reg), reg
export const F_MOV_RR_8B: u8 = 2;   // mov reg, r/m(reg)
export const F_LOAD: u8 = 3;        // mov reg, [mem]
export const F_STORE: u8 = 4;       // mov [mem], reg
export const F_MOV_RI: u8 = 5;      // mov reg, imm (B8+r)
export const F_TEST_RR: u8 = 10;
export const F_JCC: u8 = 11;
export const F_JMP: u8 = 12;
export const F_LEA: u8 = 13;
export const F_PUSH: u8 = 14;
export const F_POP: u8 = 15;
export const F_CALL: u8 = 16;
export const F_RET: u8 = 17;
export const F_MOVZX8: u8 = 18;     // movzx reg, r/m8
export const F_MOVZX16: u8 = 19;    // movzx reg, r/m16
export const F_NOP: u8 = 20;
export const F_IMUL_RR: u8 = 21;   // imul reg, r/m(reg)
export const F_MULDIV_R: u8 = 22;  // mul/imul/div/idiv r/m(reg) (F7 /4../7)
// Forms that call the generic executor of their opcode directly.
export const F_ALU_BLOCK: u8 = 23;  // 00-3F forms 0..5 not above (byte forms, memory destinations, ADC/SBB, AL/eAX imm)
export const F_ALU_RMI: u8 = 24;    // 80/81/83 not above
export const F_TEST: u8 = 25;       // 84, 85 with memory, A8, A9
export const F_SETCC: u8 = 26;      // 0F 90-9F
export const F_CMOV: u8 = 27;       // 0F 40-4F
export const F_MOVSXD: u8 = 28;     // 63
export const F_MOVSX: u8 = 29;      // 0F BE, 0F BF
export const F_CDQE: u8 = 30;       // 98
export const F_CQO: u8 = 31;        // 99
export const F_SHIFT: u8 = 32;      // C0 C1 D0 D1 D2 D3
export const F_MOV_MI: u8 = 33;     // C6 /0, C7 /0
export const F_MOV8: u8 = 34;       // 88, 8A
export const F_GROUP3: u8 = 35;     // F6, F7 not above
export const F_GROUP5: u8 = 36;     // FF /0 /1 /2 /4 /6
// SSE2 (mandatory prefixes as sse/sse.ts reads them)
export const F_SD_ARITH: u8 = 40;   // F2 0F 58 59 5C 5E: ADDSD MULSD SUBSD DIVSD
export const F_MOVSD_LOAD: u8 = 41; // F2 0F 10
export const F_MOVSD_STORE: u8 = 42;// F2 0F 11
export const F_LOAD128: u8 = 43;    // 0F 10 / 66 0F 10 (unaligned), 0F 28 / 66 0F 28, 66 0F 6F (aligned), F3 0F 6F
export const F_STORE128: u8 = 44;   // 0F 11 / 66 0F 11, 0F 29 / 66 0F 29, 66 0F 7F, F3 0F 7F
export const F_PINT: u8 = 45;       // 66 0F EF PXOR, D4 PADDQ, FB PSUBQ, EB POR, DB PAND
export const F_COMISD: u8 = 46;     // 66 0F 2E / 2F
export const F_MOVQ_X: u8 = 47;     // 66 0F 6E / 66 0F 7E (MOVD/MOVQ between GPR/memory and XMM)
export const F_CVTSI2SD: u8 = 48;   // F2 0F 2A
export const F_CVTSD2SI: u8 = 49;   // F2 0F 2C / 2D

// 32/64-bit ALU forms, one code per operation (so the executor's switches on
// the operation fold away): F_ALU_OPS + form * 8 + op, op in /digit order
// (never ADC/SBB), form 0 = alu r/m(reg), reg; 1 = alu reg, r/m(reg);
// 2 = alu reg, [mem]; 3 = alu r/m(reg), imm (81/83).
export const F_ALU_OPS: u8 = 64;
export const F_IMUL_I: u8 = 50;     // 69, 6B: imul reg, r/m, imm
// Not an instruction: a code probe's slot (decoder/probe.ts), whatever the fast-form switch says.
export const F_PROBE: u8 = 63;

// Fast forms can be switched off (tests compare both paths); read only when decoding.
let fastForms: bool = true;
export function setFastForms(on: bool): void { fastForms = on; }
export function resetClassify(): void { fastForms = true; }

// sse/sse.ts's mandatory-prefix class: 0 none, 1 = 66, 2 = F2, 3 = F3.
@inline function prefixClass(pfx: u32): u32 {
  if ((pfx & S.P_REP) != 0) return 3;
  if ((pfx & S.P_REPNE) != 0) return 2;
  return (pfx & S.P_OPSIZE) != 0 ? 1 : 0;
}

function classifySse(op: u32, pfx: u32, slot: usize): u8 {
  const pf = prefixClass(pfx);
  const mem = (pfx & S.P_MEM) != 0;
  switch (op) {
    case 0x158: case 0x159: case 0x15C: case 0x15E: return pf == 2 ? F_SD_ARITH : F_NONE;
    case 0x110: return pf == 2 ? F_MOVSD_LOAD : pf < 2 ? F_LOAD128 : F_NONE;
    case 0x111: return pf == 2 ? F_MOVSD_STORE : pf < 2 ? F_STORE128 : F_NONE;
    case 0x128: return pf < 2 ? F_LOAD128 : F_NONE;
    case 0x129: return pf < 2 ? F_STORE128 : F_NONE;
    case 0x16F: return pf == 1 || pf == 3 ? F_LOAD128 : F_NONE;
    case 0x17F: return pf == 1 || pf == 3 ? F_STORE128 : F_NONE;
    case 0x1EF: case 0x1D4: case 0x1FB: case 0x1EB: case 0x1DB: return pf == 1 ? F_PINT : F_NONE;
    case 0x12E: case 0x12F: return pf == 1 ? F_COMISD : F_NONE;
    case 0x16E: return pf == 1 ? F_MOVQ_X : F_NONE;
    case 0x17E: return pf == 1 ? F_MOVQ_X : F_NONE;
    case 0x12A: return pf == 2 ? F_CVTSI2SD : F_NONE;
    case 0x12C: case 0x12D: return pf == 2 ? F_CVTSD2SI : F_NONE;
  }
  return F_NONE;
}

export function classify(slot: usize): u8 {
  if (!fastForms) return F_NONE;
  const op = <u32>load<u16>(slot + S.D_OP);
  const pfx = <u32>load<u8>(slot + S.D_PFX);
  if ((pfx & S.P_LOCK) != 0) return F_NONE;
  if (op >= 0x100 && op < 0x200 && (pfx & (S.P_REP | S.P_REPNE | S.P_OPSIZE)) != 0) return classifySse(op, pfx, slot);
  if ((pfx & (S.P_REP | S.P_REPNE | S.P_OPSIZE)) != 0) return F_NONE;
  const mem = (pfx & S.P_MEM) != 0;
  const ext = (<u32>load<u8>(slot + S.D_MODRM) >> 3) & 7;
  if (op < 0x40 && (op & 7) < 6) {
    const alu = op >> 3;
    if ((op & 7) == 1 || (op & 7) == 3) {
      if (alu != 2 && alu != 3) {                       // not ADC, SBB
        if (!mem) return <u8>(F_ALU_OPS + ((op & 7) == 1 ? 0 : 8) + alu);
        if ((op & 7) == 3) return <u8>(F_ALU_OPS + 16 + alu);
      }
    }
    return F_ALU_BLOCK;
  }
  if (op >= 0x50 && op <= 0x57) return F_PUSH;
  if (op >= 0x58 && op <= 0x5F) return F_POP;
  if (op >= 0x70 && op <= 0x7F) return F_JCC;
  if (op >= 0x180 && op <= 0x18F) return F_JCC;
  if (op >= 0x190 && op <= 0x19F) return F_SETCC;
  if (op >= 0x140 && op <= 0x14F) return F_CMOV;
  if (op >= 0xB8 && op <= 0xBF) return F_MOV_RI;
  switch (op) {
    case 0x80: return F_ALU_RMI;
    case 0x81: case 0x83: return !mem && ext != 2 && ext != 3 ? <u8>(F_ALU_OPS + 24 + ext) : F_ALU_RMI;
    case 0x69: case 0x6B: return F_IMUL_I;
    case 0x84: case 0xA8: case 0xA9: return F_TEST;
    case 0x85: return mem ? F_TEST : F_TEST_RR;
    case 0xF6: return F_GROUP3;
    case 0xF7: return !mem && ext >= 4 ? F_MULDIV_R : F_GROUP3;
    case 0xFF: return ext == 3 || ext == 5 || ext == 7 ? F_NONE : F_GROUP5;
    case 0x1AF: return mem ? F_NONE : F_IMUL_RR;
    case 0x88: case 0x8A: return F_MOV8;
    case 0x89: return mem ? F_STORE : F_MOV_RR_89;
    case 0x8B: return mem ? F_LOAD : F_MOV_RR_8B;
    case 0x8D: return mem && load<u8>(slot + S.D_SEG) == S.SEG_NONE ? F_LEA : F_NONE;
    case 0x63: return F_MOVSXD;
    case 0x98: return F_CDQE;
    case 0x99: return F_CQO;
    case 0xC0: case 0xC1: case 0xD0: case 0xD1: case 0xD2: case 0xD3: return F_SHIFT;
    case 0xC6: case 0xC7: return ext == 0 ? F_MOV_MI : F_NONE;
    case 0xE8: return F_CALL;
    case 0xE9: case 0xEB: return F_JMP;
    case 0xC3: return F_RET;
    case 0x90: return (load<u8>(slot + S.D_REX) & S.REX_B) == 0 ? F_NOP : F_NONE;
    case 0x11F: return F_NOP;
    case 0x1B6: return F_MOVZX8;
    case 0x1B7: return F_MOVZX16;
    case 0x1BE: case 0x1BF: return F_MOVSX;
  }
  if (op >= 0x100 && op < 0x200) return classifySse(op, pfx, slot);
  return F_NONE;
}
