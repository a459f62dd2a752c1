// Which x87 condition codes (C0 C1 C2 C3 in the status word) the SDM defines
// after each instruction the x87 generators use ("FPU Flags Affected"), so
// that a stored status word is compared in full only on a host of the core's
// vendor and elsewhere in the defined bits (docs/cpu-model.md). The core
// leaves undefined condition codes as they were, except FSIN/FCOS/FSINCOS/
// FPTAN, which clear C0 and C3, as the AMD hosts do.
export const C0 = 0x100, C1 = 0x200, C2 = 0x400, C3 = 0x4000, CC = C0 | C1 | C2 | C3;

export interface CcEffect { defines: number; undefines: number }
export const LOADS: CcEffect = { defines: C1, undefines: C0 | C2 | C3 };   // FLD, FST(P), FXCH, arithmetic, ...: C1 only
export const UNDEFINES_ALL: CcEffect = { defines: 0, undefines: CC };     // FLDCW, FNSTCW, FNSTSW, FNCLEX, FFREE, FNOP, FNSTENV
export const DEFINES_ALL: CcEffect = { defines: CC, undefines: 0 };       // FNINIT, compares, FXAM, FPREM, loads of a status word

// The undefined set after an instruction with effect e.
export const ccAfter = (undefinedNow: number, e: CcEffect): number => (undefinedNow & ~(e.defines | e.undefines)) | e.undefines;

// The effect of an x87Ops() instruction, by name.
export function opCc(name: string): CcEffect {
  if (/^(d8-(m32|reg)|dc-m64|da-i32|de-i16)\/[23]$/.test(name)) return DEFINES_ALL;                 // FCOM(P), FICOM(P)
  if (/^(fcompp|fucompp|fucom|fucomp|ftst|fxam|ffree-fxam|fincstp-fxam|fprem|fprem1)$/.test(name)) return DEFINES_ALL;
  if (/^(fsin|fcos|fsincos|fptan)$/.test(name)) return { defines: C1 | C2, undefines: C0 | C3 };    // C2: out of range
  if (/^(fcomi|fucomi|fcomip|fucomip)$/.test(name)) return { defines: C1, undefines: 0 };          // C0 C2 C3 unaffected
  if (/^(fldcw|fnstcw|fnstsw-ax|fnstsw-m|fnclex|ffree|ffreep|fnop)$/.test(name)) return UNDEFINES_ALL;
  return LOADS; // (ffree-fxch too: FXCH defines C1 again)
}
