// Compiling one decoded trace (the core's own decoded slots, read from its
// memory) into a WebAssembly function that runs it on the core's state:
//   (func (param $budget i64) (result i64 budget left)), RIP left in the core's `rip`.
// The function does exactly what the interpreter does for the instructions it
// takes, and leaves before anything it does not: an instruction it does not
// compile, a TLB miss (the interpreter then fills the TLB or takes the fault), a
// division or multiply outside its fast case. So it never faults, never
// touches decoded code (code pages are never in the write TLB) and retires
// whole instructions only. A branch back to the trace's start loops inside the
// function while the budget allows a whole pass (Blink's linked paths, on one
// trace). Registers live in wasm locals from entry to exit; the arithmetic
// flags stay in locals as the lazy record the interpreter would have made
// (cpu/flags.ts) and are written to the core's globals only at an exit or
// before a helper reads them, so a flag no exit can observe is never stored.
// Leaving by a transfer (a branch out of the region, a RET, an indirect JMP or
// CALL), it goes on to the function compiled for the trace there by a tail call
// when budget is left, as the run loop would enter it (assembly/jit/entry.ts).
import { Bytes, I32, I64, OP, moduleBytes, type Import } from "./wasm.js";

import { FAST } from "../../isa/table.js";
import { FLAGS_KILL, FLAGS_KILL_IF_COUNT, FLAGS_QUIET, tableEnds, tableFlags, tableMem, tablePlainFast } from "./table-facts.js";
import { STATE, S_FSBASE, S_GSBASE, S_XMM, S_MXCSR, TLB_ENTRIES, RING, TC_BASE, TC_BLOCK, TC_JIT, TC_SET_BITS, TC_WAYS } from "../layout.js";

// The TLBs follow the 4 KiB state block, the ring follows them (assembly/memmap.ts; layout.ts's RING is
// checked against the core's by test/machine/layout.test.ts, and these against RING below).
export const TLB_READ = STATE + 4096, TLB_WRITE = TLB_READ + TLB_ENTRIES * 16;
if (TLB_WRITE + TLB_ENTRIES * 16 !== RING) throw new Error("jit: the TLBs are not where layout.ts puts them");

// Decoded slot fields (assembly/decoder/slot.ts).
const D_OP = 0, D_LEN = 2, D_PFX = 3, D_REX = 4, D_MODRM = 5, D_REG = 6, D_RM = 7, D_BASE = 8, D_INDEX = 9, D_SCALE = 10,
  D_SEG = 11, D_DISP = 12, D_IMM = 16, D_OSZ = 24, D_ASZ = 26, D_FAST = 27;
const R_RIP = 17;

// Fast forms (assembly/decoder/classify.ts): the instruction table's numbers, the ones the core's
// decoder is generated from (assembly/decoder/insns.ts), so the two cannot drift.
const F = FAST;
// Forms the decoder has no fast form for, which the compiler takes (above FAST's numbers).
const J_BSWAP = 200;
// The compiler's own forms for encodings the decoder gives no fast form (jitForm): the SSE2 packed
// integer ops of one WebAssembly SIMD operation each (sse/integer.ts binop), PSHUFD, PMOVMSKB,
// MOVHPS/MOVHPD/MOVLHPS, MOVQ xmm/m64, xmm, SQRTSD, IMUL r, r/m and DIV/IDIV of memory, PUSH imm, BSF/BSR
// (TZCNT/LZCNT too: the interpreter runs them as BSF/BSR, they are not advertised).
const J_VEC = 201, J_PSHUFD = 202, J_PMOVMSKB = 203, J_MOVHI = 204, J_SQRTSD = 205, J_PUSHI = 206, J_BITSCAN = 207, J_MOVQST = 208;
const SEG_FS = 4;

// Lazy-flag operations (assembly/cpu/flags.ts).
const FL_ADD = 1, FL_ADC = 2, FL_SUB = 3, FL_SBB = 4, FL_LOGIC = 5, FL_INC = 6, FL_DEC = 7, FL_RES = 8;
const CF = 0x1n, PF = 0x4n, AF = 0x10n, ZF = 0x40n, SF = 0x80n, OF = 0x800n;

// Imports, in index order: globals 0..8, functions 0..1, the core's function table (table 0).
const G_RIP = 0, G_FLOP = 1, G_FLSIZE = 2, G_FLA = 3, G_FLB = 4, G_FLRES = 5, G_TLBEPOCH = 6, G_FLCARRY = 7, G_DCEPOCH = 8;
const FN_COND = 0, FN_KEEP = 1;
export const JIT_IMPORTS: Import[] = [
  { kind: "memory", name: "memory" },
  { kind: "table", name: "table" },
  { kind: "global", name: "rip", type: I64 }, { kind: "global", name: "flOp", type: I32 }, { kind: "global", name: "flSize", type: I32 },
  { kind: "global", name: "flA", type: I64 }, { kind: "global", name: "flB", type: I64 }, { kind: "global", name: "flRes", type: I64 },
  { kind: "global", name: "tlbEpoch", type: I64 }, { kind: "global", name: "flCarry", type: I64 },
  { kind: "global", name: "dcEpoch", type: I64 },
  { kind: "func", name: "jitCond", params: [I32], results: [I32] },
  { kind: "func", name: "jitKeep", params: [I64, I64], results: [] },
];

// Locals: 0 the budget (parameter), then these, then the 16 GPRs.
// L_FA/L_FB/L_FRES hold the lazy-flag record only: a temporary there would clobber it.
const L_DONE = 1, L_RET = 2, L_EA = 3, L_LIN = 4, L_FA = 5, L_FB = 6, L_FRES = 7, L_T = 8, L_T2 = 9, L_TEP = 10, L_REG = 11;
const L_X = 27, L_Y = 28; // a multiply's factors
const L_FOP = 29, L_FSIZE = 30; // the record's operation and size, when not known while compiling
const L_PC = 31;                // the trace a backward branch goes to (the region's dispatch)
const L_C = 32;                 // a shift's count read from CL
const L_CH = 33;                // 1: the exit is a transfer, go on to compiled code there (then the table index)
const L_RIP = 34;               // the RIP an exit leaves with (written to the core's rip once, after the exits meet)
const LOCALS = [I64, I64, I64, I32, I64, I64, I64, I64, I64, I64, ...new Array<number>(16).fill(I64), I64, I64, I32, I32, I32, I64, I32, I64];

interface Slot {
  op: number; len: number; pfx: number; rex: number; modrm: number; reg: number; rm: number; base: number; index: number;
  scale: number; seg: number; disp: number; imm: bigint; osz: number; asz: number; fast: number;
}

export function readSlot(mem: DataView, a: number): Slot {
  return {
    op: mem.getUint16(a + D_OP, true), len: mem.getUint8(a + D_LEN), pfx: mem.getUint8(a + D_PFX), rex: mem.getUint8(a + D_REX),
    modrm: mem.getUint8(a + D_MODRM), reg: mem.getUint8(a + D_REG), rm: mem.getUint8(a + D_RM), base: mem.getUint8(a + D_BASE),
    index: mem.getUint8(a + D_INDEX), scale: mem.getUint8(a + D_SCALE), seg: mem.getUint8(a + D_SEG), disp: mem.getInt32(a + D_DISP, true),
    imm: mem.getBigUint64(a + D_IMM, true), osz: mem.getUint8(a + D_OSZ), asz: mem.getUint8(a + D_ASZ), fast: mem.getUint8(a + D_FAST),
  };
}

const M64 = (1n << 64n) - 1n;
const isMem = (s: Slot): boolean => s.modrm >> 6 !== 3;

// Whether the compiler takes this instruction (the first one it does not take ends the compiled region).
// The hint NOPs (0F 18..1F, 0F 0D), with any prefix but LOCK: nothing to do (no memory access).
const isNop = (s: Slot): boolean => (s.op === 0x10d || (s.op >= 0x118 && s.op <= 0x11f)) && (s.pfx & 0x10) === 0;
// The operand size of a shift or rotate (C0..D3: the even opcodes are the byte forms).
const shiftSize = (s: Slot): number => ((s.op & 1) === 0 ? 1 : s.osz);
// A shift or rotate of a register by a constant (C0 C1 D0 D1), /digit in [lo, hi]: the masked count, or -1.
function constCount(s: Slot, lo: number, hi: number): number {
  const ext = (s.modrm >> 3) & 7;
  if (s.fast !== F.SHIFT || isMem(s) || s.op > 0xd1 || ext < lo || ext > hi) return -1;
  return (s.op <= 0xc1 ? Number(s.imm & 0xffn) : 1) & (shiftSize(s) === 8 ? 63 : 31);
}
// SHL/SAL/SHR/SAR of a register by an immediate count (/4../7): the masked count, or -1.
const shiftCount = (s: Slot): number => constCount(s, 4, 7);
// SHL/SAL/SHR/SAR of a register by CL (D2 D3 /4../7): the count is known only when it runs.
const isShiftCl = (s: Slot): boolean => s.fast === F.SHIFT && !isMem(s) && (s.op === 0xd2 || s.op === 0xd3) && ((s.modrm >> 3) & 7) >= 4;
// ROL/ROR of a register by a constant (/0 /1): the masked count, or -1.
const rotateCount = (s: Slot): number => constCount(s, 0, 1);
// The instructions after which control is elsewhere: the table's `ends` (they end a trace; of the
// forms compiled, JMP, CALL, RET and CALL/JMP r/m64).
const isTransfer = (s: Slot): boolean => tableEnds(s.op, s.pfx, (s.modrm >> 3) & 7);

export function compiles(s: Slot): boolean {
  const f = s.fast, ext = (s.modrm >> 3) & 7;
  if (isNop(s)) return true;
  if (f >= F.ALU_OPS && f < F.ALU_OPS + 32) return true;
  switch (f) {
    case F.MOV_RR_89: case F.MOV_RR_8B: case F.MOV_RI: case F.TEST_RR: case F.JCC: case F.JMP: case F.LEA: case F.NOP:
    case F.PUSH: case F.POP: case F.CALL: case F.RET: case F.IMUL_RR: case F.LOAD: case F.STORE:
    case F.MOVZX8: case F.MOVZX16: case F.CMOV: case F.MOVSXD: case F.MOVSX: case F.MOV_MI: case F.MOV8: case F.TEST:
      return true;
    case F.MULDIV_R: return (ext >= 6 && s.osz >= 4) || (ext === 4 && s.osz >= 4); // DIV, IDIV r32, r64; MUL r32, r64
    case F.SETCC: return true;
    case F.ALU_BLOCK: case F.ALU_RMI: return true;
    case F.IMUL_I: return s.osz >= 4;
    case F.MOVQ_X: case F.SD_ARITH: case F.CVTSI2SD: case F.COMISD: return true;
    case F.GROUP3: return ext <= 1 || (ext <= 3 && !isMem(s)); // TEST r/m, imm; NOT, NEG of a register
    case F.GROUP5: return ext === 2 || ext === 4 || (ext <= 1 && !isMem(s)); // INC, DEC of a register; CALL, JMP r/m64 (not PUSH r/m, /6)
    case F.CDQE: case F.CQO: return true;
    case F.MOVSD_LOAD: case F.MOVSD_STORE: case F.LOAD128: case F.STORE128: case F.PINT: return true;
    case F.SHIFT: return shiftCount(s) >= 0 || isShiftCl(s) || rotateCount(s) >= 0;
    case J_BSWAP: case J_VEC: case J_PSHUFD: case J_PMOVMSKB: case J_MOVHI: case J_SQRTSD: case J_PUSHI: case J_BITSCAN: case J_MOVQST: return true;
  }
  return false;
}

// The form the compiler compiles a slot as: its fast form, or for the forms the decoder gives none,
// the compiler's own. 16-bit operands (a 66 prefix the row does not name): the row's unprefixed
// form (the instruction table's fastOf at prefix class 0), where that form's code handles size 2
// (it reads and writes registers through regAt/regRead and setRegAt/setRegSized, memory at the
// operand size); the 32/64-bit-only ALU codes as the general ALU forms. BSWAP of a 32- or 64-bit
// register (its row, 0F C8+r, has no fast form).
const P_66 = 0x01, P_F3 = 0x04, P_F2 = 0x08, P_LOCK = 0x10; // the slot's prefix bits (decoder/slot.ts)
const P_NOT16 = P_F3 | P_F2 | P_LOCK;
const WORD_FORMS = new Set<number>([F.MOV_RR_89, F.MOV_RR_8B, F.MOV_RI, F.LOAD, F.STORE, F.MOV_MI, F.ALU_BLOCK, F.ALU_RMI, F.TEST, F.GROUP3, F.SHIFT, F.NOP, F.CDQE, F.CQO]);
// DIV, IDIV m32/m64 (F7 /6 /7 of memory, whose fast form is GROUP3's): compiled as MULDIV_R.
const divOfMemory = (s: Slot): boolean => s.op === 0xf7 && isMem(s) && ((s.modrm >> 3) & 7) >= 6 && (s.pfx & (P_66 | P_F3 | P_F2 | P_LOCK)) === 0;
function jitForm(s: Slot): number {
  if (s.fast !== 0) return divOfMemory(s) ? F.MULDIV_R : s.fast;
  if (s.op >= 0x1c8 && s.op <= 0x1cf && s.osz !== 2) return J_BSWAP;
  const own = ownForm(s);
  if (own !== 0) return own;
  if (s.osz !== 2 || (s.pfx & P_NOT16) !== 0 || s.op >= 0x200) return 0;
  const ext = (s.modrm >> 3) & 7, f = tablePlainFast(s.op, tableMem(s.op, s.pfx, ext), ext);
  if (f >= F.ALU_OPS && f < F.ALU_OPS + 32) return (f - F.ALU_OPS) >> 3 === 3 ? F.ALU_RMI : F.ALU_BLOCK;
  if (f === F.TEST_RR) return F.TEST;
  if (f === F.GROUP5) return ext <= 1 ? f : 0;  // INC, DEC (not CALL/JMP/PUSH of 16 bits)
  if (f === F.NOP && (s.op !== 0x90 || (s.rex & 1) !== 0)) return 0; // 66 REX.B 90 is XCHG
  return WORD_FORMS.has(f) ? f : 0;
}

// The SSE2 packed integer ops (66 0F xx, xmm, xmm/m128) compiled as the WebAssembly SIMD operation
// sse/integer.ts binop computes them with: opcode byte -> SIMD opcode (0xFD prefix), or for the
// PUNPCK* the i8x16.shuffle lanes (a: the destination 0..15, b: the source 16..31).
const SIMD: Record<number, number> = {
  0x63: 0x65, 0x67: 0x66, 0x6b: 0x85,               // PACKSSWB PACKUSWB PACKSSDW (narrow)
  0x64: 0x27, 0x65: 0x31, 0x66: 0x3b,               // PCMPGTB/W/D (gt_s)
  0x74: 0x23, 0x75: 0x2d, 0x76: 0x37,               // PCMPEQB/W/D
  0xd5: 0x95, 0xd8: 0x73, 0xd9: 0x93, 0xda: 0x77, 0xdc: 0x70, 0xdd: 0x90, 0xde: 0x79, 0xdf: 0x4f, // PMULLW PSUBUSB/W PMINUB PADDUSB/W PMAXUB PANDN
  0xe0: 0x7b, 0xe3: 0x9b, 0xe8: 0x72, 0xe9: 0x92, 0xea: 0x96, 0xec: 0x6f, 0xed: 0x8f, 0xee: 0x98, // PAVGB/W PSUBSB/W PMINSW PADDSB/W PMAXSW
  0xf8: 0x71, 0xf9: 0x91, 0xfa: 0xb1, 0xfc: 0x6e, 0xfd: 0x8e, 0xfe: 0xae, // PSUBB/W/D PADDB/W/D
};
const UNPACK: Record<number, number[]> = {
  0x60: [0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23], 0x61: [0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23],
  0x62: [0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23], 0x6c: [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23],
  0x68: [8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31], 0x69: [8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31],
  0x6a: [8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31], 0x6d: [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31],
};
function ownForm(s: Slot): number {
  const pfx = s.pfx & (P_66 | P_F3 | P_F2 | P_LOCK), mem = isMem(s), op = s.op;
  if (op > 0x100 && op < 0x200) {
    const b = op & 0xff;
    if (pfx === P_66 && (SIMD[b] !== undefined || UNPACK[b] !== undefined)) return J_VEC;
    if (pfx === P_66 && b === 0x70) return J_PSHUFD;
    if (pfx === P_66 && b === 0xd7 && !mem) return J_PMOVMSKB;
    if (b === 0x16 && (pfx === 0 || (pfx === P_66 && mem))) return J_MOVHI;  // MOVHPS, MOVLHPS; MOVHPD
    if (b === 0x51 && pfx === P_F2) return J_SQRTSD;
    if (b === 0xaf && pfx === 0 && mem) return F.IMUL_RR;                      // IMUL r32/64, m
    if ((b === 0xbc || b === 0xbd) && (pfx === 0 || pfx === P_F3) && s.osz >= 4) return J_BITSCAN;
    if (b === 0xd6 && pfx === P_66) return J_MOVQST;
    return 0;
  }
  if ((op === 0x6a || op === 0x68) && pfx === 0) return J_PUSHI;                // PUSH imm8/imm32 (64 bits)
  return 0;
}

// What the compiler knows of the lazy-flag record (cpu/flags.ts) at a point of the code:
// - { op, size }: made here; L_FA/L_FB/L_FRES hold it, op and size are these constants;
// - "dyn": all five locals (L_FOP, L_FSIZE, L_FA, L_FB, L_FRES) hold it (at every trace start);
// - "glob": the core's globals hold it (after a call into the core, which may change it);
// - "dead": no one can see it before an instruction rewrites it whole (flag liveness).
type Flags = { op: number; size: number } | "dyn" | "glob" | "dead";

/**
 * A compiled region: the module's bytes, how many instructions it covers and how many traces, and
 * the start RIP of each (the function may be entered at any of them: it finds which by `rip`).
 */
export interface CompiledTrace { bytes: Uint8Array<ArrayBuffer>; instructions: number; traces: number; entries: bigint[] }

class Emitter {
  readonly b: Bytes;
  private readonly labels: Array<string | null> = []; // open blocks, innermost last (null: an if)
  fl: Flags = "dyn";
  readonly used = new Set<number>();
  readonly written = new Set<number>();
  constructor(size = 4096) { this.b = new Bytes(size); }

  op(x: number): this { this.b.byte(x); return this; }
  i32(v: number): this { this.b.byte(OP.i32_const); this.b.s(v); return this; }
  i64(v: bigint | number): this {
    this.b.byte(OP.i64_const);
    if (typeof v === "bigint" && v >= -0x80000000n && v <= 0x7fffffffn) v = Number(v);
    this.b.s(v);
    return this;
  }
  get(l: number): this { this.b.byte(OP.local_get); this.b.u(l); return this; }
  set(l: number): this { this.b.byte(OP.local_set); this.b.u(l); return this; }
  tee(l: number): this { this.b.byte(OP.local_tee); this.b.u(l); return this; }
  gset(g: number): this { this.b.byte(OP.global_set); this.b.u(g); return this; }
  ggetl(g: number): this { this.b.byte(OP.global_get); this.b.u(g); return this; }
  mem(opcode: number, align: number, offset: number): this { this.b.byte2(opcode, align); this.b.u(offset); return this; }
  call(f: number): this { this.b.byte(OP.call); this.b.u(f); return this; }
  // A SIMD instruction (the 0xFD prefix), and v128.load / v128.store at an offset (an i32 address below).
  simd(x: number): this { this.b.byte(0xfd); this.b.u(x); return this; }
  vload(offset = 0): this { this.simd(0x00); this.b.byte(0); this.b.u(offset); return this; }
  vstore(offset = 0): this { this.simd(0x0b); this.b.byte(0); this.b.u(offset); return this; }
  shuffle(lanes: number[]): this { this.simd(0x0d); for (const l of lanes) this.b.byte(l); return this; }
  open(opcode: number, label: string | null = null): this { this.b.byte2(opcode, 0x40); this.labels.push(label); return this; }
  close(): this { this.b.byte(OP.end); this.labels.pop(); return this; }
  depthOf(label: string): number {
    const i = this.labels.lastIndexOf(label);
    if (i < 0) throw new Error(`jit: no block ${label} open`);
    return this.labels.length - 1 - i;
  }
  br(label: string): this { this.b.byte(OP.br); this.b.u(this.depthOf(label)); return this; }

  // x & 0xffffffff (2 bytes where the constant takes 7), and x masked to a size.
  lo32(): this { return this.op(OP.i32_wrap_i64).op(OP.i64_extend_i32_u); }
  mask(size: number): this { return size === 4 ? this.lo32() : size === 8 ? this : this.i64(MASK[size]).op(OP.i64_and); }
  reg(r: number): this { this.used.add(r); return this.get(L_REG + r); }
  // A register read at `size` (4 or 2: its low bits, zero-extended; not for bytes: AH..BH).
  regAt(r: number, size: number): this { this.reg(r); return size === 4 ? this.lo32() : size === 2 ? this.i64(0xffff).op(OP.i64_and) : this; }
  setReg(r: number): this { this.used.add(r); this.written.add(r); return this.set(L_REG + r); }
  // setR(r, size, v) of exec/fast.ts: a 32-bit write zero-extends, a 16-bit one keeps the bits
  // above. The value is on the stack.
  setRegAt(r: number, size: number): this {
    if (size === 4) this.lo32();
    else if (size === 2) this.i64(0xffff).op(OP.i64_and).reg(r).i64(~0xffffn).op(OP.i64_and).op(OP.i64_or);
    else if (size !== 8) throw new Error("jit: setRegAt of a byte");
    return this.setReg(r);
  }

  // The lazy record into the core's globals (flags/setLazy), without changing what the compiler knows.
  storeFlags(): void {
    const fl = this.fl;
    if (fl === "glob") return;
    if (fl === "dead") throw new Error("jit: dead flags reach an exit");
    if (fl === "dyn") this.get(L_FOP).gset(G_FLOP).get(L_FSIZE).gset(G_FLSIZE);
    else this.i32(fl.op).gset(G_FLOP).i32(fl.size).gset(G_FLSIZE);
    this.get(L_FA).gset(G_FLA).get(L_FB).gset(G_FLB).get(L_FRES).gset(G_FLRES);
  }
  // Before a call into the core that reads (and may change) the record: it is in the globals after.
  flushFlags(): void { this.storeFlags(); this.fl = "glob"; }
  // The record into the five locals, as every trace start expects it.
  dynFlags(): void {
    const fl = this.fl;
    if (fl === "dead") throw new Error("jit: dead flags reach a trace start");
    if (fl === "glob") {
      this.ggetl(G_FLOP).set(L_FOP).ggetl(G_FLSIZE).set(L_FSIZE);
      this.ggetl(G_FLA).set(L_FA).ggetl(G_FLB).set(L_FB).ggetl(G_FLRES).set(L_FRES);
    } else if (fl !== "dyn") this.i32(fl.op).set(L_FOP).i32(fl.size).set(L_FSIZE);
    this.fl = "dyn";
  }

  // Leave: `retired` instructions of this trace done (L_RET, the shared tail adds L_DONE), RIP = `rip`
  // (a constant, or the value in L_T) into L_RIP, which the shared tail writes to the core's `rip`.
  // `chain`: a transfer, after which the run loop would look up
  // the trace at RIP; the tail does that itself (not after an exit before an instruction: the
  // interpreter must run that one).
  // The flag record goes to the core's globals in one of the region's two shared exit blocks: "xdyn"
  // stores the five locals (a record made here puts its constant operation and size there first),
  // "xglob" stores nothing (the globals hold it already).
  // (A global.set at each exit, rather than a local the exits' meeting point writes once, made
  // V8's TurboFan take 3 to 10 % longer over a CPython run's regions: docs/jit.md, "Where a first run's JIT CPU goes".)
  exit(retired: number, rip: bigint | "t", chain = false): void {
    this.i64(retired).set(L_RET);
    if (chain) this.i32(1).set(L_CH);
    if (rip === "t") this.get(L_T); else this.i64(rip);
    this.set(L_RIP);
    const fl = this.fl;
    if (fl === "glob") { this.br("xglob"); return; }
    if (fl === "dead") throw new Error("jit: dead flags reach an exit");
    if (fl !== "dyn") this.i32(fl.op).set(L_FOP).i32(fl.size).set(L_FSIZE);
    this.br("xdyn");
  }
  // if (condition on the stack) leave before instruction k.
  exitIf(k: number, rip: bigint): void { this.open(OP.if); this.exit(k, rip); this.close(); }
}

// The run loop's lookup of the trace at RIP (decoder/tcache.ts tcSet, tcTag, tcFind: any way of
// the set, the tag with the running address space's generation; a hit writes nothing) and, when
// that trace is compiled, the tail call to its function with the budget left in local 0 (type 0,
// table 0). Written inline: a call into the core for it (an import) made Lua's warm runs 5 to 12 %
// slower than returning to the run loop did (bench/jit-later.ts). L_LIN and L_T are free at an exit;
// L_RIP holds the RIP the core's `rip` was given.
const TC_HASH = 0x9e3779b97f4a7c15n;
/** The block of way 0 of the set a trace starting at `rip` lives in (tcSet): what emitChain computes. */
export const traceSetOf = (rip: bigint): number =>
  TC_BASE + Number(BigInt.asUintN(64, rip * TC_HASH) >> BigInt(64 - TC_SET_BITS)) * TC_WAYS * TC_BLOCK;
function emitChain(e: Emitter): void {
  e.get(L_RIP).i64(TC_HASH).op(OP.i64_mul).i64(64 - TC_SET_BITS).op(OP.i64_shr_u).op(OP.i32_wrap_i64)
    .i32(TC_WAYS * TC_BLOCK).op(OP.i32_mul).i32(TC_BASE).op(OP.i32_add).set(L_LIN);
  e.get(L_RIP).ggetl(G_DCEPOCH).i64(48).op(OP.i64_shl).op(OP.i64_or).set(L_T);
  // way w's JIT word when its tag matches, else on to way w + 1 (none: 0, not compiled)
  for (let w = 0; w < TC_WAYS; w++) {
    e.get(L_LIN).mem(OP.i64_load, 3, w * TC_BLOCK).get(L_T).op(OP.i64_eq).open(OP.if);
    e.get(L_LIN).mem(OP.i32_load, 2, w * TC_BLOCK + TC_JIT).set(L_CH);
    e.op(OP.else);
  }
  e.i32(0).set(L_CH);
  for (let w = 0; w < TC_WAYS; w++) e.close();
  // JIT_ENTRY + table index: compiled (assembly/jit/entry.ts)
  e.get(L_CH).i32(0x4000_0000).op(OP.i32_ge_u).open(OP.if);
  e.get(0).get(L_CH).i32(0x4000_0000).op(OP.i32_sub);
  e.b.byte(OP.return_call_indirect); e.b.u(0); e.b.u(0);
  e.close();
}

// The effective address of the memory operand (exec/operand.ts ea()): FS/GS add their base last.
function emitEa(e: Emitter, s: Slot, next: bigint): void {
  e.i64(BigInt(s.disp));
  if (s.base < 16) e.reg(s.base).op(OP.i64_add);
  else if (s.base === R_RIP) e.i64(next).op(OP.i64_add);
  if (s.index < 16) e.reg(s.index).i64(s.scale).op(OP.i64_shl).op(OP.i64_add);
  if (s.asz === 4) e.lo32();
  if (s.seg !== 0) e.i32(STATE).mem(OP.i64_load, 3, s.seg === SEG_FS ? S_FSBASE : S_GSBASE).op(OP.i64_add);
}

// The TLB fast path for the address in L_EA (mmu/access.ts readHit/writeHit): on a miss or a
// page-crossing access leave before instruction k; on a hit L_LIN holds the linear address. The
// two fixed parts around the exit are written once per (TLB, size) and copied after (a call per
// wasm instruction is most of what writing code costs in a cold process).
const tlbParts = new Map<number, [Uint8Array, Uint8Array]>();
function emitTlb(e: Emitter, size: number, tlb: number, k: number, rip: bigint): void {
  const key = tlb * 32 + size;
  let parts = tlbParts.get(key);
  if (!parts) {
    const a = new Emitter(128);
    a.get(L_EA).i64(12).op(OP.i64_shr_u).op(OP.i32_wrap_i64).i32(4095).op(OP.i32_and).i32(4).op(OP.i32_shl).set(L_LIN);
    a.get(L_LIN).mem(OP.i64_load, 3, tlb).get(L_EA).i64(12).op(OP.i64_shr_u).get(L_TEP).op(OP.i64_or).op(OP.i64_ne);
    // (a byte never crosses a page)
    if (size > 1) a.get(L_EA).op(OP.i32_wrap_i64).i32(0xfff).op(OP.i32_and).i32(4096 - size).op(OP.i32_gt_u).op(OP.i32_or);
    const b = new Emitter(64);
    b.get(L_LIN).mem(OP.i64_load, 3, tlb + 8).get(L_EA).op(OP.i64_add).op(OP.i32_wrap_i64).set(L_LIN);
    parts = [a.b.bytes().slice(), b.b.bytes().slice()];
    tlbParts.set(key, parts);
  }
  e.b.all(parts[0]);
  e.exitIf(k, rip);
  e.b.all(parts[1]);
}

const LOADS: Record<number, number> = { 1: OP.i64_load8_u, 2: OP.i64_load16_u, 4: OP.i64_load32_u, 8: OP.i64_load };
const ALIGN: Record<number, number> = { 1: 0, 2: 1, 4: 2, 8: 3 };

// Read `size` bytes at the address on the stack; the value (zero-extended) is left on the stack.
function emitRead(e: Emitter, size: number, k: number, rip: bigint): void {
  e.set(L_EA);
  emitTlb(e, size, TLB_READ, k, rip);
  e.get(L_LIN).mem(LOADS[size], ALIGN[size], 0);
}
const STORES: Record<number, number> = { 1: OP.i64_store8, 2: OP.i64_store16, 4: OP.i64_store32, 8: OP.i64_store };
// Write the low `size` bytes of L_T2 at the address on the stack.
function emitWrite(e: Emitter, size: number, k: number, rip: bigint): void {
  e.set(L_EA);
  emitTlb(e, size, TLB_WRITE, k, rip);
  e.get(L_LIN).get(L_T2).mem(STORES[size], ALIGN[size], 0);
}

// push(8, L_T2) of exec/stack.ts: write below RSP, then move RSP (a miss leaves before either).
function emitPush(e: Emitter, k: number, rip: bigint): void {
  e.reg(4).i64(8).op(OP.i64_sub).tee(L_T);
  emitWrite(e, 8, k, rip);
  e.get(L_T).setReg(4);
}
// pop(8) of exec/stack.ts: the value read at RSP into L_T, then RSP moves up. RET's (`target`)
// must be canonical before RSP moves.
function emitPop(e: Emitter, k: number, rip: bigint, target = false): void {
  e.reg(4);
  emitRead(e, 8, k, rip);
  e.set(L_T);
  if (target) exitUnlessCanonical(e, L_T, k, rip);
  e.reg(4).i64(8).op(OP.i64_add).setReg(4);
}
// A branch target (in local l) that is not canonical is #GP at the branch (exec/branch.ts):
// leave before instruction k, nothing of it done; the interpreter runs it to the fault.
function exitUnlessCanonical(e: Emitter, l: number, k: number, rip: bigint): void {
  e.get(l).i64(16).op(OP.i64_shl).i64(16).op(OP.i64_shr_s).get(l).op(OP.i64_ne);
  e.exitIf(k, rip);
}

const MASK: Record<number, bigint> = { 1: 0xffn, 2: 0xffffn, 4: 0xffffffffn, 8: M64 };
// readReg(r, size, rex) of cpu/state.ts: AH..BH for byte registers 4..7 without REX.
function regRead(e: Emitter, r: number, size: number, rex: number): void {
  if (size === 1 && rex === 0 && r >= 4 && r < 8) { e.reg(r - 4).i64(8).op(OP.i64_shr_u).i64(0xff).op(OP.i64_and); return; }
  e.reg(r);
  if (size !== 8) e.mask(size);
}
// The r/m operand of `size` bytes (readRM of exec/operand.ts), zero-extended, on the stack.
function rmRead(e: Emitter, s: Slot, size: number, next: bigint, k: number, at: bigint): void {
  if (isMem(s)) { emitEa(e, s, next); emitRead(e, size, k, at); } else regRead(e, s.rm, size, s.rex);
}

// Sign-extend the i64 on the stack from `size` bytes.
const sext = (e: Emitter, size: number): void => {
  if (size === 4) e.op(OP.i64_extend32_s); else if (size === 2) e.op(OP.i64_extend16_s); else if (size === 1) e.op(OP.i64_extend8_s);
};
// Bit n of local l, as an i64 0 or 1 on the stack.
const bitOf = (e: Emitter, l: number, n: number): void => { e.get(l).i64(n).op(OP.i64_shr_u).i64(1).op(OP.i64_and); };
const signOf = (e: Emitter, l: number, size: number): void => { e.get(l).i64(size * 8 - 1).op(OP.i64_shr_u).i64(1).op(OP.i64_and).op(OP.i64_eqz).op(OP.i32_eqz); };

// cond(cc) of cpu/flags.ts as an i32 on the stack: from the record in locals when the compiler
// knows its operation and the condition is a simple one, else through the core's own cond().
function emitCond(e: Emitter, cc: number): void {
  const c = cc >> 1, fl = typeof e.fl === "object" ? e.fl : null;
  let done = false;
  if (fl && fl.op === FL_SUB) {
    done = true;
    switch (c) {
      case 1: e.get(L_FA).get(L_FB).op(OP.i64_lt_u); break;
      case 2: e.get(L_FRES).op(OP.i64_eqz); break;
      case 3: e.get(L_FA).get(L_FB).op(OP.i64_le_u); break;
      case 4: signOf(e, L_FRES, fl.size); break;
      case 6: e.get(L_FA); sext(e, fl.size); e.get(L_FB); sext(e, fl.size); e.op(OP.i64_lt_s); break;
      case 7: e.get(L_FA); sext(e, fl.size); e.get(L_FB); sext(e, fl.size); e.op(OP.i64_le_s); break;
      default: done = false;
    }
  } else if (fl && fl.op === FL_LOGIC) {
    done = true;
    switch (c) {
      case 0: case 1: e.i32(0); break;
      case 2: case 3: e.get(L_FRES).op(OP.i64_eqz); break;
      case 4: case 6: signOf(e, L_FRES, fl.size); break;
      case 7: signOf(e, L_FRES, fl.size); e.get(L_FRES).op(OP.i64_eqz).op(OP.i32_or); break;
      default: done = false;
    }
  } else if (fl && fl.op === FL_ADD) {
    done = true;
    switch (c) {
      case 1: e.get(L_FRES).get(L_FA).op(OP.i64_lt_u); break;
      case 2: e.get(L_FRES).op(OP.i64_eqz); break;
      case 4: signOf(e, L_FRES, fl.size); break;
      default: done = false;
    }
  } else if (fl && (fl.op === FL_RES || fl.op === FL_INC || fl.op === FL_DEC)) {
    // A shift's or INC/DEC's record: ZF and SF come from the result alone.
    done = true;
    switch (c) {
      case 2: e.get(L_FRES).op(OP.i64_eqz); break;
      case 4: signOf(e, L_FRES, fl.size); break;
      default: done = false;
    }
  }
  if (done) { if (cc & 1) e.op(OP.i32_eqz); return; }
  e.flushFlags();
  e.i32(cc).call(FN_COND);
}

// writeReg(r, 1, rex, v) of cpu/state.ts for the 0/1 value (i64) in L_T: AH..BH without REX.
function setByteReg(e: Emitter, r: number, rex: number): void {
  if (rex === 0 && r >= 4 && r < 8) {
    const q = r - 4;
    e.reg(q).i64(~0xff00n).op(OP.i64_and).get(L_T).i64(8).op(OP.i64_shl).op(OP.i64_or).setReg(q);
  } else {
    e.reg(r).i64(~0xffn).op(OP.i64_and).get(L_T).op(OP.i64_or).setReg(r);
  }
}

// ADD OR AND SUB XOR in the forms the register fast forms leave (exec/map0.ts aluBlock and aluRM,
// alu.ts): byte operands, memory destinations (read and written through the write TLB: a page
// there is present, writable and holds no decoded code), AL/eAX with an immediate. The record is
// the register forms' (ADD; SUB; the logic ops), a and b masked to the size.
function emitAlu(e: Emitter, s: Slot, next: bigint, k: number, at: bigint): void {
  const op = s.op, rmi = s.fast === F.ALU_RMI;
  const alu = rmi ? (s.modrm >> 3) & 7 : op >> 3, form = rmi ? -1 : op & 7;
  const sz = op === 0x80 || form === 0 || form === 2 || form === 4 ? 1 : s.osz;
  const toRm = rmi || form === 0 || form === 1;
  const dstMem = toRm && isMem(s);
  // ADC, SBB: the carry-in is the CF before (alu.ts aluResult), into L_C.
  const carry = alu === 2 || alu === 3;
  if (carry) { emitCarry(e); e.set(L_C); }
  // b into L_T2
  if (rmi || form >= 4) e.i64(s.imm & MASK[sz]);
  else if (toRm) regRead(e, s.reg, sz, s.rex);
  else rmRead(e, s, sz, next, k, at);
  e.set(L_T2);
  // a into L_T (a memory destination: its host address in L_LIN)
  if (dstMem) {
    emitEa(e, s, next); e.set(L_EA);
    emitTlb(e, sz, TLB_WRITE, k, at);
    e.get(L_LIN).mem(LOADS[sz], ALIGN[sz], 0);
  } else if (form >= 4) regRead(e, 0, sz, 0x40);
  else regRead(e, toRm ? s.rm : s.reg, sz, s.rex);
  e.set(L_T);
  e.get(L_T).get(L_T2).op(alu === 0 || alu === 2 ? OP.i64_add : alu === 1 ? OP.i64_or : alu === 4 ? OP.i64_and : alu === 6 ? OP.i64_xor : OP.i64_sub);
  if (carry) e.get(L_C).op(alu === 2 ? OP.i64_add : OP.i64_sub);
  if (sz !== 8 && (alu === 0 || alu === 5 || carry)) e.mask(sz);
  e.set(L_Y);
  e.get(L_T).set(L_FA).get(L_T2).set(L_FB).get(L_Y).set(L_FRES);
  // (ADC/SBB: the carry-in is the record's flCarry, written now that nothing can leave before the instruction is done)
  if (carry) e.get(L_C).gset(G_FLCARRY);
  e.fl = { op: alu === 0 ? FL_ADD : alu === 2 ? FL_ADC : alu === 3 ? FL_SBB : alu === 5 ? FL_SUB : FL_LOGIC, size: sz };
  if (dstMem) e.get(L_LIN).get(L_Y).mem(STORES[sz], ALIGN[sz], 0);
  else { e.get(L_Y).set(L_T); setRegSized(e, form >= 4 ? 0 : toRm ? s.rm : s.reg, sz, form >= 4 ? 0x40 : s.rex); }
}

// XMM register r in the state block (cpu/state.ts xmmAddr); compiled code reads and writes it there.
const xmm = (r: number): number => STATE + S_XMM + r * 16;

// The low 64-bit lane of the XMM r/m operand (8 bytes of memory, or the register's low lane) on the stack.
function sdRead(e: Emitter, s: Slot, next: bigint, k: number, at: bigint): void {
  if (isMem(s)) { emitEa(e, s, next); emitRead(e, 8, k, at); } else e.i32(xmm(s.rm)).mem(OP.i64_load, 3, 0);
}

// The SSE2 moves and integer ops the decoder gives fast forms (exec/fast.ts, sse/move.ts,
// sse/integer.ts): MOVUPS/MOVAPS/MOVDQU/MOVDQA loads and stores, PXOR/POR/PAND/PADDQ/PSUBQ, MOVSD
// to and from memory or a register. A legacy-SSE aligned access to an address that is not
// 16-byte aligned (#GP), a TLB miss or an access across a page leaves before the instruction.
function emitSse(e: Emitter, s: Slot, next: bigint, k: number, at: bigint): void {
  const f = s.fast, op = s.op;
  // The 16-byte memory operand's linear address into L_LIN (the TLB checked), or -1 for a register.
  const mem16 = (aligned: boolean, tlb: number): boolean => {
    if (!isMem(s)) return false;
    emitEa(e, s, next);
    e.set(L_EA);
    if (aligned) { e.get(L_EA).i64(15).op(OP.i64_and).op(OP.i64_eqz).op(OP.i32_eqz); e.exitIf(k, at); }
    emitTlb(e, 16, tlb, k, at);
    return true;
  };
  const copy16 = (from: () => void, to: () => void): void => {
    for (const o of [0, 8]) { to(); from(); e.mem(OP.i64_load, 3, o); e.mem(OP.i64_store, 3, o); }
  };
  if (f === F.LOAD128) {
    const aligned = op === 0x128 || (op === 0x16f && (s.pfx & 0x04) === 0);
    const dst = (): void => { e.i32(xmm(s.reg)); };
    if (mem16(aligned, TLB_READ)) copy16(() => { e.get(L_LIN); }, dst);
    else copy16(() => { e.i32(xmm(s.rm)); }, dst);
  } else if (f === F.STORE128) {
    const aligned = op === 0x129 || (op === 0x17f && (s.pfx & 0x04) === 0);
    const src = (): void => { e.i32(xmm(s.reg)); };
    if (mem16(aligned, TLB_WRITE)) copy16(src, () => { e.get(L_LIN); });
    else copy16(src, () => { e.i32(xmm(s.rm)); });
  } else if (f === F.PINT) {
    const alu = op & 0xff;
    const lane = alu === 0xef ? OP.i64_xor : alu === 0xeb ? OP.i64_or : alu === 0xdb ? OP.i64_and : alu === 0xd4 ? OP.i64_add : OP.i64_sub;
    const fromMem = mem16(true, TLB_READ);
    for (const o of [0, 8]) {
      e.i32(xmm(s.reg));
      e.i32(xmm(s.reg)).mem(OP.i64_load, 3, o);
      if (fromMem) e.get(L_LIN); else e.i32(xmm(s.rm));
      e.mem(OP.i64_load, 3, o).op(lane).mem(OP.i64_store, 3, 0 + o);
    }
  } else if (f === J_VEC || f === J_PSHUFD) {
    // sse/integer.ts vec / sse/shuffle.ts pshuf (66 0F xx xmm, xmm/m128): the interpreter's own
    // SIMD operation on the destination and the source (16 aligned bytes of memory: #GP otherwise).
    const b = op & 0xff;
    const fromMem = mem16(true, TLB_READ);
    const src = (): void => { if (fromMem) e.get(L_LIN).vload(); else e.i32(xmm(s.rm)).vload(); };
    e.i32(xmm(s.reg));
    if (f === J_PSHUFD) {
      // dword i of the result is the source's dword (imm >> 2i) & 3
      const n = Number(s.imm & 0xffn), lanes: number[] = [];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) lanes.push((((n >> (2 * i)) & 3) << 2) + j);
      src(); src(); e.shuffle(lanes);
    } else if (UNPACK[b]) { e.i32(xmm(s.reg)).vload(); src(); e.shuffle(UNPACK[b]); }
    else if (b === 0xdf) { src(); e.i32(xmm(s.reg)).vload(); e.simd(SIMD[b]); } // PANDN: v128.andnot(src, dst)
    else { e.i32(xmm(s.reg)).vload(); src(); e.simd(SIMD[b]); }
    e.vstore();
  } else if (f === J_PMOVMSKB) {
    // sse/move.ts movmsk (66 0F D7 r32, xmm): the bytes' sign bits, the register zero-extended.
    e.i32(xmm(s.rm)).vload().simd(0x64).op(OP.i64_extend_i32_u).setReg(s.reg);
  } else if (f === J_MOVQST) {
    // sse/move.ts movqStore (66 0F D6): the low lane to m64, or to a register whose high lane is cleared.
    e.i32(xmm(s.reg)).mem(OP.i64_load, 3, 0).set(L_T2);
    if (isMem(s)) { emitEa(e, s, next); emitWrite(e, 8, k, at); }
    else { e.i32(xmm(s.rm)).get(L_T2).mem(OP.i64_store, 3, 0); e.i32(xmm(s.rm)).i64(0).mem(OP.i64_store, 3, 8); }
  } else if (f === J_MOVHI) {
    // sse/move.ts movHalfLoad (0F 16, 66 0F 16): MOVHPS/MOVHPD xmm, m64 (unaligned), MOVLHPS xmm, xmm
    // (the source's low lane): into the high lane, the low one kept.
    if (isMem(s)) { emitEa(e, s, next); emitRead(e, 8, k, at); } else e.i32(xmm(s.rm)).mem(OP.i64_load, 3, 0);
    e.set(L_T);
    e.i32(xmm(s.reg)).get(L_T).mem(OP.i64_store, 3, 8);
  } else if (f === F.MOVSD_LOAD) {
    // A memory source zero-extends to 128 bits; a register source replaces the low lane only.
    if (isMem(s)) {
      emitEa(e, s, next); emitRead(e, 8, k, at); e.set(L_T);
      e.i32(xmm(s.reg)).get(L_T).mem(OP.i64_store, 3, 0);
      e.i32(xmm(s.reg)).i64(0).mem(OP.i64_store, 3, 8);
    } else e.i32(xmm(s.reg)).i32(xmm(s.rm)).mem(OP.i64_load, 3, 0).mem(OP.i64_store, 3, 0);
  } else {
    // MOVSD xmm/m64, xmm: the low lane.
    e.i32(xmm(s.reg)).mem(OP.i64_load, 3, 0).set(L_T2);
    if (isMem(s)) { emitEa(e, s, next); emitWrite(e, 8, k, at); } else e.i32(xmm(s.rm)).get(L_T2).mem(OP.i64_store, 3, 0);
  }
}

// writeReg(r, size, rex, v) of cpu/state.ts for the value in L_T (already masked to size).
function setRegSized(e: Emitter, r: number, size: number, rex: number): void {
  if (size === 1) setByteReg(e, r, rex);
  else e.get(L_T).setRegAt(r, size);
}

// CF of the current record (getCF of cpu/flags.ts) as an i64 0/1 on the stack: inline for a
// record made here whose CF is one compare, else through the core's cond (B: CF).
function emitCarry(e: Emitter): void {
  const fl = e.fl;
  if (typeof fl === "object" && fl.op === FL_SUB) { e.get(L_FA).get(L_FB).op(OP.i64_lt_u).op(OP.i64_extend_i32_u); return; }
  if (typeof fl === "object" && fl.op === FL_ADD) { e.get(L_FRES).get(L_FA).op(OP.i64_lt_u).op(OP.i64_extend_i32_u); return; }
  if (typeof fl === "object" && fl.op === FL_LOGIC) { e.i64(0); return; }
  e.flushFlags();
  e.i32(2).call(FN_COND).op(OP.i64_extend_i32_u);
}

// SHL/SAL, SHR, SAR of a register by a constant count c (already masked), as shift.ts's
// shiftResult and commit do: the FL_RES record, CF, OF and AF (set, as AMD Zen does) precomputed
// in flCarry, OF by the count-1 formula for every count. A count of 0 writes no flag and leaves
// the register as it is, but a 32-bit one is still written (zero-extended).
function emitShift(e: Emitter, ins: Ins[], k: number, c: number): void {
  const s = ins[k].s, kind = (s.modrm >> 3) & 7;
  const size = shiftSize(s), bits = size * 8, m = MASK[size];
  if (c === 0) { if (size === 4) e.regAt(s.rm, 4).setReg(s.rm); return; }
  regRead(e, s.rm, size, s.rex); e.set(L_X);
  const sign = (l: number): void => bitOf(e, l, bits - 1);
  if (kind === 5) {
    e.get(L_X).i64(c).op(OP.i64_shr_u).set(L_T);
    bitOf(e, L_X, c - 1); e.set(L_Y);
    if (c === 1) sign(L_X); else e.i64(0);
    e.set(L_T2);
  } else if (kind === 7) {
    e.get(L_X); sext(e, size); e.set(L_X);
    e.get(L_X).i64(Math.min(c, 63)).op(OP.i64_shr_s).i64(m).op(OP.i64_and).set(L_T);
    e.get(L_X).i64(Math.min(c - 1, 63)).op(OP.i64_shr_s).i64(1).op(OP.i64_and).set(L_Y);
    e.i64(0).set(L_T2);
  } else {
    if (c < bits) e.get(L_X).i64(c).op(OP.i64_shl).i64(m).op(OP.i64_and); else e.i64(0);
    e.set(L_T);
    if (c <= bits) bitOf(e, L_X, bits - c); else e.i64(0);
    e.set(L_Y);
    sign(L_T); e.get(L_Y).op(OP.i64_xor).set(L_T2);
  }
  if (flagsDead(ins, k)) e.fl = "dead";
  else {
    e.get(L_Y).get(L_T2).i64(11).op(OP.i64_shl).op(OP.i64_or).i64(AF).op(OP.i64_or).gset(G_FLCARRY);
    e.i64(0).set(L_FA).i64(0).set(L_FB).get(L_T).set(L_FRES);
    e.fl = { op: FL_RES, size };
  }
  setRegSized(e, s.rm, size, s.rex);
}

// SHL/SAL, SHR, SAR of a register by CL (shift.ts shiftRM with the count from CL): as emitShift,
// with the count known only at run time. A count of 0 leaves the register (a 32-bit one is still
// zero-extended) and the flag record as they were, so the record is in the five locals either way.
function emitShiftCl(e: Emitter, ins: Ins[], k: number): void {
  const s = ins[k].s, kind = (s.modrm >> 3) & 7;
  const size = shiftSize(s), bits = size * 8, m = MASK[size];
  const dead = flagsDead(ins, k);
  if (!dead) e.dynFlags();
  e.reg(1).i64(size === 8 ? 63 : 31).op(OP.i64_and).tee(L_C).op(OP.i64_eqz);
  e.open(OP.if);
  if (size === 4) e.regAt(s.rm, 4).setReg(s.rm);
  e.op(OP.else);
  regRead(e, s.rm, size, s.rex); e.set(L_X);
  const sign = (l: number): void => bitOf(e, l, bits - 1);
  if (kind === 5) {
    e.get(L_X).get(L_C).op(OP.i64_shr_u).set(L_T);
    e.get(L_X).get(L_C).i64(1).op(OP.i64_sub).op(OP.i64_shr_u).i64(1).op(OP.i64_and).set(L_Y);
    sign(L_X); e.i64(0).get(L_C).i64(1).op(OP.i64_eq).op(OP.select).set(L_T2);
  } else if (kind === 7) {
    e.get(L_X); sext(e, size); e.set(L_X);
    e.get(L_X).get(L_C).op(OP.i64_shr_s).i64(m).op(OP.i64_and).set(L_T);
    e.get(L_X).get(L_C).i64(1).op(OP.i64_sub).op(OP.i64_shr_s).i64(1).op(OP.i64_and).set(L_Y);
    e.i64(0).set(L_T2);
  } else {
    // The bits shifted past the size are gone (X < 2^bits); CF is the last one out, 0 past the size.
    e.get(L_X).get(L_C).op(OP.i64_shl).i64(m).op(OP.i64_and).set(L_T);
    e.get(L_X).i64(bits).get(L_C).op(OP.i64_sub).op(OP.i64_shr_u).i64(1).op(OP.i64_and).i64(0).get(L_C).i64(bits).op(OP.i64_le_u).op(OP.select).set(L_Y);
    sign(L_T); e.get(L_Y).op(OP.i64_xor).set(L_T2);
  }
  if (!dead) {
    e.get(L_Y).get(L_T2).i64(11).op(OP.i64_shl).op(OP.i64_or).i64(AF).op(OP.i64_or).gset(G_FLCARRY);
    e.i32(FL_RES).set(L_FOP).i32(size).set(L_FSIZE);
    e.i64(0).set(L_FA).i64(0).set(L_FB).get(L_T).set(L_FRES);
  }
  setRegSized(e, s.rm, size, s.rex);
  e.close();
  e.fl = dead ? "dead" : "dyn";
}

// ROL/ROR of a register by a constant (shift.ts shiftResult and commit): CF and OF from the
// result, the other flags kept (setKeep, through the core's jitKeep). A masked count of 0 changes
// nothing (a 32-bit register is still zero-extended); a count that is a multiple of the size
// leaves the value but still sets CF and OF.
function emitRotate(e: Emitter, ins: Ins[], k: number, c: number): void {
  const s = ins[k].s, left = ((s.modrm >> 3) & 7) === 0;
  const size = shiftSize(s), bits = size * 8, m = MASK[size];
  if (c === 0) { if (size === 4) e.regAt(s.rm, 4).setReg(s.rm); return; }
  const r = c & (bits - 1);
  regRead(e, s.rm, size, s.rex); e.set(L_X);
  if (r === 0) e.get(L_X);
  else if (left) e.get(L_X).i64(r).op(OP.i64_shl).get(L_X).i64(bits - r).op(OP.i64_shr_u).op(OP.i64_or).i64(m).op(OP.i64_and);
  else e.get(L_X).i64(r).op(OP.i64_shr_u).get(L_X).i64(bits - r).op(OP.i64_shl).op(OP.i64_or).i64(m).op(OP.i64_and);
  e.set(L_T);
  const bit = (n: number): void => bitOf(e, L_T, n);
  if (flagsDead(ins, k)) e.fl = "dead";
  else {
    // ROL: CF = bit 0, OF = MSB ^ CF; ROR: CF = MSB, OF = MSB ^ the bit below it.
    if (left) { bit(0); bit(bits - 1); bit(0); } else { bit(bits - 1); bit(bits - 1); bit(bits - 2); }
    e.op(OP.i64_xor).i64(11).op(OP.i64_shl).op(OP.i64_or).set(L_Y);
    e.flushFlags();
    e.i64(PF | AF | ZF | SF).get(L_Y).call(FN_KEEP);
  }
  setRegSized(e, s.rm, size, s.rex);
}

// MUL r32 / r64 (muldiv.ts mul1): rDX:rAX = rAX * r, unsigned; CF = OF = the high half is not 0,
// SF ZF AF PF kept (setKeep). The 64-bit product's high half from 32-bit halves (wasm has no
// 64x64->128 multiply): mid collects the carries into bit 64.
function emitMul(e: Emitter, ins: Ins[], k: number): void {
  const s = ins[k].s, size = s.osz, lo32 = 0xffffffffn;
  if (size === 4) {
    e.regAt(0, 4).regAt(s.rm, 4).op(OP.i64_mul).set(L_T);
    e.get(L_T).i64(lo32).op(OP.i64_and).setReg(0);
    e.get(L_T).i64(32).op(OP.i64_shr_u).set(L_T2);
  } else {
    e.reg(0).set(L_X).reg(s.rm).set(L_Y);
    e.get(L_X).i64(lo32).op(OP.i64_and).get(L_Y).i64(32).op(OP.i64_shr_u).op(OP.i64_mul).set(L_T);   // a_lo * b_hi
    e.get(L_X).i64(32).op(OP.i64_shr_u).get(L_Y).i64(lo32).op(OP.i64_and).op(OP.i64_mul).set(L_T2);  // a_hi * b_lo
    e.get(L_X).i64(lo32).op(OP.i64_and).get(L_Y).i64(lo32).op(OP.i64_and).op(OP.i64_mul).i64(32).op(OP.i64_shr_u);
    e.get(L_T).i64(lo32).op(OP.i64_and).op(OP.i64_add).get(L_T2).i64(lo32).op(OP.i64_and).op(OP.i64_add).set(L_C); // mid
    e.get(L_X).i64(32).op(OP.i64_shr_u).get(L_Y).i64(32).op(OP.i64_shr_u).op(OP.i64_mul);
    e.get(L_T).i64(32).op(OP.i64_shr_u).op(OP.i64_add).get(L_T2).i64(32).op(OP.i64_shr_u).op(OP.i64_add);
    e.get(L_C).i64(32).op(OP.i64_shr_u).op(OP.i64_add).set(L_T2);                                          // high half
    e.get(L_X).get(L_Y).op(OP.i64_mul).setReg(0);
  }
  e.get(L_T2).setReg(2);
  if (flagsDead(ins, k)) { e.fl = "dead"; return; }
  e.flushFlags();
  e.i64(SF | ZF | AF | PF).i64(0).i64(CF | OF).get(L_T2).op(OP.i64_eqz).op(OP.select).call(FN_KEEP);
}

// Whether the compiled code of a form can leave before the instruction is done (then the flags
// before it are what that exit shows): a memory access (a TLB miss, a misaligned SSE access), the
// stack, an exit of its own (IMUL and DIV outside their fast case, SSE2 arithmetic outside its
// default MXCSR or normal operands, a conversion that rounds, a compare of a NaN or a denormal), a
// transfer. The hint NOPs and
// LEA name memory without touching it.
function mayLeave(s: Slot): boolean {
  if (isNop(s) || s.fast === F.LEA) return false;
  if (tableMem(s.op, s.pfx, (s.modrm >> 3) & 7)) return true;
  switch (s.fast) {
    case F.PUSH: case F.POP: case F.CALL: case F.RET: case F.JMP: case F.JCC: case F.GROUP5: case F.IMUL_RR: case F.MULDIV_R:
    case F.SD_ARITH: case F.CVTSI2SD: case F.COMISD: case J_SQRTSD: case J_PUSHI:
      return true;
  }
  return false;
}
// The instruction table's flag facts (table-facts.ts) with the compiler's own conditions on top:
// a form kills the record before it when the table says it rewrites all six flags reading none
// (a shift only with a count that is not 0, and the compiler knows the count) and its code cannot
// leave first; it is quiet when the table says it touches no flag and its code cannot leave.
// Only forms the compiler takes reach these (readTrace stops at the first other).
const writesAllFlags = (s: Slot): boolean => {
  const t = tableFlags(s.op, s.pfx, (s.modrm >> 3) & 7);
  return (t === FLAGS_KILL || (t === FLAGS_KILL_IF_COUNT && shiftCount(s) > 0)) && !mayLeave(s);
};
const flagQuiet = (s: Slot): boolean => tableFlags(s.op, s.pfx, (s.modrm >> 3) & 7) === FLAGS_QUIET && !mayLeave(s);

// Whether the flags instruction k writes are dead: a later instruction of the same pass rewrites
// them all before anything reads them or the code can leave (liveness: then they need not be made).
function flagsDead(ins: Array<{ s: Slot }>, k: number): boolean {
  for (let j = k + 1; j < ins.length; j++) {
    if (writesAllFlags(ins[j].s)) return true;
    if (!flagQuiet(ins[j].s)) return false;
  }
  return false;
}

export interface CompileOptions {
  /** Loop inside the function on a branch back to the region's start (default true; false: leave there, for bench/jit-shapes.ts). */
  loops?: boolean;
  /** Take the traces the hot one jumps to into its region (default true; false: one trace, for bench/jit-shapes.ts). */
  link?: boolean;
  /** At a transfer out of the region, go on to the compiled trace there by a tail call (default true;
   * false: return to the run loop, for bench/jit-interp.ts, which wraps every compiled function). */
  chain?: boolean;
}

interface Ins { s: Slot; rip: bigint; next: bigint }
/** A decoded trace as the compiler sees it: its compiled prefix, and the first instruction it does not take. */
export interface Trace { start: bigint; ins: Ins[]; stop: Slot | null; slots: number }

/** The compiled prefix of the decoded trace whose `count` slots start at `slots` (addresses in `mem`). */
export function readTrace(mem: DataView, slots: number, count: number, start: bigint): Trace {
  const ins: Ins[] = [];
  let rip = start, stop: Slot | null = null;
  for (let i = 0; i < count; i++) {
    const s = readSlot(mem, slots + i * 32);
    s.fast = jitForm(s);
    if (!compiles(s)) { stop = s; break; }
    const next = (rip + BigInt(s.len)) & M64;
    ins.push({ s, rip, next });
    rip = next;
    // Transfers that end a trace end the region too.
    if (isTransfer(s)) break;
  }
  return { start, ins, stop, slots };
}

/**
 * What forming a region needs of a decoded trace, read without an object or a BigInt per slot (one
 * slot object reused; the immediate read only where a form needs it): its start and slots' address,
 * how many of its instructions compile (readTrace's prefix), the one it stops at, and where control
 * goes from it: its branches' targets, a call's target and return address, and the next instruction
 * when it ends without a transfer (it reached its length or a page end) and every instruction of it
 * compiled. Regions are formed of these (formRegion); only a region's traces are then read whole
 * (readTrace), by the compile thread or by the main thread compiling itself, so the main thread's
 * part of a compile is not the decoding of every slot into objects (docs/jit.md, "The main
 * thread's part of a compile").
 */
export interface TraceShape { start: bigint; slots: number; count: number; stop: Slot | null; targets: bigint[] }
const scratch: Slot = { op: 0, len: 0, pfx: 0, rex: 0, modrm: 0, reg: 0, rm: 0, base: 0, index: 0, scale: 0, seg: 0, disp: 0, imm: 0n, osz: 0, asz: 0, fast: 0 };
export function traceShape(mem: DataView, slots: number, count: number, start: bigint): TraceShape {
  const s = scratch, targets: bigint[] = [];
  let stop: Slot | null = null, off = 0, n = 0, transfer = false;
  for (let i = 0; i < count; i++) {
    const a = slots + i * 32;
    s.op = mem.getUint16(a + D_OP, true); s.len = mem.getUint8(a + D_LEN); s.pfx = mem.getUint8(a + D_PFX); s.rex = mem.getUint8(a + D_REX);
    s.modrm = mem.getUint8(a + D_MODRM); s.osz = mem.getUint8(a + D_OSZ); s.fast = mem.getUint8(a + D_FAST);
    // A shift's count (constCount); the fields no form test reads (reg, rm, base, index, scale, seg, disp, asz) are not read.
    s.imm = s.op === 0xc0 || s.op === 0xc1 ? mem.getBigUint64(a + D_IMM, true) : 0n;
    s.fast = jitForm(s);
    if (!compiles(s)) { stop = readSlot(mem, a); stop.fast = s.fast; break; }
    off += s.len;
    n++;
    if (s.fast === F.JCC || s.fast === F.JMP || s.fast === F.CALL) {
      const next = (start + BigInt(off)) & M64;
      targets.push((next + mem.getBigUint64(a + D_IMM, true)) & M64);
      if (s.fast === F.CALL) targets.push(next);
    }
    if (isTransfer(s)) { transfer = true; break; }
  }
  if (!stop && !transfer && n > 0) targets.push((start + BigInt(off)) & M64);
  return { start, slots, count: n, stop, targets };
}

/**
 * The instruction a compiled trace stops at, named for the refusal histogram (Jit.refusals):
 * its opcode (0F xx as "0F xx"), the ModRM /digit for the group opcodes, the operand size, and
 * the prefixes that keep it off the fast forms.
 */
export function refusalName(s: Slot): string {
  const op = s.op, ext = (s.modrm >> 3) & 7;
  const group = [0x80, 0x81, 0x83, 0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3, 0xf6, 0xf7, 0xfe, 0xff, 0x1ba, 0x1c7].includes(op);
  let name = `${op > 0xff ? "0F " : ""}${(op & 0xff).toString(16).toUpperCase().padStart(2, "0")}${group ? ` /${ext}` : ""}`;
  name += ` ${s.osz * 8}-bit`;
  if (s.pfx & 0x10) name += " LOCK";                // decoder/slot.ts P_LOCK
  if (s.pfx & 0x04) name += " REP";                 // P_REP (F3)
  if (s.pfx & 0x08) name += " F2";                  // P_REPNE
  return name;
}

const endsInTransfer = (t: Trace): boolean => isTransfer(t.ins[t.ins.length - 1].s);

export const MAX_REGION_TRACES = 12, MAX_REGION_INSTRUCTIONS = 160;

/**
 * The region of a hot trace: it, and the traces it reaches by known addresses that the core has
 * already decoded (`lookup` finds them in its trace cache), breadth first, up to
 * MAX_REGION_TRACES traces and MAX_REGION_INSTRUCTIONS instructions. Those traces ran already
 * (the interpreter decoded them) and are valid as long as the hot one is: every event that
 * changes code drops the whole cache, the hot trace and so its compiled region with it.
 */
export function formRegion(first: TraceShape, lookup: (rip: bigint) => TraceShape | null, o: CompileOptions = {}): TraceShape[] {
  const region = [first];
  if (o.link === false || first.count === 0) return region;
  const seen = new Set<bigint>([first.start]);
  let size = first.count;
  for (let i = 0; i < region.length; i++) {
    for (const target of region[i].targets) {
      if (seen.has(target) || region.length >= MAX_REGION_TRACES) continue;
      seen.add(target);
      const t = lookup(target);
      if (!t || t.count === 0 || size + t.count > MAX_REGION_INSTRUCTIONS) continue;
      region.push(t);
      size += t.count;
    }
  }
  return region;
}

/**
 * Compile a region (formRegion: its first trace is the hot one, where the function is entered)
 * into one function. Each trace's code starts with the budget check for its longest pass; a
 * branch to another trace of the region goes there without leaving (forward: out of the blocks
 * that end at its code; backward: through the dispatch at the loop's top), with the registers
 * still in locals and the flag record in locals. Everything else leaves.
 */
export function compileRegion(region: Trace[], o: CompileOptions = {}): CompiledTrace | null {
  const c = regionCode(region, o);
  return c && { bytes: moduleBytes(JIT_IMPORTS, [{ locals: LOCALS, code: c.code }]), instructions: c.instructions, traces: c.traces, entries: c.entries };
}

/** A compiled region's function before it is put in a module (jit.ts puts several in one: regionsModule). */
export interface RegionCode { code: Uint8Array[]; instructions: number; traces: number; entries: bigint[] }

/** Regions' functions in one module, codes[k] exported as fnName(k), compiled by V8: what the JIT
 * makes, on the main thread or in its compile thread (compile-worker.ts). */
export function regionsModule(codes: RegionCode[]): { module: WebAssembly.Module; bytes: number } {
  const bytes = moduleBytes(JIT_IMPORTS, codes.map((c) => ({ locals: LOCALS, code: c.code })));
  return { module: new WebAssembly.Module(bytes), bytes: bytes.length };
}

export function regionCode(region: Trace[], o: CompileOptions = {}): RegionCode | null {
  const loops = o.loops ?? true;
  if (region.length === 0 || region[0].ins.length === 0) return null;
  const n = region.length;
  const index = new Map<bigint, number>(region.map((t, i) => [t.start, i]));
  const returnSites = new Set<bigint>(region.flatMap((t) => t.ins.filter((x) => x.s.fast === F.CALL).map((x) => x.next)));
  const e = new Emitter();
  let cur = 0;
  // Go to `target` with `retired` instructions of the current trace done: the trace there when it
  // is in the region, else leave.
  const goTo = (retired: number, target: bigint): void => {
    const j = index.get(target);
    if (j === undefined || (j === 0 && !loops)) { e.exit(retired, target, j === undefined); return; }
    e.get(L_DONE).i64(retired).op(OP.i64_add).set(L_DONE);
    e.dynFlags();
    if (j > cur) { e.br(`t${j}`); return; }
    if (n > 1) e.i32(j).set(L_PC);
    e.br("top");
  };
  e.open(OP.block, "xglob");
  e.open(OP.block, "xdyn");
  e.open(OP.loop, "top");
  if (n > 1) {
    for (let j = n - 1; j >= 0; j--) e.open(OP.block, `t${j}`);
    e.get(L_PC).op(OP.br_table);
    e.b.u(n);
    for (let j = 0; j < n; j++) e.b.u(j);
    e.b.u(0);
  }
  for (cur = 0; cur < n; cur++) {
    if (n > 1) e.close(); // block t<cur>: its code follows
    const { start, ins } = region[cur];
    const m = ins.length;
    e.fl = "dyn";
    // The trace's longest pass must fit in the budget, or leave (RIP on its start) with what is done.
    e.get(L_DONE).i64(m).op(OP.i64_add).get(0).op(OP.i64_gt_s);
    e.exitIf(0, start);
    emitTrace(e, ins, goTo, returnSites);
    // Fell off the end of the trace: RIP is the next instruction's.
    const last = ins[m - 1];
    if (!endsInTransfer(region[cur])) goTo(m, last.next);
  }
  e.close();                               // loop
  e.br("xglob");                           // (every pass ends in a branch: not reached)
  e.close();                               // block $xdyn: the exits with the record in the five locals
  e.fl = "dyn";
  e.storeFlags();
  e.close();                               // block $xglob: the exits with the record in the globals
  e.get(L_RIP).gset(G_RIP);                // every exit's RIP
  e.get(L_DONE).get(L_RET).op(OP.i64_add).set(L_RET); // every exit's count: the passes before it and its own
  // Prologue: the registers the region touches and the flag record into locals, the TLB tag's epoch part.
  const pro = new Emitter(512);
  for (const r of [...e.used].sort((a, b) => a - b)) pro.i32(STATE + r * 8).mem(OP.i64_load, 3, 0).set(L_REG + r);
  pro.fl = "glob";
  pro.dynFlags();
  // Entered at another trace of the region than the first (jit.ts points a hot trace the region
  // holds at it): the dispatch starts there.
  for (let j = 1; j < n; j++) { pro.ggetl(G_RIP).i64(region[j].start).op(OP.i64_eq); pro.open(OP.if).i32(j).set(L_PC).close(); }
  pro.ggetl(G_TLBEPOCH).i64(52).op(OP.i64_shl).set(L_TEP);
  // Epilogue: every register the region writes back to the state block.
  const epi = new Emitter(256);
  for (const r of [...e.written].sort((a, b) => a - b)) epi.i32(STATE + r * 8).get(L_REG + r).mem(OP.i64_store, 3, 0);
  // The budget left; after a transfer, with budget left, on to the compiled trace at RIP (the run
  // loop would enter it next and do nothing else between: exec/run.ts), by a tail call (type 0).
  epi.get(0).get(L_RET).op(OP.i64_sub).set(0);
  if (o.chain ?? true) {
    epi.get(L_CH).open(OP.if);
    epi.get(0).i64(0).op(OP.i64_gt_s).open(OP.if);
    emitChain(epi);
    epi.close().close();
  }
  epi.get(0);
  return { code: [pro.b.bytes(), e.b.bytes(), epi.b.bytes()], instructions: region.reduce((a, t) => a + t.ins.length, 0), traces: n, entries: region.map((t) => t.start) };
}

/** One decoded trace alone, as before regions (tests). */
export function compileTrace(mem: DataView, slots: number, count: number, start: bigint, o: CompileOptions = {}): CompiledTrace | null {
  return compileRegion([readTrace(mem, slots, count, start)], o);
}

// The instructions of one trace; `goTo(retired, target)` continues at a known address.
function emitTrace(e: Emitter, ins: Ins[], goTo: (retired: number, target: bigint) => void, returnSites: Set<bigint>): void {
  const m = ins.length;
  for (let k = 0; k < m; k++) {
    const { s, rip: at, next } = ins[k];
    const f = s.fast, size = s.osz;
    if (f >= F.ALU_OPS && f < F.ALU_OPS + 32) {
      const form = (f - F.ALU_OPS) >> 3, alu = (f - F.ALU_OPS) & 7;
      const dst = form === 0 || form === 3 ? s.rm : s.reg;
      // b into L_FB, a into L_FA (both masked to size), the result into L_FRES.
      if (form === 0) e.regAt(s.reg, size).set(L_FB);
      else if (form === 1) e.regAt(s.rm, size).set(L_FB);
      else if (form === 3) e.i64(size === 4 ? s.imm & 0xffffffffn : s.imm).set(L_FB);
      else { emitEa(e, s, next); emitRead(e, size, k, at); e.set(L_FB); }
      e.regAt(dst, size).set(L_FA);
      e.get(L_FA).get(L_FB);
      switch (alu) {
        case 0: e.op(OP.i64_add); break;
        case 1: e.op(OP.i64_or); break;
        case 4: e.op(OP.i64_and); break;
        case 6: e.op(OP.i64_xor); break;
        default: e.op(OP.i64_sub); // SUB, CMP
      }
      if (size === 4 && (alu === 0 || alu === 5 || alu === 7)) e.lo32();
      e.set(L_FRES);
      if (alu !== 7) e.get(L_FRES).setReg(dst);
      e.fl = { op: alu === 0 ? FL_ADD : alu === 5 || alu === 7 ? FL_SUB : FL_LOGIC, size };
      continue;
    }
    if (isNop(s)) continue;
    const ext = (s.modrm >> 3) & 7;
    if (f === F.SHIFT) {
      if (isShiftCl(s)) emitShiftCl(e, ins, k);
      else if (rotateCount(s) >= 0) emitRotate(e, ins, k, rotateCount(s));
      else emitShift(e, ins, k, shiftCount(s));
      continue;
    }
    if (f === F.GROUP3 && ext >= 2) {
      // NOT, NEG of a register (alu.ts unaryRM): NOT writes no flag, NEG those of 0 - a.
      const sz = s.op === 0xf6 ? 1 : size;
      regRead(e, s.rm, sz, s.rex); e.set(L_X);
      if (ext === 2) e.get(L_X).i64(MASK[sz]).op(OP.i64_xor).set(L_T);
      else {
        e.i64(0).get(L_X).op(OP.i64_sub).mask(sz).set(L_T);
        if (flagsDead(ins, k)) e.fl = "dead";
        else { e.i64(0).set(L_FA).get(L_X).set(L_FB).get(L_T).set(L_FRES); e.fl = { op: FL_SUB, size: sz }; }
      }
      setRegSized(e, s.rm, sz, s.rex);
      continue;
    }
    switch (f) {
      case F.NOP: break;
      case J_BSWAP: {
        // BSWAP r32/r64 (a 32-bit one zero-extends): bytes swapped in pairs, pairs in fours, halves.
        const b8 = 0x00ff00ff00ff00ffn, b16 = 0x0000ffff0000ffffn;
        e.regAt(s.reg, size).set(L_T);
        e.get(L_T).i64(b8).op(OP.i64_and).i64(8).op(OP.i64_shl).get(L_T).i64(8).op(OP.i64_shr_u).i64(b8).op(OP.i64_and).op(OP.i64_or).set(L_T);
        e.get(L_T).i64(b16).op(OP.i64_and).i64(16).op(OP.i64_shl).get(L_T).i64(16).op(OP.i64_shr_u).i64(b16).op(OP.i64_and).op(OP.i64_or);
        e.i64(32).op(OP.i64_rotl);
        if (size === 4) e.i64(32).op(OP.i64_shr_u);
        e.setRegAt(s.reg, size);
        break;
      }
      case F.LOAD128: case F.STORE128: case F.PINT: case F.MOVSD_LOAD: case F.MOVSD_STORE:
      case J_VEC: case J_PSHUFD: case J_PMOVMSKB: case J_MOVHI: case J_MOVQST:
        emitSse(e, s, next, k, at);
        break;
      case F.SD_ARITH: case J_SQRTSD: {
        // ADDSD MULSD SUBSD DIVSD (exec/fast.ts sdArith's fast path): with MXCSR at its default
        // masks and rounding and PE already set, normal operands and a normal result, the f64
        // operation is the x86 one and MXCSR cannot change; anything else leaves before the
        // instruction (nothing written yet) for the interpreter's full path.
        sdRead(e, s, next, k, at);
        e.set(L_Y);
        e.i32(xmm(s.reg)).mem(OP.i64_load, 3, 0).set(L_X);
        const abnormal = (l: number): void => { e.get(l).i64(52).op(OP.i64_shr_u).i64(0x7ff).op(OP.i64_and).i64(1).op(OP.i64_sub).i64(0x7fe).op(OP.i64_ge_u); };
        e.i32(STATE).mem(OP.i64_load32_u, 2, S_MXCSR).i64(0xffe0).op(OP.i64_and).i64(0x1fa0).op(OP.i64_ne);
        abnormal(L_X); e.op(OP.i32_or); abnormal(L_Y); e.op(OP.i32_or);
        // SQRTSD (fparith.ts lane64) takes the same path: the destination's low lane must be
        // normal too (the interpreter asks it of both); a negative operand's NaN is not normal, so
        // that leaves at the result's test.
        e.exitIf(k, at);
        if (f === J_SQRTSD) e.get(L_Y).op(OP.f64_reinterpret_i64).op(OP.f64_sqrt).op(OP.i64_reinterpret_f64).set(L_T);
        else {
          const fop = { 0x158: OP.f64_add, 0x159: OP.f64_mul, 0x15c: OP.f64_sub, 0x15e: OP.f64_div }[s.op]!;
          e.get(L_X).op(OP.f64_reinterpret_i64).get(L_Y).op(OP.f64_reinterpret_i64).op(fop).op(OP.i64_reinterpret_f64).set(L_T);
        }
        abnormal(L_T);
        e.exitIf(k, at);
        e.i32(xmm(s.reg)).get(L_T).mem(OP.i64_store, 3, 0);
        break;
      }
      case F.CVTSI2SD: {
        // CVTSI2SD xmm, r/m32|64 (sse/convert.ts cvtsi2s): an integer of at most 53 bits converts
        // exactly, whatever MXCSR says, and raises nothing; a wider one (it may round: PE, the
        // rounding mode) leaves before the instruction. The high lane stays.
        const sz = (s.rex & 8) !== 0 ? 8 : 4;
        rmRead(e, s, sz, next, k, at);
        if (sz === 4) e.op(OP.i64_extend32_s);
        e.set(L_T);
        if (sz === 8) { e.get(L_T).i64(1n << 53n).op(OP.i64_add).i64(1n << 54n).op(OP.i64_gt_u); e.exitIf(k, at); }
        e.i32(xmm(s.reg)).get(L_T).op(OP.f64_convert_i64_s).op(OP.i64_reinterpret_f64).mem(OP.i64_store, 3, 0);
        break;
      }
      case F.COMISD: {
        // UCOMISD / COMISD (sse/fparith.ts fpComis): with no NaN and no denormal operand nothing is
        // raised and MXCSR stays; ZF = equal, CF = below, PF = 0, the other flags 0 (setArith: as
        // jitKeep with an empty mask). A NaN or a denormal leaves before the instruction.
        sdRead(e, s, next, k, at);
        e.set(L_Y);
        e.i32(xmm(s.reg)).mem(OP.i64_load, 3, 0).set(L_X);
        // a NaN, an infinity or a denormal: exponent 0x7FF, or 0 with a non-zero fraction
        const odd = (l: number): void => {
          e.get(l).i64(52).op(OP.i64_shr_u).i64(0x7ff).op(OP.i64_and).i64(0x7ff).op(OP.i64_eq);
          e.get(l).i64(52).op(OP.i64_shr_u).i64(0x7ff).op(OP.i64_and).op(OP.i64_eqz);
          e.get(l).i64(1).op(OP.i64_shl).op(OP.i64_eqz).op(OP.i32_eqz).op(OP.i32_and).op(OP.i32_or);
        };
        odd(L_X); odd(L_Y); e.op(OP.i32_or);
        e.exitIf(k, at);
        if (flagsDead(ins, k)) { e.fl = "dead"; break; }
        e.flushFlags();
        e.i64(0);
        e.i64(ZF).i64(0).get(L_X).op(OP.f64_reinterpret_i64).get(L_Y).op(OP.f64_reinterpret_i64).op(OP.f64_eq).op(OP.select);
        e.i64(CF).i64(0).get(L_X).op(OP.f64_reinterpret_i64).get(L_Y).op(OP.f64_reinterpret_i64).op(OP.f64_lt).op(OP.select);
        e.op(OP.i64_or).call(FN_KEEP);
        break;
      }
      case F.MOVQ_X: {
        // MOVD/MOVQ (sse/move.ts movdToXmm, movdFromXmm): 66 0F 6E xmm, r/m32|64 (the rest of the
        // register cleared); 66 0F 7E r/m32|64, xmm (its low lane). REX.W picks 64 bits.
        const sz = (s.rex & 8) !== 0 ? 8 : 4;
        if (s.op === 0x16e) {
          rmRead(e, s, sz, next, k, at);
          e.set(L_T);
          e.i32(xmm(s.reg)).get(L_T).mem(OP.i64_store, 3, 0);
          e.i32(xmm(s.reg)).i64(0).mem(OP.i64_store, 3, 8);
        } else {
          e.i32(xmm(s.reg)).mem(OP.i64_load, 3, 0);
          if (isMem(s)) { e.set(L_T2); emitEa(e, s, next); emitWrite(e, sz, k, at); } else e.setRegAt(s.rm, sz);
        }
        break;
      }
      case F.CDQE: {
        // writeReg(RAX, osz, sext(RAX & sizeMask(osz / 2), osz / 2))
        e.reg(0);
        sext(e, size >> 1);
        e.setRegAt(0, size);
        break;
      }
      case F.CQO:
        // RDX = every bit the sign of RAX at osz (writeReg zero-extends a 32-bit one)
        e.reg(0).i64(64 - size * 8).op(OP.i64_shl).i64(63).op(OP.i64_shr_s).setRegAt(2, size);
        break;
      case F.GROUP5:
        if (ext <= 1) {
          // INC, DEC of a register (alu.ts unaryRM): the record keeps the CF before it (flCarry).
          e.regAt(s.rm, size).set(L_X);
          e.get(L_X).i64(1).op(ext === 0 ? OP.i64_add : OP.i64_sub).mask(size).set(L_T);
          if (flagsDead(ins, k)) e.fl = "dead";
          else {
            emitCarry(e);
            e.gset(G_FLCARRY);
            e.get(L_X).set(L_FA).i64(1).set(L_FB).get(L_T).set(L_FRES);
            e.fl = { op: ext === 0 ? FL_INC : FL_DEC, size };
          }
          e.get(L_T).setRegAt(s.rm, size);
          break;
        }
        // CALL r/m64 (push the next RIP after reading the target), JMP r/m64 (map0.ts group5).
        rmRead(e, s, 8, next, k, at);
        e.set(L_X);
        exitUnlessCanonical(e, L_X, k, at);
        if (ext === 2) {
          e.i64(next).set(L_T2);
          emitPush(e, k, at);
        }
        e.get(L_X).set(L_T);
        e.exit(k + 1, "t", true);
        break;
      case F.MOV_RR_89: e.reg(s.reg).setRegAt(s.rm, size); break;
      case F.MOV_RR_8B: e.reg(s.rm).setRegAt(s.reg, size); break;
      case F.MOV_RI: e.i64(s.imm).setRegAt(s.reg, size); break;
      case F.LEA: emitEa(e, s, next); e.setRegAt(s.reg, size); break;
      case F.LOAD: emitEa(e, s, next); emitRead(e, size, k, at); e.setRegAt(s.reg, size); break;
      case F.STORE: e.reg(s.reg).set(L_T2); emitEa(e, s, next); emitWrite(e, size, k, at); break;
      case F.TEST_RR:
        e.regAt(s.rm, size).tee(L_FA).regAt(s.reg, size).tee(L_FB).op(OP.i64_and).set(L_FRES);
        e.fl = { op: FL_LOGIC, size };
        break;
      case F.MOVZX8:
        if (isMem(s)) { emitEa(e, s, next); emitRead(e, 1, k, at); }
        else if (s.rex === 0 && s.rm >= 4 && s.rm < 8) e.reg(s.rm - 4).i64(8).op(OP.i64_shr_u).i64(0xff).op(OP.i64_and);
        else e.reg(s.rm).i64(0xff).op(OP.i64_and);
        e.setRegAt(s.reg, size);
        break;
      case F.MOVZX16:
        rmRead(e, s, 2, next, k, at);
        e.setRegAt(s.reg, size);
        break;
      case F.MOVSXD:
        rmRead(e, s, 4, next, k, at);
        if (size === 8) e.op(OP.i64_extend32_s);
        e.setRegAt(s.reg, size);
        break;
      case F.CMOV: {
        // the source is always read; a 32-bit destination is zero-extended even when not moved
        rmRead(e, s, size, next, k, at);
        e.set(L_T2);
        e.get(L_T2).regAt(s.reg, size);
        emitCond(e, s.op & 15);
        e.op(OP.select).setRegAt(s.reg, size);
        break;
      }
      case F.SETCC:
        emitCond(e, s.op & 15);
        e.op(OP.i64_extend_i32_u);
        if (isMem(s)) { e.set(L_T2); emitEa(e, s, next); emitWrite(e, 1, k, at); break; }
        e.set(L_T);
        setByteReg(e, s.rm, s.rex);
        break;
      case J_BITSCAN: {
        // BSF/BSR r, r/m (exec/bits.ts bitScan): a zero source sets ZF and PF and keeps the whole
        // destination; else the index (63 - clz, ctz) is written and PF is its parity. The other
        // flags cleared (setArith: as jitKeep with an empty mask).
        rmRead(e, s, size, next, k, at);
        e.set(L_X);
        if (s.op === 0x1bd) e.i64(63).get(L_X).op(OP.i64_clz).op(OP.i64_sub); else e.get(L_X).op(OP.i64_ctz);
        e.set(L_T);
        e.get(L_T).reg(s.reg).get(L_X).op(OP.i64_eqz).op(OP.i32_eqz).op(OP.select).setReg(s.reg);
        if (flagsDead(ins, k)) { e.fl = "dead"; break; }
        // (BSF kills the record before it: with an empty mask jitKeep never reads the record it parks)
        if (e.fl === "dead") e.fl = "glob"; else e.flushFlags();
        e.i64(0);
        e.i64(ZF | PF).i64(PF).i64(0).get(L_T).op(OP.i64_popcnt).i64(1).op(OP.i64_and).op(OP.i64_eqz).op(OP.select);
        e.get(L_X).op(OP.i64_eqz).op(OP.select);
        e.call(FN_KEEP);
        break;
      }
      case F.IMUL_RR: case F.IMUL_I: {
        // imul2 of exec/muldiv.ts (IMUL r, r/m; IMUL r, r/m, imm: the r/m operand and the immediate
        // at the operand size); flags through the core's setKeep (they park the record before).
        if (f === F.IMUL_RR) { e.regAt(s.reg, size).set(L_X); rmRead(e, s, size, next, k, at); e.set(L_Y); }
        else {
          rmRead(e, s, size, next, k, at);
          e.set(L_X).i64(s.imm & MASK[size]).set(L_Y);
        }
        if (size === 8 && flagsDead(ins, k)) {
          // No one sees CF/OF: the low half of the product is all there is.
          e.get(L_X).get(L_Y).op(OP.i64_mul).set(L_T);
          e.fl = "dead";
        } else if (size === 8) {
          // Both factors in i32 range: the product cannot overflow. Otherwise the interpreter does it.
          e.get(L_X).i64(0x80000000).op(OP.i64_add).get(L_Y).i64(0x80000000).op(OP.i64_add).op(OP.i64_or).i64(32).op(OP.i64_shr_u).op(OP.i64_eqz).op(OP.i32_eqz);
          e.exitIf(k, at);
          e.get(L_X).get(L_Y).op(OP.i64_mul).set(L_T);
          e.flushFlags(); e.i64(SF | ZF | AF | PF).i64(0).call(FN_KEEP);
        } else {
          e.get(L_X).op(OP.i64_extend32_s).get(L_Y).op(OP.i64_extend32_s).op(OP.i64_mul).set(L_T2);
          e.get(L_T2).lo32().set(L_T);
          if (flagsDead(ins, k)) e.fl = "dead";
          else {
            e.flushFlags();
            e.i64(SF | ZF | AF | PF);
            e.i64(CF | OF).i64(0).get(L_T2).get(L_T).op(OP.i64_extend32_s).op(OP.i64_ne).op(OP.select);
            e.call(FN_KEEP);
          }
        }
        e.get(L_T).setReg(s.reg);
        break;
      }
      case F.ALU_BLOCK: case F.ALU_RMI: case F.TEST: case F.GROUP3: {
        if ((f === F.ALU_BLOCK && (s.op >> 3) !== 7) || (f === F.ALU_RMI && ext !== 7)) { emitAlu(e, s, next, k, at); break; }
        // CMP and TEST in their other forms (exec/map0.ts aluBlock, aluRM; alu.ts test): a and b masked to size.
        const op = s.op;
        const sz = op === 0x80 || op === 0x38 || op === 0x3a || op === 0x3c || op === 0x84 || op === 0xa8 || op === 0xf6 ? 1 : size;
        const imm = (): void => { e.i64(s.imm & MASK[sz]); };
        if (f === F.ALU_RMI || f === F.GROUP3) { rmRead(e, s, sz, next, k, at); e.set(L_T); imm(); e.set(L_T2); }
        else if (op === 0x3c || op === 0x3d || op === 0xa8 || op === 0xa9) { regRead(e, 0, sz, 0x40); e.set(L_T); imm(); e.set(L_T2); }
        else if (op === 0x38 || op === 0x39 || op === 0x84 || op === 0x85) { rmRead(e, s, sz, next, k, at); e.set(L_T); regRead(e, s.reg, sz, s.rex); e.set(L_T2); }
        else { rmRead(e, s, sz, next, k, at); e.set(L_T2); regRead(e, s.reg, sz, s.rex); e.set(L_T); } // 3A, 3B: CMP reg, r/m
        e.get(L_T).set(L_FA).get(L_T2).set(L_FB);
        const isTest = f === F.TEST || f === F.GROUP3;
        e.get(L_FA).get(L_FB).op(isTest ? OP.i64_and : OP.i64_sub);
        if (!isTest && sz !== 8) e.mask(sz);
        e.set(L_FRES);
        e.fl = { op: isTest ? FL_LOGIC : FL_SUB, size: sz };
        break;
      }
      case F.MOVSX: {
        const from = s.op === 0x1be ? 1 : 2;
        rmRead(e, s, from, next, k, at);
        sext(e, from);
        e.setRegAt(s.reg, size);
        break;
      }
      case F.MOV_MI: {
        // writeRM(d, C6 ? 1 : osz, imm)
        const sz = s.op === 0xc6 ? 1 : size;
        if (isMem(s)) { e.i64(s.imm).set(L_T2); emitEa(e, s, next); emitWrite(e, sz, k, at); }
        else if (sz === 1) { e.i64(s.imm & 0xffn).set(L_T); setByteReg(e, s.rm, s.rex); }
        else e.i64(s.imm).setRegAt(s.rm, sz);
        break;
      }
      case F.MOV8:
        if (s.op === 0x88) {
          // writeRM(d, 1, readR(d, 1))
          regRead(e, s.reg, 1, s.rex);
          if (isMem(s)) { e.set(L_T2); emitEa(e, s, next); emitWrite(e, 1, k, at); }
          else { e.set(L_T); setByteReg(e, s.rm, s.rex); }
        } else {
          rmRead(e, s, 1, next, k, at);
          e.set(L_T);
          setByteReg(e, s.reg, s.rex);
        }
        break;
      case F.MULDIV_R:
        if (ext === 4) { emitMul(e, ins, k); break; }
        if (ext === 6 && size === 8) {
          // DIV r/m64 of a 64-bit dividend (exec/fast.ts's case for a register): anything else (RDX != 0, #DE) is the interpreter's.
          rmRead(e, s, 8, next, k, at);
          e.tee(L_T2).op(OP.i64_eqz).reg(2).op(OP.i64_eqz).op(OP.i32_eqz).op(OP.i32_or);
          e.exitIf(k, at);
          // One hardware division: the remainder from the quotient (V8 does not fuse div_u and rem_u).
          e.reg(0).tee(L_T).get(L_T2).op(OP.i64_div_u).setReg(0);
          e.get(L_T).reg(0).get(L_T2).op(OP.i64_mul).op(OP.i64_sub).setReg(2);
        } else if (size === 8) {
          // IDIV r64 (muldiv.ts div1) of a dividend RDX:RAX that is RAX sign-extended, by a non-zero
          // divisor, not INT64_MIN by -1: the quotient fits, truncated as i64.div_s; the remainder
          // has the dividend's sign. Anything else (a 128-bit dividend, #DE) is the interpreter's.
          rmRead(e, s, 8, next, k, at);
          e.tee(L_T2).op(OP.i64_eqz);
          e.reg(0).tee(L_T).i64(63).op(OP.i64_shr_s).reg(2).op(OP.i64_ne).op(OP.i32_or);
          e.get(L_T).i64(-(1n << 63n)).op(OP.i64_eq).get(L_T2).i64(-1).op(OP.i64_eq).op(OP.i32_and).op(OP.i32_or);
          e.exitIf(k, at);
          e.get(L_T).get(L_T2).op(OP.i64_div_s).setReg(0);
          e.get(L_T).reg(0).get(L_T2).op(OP.i64_mul).op(OP.i64_sub).setReg(2);
        } else {
          // DIV, IDIV r32 (div1): the 64-bit dividend EDX:EAX in one i64 division; a zero divisor
          // (or INT64_MIN by -1, where wasm traps) and a quotient wider than 32 bits leave (#DE).
          // Both results zero-extended.
          const signed = ext === 7;
          rmRead(e, s, 4, next, k, at);
          if (signed) e.op(OP.i64_extend32_s);
          e.tee(L_T2).op(OP.i64_eqz);
          e.reg(2).i64(32).op(OP.i64_shl).regAt(0, 4).op(OP.i64_or).set(L_T);
          if (signed) { e.get(L_T).i64(-(1n << 63n)).op(OP.i64_eq).get(L_T2).i64(-1).op(OP.i64_eq).op(OP.i32_and).op(OP.i32_or); }
          e.exitIf(k, at);
          e.get(L_T).get(L_T2).op(signed ? OP.i64_div_s : OP.i64_div_u).set(L_X);
          // the quotient in 32 bits: unsigned below 2^32, signed in [-2^31, 2^31)
          if (signed) e.get(L_X).i64(0x80000000).op(OP.i64_add); else e.get(L_X);
          e.i64(32).op(OP.i64_shr_u).op(OP.i64_eqz).op(OP.i32_eqz);
          e.exitIf(k, at);
          e.get(L_T).get(L_X).get(L_T2).op(OP.i64_mul).op(OP.i64_sub).lo32().setReg(2);
          e.get(L_X).lo32().setReg(0);
        }
        if (flagsDead(ins, k)) e.fl = "dead";
        else { e.flushFlags(); e.i64(CF | OF).i64(AF).call(FN_KEEP); }
        break;
      case F.PUSH:
        // push(8, v) of exec/stack.ts: the value before RSP moves (PUSH RSP pushes the old RSP)
        e.reg(s.reg).set(L_T2);
        emitPush(e, k, at);
        break;
      case J_PUSHI:
        // PUSH imm8 / imm32 (exec/map0.ts): the immediate sign-extended to 64 bits by the decoder.
        e.i64(s.imm).set(L_T2);
        emitPush(e, k, at);
        break;
      case F.POP:
        emitPop(e, k, at);
        e.get(L_T).setReg(s.reg); // POP RSP: the popped value wins
        break;
      case F.CALL: {
        const target = (next + s.imm) & M64;
        e.i64(next).set(L_T2);
        emitPush(e, k, at);
        goTo(k + 1, target);
        break;
      }
      case F.RET:
        emitPop(e, k, at, true);
        // Back to a call site of the region: stay; anywhere else: leave there.
        for (const site of returnSites) {
          const saved = e.fl;
          e.get(L_T).i64(site).op(OP.i64_eq);
          e.open(OP.if); goTo(k + 1, site); e.close();
          e.fl = saved;
        }
        e.exit(k + 1, "t", true);
        break;
      case F.JMP: case F.JCC: {
        const target = (next + s.imm) & M64;
        if (f === F.JMP) { goTo(k + 1, target); break; }
        emitCond(e, s.op & 15);
        const saved = e.fl;
        e.open(OP.if); goTo(k + 1, target); e.close();
        e.fl = saved;
        break;
      }
      default:
        throw new Error(`jit: form ${f} accepted but not compiled`);
    }
  }
}
