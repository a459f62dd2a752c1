// The instruction table: one row per x86-64 instruction form the core decodes,
// with every fact about it that more than one part of skytrace needs. It is the
// single source for
//   - the decoder's operand shapes (assembly/decoder/decode.ts: ModRM? which immediate?), its
//     prefix rules (which byte is which prefix) and which /digits and forms exist (others are #UD),
//   - which forms LOCK may prefix (assembly/exec/dispatch.ts),
//   - which instructions end a decoded trace (assembly/decoder/trace.ts),
//   - the fast forms the run loop takes without the generic dispatch
//     (assembly/decoder/classify.ts, assembly/exec/fast.ts),
//   - which forms push or pop (a non-canonical stack address is #SS: assembly/exec/stackfault.ts),
//   - the arithmetic flags each form reads, writes and leaves undefined, with the
//     value the core gives an undefined flag (docs/cpu-model.md), for the test
//     generators (test/cpu/gen/flagdefs.ts, gen/rows.ts) and the JIT's flag liveness
//     (src/machine/jit/table-facts.ts; the JIT also takes FAST and `ends` from here),
//   - a mnemonic for reports.
// scripts/gen-insn-table.mjs compiles the first five into
// assembly/decoder/insns.ts (compiled-in tables: the decoder never calls the
// host); test/cpu/insn-table.test.ts fails when that file is stale, and checks
// every row's flags against the interpreter (and the host CPU).
// What an instruction *does* stays with its executor (exec/map0.ts, map1.ts,
// sse/, x87/); the SIMD forms' own facts are sse/table.ts's rows, which this
// table reads for their mnemonics and flags.
//
// Plain TypeScript with no imports but sse/table.ts's text, so the build
// script can load it before anything is compiled.
import { SIMD_TABLE } from "../../assembly/sse/table.js";

// ---------------------------------------------------------------- shapes
// One letter per opcode, as the decoder needs it:
//   .  nothing            m  ModRM               x  invalid in 64-bit mode (#UD)
//   b  imm8               B  ModRM + imm8        w  imm16
//   z  imm16/32 (by 66; a near branch's rel16/rel32) Z  ModRM + imm16/32
//   v  imm16/32/64 (MOV r, imm)                  e  imm16 + imm8 (ENTER)
//   o  moffs (8 bytes, 4 with 67)                g  ModRM + imm only for /0 and /1 (F6 b, F7 z)
//   p  a prefix (consumed before the opcode; never looked up)
export type Shape = "." | "m" | "x" | "b" | "B" | "w" | "z" | "Z" | "v" | "e" | "o" | "g" | "p";
export const SHAPES = ".mxbBwzZvegop";

// ---------------------------------------------------------------- flags
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
const FLAG_BITS: Record<string, number> = { CF, PF, AF, ZF, SF, OF };
export const flagNames = (bits: number): string =>
  Object.entries(FLAG_BITS).filter(([, b]) => bits & b).map(([n]) => n).join(" ");
const bitsOf = (names: string): number => names.split(/\s+/).filter(Boolean).reduce((m, n) => {
  if (!(n in FLAG_BITS)) throw new Error(`insn table: no flag ${n}`);
  return m | FLAG_BITS[n];
}, 0);

// What the core puts in a flag the SDM leaves undefined (docs/cpu-model.md: as AMD hardware does):
// "keep" its old value, "0", "1", or "computed" from the operands (the executor's rule).
export type Policy = "keep" | "0" | "1" | "computed";
export interface FlagFacts {
  reads: number;                       // flags whose value the instruction uses
  writes: number;                      // flags it may set to a value the SDM defines
  undef: Partial<Record<string, Policy>>; // flags the SDM may leave undefined, and the core's value
  // "count": what is written depends on a shift count (a count of 0 changes nothing; rules in
  // test/cpu/gen/flagdefs.ts). "result": on the operands otherwise (a flag may be written or kept).
  by?: "count" | "result";
}
// Flags outside writes and undef keep their value.
const fl = (reads = "", writes = "", undef = "", by?: "count" | "result"): FlagFacts => {
  const u: Partial<Record<string, Policy>> = {};
  for (const item of undef.split(/\s+/).filter(Boolean)) {
    const [n, p] = item.split("=");
    bitsOf(n);
    u[n] = p as Policy;
  }
  return { reads: bitsOf(reads), writes: bitsOf(writes), undef: u, by };
};
export const undefBits = (f: FlagFacts): number => bitsOf(Object.keys(f.undef).join(" "));

export const NO_FLAGS = fl();
export const F_ALL = fl("", "CF PF AF ZF SF OF");            // ADD SUB CMP NEG: all defined
const F_CARRY = fl("CF", "CF PF AF ZF SF OF");              // ADC SBB
const F_LOGIC = fl("", "CF PF ZF SF OF", "AF=0");           // AND OR XOR TEST
const F_INCDEC = fl("", "PF AF ZF SF OF");                  // CF unaffected
const F_MUL = fl("", "CF OF", "SF=keep ZF=keep AF=keep PF=keep");
const F_DIV = fl("", "", "CF=keep OF=keep AF=1 SF=0 ZF=0 PF=0");
const F_BT = fl("", "CF", "OF=keep SF=keep AF=keep PF=keep");
const F_BSF = fl("", "ZF", "CF=0 OF=0 SF=0 AF=0 PF=computed");
const F_ROT = fl("", "CF OF", "OF=computed", "count");
const F_RCX = fl("CF", "CF OF", "OF=computed", "count");
const F_SHIFT = fl("", "CF PF ZF SF OF", "AF=1 OF=computed CF=computed", "count");
const F_SHIFT1 = fl("", "CF PF ZF SF OF", "AF=1");          // D0/D1: a count of 1
const F_ROT1 = fl("", "CF OF");
const F_RCX1 = fl("CF", "CF OF");
const F_SHxD = fl("", "CF PF ZF SF OF", "AF=1 OF=computed CF=computed PF=computed ZF=computed SF=computed", "count");
const F_SIMD = fl("", "CF PF AF ZF SF OF");                 // COMIS, PTEST, PCMPxSTRx, POPCNT (sse/table.ts attr f)
// Condition codes 0..15 (Jcc/SETcc/CMOVcc order): the flags each reads.
export const CC_READS = ["OF", "OF", "CF", "CF", "ZF", "ZF", "CF ZF", "CF ZF", "SF", "SF", "PF", "PF", "SF OF", "SF OF", "ZF SF OF", "ZF SF OF"];
const CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];

// ---------------------------------------------------------------- fast forms
// The run loop's fast forms (exec/fast.ts), by code. 0 = the generic dispatch.
export const FAST = {
  NONE: 0, MOV_RR_89: 1, MOV_RR_8B: 2, LOAD: 3, STORE: 4, MOV_RI: 5, TEST_RR: 10, JCC: 11, JMP: 12, LEA: 13,
  PUSH: 14, POP: 15, CALL: 16, RET: 17, MOVZX8: 18, MOVZX16: 19, NOP: 20, IMUL_RR: 21, MULDIV_R: 22,
  ALU_BLOCK: 23, ALU_RMI: 24, TEST: 25, SETCC: 26, CMOV: 27, MOVSXD: 28, MOVSX: 29, CDQE: 30, CQO: 31,
  SHIFT: 32, MOV_MI: 33, MOV8: 34, GROUP3: 35, GROUP5: 36,
  SD_ARITH: 40, MOVSD_LOAD: 41, MOVSD_STORE: 42, LOAD128: 43, STORE128: 44, PINT: 45, COMISD: 46, MOVQ_X: 47,
  CVTSI2SD: 48, CVTSD2SI: 49, IMUL_I: 50,
  PROBE: 63,   // not an instruction: a code probe's slot (decoder/probe.ts)
  ALU_OPS: 64, // + form * 8 + ALU op (/digit order, never ADC/SBB): the 32/64-bit ALU forms, one code each
} as const;
// What each fast form is (for the generated file's comments and docs).
export const FAST_DOC: Record<string, string> = {
  MOV_RR_89: "mov r/m(reg), reg", MOV_RR_8B: "mov reg, r/m(reg)", LOAD: "mov reg, [mem]", STORE: "mov [mem], reg",
  MOV_RI: "mov reg, imm (B8+r)", TEST_RR: "test r/m(reg), reg", JCC: "Jcc rel8/rel32", JMP: "JMP rel8/rel32",
  LEA: "lea without a segment override", PUSH: "push r64", POP: "pop r64", CALL: "call rel32", RET: "ret",
  MOVZX8: "movzx reg, r/m8", MOVZX16: "movzx reg, r/m16", NOP: "nop (90, 0F 1F)", IMUL_RR: "imul reg, r/m(reg)",
  MULDIV_R: "mul/imul/div/idiv r/m(reg) (F7 /4../7)",
  ALU_BLOCK: "00-3F forms 0..5 not ALU_OPS (byte forms, memory destinations, ADC/SBB, AL/eAX imm)",
  ALU_RMI: "80/81/83 not ALU_OPS", TEST: "84, 85 with memory, A8, A9", SETCC: "0F 90-9F", CMOV: "0F 40-4F",
  MOVSXD: "63", MOVSX: "0F BE, 0F BF", CDQE: "98", CQO: "99", SHIFT: "C0 C1 D0 D1 D2 D3", MOV_MI: "C6 /0, C7 /0",
  MOV8: "88, 8A", GROUP3: "F6, F7 not MULDIV_R", GROUP5: "FF /0 /1 /2 /4 /6",
  SD_ARITH: "F2 0F 58 59 5C 5E: ADDSD MULSD SUBSD DIVSD", MOVSD_LOAD: "F2 0F 10", MOVSD_STORE: "F2 0F 11",
  LOAD128: "0F 10 / 66 0F 10, 0F 28 / 66 0F 28, 66 0F 6F, F3 0F 6F", STORE128: "0F 11 / 66 0F 11, 0F 29 / 66 0F 29, 66 0F 7F, F3 0F 7F",
  PINT: "66 0F EF PXOR, D4 PADDQ, FB PSUBQ, EB POR, DB PAND", COMISD: "66 0F 2E / 2F", MOVQ_X: "66 0F 6E / 66 0F 7E",
  CVTSI2SD: "F2 0F 2A", CVTSD2SI: "F2 0F 2C / 2D", IMUL_I: "69, 6B: imul reg, r/m, imm",
  PROBE: "a code probe's slot (decoder/probe.ts), not an instruction",
  ALU_OPS: "32/64-bit ALU forms: + form * 8 + op; form 0 = alu r/m(reg), reg; 1 = alu reg, r/m(reg); 2 = alu reg, [mem]; 3 = alu r/m(reg), imm (81/83)",
};
export type FastName = keyof typeof FAST;

// ---------------------------------------------------------------- rows
export interface Row {
  op: number;            // map << 8 | opcode: map 0 one-byte, 1 = 0F, 2 = 0F 38, 3 = 0F 3A
  pf?: number;           // mandatory-prefix class the row is for: 0 none, 1 = 66, 2 = F2, 3 = F3 (F2/F3 win); absent: any
  ext?: number;          // ModRM.reg (/digit); absent: any
  form?: "reg" | "mem";  // ModRM.mod == 3, or a memory operand; absent: both
  mnemonic: string;
  shape: Shape;          // the opcode's; every row of an opcode has the same
  lock?: boolean;        // LOCK allowed (with a memory destination; #UD otherwise)
  ends?: boolean;        // ends a decoded trace (an unconditional transfer or an exit to the host)
  flags: FlagFacts;
  fast?: number;         // fast form, for prefix class `pf` (absent: 0) only
  fastIf?: "noseg" | "norexb"; // the fast form needs no FS/GS override / no REX.B
  rel?: boolean;         // the immediate is a branch displacement
  // pushes or pops (its implicit stack accesses go through SS, so a non-canonical one is #SS, not
  // #GP: exec/stackfault.ts); a memory operand based on RSP or RBP is an SS access too, by the decoder's fields
  stack?: boolean;
  // The row test (test/cpu/insn-table.test.ts): "core" runs it in the core only (the host's
  // result is not the core's by design: RDTSC, CPUID, POPF's TF), false not at all (it leaves
  // the test's sandbox: SYSCALL, x87 and SIMD forms, which their own suites cover).
  sample?: "core" | false;
  prefix?: Prefix;       // a legacy or REX prefix byte: what the decoder does with it
}
// The decoder's prefix rules (decoder/decode.ts): 66 operand size, 67 address size, F3/F2 (the last
// of the two wins), F0 LOCK, 64/65 the FS/GS base, 26/2E/36/3E null segments in 64-bit mode, and REX,
// which counts only right before the opcode.
export const PREFIXES = ["", "opsize", "addr32", "rep", "repne", "lock", "fs", "gs", "null-segment", "rex"] as const;
export type Prefix = Exclude<(typeof PREFIXES)[number], "">;
// An encoding no row fits (a /digit or a register/memory form the opcode does not have) is #UD:
// the decoder marks it invalid (decoder/insns.ts VALID), so no executor checks it again.

const rows: Row[] = [];
type Extra = Partial<Omit<Row, "op" | "mnemonic" | "shape" | "flags">>;
function row(op: number, mnemonic: string, shape: Shape, flags: FlagFacts = NO_FLAGS, extra: Extra = {}): void {
  rows.push({ op, mnemonic, shape, flags, ...extra });
}
function range(from: number, to: number, f: (op: number) => void): void { for (let op = from; op <= to; op++) f(op); }

// ---- one-byte map
const ALU = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];
const aluFlags = (alu: number): FlagFacts => alu === 2 || alu === 3 ? F_CARRY : alu === 1 || alu === 4 || alu === 6 ? F_LOGIC : F_ALL;
for (let alu = 0; alu < 8; alu++) {
  const b = alu * 8, m = ALU[alu], f = aluFlags(alu), carry = alu === 2 || alu === 3, lock = alu !== 7;
  const ops = (form: number): number => FAST.ALU_OPS + form * 8 + alu;
  row(b + 0, `${m} r/m8, r8`, "m", f, { lock, fast: FAST.ALU_BLOCK });
  row(b + 1, `${m} r/m, r`, "m", f, { lock, form: "reg", fast: carry ? FAST.ALU_BLOCK : ops(0) });
  row(b + 1, `${m} r/m, r`, "m", f, { lock, form: "mem", fast: FAST.ALU_BLOCK });
  row(b + 2, `${m} r8, r/m8`, "m", f, { fast: FAST.ALU_BLOCK });
  row(b + 3, `${m} r, r/m`, "m", f, { form: "reg", fast: carry ? FAST.ALU_BLOCK : ops(1) });
  row(b + 3, `${m} r, r/m`, "m", f, { form: "mem", fast: carry ? FAST.ALU_BLOCK : ops(2) });
  row(b + 4, `${m} al, imm8`, "b", f, { fast: FAST.ALU_BLOCK });
  row(b + 5, `${m} eax, imm`, "z", f, { fast: FAST.ALU_BLOCK });
}
for (const op of [0x06, 0x07, 0x0e, 0x16, 0x17, 0x1e, 0x1f, 0x27, 0x2f, 0x37, 0x3f, 0x60, 0x61, 0x62, 0x82, 0x9a, 0xc4, 0xc5, 0xce, 0xd4, 0xd5, 0xd6, 0xea])
  row(op, "(invalid in 64-bit mode)", "x", NO_FLAGS, { sample: "core" });
const PREFIX_BYTES: Array<[number, Prefix, string]> = [
  [0x26, "null-segment", "es"], [0x2e, "null-segment", "cs"], [0x36, "null-segment", "ss"], [0x3e, "null-segment", "ds"],
  [0x64, "fs", "fs"], [0x65, "gs", "gs"], [0x66, "opsize", "operand size"], [0x67, "addr32", "address size"],
  [0xf0, "lock", "lock"], [0xf2, "repne", "repne / F2"], [0xf3, "rep", "rep / F3"],
];
for (const [op, prefix, m] of PREFIX_BYTES) row(op, `(prefix: ${m})`, "p", NO_FLAGS, { sample: false, prefix });
row(0x0f, "(escape to the 0F map)", "p", NO_FLAGS, { sample: false });
range(0x40, 0x4f, (op) => row(op, "(REX prefix)", "p", NO_FLAGS, { sample: false, prefix: "rex" }));
range(0x50, 0x57, (op) => row(op, "push r", ".", NO_FLAGS, { fast: FAST.PUSH, stack: true }));
range(0x58, 0x5f, (op) => row(op, "pop r", ".", NO_FLAGS, { fast: FAST.POP, stack: true }));
row(0x63, "movsxd r, r/m32", "m", NO_FLAGS, { fast: FAST.MOVSXD });
row(0x68, "push imm", "z", NO_FLAGS, { stack: true });
row(0x69, "imul r, r/m, imm", "Z", F_MUL, { fast: FAST.IMUL_I });
row(0x6a, "push imm8", "b", NO_FLAGS, { stack: true });
row(0x6b, "imul r, r/m, imm8", "B", F_MUL, { fast: FAST.IMUL_I });
row(0x6c, "insb", "."); row(0x6d, "ins", "."); row(0x6e, "outsb", "."); row(0x6f, "outs", ".");
range(0x70, 0x7f, (op) => row(op, `j${CC[op & 15]} rel8`, "b", fl(CC_READS[op & 15]), { fast: FAST.JCC, rel: true }));
for (let e = 0; e < 8; e++) {
  const f = aluFlags(e), lock = e !== 7, carry = e === 2 || e === 3;
  row(0x80, `${ALU[e]} r/m8, imm8`, "B", f, { ext: e, lock, fast: FAST.ALU_RMI });
  for (const op of [0x81, 0x83]) {
    const imm = op === 0x81 ? "imm" : "imm8", shape = op === 0x81 ? "Z" : "B";
    row(op, `${ALU[e]} r/m, ${imm}`, shape, f, { ext: e, lock, form: "reg", fast: carry ? FAST.ALU_RMI : FAST.ALU_OPS + 24 + e });
    row(op, `${ALU[e]} r/m, ${imm}`, shape, f, { ext: e, lock, form: "mem", fast: FAST.ALU_RMI });
  }
}
row(0x84, "test r/m8, r8", "m", F_LOGIC, { fast: FAST.TEST });
row(0x85, "test r/m, r", "m", F_LOGIC, { form: "reg", fast: FAST.TEST_RR });
row(0x85, "test r/m, r", "m", F_LOGIC, { form: "mem", fast: FAST.TEST });
row(0x86, "xchg r/m8, r8", "m", NO_FLAGS, { lock: true });
row(0x87, "xchg r/m, r", "m", NO_FLAGS, { lock: true });
row(0x88, "mov r/m8, r8", "m", NO_FLAGS, { fast: FAST.MOV8 });
row(0x89, "mov r/m, r", "m", NO_FLAGS, { form: "reg", fast: FAST.MOV_RR_89 });
row(0x89, "mov r/m, r", "m", NO_FLAGS, { form: "mem", fast: FAST.STORE });
row(0x8a, "mov r8, r/m8", "m", NO_FLAGS, { fast: FAST.MOV8 });
row(0x8b, "mov r, r/m", "m", NO_FLAGS, { form: "reg", fast: FAST.MOV_RR_8B });
row(0x8b, "mov r, r/m", "m", NO_FLAGS, { form: "mem", fast: FAST.LOAD });
for (let e = 0; e < 6; e++) row(0x8c, `mov r/m, ${["es", "cs", "ss", "ds", "fs", "gs"][e]}`, "m", NO_FLAGS, { ext: e });
row(0x8d, "lea r, m", "m", NO_FLAGS, { form: "mem", fast: FAST.LEA, fastIf: "noseg" });
row(0x8e, "mov sreg, r/m (not implemented)", "m", NO_FLAGS, { sample: false });
row(0x8f, "pop r/m", "m", NO_FLAGS, { ext: 0, stack: true });
row(0x90, "nop / xchg r8, rax (REX.B)", ".", NO_FLAGS, { fast: FAST.NOP, fastIf: "norexb" });
range(0x91, 0x97, (op) => row(op, "xchg r, rax", "."));
row(0x98, "cbw / cwde / cdqe", ".", NO_FLAGS, { fast: FAST.CDQE });
row(0x99, "cwd / cdq / cqo", ".", NO_FLAGS, { fast: FAST.CQO });
row(0x9b, "fwait", ".", NO_FLAGS, { sample: false });
row(0x9c, "pushf", ".", fl("CF PF AF ZF SF OF"), { stack: true });
row(0x9d, "popf", ".", fl("", "CF PF AF ZF SF OF"), { sample: "core", stack: true });
row(0x9e, "sahf", ".", fl("", "CF PF AF ZF SF"));
row(0x9f, "lahf", ".", fl("CF PF AF ZF SF"));
row(0xa0, "mov al, moffs", "o"); row(0xa1, "mov eax, moffs", "o"); row(0xa2, "mov moffs, al", "o"); row(0xa3, "mov moffs, eax", "o");
row(0xa4, "movsb", "."); row(0xa5, "movs", ".");
row(0xa6, "cmpsb", ".", fl("", "CF PF AF ZF SF OF", "", "result")); row(0xa7, "cmps", ".", fl("", "CF PF AF ZF SF OF", "", "result"));
row(0xa8, "test al, imm8", "b", F_LOGIC, { fast: FAST.TEST });
row(0xa9, "test eax, imm", "z", F_LOGIC, { fast: FAST.TEST });
row(0xaa, "stosb", "."); row(0xab, "stos", "."); row(0xac, "lodsb", "."); row(0xad, "lods", ".");
row(0xae, "scasb", ".", fl("", "CF PF AF ZF SF OF", "", "result")); row(0xaf, "scas", ".", fl("", "CF PF AF ZF SF OF", "", "result"));
range(0xb0, 0xb7, (op) => row(op, "mov r8, imm8", "b"));
range(0xb8, 0xbf, (op) => row(op, "mov r, imm", "v", NO_FLAGS, { fast: FAST.MOV_RI }));
const SH = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"];
const shiftFlags = (e: number, one: boolean): FlagFacts =>
  e < 2 ? (one ? F_ROT1 : F_ROT) : e < 4 ? (one ? F_RCX1 : F_RCX) : one ? F_SHIFT1 : F_SHIFT;
for (let e = 0; e < 8; e++) {
  row(0xc0, `${SH[e]} r/m8, imm8`, "B", shiftFlags(e, false), { ext: e, fast: FAST.SHIFT });
  row(0xc1, `${SH[e]} r/m, imm8`, "B", shiftFlags(e, false), { ext: e, fast: FAST.SHIFT });
  row(0xd0, `${SH[e]} r/m8, 1`, "m", shiftFlags(e, true), { ext: e, fast: FAST.SHIFT });
  row(0xd1, `${SH[e]} r/m, 1`, "m", shiftFlags(e, true), { ext: e, fast: FAST.SHIFT });
  row(0xd2, `${SH[e]} r/m8, cl`, "m", shiftFlags(e, false), { ext: e, fast: FAST.SHIFT });
  row(0xd3, `${SH[e]} r/m, cl`, "m", shiftFlags(e, false), { ext: e, fast: FAST.SHIFT });
}
row(0xc2, "ret imm16", "w", NO_FLAGS, { ends: true, stack: true });
row(0xc3, "ret", ".", NO_FLAGS, { ends: true, fast: FAST.RET, stack: true });
row(0xc6, "mov r/m8, imm8", "B", NO_FLAGS, { ext: 0, fast: FAST.MOV_MI });
row(0xc7, "mov r/m, imm", "Z", NO_FLAGS, { ext: 0, fast: FAST.MOV_MI });
row(0xc8, "enter imm16, imm8", "e", NO_FLAGS, { stack: true });
row(0xc9, "leave", ".", NO_FLAGS, { stack: true });
row(0xca, "retf imm16", "w", NO_FLAGS, { ends: true, sample: false, stack: true });
row(0xcb, "retf", ".", NO_FLAGS, { ends: true, sample: false, stack: true });
row(0xcc, "int3", ".", NO_FLAGS, { ends: true });
row(0xcd, "int imm8", "b", NO_FLAGS, { ends: true, sample: false });
row(0xcf, "iret", ".", fl("", "CF PF AF ZF SF OF"), { ends: true, sample: false, stack: true });
row(0xd7, "xlat", ".");
// x87 (x87/): the condition codes are its own; only FCMOVcc and FCOMI/FUCOMI touch RFLAGS.
range(0xd8, 0xdf, (op) => row(op, "x87 escape (x87/)", "m", NO_FLAGS, { sample: false }));
const FCMOV = ["b", "e", "be", "u"], FCMOV_READS = ["CF", "ZF", "CF ZF", "PF"];
for (let e = 0; e < 4; e++) {
  row(0xda, `fcmov${FCMOV[e]} st0, st(i)`, "m", fl(FCMOV_READS[e]), { ext: e, form: "reg", sample: false });
  row(0xdb, `fcmovn${FCMOV[e]} st0, st(i)`, "m", fl(FCMOV_READS[e]), { ext: e, form: "reg", sample: false });
}
row(0xdb, "fucomi st0, st(i)", "m", F_SIMD, { ext: 5, form: "reg", sample: false });
row(0xdb, "fcomi st0, st(i)", "m", F_SIMD, { ext: 6, form: "reg", sample: false });
row(0xdf, "fucomip st0, st(i)", "m", F_SIMD, { ext: 5, form: "reg", sample: false });
row(0xdf, "fcomip st0, st(i)", "m", F_SIMD, { ext: 6, form: "reg", sample: false });
row(0xe0, "loopne rel8", "b", fl("ZF"), { rel: true }); row(0xe1, "loope rel8", "b", fl("ZF"), { rel: true });
row(0xe2, "loop rel8", "b", NO_FLAGS, { rel: true }); row(0xe3, "jrcxz rel8", "b", NO_FLAGS, { rel: true });
row(0xe4, "in al, imm8", "b"); row(0xe5, "in eax, imm8", "b"); row(0xe6, "out imm8, al", "b"); row(0xe7, "out imm8, eax", "b");
row(0xe8, "call rel32 (rel16 with 66)", "z", NO_FLAGS, { ends: true, fast: FAST.CALL, rel: true, stack: true });
row(0xe9, "jmp rel32 (rel16 with 66)", "z", NO_FLAGS, { ends: true, fast: FAST.JMP, rel: true });
row(0xeb, "jmp rel8", "b", NO_FLAGS, { ends: true, fast: FAST.JMP, rel: true });
row(0xec, "in al, dx", "."); row(0xed, "in eax, dx", "."); row(0xee, "out dx, al", "."); row(0xef, "out dx, eax", ".");
row(0xf1, "int1", ".", NO_FLAGS, { ends: true });
row(0xf4, "hlt", ".", NO_FLAGS, { ends: true });
row(0xf5, "cmc", ".", fl("CF", "CF"));
const G3 = ["test", "test", "not", "neg", "mul", "imul", "div", "idiv"];
const g3Flags = (e: number): FlagFacts => e < 2 ? F_LOGIC : e === 2 ? NO_FLAGS : e === 3 ? F_ALL : e < 6 ? F_MUL : F_DIV;
for (let e = 0; e < 8; e++) {
  const lock = e === 2 || e === 3, arg = e < 2 ? ", imm" : "";
  row(0xf6, `${G3[e]} r/m8${e < 2 ? ", imm8" : ""}`, "g", g3Flags(e), { ext: e, lock, fast: FAST.GROUP3 });
  if (e < 4) row(0xf7, `${G3[e]} r/m${arg}`, "g", g3Flags(e), { ext: e, lock, fast: FAST.GROUP3 });
  else {
    row(0xf7, `${G3[e]} r/m`, "g", g3Flags(e), { ext: e, form: "reg", fast: FAST.MULDIV_R });
    row(0xf7, `${G3[e]} r/m`, "g", g3Flags(e), { ext: e, form: "mem", fast: FAST.GROUP3 });
  }
}
row(0xf8, "clc", ".", fl("", "CF")); row(0xf9, "stc", ".", fl("", "CF"));
row(0xfa, "cli", "."); row(0xfb, "sti", "."); row(0xfc, "cld", "."); row(0xfd, "std", ".");
row(0xfe, "inc r/m8", "m", F_INCDEC, { ext: 0, lock: true }); row(0xfe, "dec r/m8", "m", F_INCDEC, { ext: 1, lock: true });
row(0xff, "inc r/m", "m", F_INCDEC, { ext: 0, lock: true, fast: FAST.GROUP5 });
row(0xff, "dec r/m", "m", F_INCDEC, { ext: 1, lock: true, fast: FAST.GROUP5 });
row(0xff, "call r/m64", "m", NO_FLAGS, { ext: 2, ends: true, fast: FAST.GROUP5, stack: true });
row(0xff, "call far m (not implemented)", "m", NO_FLAGS, { ext: 3, form: "mem", ends: true, sample: false, stack: true });
row(0xff, "jmp r/m64", "m", NO_FLAGS, { ext: 4, ends: true, fast: FAST.GROUP5 });
row(0xff, "jmp far m (not implemented)", "m", NO_FLAGS, { ext: 5, form: "mem", ends: true, sample: false });
row(0xff, "push r/m", "m", NO_FLAGS, { ext: 6, fast: FAST.GROUP5, stack: true });

// ---- 0F map (integer and system forms; the SIMD forms come from sse/table.ts below)
const M1 = 0x100;
row(M1 | 0x00, "group 6: sldt str lldt ltr verr verw (not implemented)", "m", NO_FLAGS, { sample: false });
row(M1 | 0x01, "group 7: rdtscp; sgdt sidt smsw (not implemented); others #GP/#UD", "m", NO_FLAGS, { sample: "core" });
row(M1 | 0x02, "lar (not implemented)", "m", NO_FLAGS, { sample: false });
row(M1 | 0x03, "lsl (not implemented)", "m", NO_FLAGS, { sample: false });
for (const op of [0x04, 0x06, 0x0a, 0x0c, 0x0e, 0x0f, 0x24, 0x25, 0x26, 0x27, 0x36, 0x37, 0x39, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x7a, 0x7b, 0xa6, 0xa7])
  row(M1 | op, "(invalid)", "x", NO_FLAGS, { sample: "core" });
row(M1 | 0x05, "syscall", ".", fl("CF PF AF ZF SF OF"), { ends: true, sample: false });
row(M1 | 0x07, "sysret", ".", NO_FLAGS, { ends: true, sample: "core" });
row(M1 | 0x08, "invd", "."); row(M1 | 0x09, "wbinvd", ".");
row(M1 | 0x0b, "ud2", ".", NO_FLAGS, { ends: true });
row(M1 | 0x0d, "prefetch / prefetchw (hint; a register operand has no row: #UD, as on AMD)", "m", NO_FLAGS, { form: "mem" });
range(M1 | 0x18, M1 | 0x1e, (op) => row(op, "prefetch / reserved nop (hint)", "m"));
row(M1 | 0x1f, "nop r/m", "m", NO_FLAGS, { fast: FAST.NOP });
// MOV CRn/DRn at CPL 3 (ModRM.mod is ignored: always a register): #GP for CR0 CR2 CR3 CR4 CR8 and DR0-DR7,
// #UD for the registers that do not exist (exec/map1.ts).
range(M1 | 0x20, M1 | 0x23, (op) => row(op, "mov cr/dr (privileged: #GP; a CR or DR that does not exist: #UD)", "m"));
row(M1 | 0x30, "wrmsr", "."); row(M1 | 0x31, "rdtsc", ".", NO_FLAGS, { sample: "core" });
row(M1 | 0x32, "rdmsr", "."); row(M1 | 0x33, "rdpmc", "."); row(M1 | 0x34, "sysenter", "."); row(M1 | 0x35, "sysexit", ".");
row(M1 | 0x38, "(escape to the 0F 38 map)", "p", NO_FLAGS, { sample: false });
row(M1 | 0x3a, "(escape to the 0F 3A map)", "p", NO_FLAGS, { sample: false });
range(M1 | 0x40, M1 | 0x4f, (op) => row(op, `cmov${CC[op & 15]} r, r/m`, "m", fl(CC_READS[op & 15]), { fast: FAST.CMOV }));
range(M1 | 0x80, M1 | 0x8f, (op) => row(op, `j${CC[op & 15]} rel32 (rel16 with 66)`, "z", fl(CC_READS[op & 15]), { fast: FAST.JCC, rel: true }));
range(M1 | 0x90, M1 | 0x9f, (op) => row(op, `set${CC[op & 15]} r/m8`, "m", fl(CC_READS[op & 15]), { fast: FAST.SETCC }));
row(M1 | 0xa0, "push fs", ".", NO_FLAGS, { stack: true }); row(M1 | 0xa1, "pop fs (not implemented)", ".", NO_FLAGS, { sample: false, stack: true });
row(M1 | 0xa2, "cpuid", ".", NO_FLAGS, { sample: "core" });
row(M1 | 0xa3, "bt r/m, r", "m", F_BT);
row(M1 | 0xa4, "shld r/m, r, imm8", "B", F_SHxD); row(M1 | 0xa5, "shld r/m, r, cl", "m", F_SHxD);
row(M1 | 0xa8, "push gs", ".", NO_FLAGS, { stack: true }); row(M1 | 0xa9, "pop gs (not implemented)", ".", NO_FLAGS, { sample: false, stack: true });
row(M1 | 0xaa, "rsm", ".");
row(M1 | 0xab, "bts r/m, r", "m", F_BT, { lock: true });
row(M1 | 0xac, "shrd r/m, r, imm8", "B", F_SHxD); row(M1 | 0xad, "shrd r/m, r, cl", "m", F_SHxD);
row(M1 | 0xaf, "imul r, r/m", "m", F_MUL, { form: "reg", fast: FAST.IMUL_RR });
row(M1 | 0xaf, "imul r, r/m", "m", F_MUL, { form: "mem" });
row(M1 | 0xb0, "cmpxchg r/m8, r8", "m", F_ALL, { lock: true }); row(M1 | 0xb1, "cmpxchg r/m, r", "m", F_ALL, { lock: true });
row(M1 | 0xb2, "lss (not implemented)", "m", NO_FLAGS, { sample: false });
row(M1 | 0xb3, "btr r/m, r", "m", F_BT, { lock: true });
row(M1 | 0xb4, "lfs (not implemented)", "m", NO_FLAGS, { sample: false }); row(M1 | 0xb5, "lgs (not implemented)", "m", NO_FLAGS, { sample: false });
row(M1 | 0xb6, "movzx r, r/m8", "m", NO_FLAGS, { fast: FAST.MOVZX8 }); row(M1 | 0xb7, "movzx r, r/m16", "m", NO_FLAGS, { fast: FAST.MOVZX16 });
row(M1 | 0xb9, "ud1", "m");
for (let e = 0; e < 8; e++) {
  if (e >= 4) row(M1 | 0xba, `${["bt", "bts", "btr", "btc"][e - 4]} r/m, imm8`, "B", F_BT, { ext: e, lock: e >= 5 });
}
row(M1 | 0xbb, "btc r/m, r", "m", F_BT, { lock: true });
row(M1 | 0xbc, "bsf r, r/m (F3: tzcnt, not advertised: bsf)", "m", F_BSF);
row(M1 | 0xbd, "bsr r, r/m (F3: lzcnt, not advertised: bsr)", "m", F_BSF);
row(M1 | 0xbe, "movsx r, r/m8", "m", NO_FLAGS, { fast: FAST.MOVSX }); row(M1 | 0xbf, "movsx r, r/m16", "m", NO_FLAGS, { fast: FAST.MOVSX });
row(M1 | 0xc0, "xadd r/m8, r8", "m", F_ALL, { lock: true }); row(M1 | 0xc1, "xadd r/m, r", "m", F_ALL, { lock: true });
row(M1 | 0xc7, "cmpxchg8b/16b m", "m", fl("", "ZF"), { ext: 1, form: "mem", lock: true });
range(M1 | 0xc8, M1 | 0xcf, (op) => row(op, "bswap r", "."));
row(M1 | 0xff, "ud0", "m");

// The SIMD forms: their shapes here, everything else in sse/table.ts's rows (read below).
const SIMD_SHAPE: Array<[number, number, Shape]> = [
  [0x10, 0x17, "m"], [0x28, 0x2f, "m"], [0x50, 0x6f, "m"], [0x70, 0x73, "B"], [0x74, 0x76, "m"], [0x77, 0x77, "."],
  [0x78, 0x79, "m"], [0x7c, 0x7f, "m"], [0xae, 0xae, "m"], [0xb8, 0xb8, "m"], [0xc2, 0xc2, "B"], [0xc3, 0xc3, "m"],
  [0xc4, 0xc6, "B"], [0xd0, 0xfe, "m"],
];
const FAST_SIMD: Array<[number, number, number]> = [ // [op, pf, fast form]
  [0x158, 2, FAST.SD_ARITH], [0x159, 2, FAST.SD_ARITH], [0x15c, 2, FAST.SD_ARITH], [0x15e, 2, FAST.SD_ARITH],
  [0x110, 2, FAST.MOVSD_LOAD], [0x110, 0, FAST.LOAD128], [0x110, 1, FAST.LOAD128],
  [0x111, 2, FAST.MOVSD_STORE], [0x111, 0, FAST.STORE128], [0x111, 1, FAST.STORE128],
  [0x128, 0, FAST.LOAD128], [0x128, 1, FAST.LOAD128], [0x129, 0, FAST.STORE128], [0x129, 1, FAST.STORE128],
  [0x16f, 1, FAST.LOAD128], [0x16f, 3, FAST.LOAD128], [0x17f, 1, FAST.STORE128], [0x17f, 3, FAST.STORE128],
  [0x1ef, 1, FAST.PINT], [0x1d4, 1, FAST.PINT], [0x1fb, 1, FAST.PINT], [0x1eb, 1, FAST.PINT], [0x1db, 1, FAST.PINT],
  [0x12e, 1, FAST.COMISD], [0x12f, 1, FAST.COMISD], [0x16e, 1, FAST.MOVQ_X], [0x17e, 1, FAST.MOVQ_X],
  [0x12a, 2, FAST.CVTSI2SD], [0x12c, 2, FAST.CVTSD2SI], [0x12d, 2, FAST.CVTSD2SI],
];
const MAP_OF: Record<string, number> = { "0F": 1, "0F38": 2, "0F3A": 3 };
const PF_OF: Record<string, number> = { "--": 0, "66": 1, "F2": 2, "F3": 3 };
const simdShape = (op: number): Shape => {
  if (op >> 8 === 2) return "m";
  if (op >> 8 === 3) return "B";
  const s = SIMD_SHAPE.find(([a, b]) => (op & 0xff) >= a && (op & 0xff) <= b);
  if (!s) throw new Error(`insn table: no shape for SIMD opcode ${op.toString(16)}`);
  return s[2];
};
// The 0F 38 / 0F 3A opcodes no SIMD row names: ModRM (+ imm8), #UD when run.
for (let map = 2; map <= 3; map++) range(0, 0xff, (b) => row(map << 8 | b, "(no such SIMD form: #UD)", map === 2 ? "m" : "B", NO_FLAGS, { sample: false }));
for (const [a, b] of SIMD_SHAPE) range(M1 | a, M1 | b, (op) => {
  if (!rows.some((r) => r.op === op)) row(op, "(no such SIMD form: #UD)", simdShape(op), NO_FLAGS, { sample: false });
});
{
  const seen = new Set<string>();
  for (const line of SIMD_TABLE.split("\n")) {
    const c = line.trim().split(/\s+/);
    if (c.length < 8 || !(c[0] in PF_OF)) continue;
    const op = (MAP_OF[c[1]] << 8) | parseInt(c[2], 16), pf = PF_OF[c[0]];
    const ext = c[3] === "-" ? undefined : Number(c[3].slice(1));
    const key = `${op}/${pf}/${ext}`;
    const flags = c[7].includes("f") ? F_SIMD : NO_FLAGS;
    if (seen.has(key)) {
      // a second row of one encoding (a register and a memory form): one mnemonic here
      const r = rows.find((x) => x.op === op && x.pf === pf && x.ext === ext)!;
      if (!r.mnemonic.split(" / ").includes(c[4])) r.mnemonic += ` / ${c[4]}`;
      if (r.flags !== flags) throw new Error(`insn table: ${key}: SIMD rows disagree on flags`);
      continue;
    }
    seen.add(key);
    const fast = FAST_SIMD.find(([o, p]) => o === op && p === pf)?.[2];
    row(op, c[4], simdShape(op), flags, { pf, ext, fast, sample: false });
  }
  for (const [o, p] of FAST_SIMD) if (!rows.some((r) => r.op === o && r.pf === p && r.fast)) throw new Error(`insn table: fast SIMD form ${o.toString(16)}/${p} has no row`);
}

export const ROWS: readonly Row[] = rows;

// ---------------------------------------------------------------- lookups
const byOp = new Map<number, Row[]>();
for (const r of rows) { const l = byOp.get(r.op) ?? []; l.push(r); byOp.set(r.op, l); }

/** The opcode's shape letter ("x" where no row names it). */
export function shapeOf(op: number): Shape {
  const l = byOp.get(op);
  if (!l) return "x";
  for (const r of l) if (r.shape !== l[0].shape) throw new Error(`insn table: rows of ${op.toString(16)} disagree on the shape`);
  return l[0].shape;
}

/** The most specific row for an encoding: opcode, prefix class (0..3), memory operand or not, ModRM.reg. */
export function rowFor(op: number, pf: number, mem: boolean, ext: number): Row | undefined {
  let best: Row | undefined, bestScore = -1, tie = false;
  for (const r of byOp.get(op) ?? []) {
    if (r.pf !== undefined && r.pf !== pf) continue;
    if (r.ext !== undefined && r.ext !== ext) continue;
    if (r.form !== undefined && (r.form === "mem") !== mem) continue;
    const score = (r.pf !== undefined ? 4 : 0) + (r.ext !== undefined ? 2 : 0) + (r.form !== undefined ? 1 : 0);
    if (score > bestScore) { best = r; bestScore = score; tie = false; } else if (score === bestScore) tie = true;
  }
  if (tie) throw new Error(`insn table: two rows fit ${op.toString(16)} pf ${pf} ${mem ? "mem" : "reg"} /${ext}`);
  return best;
}

/** The fast form of an encoding (0: the generic dispatch), before fastIf's conditions. */
export function fastOf(op: number, pf: number, mem: boolean, ext: number): number {
  const r = rowFor(op, pf, mem, ext);
  return r?.fast !== undefined && (r.pf ?? 0) === pf ? r.fast : 0;
}
