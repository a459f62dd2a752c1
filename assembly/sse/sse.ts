// SSE/SSE2 dispatch for the 0F map (what exec/map1 does not handle) and the
// 0F 38 / 0F 3A maps. The mandatory prefix picks the form: F3 and F2 win over
// 66 (the decoder keeps the last of F2/F3). This CPU reports SSE2 only, so
// SSE3+ encodings (0F 38, 0F 3A, MOVDDUP, LDDQU, ...) raise #UD as on such a
// CPU; MMX forms (no prefix, 0F 60-7F/D1-FF) are valid but not implemented.
import { raiseOpcode } from "../cpu/state";
import { EXIT_UNIMPLEMENTED, EXIT_INVALID_OPCODE } from "../cpu/exits";
import { dPfx, dIsMem } from "../exec/operand";
import { P_OPSIZE, P_REP, P_REPNE, P_LOCK } from "../decoder/slot";
import { fpArith, fpComis, fpLogic, OP_CMP } from "./fparith";
import { cvtsi2s, cvts2si, cvt5a, cvt5b, cvte6 } from "./convert";
import { isPackedInt, packedInt, shiftImm } from "./integer";
import {
  load128, store128From, movScalarLoad, movScalarStore, movHalfLoad, movHalfStore, movdToXmm, movdFromXmm,
  movqLoad, movqStore, movnti, movnt128, movmsk, maskmovdqu,
} from "./move";
import { pshuf, shufp, unpckp, pinsrw, pextrw } from "./shuffle";
import { group15 } from "./group15";
import { emms } from "../x87/stack";

// Mandatory-prefix class: 0 none, 1 = 66, 2 = F2, 3 = F3.
@inline function prefixClass(d: usize): u32 {
  const p = dPfx(d);
  if ((p & P_REP) != 0) return 3;
  if ((p & P_REPNE) != 0) return 2;
  return (p & P_OPSIZE) != 0 ? 1 : 0;
}

@inline function ud(op: u32): void { raiseOpcode(EXIT_INVALID_OPCODE, op); }
@inline function unimplemented(op: u32): void { raiseOpcode(EXIT_UNIMPLEMENTED, op); }

export function execSse(d: usize, op: u32): void {
  if (op >= 0x200 || (dPfx(d) & P_LOCK) != 0) { ud(op); return; }
  const pf = prefixClass(d);
  const b = op & 0xFF;
  const mem = dIsMem(d);
  switch (b) {
    case 0x10:
      if (pf < 2) load128(d, false); else movScalarLoad(d, pf == 2 ? 8 : 4);
      return;
    case 0x11:
      if (pf < 2) store128From(d, false); else movScalarStore(d, pf == 2 ? 8 : 4);
      return;
    case 0x12:
      if (pf >= 2 || (pf == 1 && !mem)) { ud(op); return; }
      movHalfLoad(d, false); return;            // MOVLPS/MOVLPD m64, MOVHLPS
    case 0x13: case 0x17:
      if (pf >= 2 || !mem) { ud(op); return; }
      movHalfStore(d, b == 0x17); return;       // MOVLPS/MOVLPD/MOVHPS/MOVHPD m64, xmm
    case 0x14: case 0x15:
      if (pf >= 2) { ud(op); return; }
      unpckp(d, pf, b == 0x15); return;
    case 0x16:
      if (pf >= 2 || (pf == 1 && !mem)) { ud(op); return; }
      movHalfLoad(d, true); return;             // MOVHPS/MOVHPD m64, MOVLHPS
    case 0x28:
      if (pf >= 2) { ud(op); return; }
      load128(d, true); return;
    case 0x29:
      if (pf >= 2) { ud(op); return; }
      store128From(d, true); return;
    case 0x2A:
      if (pf < 2) { unimplemented(op); return; } // CVTPI2PS/PD (MMX)
      cvtsi2s(d, pf == 2); return;
    case 0x2B:
      if (pf >= 2 || !mem) { ud(op); return; }
      movnt128(d); return;
    case 0x2C: case 0x2D:
      if (pf < 2) { unimplemented(op); return; } // CVT(T)PS2PI / PD2PI (MMX)
      cvts2si(d, pf == 2, b == 0x2C); return;
    case 0x2E: case 0x2F:
      if (pf >= 2) { ud(op); return; }
      fpComis(d, pf == 1, b == 0x2F); return;
    case 0x50:
      if (pf >= 2 || mem) { ud(op); return; }
      movmsk(d, pf == 1 ? 8 : 4); return;
    case 0x51: case 0x58: case 0x59: case 0x5C: case 0x5D: case 0x5E: case 0x5F:
      fpArith(d, b, pf); return;
    case 0x52: case 0x53:
      // RSQRT/RCP: approximations whose exact bits are model-specific.
      if (pf == 0 || pf == 3) unimplemented(op); else ud(op);
      return;
    case 0x54: case 0x55: case 0x56: case 0x57:
      if (pf >= 2) { ud(op); return; }
      fpLogic(d, b); return;
    case 0x5A: cvt5a(d, pf); return;
    case 0x5B: cvt5b(d, pf); return;
    case 0x6E:
      if (pf == 1) movdToXmm(d); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0x6F:
      if (pf == 1 || pf == 3) load128(d, pf == 1); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0x70:
      if (pf == 0) unimplemented(op); else pshuf(d, pf);
      return;
    case 0x71: case 0x72: case 0x73:
      if (pf == 1) shiftImm(d, b); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0x77:
      if (pf == 0) emms(); else ud(op);
      return;
    case 0x7E:
      if (pf == 1) movdFromXmm(d); else if (pf == 3) movqLoad(d); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0x7F:
      if (pf == 1 || pf == 3) store128From(d, pf == 1); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0xAE: group15(d); return;
    case 0xC2:
      fpArith(d, OP_CMP, pf); return;
    case 0xC3:
      if (pf != 0 || !mem) { ud(op); return; }
      movnti(d); return;
    case 0xC4:
      if (pf == 1) pinsrw(d); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0xC5:
      if (pf == 1) pextrw(d); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0xC6:
      if (pf >= 2) { ud(op); return; }
      shufp(d, pf); return;
    case 0xD6:
      if (pf == 1) movqStore(d); else if (pf >= 2) unimplemented(op); else ud(op); // F2/F3: MOVDQ2Q/MOVQ2DQ (MMX)
      return;
    case 0xD7:
      if (pf == 1 && !mem) movmsk(d, 1); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0xE6: cvte6(d, pf); return;
    case 0xE7:
      if (pf == 1 && mem) movnt128(d); else if (pf == 0) unimplemented(op); else ud(op);
      return;
    case 0xF7:
      if (pf == 1 && !mem) maskmovdqu(d); else if (pf == 0) unimplemented(op); else ud(op);
      return;
  }
  if ((b >= 0x60 && b <= 0x7F) || b >= 0xD0) {
    if (pf == 1 && isPackedInt(b)) { packedInt(d, b); return; }
    if (pf == 0 && b != 0xFF && b != 0xD0 && b != 0x7C && b != 0x7D && b != 0x78 && b != 0x79 && b != 0x7A && b != 0x7B) { unimplemented(op); return; } // MMX
  }
  ud(op);
}
