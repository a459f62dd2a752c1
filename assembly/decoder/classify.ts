// Picks a decoded instruction's fast form: the instruction shapes that dominate
// compiled code (register moves, loads and stores, ALU, Jcc, CALL, RET, PUSH,
// POP, LEA, MOVZX/MOVSX, SETcc, CMOVcc, shifts, MUL/DIV, the common SSE2 moves
// and scalar double arithmetic), which the run loop sends straight to
// exec/fast.ts, skipping the generic dispatch's map, prefix and operand-kind
// decisions. Which encoding gets which form is the instruction table's `fast`
// column (src/isa/table.ts), compiled in as decoder/insns.ts; everything else
// keeps D_FAST = 0. A fast form is either a specialised body (the register
// forms, 32/64-bit only) or a direct call of the very executor the generic
// dispatch would reach, so both paths are the same instruction for instruction
// (test/cpu/fastforms.test.ts runs programs both ways in lockstep). Never fast:
// LOCK (it needs the LOCK check), and prefixes the table's row does not name.
import * as S from "./slot";
import { fastFormOf, attrOf, A_NOSEG, A_NOREXB, F_NONE } from "./insns";

// Fast forms can be switched off (tests compare both paths); read only when decoding.
let fastForms: bool = true;
export function setFastForms(on: bool): void { fastForms = on; }
export function resetClassify(): void { fastForms = true; }

// The mandatory-prefix class, as sse/sse.ts reads it: 0 none, 1 = 66, 2 = F2, 3 = F3 (the last of F2/F3 wins).
@inline function prefixClass(pfx: u32): u32 {
  if ((pfx & S.P_REP) != 0) return 3;
  if ((pfx & S.P_REPNE) != 0) return 2;
  return (pfx & S.P_OPSIZE) != 0 ? 1 : 0;
}

export function classify(slot: usize): u8 {
  if (!fastForms) return F_NONE;
  const op = <u32>load<u16>(slot + S.D_OP);
  const pfx = <u32>load<u8>(slot + S.D_PFX);
  if ((pfx & S.P_LOCK) != 0 || op >= 0x200) return F_NONE;
  const ext = (<u32>load<u8>(slot + S.D_MODRM) >> 3) & 7;
  const f = fastFormOf(op, prefixClass(pfx), (pfx & S.P_MEM) != 0, ext);
  if (f == F_NONE) return F_NONE;
  const a = attrOf(op);
  if ((a & A_NOSEG) != 0 && load<u8>(slot + S.D_SEG) != S.SEG_NONE) return F_NONE;
  if ((a & A_NOREXB) != 0 && (load<u8>(slot + S.D_REX) & S.REX_B) != 0) return F_NONE;
  return f;
}
