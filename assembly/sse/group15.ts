// 0F AE group: FXSAVE, FXRSTOR, LDMXCSR, STMXCSR (memory forms) and
// LFENCE/MFENCE/SFENCE (register forms; one CPU, so they order nothing).
// Other encodings (XSAVE family, CLFLUSHOPT/CLWB, RDFSBASE...) are #UD: this
// CPU does not report those features. CLFLUSH is a no-op after a read check.
import { dExt, dIsMem, dPfx, dRex, ea } from "../exec/operand";
import { P_OPSIZE, P_REP, P_REPNE, REX_W } from "../decoder/slot";
import { raise, raiseOpcode, exc } from "../cpu/state";
import { EXIT_GP, EXIT_INVALID_OPCODE } from "../cpu/exits";
import { read32, write32, read8 } from "../mmu/access";
import { mxcsr, setMxcsr, MXCSR_MASK } from "./mxcsr";
import { checkAlign } from "./operand";
import { fxsave, fxrstor } from "../x87/fxsave";

export function group15(d: usize): void {
  const ext = dExt(d);
  const p = dPfx(d) & (P_OPSIZE | P_REP | P_REPNE);
  if (!dIsMem(d)) {
    if (p == 0 && ext >= 5) return; // LFENCE, MFENCE, SFENCE
    raiseOpcode(EXIT_INVALID_OPCODE, 0x1AE);
    return;
  }
  if (p != 0) { raiseOpcode(EXIT_INVALID_OPCODE, 0x1AE); return; }
  const a = ea(d);
  switch (ext) {
    case 0: if (checkAlign(a, 16)) fxsave(a, (dRex(d) & REX_W) != 0); return;
    case 1: if (checkAlign(a, 16)) fxrstor(a, (dRex(d) & REX_W) != 0); return;
    case 2: {
      const v = read32(a);
      if (exc != 0) return;
      if ((v & ~MXCSR_MASK) != 0) { raise(EXIT_GP, 0, 0); return; }
      setMxcsr(v);
      return;
    }
    case 3: write32(a, mxcsr()); return;
    case 7: read8(a); return; // CLFLUSH: faults like a byte read, caches are not modelled
  }
  raiseOpcode(EXIT_INVALID_OPCODE, 0x1AE);
}


