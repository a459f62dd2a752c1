// What the instruction table (src/isa/table.ts) says about a decoded slot, in the terms the
// compiler's flag liveness and region forming need: whether the form rewrites every arithmetic
// flag without reading one (it *kills* the lazy record before it), touches none (the record
// passes *quietly* across it), rewrites them all only when its count is not 0 (a shift: the
// compiler knows a constant count), and whether it ends a trace (`ends`). These are the table's
// facts alone; what the compiled code can do on top (leave before the instruction: a TLB miss, a
// stack access, an exit of its own) is the compiler's to add (compile.ts flagsDead). And whether
// the slot has a memory operand: P_MEM where the opcode's shape has a ModRM byte.
import { ARITH, fastOf, rowFor, shapeOf, undefBits, type FlagFacts } from "../../isa/table.js";

export const FLAGS_OTHER = 0, FLAGS_KILL = 1, FLAGS_QUIET = 2, FLAGS_KILL_IF_COUNT = 3;
const ENDS = 4, MEM = 8, KNOWN = 16;

// decoder/slot.ts's prefix bits, and the mandatory-prefix class as decoder/classify.ts computes it
// (F3 over F2 over 66).
const P_OPSIZE = 1, P_REP = 4, P_REPNE = 8, P_MEM = 32;
const prefixClass = (pfx: number): number => (pfx & P_REP ? 3 : pfx & P_REPNE ? 2 : pfx & P_OPSIZE ? 1 : 0);

function flagClass(f: FlagFacts): number {
  const undef = undefBits(f);
  if (f.reads === 0 && f.writes === 0 && undef === 0) return FLAGS_QUIET;
  const all = f.reads === 0 && (f.writes | undef) === ARITH && !Object.values(f.undef).includes("keep");
  if (!all || f.by === "result") return FLAGS_OTHER;
  return f.by === "count" ? FLAGS_KILL_IF_COUNT : FLAGS_KILL;
}

// One entry per (opcode, prefix class, memory or register, /digit), filled the first time a slot
// of it is compiled: the table's rows are built once when it loads, this is only their lookup.
const memo = new Uint8Array(0x400 << 6);

function factsOf(op: number, pfx: number, ext: number): number {
  const pf = prefixClass(pfx), mem = (pfx & P_MEM) !== 0;
  const key = (op << 6) | (pf << 4) | (mem ? 8 : 0) | ext;
  let v = memo[key];
  if (v === 0) {
    const r = rowFor(op, pf, mem, ext);
    v = KNOWN | (r ? flagClass(r.flags) | (r.ends ? ENDS : 0) : FLAGS_OTHER) | (mem && "mBZg".includes(shapeOf(op)) ? MEM : 0);
    memo[key] = v;
  }
  return v;
}

/** The table's flag class of the slot's form (FLAGS_*). */
export const tableFlags = (op: number, pfx: number, ext: number): number => factsOf(op, pfx, ext) & 3;
/** Whether the table says the slot's form ends a decoded trace (an unconditional transfer). */
export const tableEnds = (op: number, pfx: number, ext: number): boolean => (factsOf(op, pfx, ext) & ENDS) !== 0;
/** Whether the slot has a memory operand (a ModRM byte naming memory; LEA's and the hint NOPs' included). */
export const tableMem = (op: number, pfx: number, ext: number): boolean => (factsOf(op, pfx, ext) & MEM) !== 0;

// The fast form of the encoding without its mandatory prefix (fastOf at prefix class 0), for the
// 16-bit operand forms: the decoder gives a 66-prefixed integer instruction no fast form (its row
// names no prefix), the compiler takes the unprefixed form's code at size 2 where that handles it.
const plain = new Int16Array(0x400 << 4).fill(-1);
export function tablePlainFast(op: number, mem: boolean, ext: number): number {
  const key = (op << 4) | (mem ? 8 : 0) | ext;
  if (plain[key] < 0) plain[key] = fastOf(op, 0, mem, ext);
  return plain[key];
}
