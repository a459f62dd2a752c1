// Which arithmetic flags an instruction reads, sets to an SDM-defined value
// and leaves undefined, and a tracker that follows that along a sequence. The
// facts are the instruction table's rows (src/isa/table.ts, `flags`); this file
// gives them the shape the generators use (bigint masks) and adds the rules by
// which a shift or rotate count narrows them. The generators take their flag
// masks from here, so a single case and a sequence use the same table; see
// docs/cpu-model.md for what the core puts where the SDM says "undefined".
import { FLAGS_ARITH } from "../harness.js";
import { rowFor, undefBits, type FlagFacts } from "../../../src/isa/table.js";

export const CF = 1n, PF = 4n, AF = 0x10n, ZF = 0x40n, SF = 0x80n, OF = 0x800n;
export const ARITH = FLAGS_ARITH;

// Flags outside defines | undefines keep their value (and their definedness).
export interface FlagEffect { reads: bigint; defines: bigint; undefines: bigint }
const fx = (reads: bigint, defines: bigint, undefines = 0n): FlagEffect => ({ reads, defines, undefines });

/** A table row's flags as an effect: what it may define and what it may leave undefined. */
export const effectOfFacts = (f: FlagFacts): FlagEffect => fx(BigInt(f.reads), BigInt(f.writes & ~undefBits(f)), BigInt(undefBits(f)));
/** The flag effect of the table's row for an encoding (opcode map << 8 | byte, ModRM.reg). */
export function effectOf(op: number, ext = 0, mem = false, pf = 0): FlagEffect {
  const r = rowFor(op, pf, mem, ext);
  if (!r) throw new Error(`flagdefs: no table row for ${op.toString(16)} /${ext}`);
  if (r.flags.by === "count") throw new Error(`flagdefs: ${r.mnemonic}: the count decides (shiftEffect)`);
  return effectOfFacts(r.flags);
}

export const NONE = fx(0n, 0n);
export const ADD_SUB = effectOf(0x01);          // ADD SUB CMP NEG XADD CMPXCHG
export const ADC_SBB = effectOf(0x11);
export const LOGIC = effectOf(0x21);            // AND OR XOR TEST: CF = OF = 0, AF undefined
export const INC_DEC = effectOf(0xff, 0);       // CF unaffected
export const MUL = effectOf(0xf7, 4);           // MUL, IMUL (every form)
export const DIV = effectOf(0xf7, 6);           // DIV, IDIV
export const BT = effectOf(0x1a3);              // BT BTS BTR BTC: ZF unaffected
export const BSF = effectOf(0x1bc);             // BSF BSR (the destination too when the source is 0)
export const CMC = effectOf(0xf5);
export const CLC_STC = effectOf(0xf8);
export const SAHF = effectOf(0x9e);
export const LAHF = effectOf(0x9f);
export const PUSHF = effectOf(0x9c);

// The flags condition code cc (Jcc/SETcc/CMOVcc order) reads.
export function condReads(cc: number): bigint {
  return effectOf(0x70 + cc).reads;
}
export const condEffect = (cc: number): FlagEffect => fx(condReads(cc), 0n);

// Group 2 (kind = ModRM.reg: ROL ROR RCL RCR SHL SHR SAL SAR) by `count` (before masking).
// A masked count of 0 changes nothing. Rotates touch CF and OF only, OF defined for a
// count of 1; RCL/RCR rotate CF in. Shifts: AF undefined, OF defined for a count of 1,
// CF undefined for SHL/SHR (not SAR) by the operand size or more.
export function shiftEffect(kind: number, size: number, count: number): FlagEffect {
  const c = count & (size === 8 ? 63 : 31);
  if (c === 0) return NONE;
  const ofDef = c === 1 ? OF : 0n, ofUndef = c === 1 ? 0n : OF;
  if (kind < 4) {
    if (kind >= 2 && c % (size * 8 + 1) === 0) return fx(0n, 0n, ofUndef); // RCL/RCR by a multiple of size+1: CF stays
    return fx(kind >= 2 ? CF : 0n, CF | ofDef, ofUndef);
  }
  const cfUndef = kind !== 7 && c >= size * 8 ? CF : 0n;
  return fx(0n, ((CF & ~cfUndef) | SF | ZF | PF | ofDef), AF | ofUndef | cfUndef);
}

// SHLD/SHRD by `count`. Beyond the operand size (16-bit only) every flag is
// undefined, and so is the result (see shldResultUndefined).
export function shiftDoubleEffect(size: number, count: number): FlagEffect {
  const c = count & (size === 8 ? 63 : 31);
  if (c === 0) return NONE;
  if (c > size * 8) return fx(0n, 0n, ARITH);
  return fx(0n, CF | SF | ZF | PF | (c === 1 ? OF : 0n), AF | (c === 1 ? 0n : OF));
}
export const shldResultUndefined = (size: number, count: number): boolean => (count & (size === 8 ? 63 : 31)) > size * 8;

// The flags the SDM defines after one instruction that starts from defined flags.
export const definedAfter = (e: FlagEffect): bigint => ARITH & ~e.undefines;

// Follows definedness along straight-line code (every flag defined at the start).
export class FlagTracker {
  undefinedNow = 0n;
  readonly consumed: string[] = []; // the instructions that read a flag while it was undefined
  apply(name: string, e: FlagEffect): void {
    if ((e.reads & this.undefinedNow) !== 0n) this.consumed.push(`${name} reads ${flagList(e.reads & this.undefinedNow)}`);
    this.undefinedNow = (this.undefinedNow & ~(e.defines | e.undefines)) | e.undefines;
  }
}

export function flagList(bits: bigint): string {
  const names: Array<[bigint, string]> = [[CF, "CF"], [PF, "PF"], [AF, "AF"], [ZF, "ZF"], [SF, "SF"], [OF, "OF"]];
  return names.filter(([b]) => bits & b).map(([, n]) => n).join(" ");
}
