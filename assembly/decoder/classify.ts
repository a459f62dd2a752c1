// Picks a fast form for the instruction shapes that dominate compiled code
// (register moves, loads and stores, ALU on 32/64-bit registers, Jcc, CALL,
// RET, PUSH, POP, LEA, MOVZX). The run loop sends those straight to
// exec/fast.ts, skipping the generic dispatch's map, operand-size and
// operand-kind decisions; everything else keeps D_FAST = 0. Only shapes whose
// fast and generic semantics are the same instruction for instruction qualify:
// no LOCK/REP/66 prefixes, operand size 4 or 8, no ADC/SBB.
import * as S from "./slot";

export const F_NONE: u8 = 0;
export const F_MOV_RR_89: u8 = 1;   // mov r/m(reg), reg
export const F_MOV_RR_8B: u8 = 2;   // mov reg, r/m(reg)
export const F_LOAD: u8 = 3;        // mov reg, [mem]
export const F_STORE: u8 = 4;       // mov [mem], reg
export const F_MOV_RI: u8 = 5;      // mov reg, imm (B8+r)
export const F_ALU_RR_RM: u8 = 6;   // alu r/m(reg), reg
export const F_ALU_RR_REG: u8 = 7;  // alu reg, r/m(reg)
export const F_ALU_R_MEM: u8 = 8;   // alu reg, [mem]
export const F_ALU_RI: u8 = 9;      // alu r/m(reg), imm (81/83)
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

export function classify(slot: usize): u8 {
  const op = <u32>load<u16>(slot + S.D_OP);
  const pfx = <u32>load<u8>(slot + S.D_PFX);
  if ((pfx & (S.P_LOCK | S.P_REP | S.P_REPNE | S.P_OPSIZE)) != 0) return F_NONE;
  const mem = (pfx & S.P_MEM) != 0;
  if (op < 0x40 && ((op & 7) == 1 || (op & 7) == 3)) {
    const alu = op >> 3;
    if (alu == 2 || alu == 3) return F_NONE;            // ADC, SBB
    if (!mem) return (op & 7) == 1 ? F_ALU_RR_RM : F_ALU_RR_REG;
    return (op & 7) == 3 ? F_ALU_R_MEM : F_NONE;
  }
  if (op >= 0x50 && op <= 0x57) return F_PUSH;
  if (op >= 0x58 && op <= 0x5F) return F_POP;
  if (op >= 0x70 && op <= 0x7F) return F_JCC;
  if (op >= 0x180 && op <= 0x18F) return F_JCC;
  if (op >= 0xB8 && op <= 0xBF) return F_MOV_RI;
  switch (op) {
    case 0x81: case 0x83: {
      const ext = (<u32>load<u8>(slot + S.D_MODRM) >> 3) & 7;
      return !mem && ext != 2 && ext != 3 ? F_ALU_RI : F_NONE;
    }
    case 0x85: return mem ? F_NONE : F_TEST_RR;
    case 0x89: return mem ? F_STORE : F_MOV_RR_89;
    case 0x8B: return mem ? F_LOAD : F_MOV_RR_8B;
    case 0x8D: return mem && load<u8>(slot + S.D_SEG) == S.SEG_NONE ? F_LEA : F_NONE;
    case 0xE8: return F_CALL;
    case 0xE9: case 0xEB: return F_JMP;
    case 0xC3: return F_RET;
    case 0x90: return (load<u8>(slot + S.D_REX) & S.REX_B) == 0 ? F_NOP : F_NONE;
    case 0x11F: return F_NOP;
    case 0x1B6: return F_MOVZX8;
    case 0x1B7: return F_MOVZX16;
  }
  return F_NONE;
}
