// Case generators for SSE/SSE2: every implemented opcode x its prefix forms x
// register and memory operands, with special FP values and random MXCSR
// (rounding modes, FTZ/DAZ, flags). Each case is one instruction followed by
// the INT3 end marker; memory operands are [rbx+disp] in the data block.
import { Rng } from "../../cpu/gen/rng.js";
import { Case } from "../../cpu/harness.js";
import { encode, Insn, Operand } from "../../cpu/gen/encode.js";
import { stdRegs, stdBlock, RBX, MEM_BASE } from "../../cpu/gen/state.js";
import { BLOCK_VA } from "../../cpu/harness.js";
import { lanes, mxcsr, f64, f32 } from "./fpvalues.js";

type Kind = "ps" | "pd" | "int";
const PFX: Record<string, number[]> = { none: [], "66": [0x66], f3: [0xf3], f2: [0xf2] };
const kindOf = (pfx: string): Kind => (pfx === "66" || pfx === "f2" ? "pd" : "ps");

export interface OpSpec {
  name: string;
  pfx: string;          // none | 66 | f3 | f2
  op: number[];         // opcode bytes after 0F
  kind: Kind;           // lane contents for the inputs
  mem?: "none" | "only" | "both"; // r/m forms to generate (default both)
  imm?: () => number;   // imm8 generator
  regIsGpr?: boolean;   // ModRM.reg is a GPR (CVTSD2SI, MOVMSKPS, PEXTRW...)
  rmIsGpr?: boolean;    // ModRM.rm (register form) is a GPR (CVTSI2SD, MOVD xmm, r)
  w?: boolean | "both"; // REX.W
  ext?: number;         // fixed ModRM.reg (/digit)
  misalign?: boolean;   // also try misaligned memory (expect #GP for aligned forms)
}

function instr(rng: Rng, s: OpSpec): { insn: Insn; disp: number } {
  const memForm = s.mem === "only" ? true : s.mem === "none" ? false : rng.int(2) === 0;
  let disp = 16 * rng.int(8);
  if (s.misalign && rng.int(4) === 0) disp += 1 + rng.int(15);
  const reg = s.ext ?? (s.regIsGpr ? rng.pick([0, 1, 2, 5, 6, 7, 8, 9, 10, 13, 15]) : rng.int(16));
  const rmReg = s.rmIsGpr ? rng.pick([0, 1, 2, 5, 6, 7, 8, 11, 14]) : rng.int(16);
  const rm: Operand = memForm ? { base: RBX, disp } : { reg: rmReg };
  const w = s.w === "both" ? rng.int(2) === 0 : !!s.w;
  return { insn: { pfx: PFX[s.pfx], w, op: [0x0f, ...s.op], reg, rm, imm: s.imm ? [s.imm() & 0xff] : undefined }, disp };
}

export function sseCase(rng: Rng, s: OpSpec): Case {
  const { insn, disp } = instr(rng, s);
  const regs = stdRegs(rng);
  // GPR sources: mix of small ints, FP-convertible values and random bits.
  for (const r of [0, 1, 2, 5, 6, 7, 8, 11, 14]) {
    const k = rng.int(4);
    if (k === 0) regs[r] = BigInt.asUintN(64, BigInt(rng.int(2001) - 1000));
    else if (k === 1) regs[r] = rng.pick([0n, 1n << 63n, (1n << 63n) - 1n, 0x80000000n, 0x7fffffffn, 0xffffffffn, 1n << 53n, (1n << 53n) + 1n, 1n << 24n, (1n << 24n) + 1n]);
  }
  const block = stdBlock(rng);
  const memLanes = lanes(rng, s.kind);
  block.set(memLanes, Number(MEM_BASE) - BLOCK_VA + disp);
  const xmm = Array.from({ length: 16 }, () => lanes(rng, s.kind));
  return { name: s.name, code: encode(insn), regs, block, xmm, mxcsr: mxcsr(rng), rflags: rng.u64() & 0x8d5n };
}

const r8 = (rng: Rng) => () => rng.int(256);

// The SSE/SSE2 opcode table exercised by the differential tests.
export function sseSpecs(rng: Rng): OpSpec[] {
  const s: OpSpec[] = [];
  const fp4 = ["none", "66", "f3", "f2"];
  for (const [op, name] of [[0x58, "add"], [0x59, "mul"], [0x5c, "sub"], [0x5e, "div"], [0x5d, "min"], [0x5f, "max"], [0x51, "sqrt"]] as const) {
    for (const p of fp4) s.push({ name: `${name}-${p}`, pfx: p, op: [op], kind: kindOf(p), misalign: true });
  }
  for (const p of fp4) s.push({ name: `cmp-${p}`, pfx: p, op: [0xc2], kind: kindOf(p), imm: () => rng.int(8) });
  for (const p of ["none", "66"]) {
    s.push({ name: `ucomis-${p}`, pfx: p, op: [0x2e], kind: kindOf(p), misalign: true });
    s.push({ name: `comis-${p}`, pfx: p, op: [0x2f], kind: kindOf(p) });
    for (const op of [0x54, 0x55, 0x56, 0x57, 0x14, 0x15]) s.push({ name: `logic/unpck-${op.toString(16)}-${p}`, pfx: p, op: [op], kind: "int", misalign: true });
    s.push({ name: `shufp-${p}`, pfx: p, op: [0xc6], kind: "int", imm: r8(rng) });
    s.push({ name: `movmsk-${p}`, pfx: p, op: [0x50], kind: kindOf(p), mem: "none", regIsGpr: true });
    s.push({ name: `movlhp-${p}`, pfx: p, op: [0x12], kind: "int", mem: p === "66" ? "only" : "both" });
    s.push({ name: `movhp-${p}`, pfx: p, op: [0x16], kind: "int", mem: p === "66" ? "only" : "both" });
    s.push({ name: `movlp-st-${p}`, pfx: p, op: [0x13], kind: "int", mem: "only" });
    s.push({ name: `movhp-st-${p}`, pfx: p, op: [0x17], kind: "int", mem: "only" });
    s.push({ name: `movap-${p}`, pfx: p, op: [0x28], kind: "int", misalign: true });
    s.push({ name: `movap-st-${p}`, pfx: p, op: [0x29], kind: "int", misalign: true });
    s.push({ name: `movntp-${p}`, pfx: p, op: [0x2b], kind: "int", mem: "only", misalign: true });
  }
  for (const p of fp4) {
    s.push({ name: `movu-${p}`, pfx: p, op: [0x10], kind: "int", misalign: true });
    s.push({ name: `movu-st-${p}`, pfx: p, op: [0x11], kind: "int", misalign: true });
    s.push({ name: `cvt5a-${p}`, pfx: p, op: [0x5a], kind: p === "none" || p === "f3" ? "ps" : "pd" });
  }
  for (const p of ["none", "66", "f3"]) s.push({ name: `cvt5b-${p}`, pfx: p, op: [0x5b], kind: p === "none" ? "int" : "ps" });
  for (const p of ["66", "f3", "f2"]) s.push({ name: `cvte6-${p}`, pfx: p, op: [0xe6], kind: p === "f3" ? "int" : "pd" });
  for (const p of ["f3", "f2"]) {
    s.push({ name: `cvtsi2s-${p}`, pfx: p, op: [0x2a], kind: kindOf(p), rmIsGpr: true, w: "both" });
    s.push({ name: `cvtts2si-${p}`, pfx: p, op: [0x2c], kind: kindOf(p), regIsGpr: true, w: "both" });
    s.push({ name: `cvts2si-${p}`, pfx: p, op: [0x2d], kind: kindOf(p), regIsGpr: true, w: "both" });
  }
  // Packed integer (66 prefix).
  const pint = [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x74, 0x75, 0x76,
    0xd1, 0xd2, 0xd3, 0xd4, 0xd5, 0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xe1, 0xe2, 0xe3, 0xe4, 0xe5,
    0xe8, 0xe9, 0xea, 0xeb, 0xec, 0xed, 0xee, 0xef, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe];
  for (const op of pint) s.push({ name: `pint-${op.toString(16)}`, pfx: "66", op: [op], kind: "int", misalign: op === 0xfe || op === 0x74 });
  for (const op of [0x71, 0x72, 0x73]) for (const ext of op === 0x73 ? [2, 3, 6, 7] : [2, 4, 6]) {
    s.push({ name: `pshift-imm-${op.toString(16)}/${ext}`, pfx: "66", op: [op], kind: "int", mem: "none", ext, imm: () => rng.pick([0, 1, 3, 7, 8, 15, 16, 31, 32, 63, 64, 200, rng.int(256)]) });
  }
  for (const p of ["66", "f3", "f2"]) s.push({ name: `pshuf-${p}`, pfx: p, op: [0x70], kind: "int", imm: r8(rng) });
  s.push({ name: "movd-to-xmm", pfx: "66", op: [0x6e], kind: "int", rmIsGpr: true, w: "both" });
  s.push({ name: "movd-from-xmm", pfx: "66", op: [0x7e], kind: "int", rmIsGpr: true, w: "both" });
  s.push({ name: "movq-f3-7e", pfx: "f3", op: [0x7e], kind: "int" });
  s.push({ name: "movq-66-d6", pfx: "66", op: [0xd6], kind: "int" });
  s.push({ name: "movdqa", pfx: "66", op: [0x6f], kind: "int", misalign: true });
  s.push({ name: "movdqu", pfx: "f3", op: [0x6f], kind: "int", misalign: true });
  s.push({ name: "movdqa-st", pfx: "66", op: [0x7f], kind: "int", misalign: true });
  s.push({ name: "movdqu-st", pfx: "f3", op: [0x7f], kind: "int", misalign: true });
  s.push({ name: "movntdq", pfx: "66", op: [0xe7], kind: "int", mem: "only", misalign: true });
  s.push({ name: "pmovmskb", pfx: "66", op: [0xd7], kind: "int", mem: "none", regIsGpr: true });
  s.push({ name: "pinsrw", pfx: "66", op: [0xc4], kind: "int", rmIsGpr: true, imm: r8(rng) });
  s.push({ name: "pextrw", pfx: "66", op: [0xc5], kind: "int", mem: "none", regIsGpr: true, imm: r8(rng) });
  s.push({ name: "movnti", pfx: "none", op: [0xc3], kind: "int", mem: "only", regIsGpr: true, w: "both" });
  s.push({ name: "stmxcsr", pfx: "none", op: [0xae], kind: "int", mem: "only", ext: 3 });
  s.push({ name: "fence", pfx: "none", op: [0xae], kind: "int", mem: "none", ext: 5 + rng.int(3) });
  // Encodings this SSE2-only CPU must reject.
  // (SSE3+ encodings are #UD here but valid on the host: they are checked in ud.test.ts.)
  for (const [p, op] of [["f2", 0x5b], ["none", 0xe6], ["f3", 0x50], ["f2", 0x2e], ["f3", 0x28], ["f2", 0x54], ["f3", 0xc6], ["f2", 0x14]] as const) {
    s.push({ name: `ud-${p}-${op.toString(16)}`, pfx: p, op: [op], kind: "int" });
  }
  return s;
}

// LDMXCSR operands: mostly valid control values, some with reserved bits (#GP).
export function ldmxcsrCase(rng: Rng): Case {
  const c = sseCase(rng, { name: "ldmxcsr", pfx: "none", op: [0xae], kind: "int", mem: "only", ext: 2 });
  const off = Number(MEM_BASE) - BLOCK_VA;
  const code = c.code as number[];
  const disp = code[code.length - 1];
  let v = mxcsr(rng);
  // Reserved bits (#GP). Bit 17 is skipped: it is AMD's misaligned-SSE mask
  // (MXCSR_MASK 0x2FFFF on AMD hosts); this core reports Intel's 0xFFFF.
  if (rng.int(6) === 0) v |= 1 << rng.pick([16, 18, 19, 20, 23, 24, 30, 31]);
  new DataView(c.block!.buffer).setUint32(off + disp, v >>> 0, true);
  return c;
}

export { f64, f32 };
