// Case generators for the SIMD table's rows (gen/table.ts): every form of a
// row (register and memory r/m, REX.W and operand-size variants, MMX registers
// named with REX bits that must be ignored, misaligned memory where 16-byte
// alignment is required or must not be), with values chosen per kind of
// instruction: FP lanes with random MXCSR, integer lanes with saturation
// edges, strings with NULs for PCMPxSTRx, explicit lengths beyond the range.
//
// A row that names an MMX register runs after one of four preludes (MMX
// registers loaded by MOVQ; an x87 stack with TOP != 0 and empty registers;
// EMMS; a pending unmasked x87 exception, so the instruction takes #MF), and
// is followed by FNSAVE (full tag word, TOP, the 80-bit registers with their
// all-ones exponents) or FXSAVE (the abridged tags), so the x87 aliasing is
// compared. XMM-only rows get the x87 prelude and FNSAVE now and then too:
// they must not touch the x87 state.
import { Rng } from "../../cpu/gen/rng.js";
import { Case, BLOCK_VA } from "../../cpu/harness.js";
import { encode, le, Insn, Operand } from "../../cpu/gen/encode.js";
import { stdRegs, stdBlock, RBX, MEM_BASE } from "../../cpu/gen/state.js";
import { lanes, mxcsr, f32, f64 } from "./fpvalues.js";
import { ext80, envPointers, fxPointers } from "./x87.js";
import { Row, PFX_BYTES, MAP_BYTES, rowName } from "./table.js";

const GPRS = [0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
const BASE = Number(MEM_BASE) - BLOCK_VA; // block offset of [rbx]

// Block regions, as offsets from RBX.
const MM_INIT = -0x80;   // 8 x 8 bytes: MM0-7 for the MOVQ prelude
const X87_INIT = -0x40;  // 4 x 16 bytes: m80 values for the x87 prelude
const CW_AT = 0x100;     // a control word for the pending-exception prelude
const FNSAVE_AT = 0x110; // the 108-byte FNSAVE image

// Integer lanes with the edges saturation and sign rules turn on.
function intLanes(rng: Rng): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  switch (rng.int(6)) {
    case 0: case 1: return rng.bytes(16);
    case 2: for (let i = 0; i < 16; i++) out[i] = rng.pick([0, 1, 2, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x40, 0xc0]); return out;
    case 3: for (let i = 0; i < 8; i++) dv.setUint16(2 * i, rng.pick([0, 1, 0x7fff, 0x8000, 0x8001, 0xffff, 0x00ff, 0xff00, 0x4000, 0xc000, 0x7f, 0x80, 0xfffe, rng.int(65536)]), true); return out;
    case 4: for (let i = 0; i < 4; i++) dv.setUint32(4 * i, rng.pick([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xffff, 0x10000, 0x8000, 0xffff8000, 0x7fff, 0x80000001, rng.int(2 ** 32)]), true); return out;
    default: for (let i = 0; i < 16; i++) out[i] = (rng.int(7) - 3) & 0xff; return out;
  }
}

// Strings for PCMPxSTRx: a small alphabet (so elements match), NULs, signed edges.
interface Alphabet { words: boolean; chars: number[] }
function alphabet(rng: Rng): Alphabet {
  const words = rng.int(2) === 0;
  const base = rng.pick([[0x61, 0x62, 0x63], [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68], [0x30, 0x35, 0x39, 0x41, 0x5a, 0x61, 0x7a]]);
  const edges = words ? [0x7fff, 0x8000, 0xffff, 0x8001, 0x0100, 0x6100] : [0x7f, 0x80, 0xff, 0x81, 0x01];
  return { words, chars: [...base, ...base, ...base, ...edges.slice(0, 1 + rng.int(edges.length))] };
}
function strLanes(rng: Rng, a: Alphabet): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  const n = a.words ? 8 : 16;
  const nul = rng.int(3) === 0 ? n : rng.int(n + 1); // where a NUL goes (n: none)
  for (let i = 0; i < n; i++) {
    const v = i === nul ? 0 : rng.int(12) === 0 ? 0 : rng.pick(a.chars);
    if (a.words) dv.setUint16(2 * i, v, true); else out[i] = v & 0xff;
  }
  return out;
}
const lenEdges = (rng: Rng): bigint => BigInt.asUintN(64, rng.pick([
  0n, 1n, 2n, 7n, 8n, 9n, 15n, 16n, 17n, 100n, -1n, -7n, -8n, -9n, -15n, -16n, -17n, 0x7fffffffn, -0x80000000n, 0x80000000n,
  (1n << 32n) + 3n, -(1n << 63n), (1n << 63n) - 1n, BigInt(rng.int(40) - 20), rng.u64(),
]));

type Values = (rng: Rng) => Uint8Array;
function valuesFor(row: Row, rng: Rng): { v: Values; mxcsr?: number } {
  if (row.exec === "pcmpstr") { const a = alphabet(rng); return { v: (r) => strLanes(r, a) }; }
  if (/^cvtpi2/.test(row.mnemonic)) return { v: intLanes, mxcsr: mxcsr(rng) }; // integers in, rounded by MXCSR
  if (row.fp) {
    const kind = row.operands.some((o) => /pd|sd/.test(o)) ? "pd" : "ps";
    return { v: (r) => lanes(r, kind), mxcsr: mxcsr(rng) };
  }
  return { v: intLanes };
}

function immFor(row: Row, rng: Rng): number {
  switch (row.exec) {
    case "round": return rng.int(16) | (rng.int(8) === 0 ? rng.int(16) << 4 : 0);
    case "pcmpstr": return rng.int(128) | (rng.int(10) === 0 ? 0x80 : 0);
    case "shiftimm": return rng.pick([0, 1, 3, 7, 8, 15, 16, 31, 32, 63, 64, 200, rng.int(256)]);
    case "vecimm": return row.mnemonic === "palignr" ? rng.pick([0, 1, 4, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 128, 255, rng.int(40)]) : rng.int(256);
  }
  return rng.int(256);
}

const movqMm = (i: number, disp: number) => [0x0f, 0x6f, 0x43 | (i << 3), disp & 0xff];
const fldT = (disp: number) => [0xdb, 0x6b, disp & 0xff];
const zero16 = (disp: number) => [0x66, 0xc7, 0x83, ...le(disp, 4), 0, 0];

export type Prelude = "mm" | "x87" | "emms" | "pending" | "none";

// What the SDM leaves open and the core does as AMD (docs/cpu-model.md): EMMS
// also sets TOP to 0 (seen from an x87 stack with TOP != 0), and CVTPI2PS with
// a memory source makes no x87-to-MMX transition and takes no pending #MF
// (the SDM says so only of CVTPI2PD).
export const EMMS_TOP = "TOP after EMMS";
export const CVTPI2PS_MEM = "x87 state after CVTPI2PS from memory";
function vendorSpecific(row: Row, pre: Prelude, mem: boolean): string | undefined {
  if (row.exec === "emms" && pre === "x87") return EMMS_TOP;
  if (row.mnemonic === "cvtpi2ps" && mem && (pre === "x87" || pre === "pending")) return CVTPI2PS_MEM;
  return undefined;
}

// The x87/MMX state before the instruction.
function prelude(kind: Prelude, rng: Rng, dv: DataView): number[] {
  const code: number[] = [];
  for (let i = 0; i < 8; i++) dv.setBigUint64(BASE + MM_INIT + 8 * i, rng.int(4) === 0 ? BigInt(rng.int(256)) : rng.u64(), true);
  for (let i = 0; i < 4; i++) { const v = ext80(rng); dv.setBigUint64(BASE + X87_INIT + 16 * i, v.sig, true); dv.setUint16(BASE + X87_INIT + 16 * i + 8, v.se, true); }
  if (kind !== "none") code.push(0xdb, 0xe3); // fninit: the state a signal handler starts with, whatever ran before
  if (kind === "mm" || kind === "emms") {
    for (let i = 0; i < 8; i++) code.push(...movqMm(i, MM_INIT + 8 * i));
    if (kind === "emms") code.push(0x0f, 0x77);
  } else if (kind === "x87") {
    for (let i = rng.int(5); i > 0; i--) code.push(...fldT(X87_INIT + 16 * rng.int(4)));
    if (rng.int(3) === 0) code.push(0xdd, 0xc1 + rng.int(2)); // ffree st(1)/st(2)
    if (rng.int(3) === 0) code.push(0xd9, 0xf7);               // fincstp
  } else if (kind === "pending") {
    // an unmasked invalid operation left pending: sqrt(-1) with IM clear
    for (let i = 0; i < 8; i++) code.push(...movqMm(i, MM_INIT + 8 * i));
    dv.setUint16(BASE + CW_AT, 0x037e, true);
    code.push(0x0f, 0x77, 0xd9, 0xab, ...le(CW_AT, 4), 0xd9, 0xe8, 0xd9, 0xe0, 0xd9, 0xfa); // emms; fldcw; fld1; fchs; fsqrt
  }
  return code;
}

// The x87/MMX state after it: FNSAVE, whose pointers still name the last x87
// instruction (MMX instructions leave them), or FXSAVE over the block's start
// (the high half of MXCSR_MASK cleared: 0x2FFFF on AMD hosts, 0xFFFF in the
// core). The pointer fields are compared only on a host of the core's vendor.
function epilogue(fx: boolean): number[] {
  if (fx) return [0x0f, 0xae, 0x43, 0x80, ...zero16(-0x80 + 30)];
  return [0xdd, 0xb3, ...le(FNSAVE_AT, 4)];
}
const epiloguePointers = (fx: boolean) => (fx ? fxPointers(0) : envPointers(BASE + FNSAVE_AT, false));

// Extra prefixes the mandatory one must survive: a repeated one, 66 before
// F2/F3 (F2/F3 win), the other of F2/F3 before it (the last wins), a REX
// before the legacy prefixes (ignored: REX counts only right before the opcode).
export type Noise = "dup" | "osz" | "rep" | "rex-first";

export function simdCase(rng: Rng, row: Row, force?: { prelude?: Prelude; mem?: boolean; aligned?: boolean; noise?: Noise; imm?: number }): Case {
  const regs = stdRegs(rng);
  for (const r of GPRS) {
    const k = rng.int(4);
    if (k === 0) regs[r] = BigInt.asUintN(64, BigInt(rng.int(2001) - 1000));
    else if (k === 1) regs[r] = rng.pick([0n, 1n, 1n << 63n, (1n << 63n) - 1n, 0x80000000n, 0x7fffffffn, 0xffffffffn, 0xffn, 0x8000n, 0xffffn]);
  }
  const block = stdBlock(rng);
  const dv = new DataView(block.buffer);
  const { v, mxcsr: mx } = valuesFor(row, rng);
  const xmm = Array.from({ length: 16 }, () => v(rng));

  // the form
  const mem = force?.mem ?? (row.memForm && (!row.regForm || rng.int(2) === 0));
  let disp = 16 * rng.int(8);
  if (mem && !force?.aligned && rng.int(4) === 0) disp += 1 + rng.int(15);
  const memVals = v(rng);
  if (mem && rng.int(4) === 0) memVals.set(xmm[0].subarray(0, 16)); // equal elements for the compares
  block.set(memVals, BASE + disp);
  if (mem && row.memSize !== 16) block.set(v(rng), BASE + disp + 16);

  let w = rng.int(4) === 0;
  const pfx: number[] = [];
  if (rng.int(10) === 0) pfx.push(rng.pick([0x2e, 0x3e, 0x26, 0x36])); // null segment prefixes
  if (row.memSize === "y" || row.operands.some((o) => o.endsWith("y"))) w = rng.int(2) === 0;
  if (row.memSize === "v") {
    const osz = rng.pick([2, 4, 8]);
    w = osz === 8;
    if (osz === 2) pfx.push(0x66);
  }
  const noise = force?.noise;
  if (noise === "rex-first") pfx.unshift(0x40 | rng.int(16), 0x3e); // (a legacy prefix after it, so it is ignored)
  if (noise === "osz" && (row.pfx === "F2" || row.pfx === "F3") && row.memSize !== "v") pfx.push(0x66);
  if (noise === "rep" && (row.pfx === "F2" || row.pfx === "F3")) pfx.push(row.pfx === "F2" ? 0xf3 : 0xf2);
  if (noise === "dup") pfx.push(...PFX_BYTES[row.pfx]);
  pfx.push(...PFX_BYTES[row.pfx]);
  const regNum = (k: string): number => (k === "gpr" ? rng.pick(GPRS) : rng.int(16));
  const reg = row.ext ?? (row.reg === "none" ? 0 : regNum(row.reg));
  const rmReg = regNum(row.rm);
  const rm: Operand | undefined = !row.modrm ? undefined : mem ? { base: RBX, disp } : { reg: rmReg };
  const byteGpr = row.rm === "gpr" && (row.memSize === 1 || row.operands.includes("Eb"));
  const insn: Insn = {
    pfx, w, rex: byteGpr && rng.int(2) === 0, op: [...MAP_BYTES[row.map], row.op], reg, rm,
    imm: row.imm ? [force?.imm ?? immFor(row, rng)] : undefined,
  };

  if (row.exec === "pcmpstr") { regs[0] = lenEdges(rng); regs[2] = lenEdges(rng); }
  if (row.exec === "maskmov") regs[7] = MEM_BASE + BigInt(rng.int(200) - 100);

  // x87/MMX context
  const mmx = row.mmx;
  let pre: Prelude = force?.prelude ?? "none";
  if (!force?.prelude) {
    if (mmx) pre = rng.pick(["mm", "mm", "mm", "x87", "x87", "emms", "pending"] as const);
    else if (rng.int(8) === 0) pre = "x87";
  }
  const code = [...prelude(pre, rng, dv), ...encode(insn)];
  const fx = pre !== "none" && rng.int(4) === 0;
  if (pre !== "none") code.push(...epilogue(fx));
  return {
    name: `${rowName(row)}${mem ? "-m" : "-r"}${pre === "none" ? "" : `/${pre}`}${noise ? `+${noise}` : ""}`,
    code, regs, block, xmm, mxcsr: mx ?? 0x1f80, rflags: rng.u64() & 0x8d5n,
    vendorSpecific: vendorSpecific(row, pre, mem),
    vendorFields: pre !== "none" ? epiloguePointers(fx) : undefined,
  };
}

export { f32, f64 };
