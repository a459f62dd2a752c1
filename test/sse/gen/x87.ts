// Case generators for the x87 unit. A case is a short program: FNINIT, FLDCW
// with a random precision control, rounding mode and (now and then) unmasked
// exceptions, up to two FLD m80 operands with full 64-bit significands
// (denormals, pseudo-denormals, unnormals, pseudo-NaNs, infinities, NaNs,
// extreme exponents), one instruction under test, then FNSTENV (status word,
// full tag word) and three FSTP m80 (popping an empty register stores the
// indefinite with IE: that checks TOP and the tags) and FNSTSW m16, so every
// bit of every result is compared.
import { Rng } from "../../cpu/gen/rng.js";
import { Case } from "../../cpu/harness.js";
import { stdRegs, stdBlock, MEM_BASE } from "../../cpu/gen/state.js";
import { BLOCK_VA } from "../../cpu/harness.js";
import { F64_SPECIAL, F32_SPECIAL, f64, f32 } from "./fpvalues.js";
import { CC, C0, C2, C3, LOADS, UNDEFINES_ALL, DEFINES_ALL, ccAfter, opCc } from "./x87cc.js";

const modrm = (ext: number, disp: number) => [0x40 | (ext << 3) | 3, disp & 0xff];

export interface Ext80 { sig: bigint; se: number }
const INT = 1n << 63n;
const rsig = (rng: Rng) => INT | (rng.u64() >> 1n);

// An extended value: ordinary numbers of every exponent range, the special
// encodings, short significands (exact ties and integers), and raw bits.
export function ext80(rng: Rng, range = 40): Ext80 {
  const sign = rng.int(2) << 15;
  const k = rng.int(24);
  if (k < 9) return { sig: rsig(rng), se: sign | (16383 - range + rng.int(2 * range)) };
  if (k < 11) return { sig: INT | ((rng.u64() >> 1n) & ~((1n << BigInt(rng.int(64))) - 1n)), se: sign | (16383 - 8 + rng.int(72)) };
  if (k < 12) return { sig: rng.pick([0n, 1n, INT >> 1n, rng.u64() >> 1n, rng.u64() >> BigInt(1 + rng.int(63))]), se: sign }; // zero, denormals
  if (k < 13) return { sig: rsig(rng), se: sign };                                            // pseudo-denormal
  if (k < 14) return { sig: rng.u64() >> BigInt(1 + rng.int(4)), se: sign | (1 + rng.int(0x7ffe)) }; // unnormal
  if (k < 15) return { sig: rng.pick([INT, INT | (1n << 62n), INT | (rng.u64() >> 2n), INT | (1n << 62n) | (rng.u64() >> 2n), INT | 1n]), se: sign | 0x7fff }; // inf, NaNs
  if (k < 16) return { sig: rng.pick([0n, 1n << 62n, rng.u64() >> 1n]), se: sign | 0x7fff }; // pseudo-inf/NaN
  if (k < 17) return { sig: rsig(rng), se: sign | rng.pick([1, 2, 63, 64, 0x7ffe, 0x7ffd, 0x7fbf, 16383 + 63, 16383 + 62, 16383 + 64, 16383 + 15, 16383 + 31]) };
  if (k < 18) return { sig: rsig(rng), se: sign | (1 + rng.int(0x7ffe)) };
  if (k < 19) { // a binary64 value
    const v = rng.pick(F64_SPECIAL);
    return fromF64(v);
  }
  if (k < 21) return { sig: INT | ((rng.u64() >> 1n) & ~0x7ffn), se: sign | (16383 - range + rng.int(2 * range)) }; // 53-bit significands
  if (k < 22) return { sig: INT | ((rng.u64() >> 1n) & ~((1n << 40n) - 1n)), se: sign | (16383 - range + rng.int(2 * range)) }; // 24-bit
  return { sig: rng.u64(), se: rng.int(65536) };
}

export function fromF64(v: bigint): Ext80 {
  const sign = Number(v >> 63n) << 15, e = Number((v >> 52n) & 0x7ffn), m = v & 0xfffffffffffffn;
  if (e === 0x7ff) return { sig: INT | (m << 11n), se: sign | 0x7fff };
  if (e === 0) {
    if (m === 0n) return { sig: 0n, se: sign };
    let lz = 0; while (((m << BigInt(lz)) & (1n << 52n)) === 0n) lz++;
    return { sig: (m << BigInt(lz)) << 11n, se: sign | (16383 - 1022 - lz) };
  }
  return { sig: INT | (m << 11n), se: sign | (e - 1023 + 16383) };
}

const getExt = (dv: DataView, off: number): Ext80 => ({ sig: dv.getBigUint64(off, true), se: dv.getUint16(off + 8, true) });
function putExt(dv: DataView, off: number, v: Ext80): void {
  dv.setBigUint64(off, v.sig, true);
  dv.setUint16(off + 8, v.se, true);
}

export interface X87Op { name: string; bytes: (rng: Rng) => number[]; mem?: "m32" | "m64" | "i16" | "i32" | "i64" | "m80" | "bcd"; push?: number; range?: number; trans?: boolean }

export function x87Ops(): X87Op[] {
  const ops: X87Op[] = [];
  const sti = (rng: Rng) => 1 + rng.int(2);
  for (let ext = 0; ext < 8; ext++) {
    ops.push({ name: `d8-m32/${ext}`, bytes: () => [0xd8, ...modrm(ext, 24)], mem: "m32" });
    ops.push({ name: `dc-m64/${ext}`, bytes: () => [0xdc, ...modrm(ext, 24)], mem: "m64" });
    ops.push({ name: `da-i32/${ext}`, bytes: () => [0xda, ...modrm(ext, 24)], mem: "i32" });
    ops.push({ name: `de-i16/${ext}`, bytes: () => [0xde, ...modrm(ext, 24)], mem: "i16" });
    ops.push({ name: `d8-reg/${ext}`, bytes: (r) => [0xd8, 0xc0 | (ext << 3) | sti(r)] });
    if (ext !== 2 && ext !== 3) {
      ops.push({ name: `dc-reg/${ext}`, bytes: (r) => [0xdc, 0xc0 | (ext << 3) | sti(r)] });
      ops.push({ name: `de-reg/${ext}`, bytes: (r) => [0xde, 0xc0 | (ext << 3) | sti(r)] });
    }
  }
  const fixed: Array<[string, number[]]> = [
    ["fcompp", [0xde, 0xd9]], ["fucompp", [0xda, 0xe9]], ["fchs", [0xd9, 0xe0]], ["fabs", [0xd9, 0xe1]],
    ["ftst", [0xd9, 0xe4]], ["fxam", [0xd9, 0xe5]], ["fld1", [0xd9, 0xe8]], ["fldz", [0xd9, 0xee]],
    ["fldpi", [0xd9, 0xeb]], ["fldl2e", [0xd9, 0xea]], ["fldl2t", [0xd9, 0xe9]], ["fldlg2", [0xd9, 0xec]], ["fldln2", [0xd9, 0xed]],
    ["fsqrt", [0xd9, 0xfa]], ["frndint", [0xd9, 0xfc]], ["fscale", [0xd9, 0xfd]], ["fprem", [0xd9, 0xf8]], ["fprem1", [0xd9, 0xf5]],
    ["fxtract", [0xd9, 0xf4]], ["fdecstp", [0xd9, 0xf6]], ["fincstp", [0xd9, 0xf7]], ["fnclex", [0xdb, 0xe2]], ["fnop", [0xd9, 0xd0]],
    ["fnstsw-ax", [0xdf, 0xe0]],
    // FXAM of an emptied register (C1 still reports the sign it holds), FXCH with an empty one
    ["ffree-fxam", [0xdd, 0xc0, 0xd9, 0xe5]], ["fincstp-fxam", [0xd9, 0xf7, 0xd9, 0xe5]], ["ffree-fxch", [0xdd, 0xc1, 0xd9, 0xc9]],
  ];
  for (const [n, b] of fixed) ops.push({ name: n, bytes: () => b });
  // The transcendentals, with operands mostly inside their documented domains (see x87Case).
  const trans: Array<[string, number, number]> = [
    ["f2xm1", 0xf0, 1], ["fyl2x", 0xf1, 40], ["fptan", 0xf2, 70], ["fpatan", 0xf3, 40], ["fyl2xp1", 0xf9, 1],
    ["fsincos", 0xfb, 70], ["fsin", 0xfe, 70], ["fcos", 0xff, 70],
  ];
  for (const [n, b, range] of trans) ops.push({ name: n, bytes: () => [0xd9, b], range, trans: true });
  const regForms: Array<[string, number, number]> = [
    ["fld-st", 0xd9, 0xc0], ["fxch", 0xd9, 0xc8], ["fucomi", 0xdb, 0xe8], ["fcomi", 0xdb, 0xf0], ["fucomip", 0xdf, 0xe8], ["fcomip", 0xdf, 0xf0],
    ["fucom", 0xdd, 0xe0], ["fucomp", 0xdd, 0xe8], ["fst-st", 0xdd, 0xd0], ["fstp-st", 0xdd, 0xd8], ["ffree", 0xdd, 0xc0], ["ffreep", 0xdf, 0xc0],
    ["fcmovb", 0xda, 0xc0], ["fcmove", 0xda, 0xc8], ["fcmovbe", 0xda, 0xd0], ["fcmovu", 0xda, 0xd8],
    ["fcmovnb", 0xdb, 0xc0], ["fcmovne", 0xdb, 0xc8], ["fcmovnbe", 0xdb, 0xd0], ["fcmovnu", 0xdb, 0xd8],
  ];
  for (const [n, a, b] of regForms) ops.push({ name: n, bytes: (r) => [a, b + r.int(4)] });
  const memForms: Array<[string, number, number, X87Op["mem"]]> = [
    ["fld-m32", 0xd9, 0, "m32"], ["fst-m32", 0xd9, 2, "m32"], ["fstp-m32", 0xd9, 3, "m32"],
    ["fld-m64", 0xdd, 0, "m64"], ["fst-m64", 0xdd, 2, "m64"], ["fstp-m64", 0xdd, 3, "m64"],
    ["fild-m16", 0xdf, 0, "i16"], ["fild-m32", 0xdb, 0, "i32"], ["fild-m64", 0xdf, 5, "i64"],
    ["fist-m16", 0xdf, 2, "i16"], ["fistp-m16", 0xdf, 3, "i16"], ["fist-m32", 0xdb, 2, "i32"], ["fistp-m32", 0xdb, 3, "i32"], ["fistp-m64", 0xdf, 7, "i64"],
    ["fisttp-m16", 0xdf, 1, "i16"], ["fisttp-m32", 0xdb, 1, "i32"], ["fisttp-m64", 0xdd, 1, "i64"], // SSE3
    ["fld-m80", 0xdb, 5, "m80"], ["fstp-m80", 0xdb, 7, "m80"], ["fnstcw", 0xd9, 7, "i16"], ["fnstsw-m", 0xdd, 7, "i16"], ["fldcw", 0xd9, 5, "i16"],
    ["fbld", 0xdf, 4, "bcd"], ["fbstp", 0xdf, 6, "bcd"],
  ];
  for (const [n, a, ext, m] of memForms) ops.push({ name: n, bytes: () => [a, ...modrm(ext, 24)], mem: m });
  return ops;
}

// A case with what it loads: the control word and the stack, ST0 first.
export interface X87Case extends Case { x87: { cw: number; st: Ext80[] } }

export function x87Case(rng: Rng, op: X87Op): X87Case {
  const regs = stdRegs(rng);
  const block = stdBlock(rng);
  const base = Number(MEM_BASE) - BLOCK_VA;
  const dv = new DataView(block.buffer);
  // PC (any of the four settings), RC, and mostly masked exceptions
  const masks = rng.int(6) === 0 ? rng.pick([0x3e, 0x3d, 0x3b, 0x37, 0x2f, 0x1f, 0x00, rng.int(64)]) : 0x3f;
  const cw = 0x0040 | masks | (rng.int(4) << 8) | (rng.int(4) << 10);
  dv.setUint16(base + 0, cw, true);
  const range = op.range ?? 40;
  const a = ext80(rng, range);
  const b = rng.int(8) === 0 ? { ...a, se: a.se ^ (rng.int(2) << 15) } : ext80(rng, range);
  if (op.trans && rng.int(4) > 0) {
    // ST0 inside the domain: |x| < 1 (F2XM1), |x| < 1 - sqrt(2)/2 (FYL2XP1), x > 0 (FYL2X), |x| < 2^63 (trig)
    const lim = op.name === "f2xm1" ? 16382 : op.name === "fyl2xp1" ? 16381 : op.name === "fyl2x" ? 16383 + 40 : 16383 + 62;
    b.sig = INT | (rng.u64() >> 1n);
    b.se = (rng.int(2) << 15) | Math.max(1, lim - rng.int(rng.int(3) === 0 ? 200 : 64));
    if (op.name === "fyl2x") b.se &= 0x7fff;
  }
  putExt(dv, base + 8, a);
  putExt(dv, base + 40, b);
  // The memory operand at [rbx+24].
  switch (op.mem) {
    case "m32": dv.setUint32(base + 24, rng.int(3) === 0 ? rng.pick(F32_SPECIAL) : f32(rng), true); break;
    case "m64": dv.setBigUint64(base + 24, f64(rng), true); break;
    case "i16": dv.setInt16(base + 24, rng.pick([0, 1, -1, 32767, -32768, 100, -7, rng.int(65536) - 32768]), true); break;
    case "i32": dv.setInt32(base + 24, rng.pick([0, 1, -1, 2147483647, -2147483648, 1000, rng.int(2 ** 31) - 2 ** 30, Number(BigInt.asIntN(32, rng.u64()))]), true); break;
    case "i64": dv.setBigInt64(base + 24, rng.pick([0n, 1n, -1n, (1n << 63n) - 1n, -(1n << 63n), (1n << 53n) + 1n, -(1n << 40n), BigInt(rng.int(1 << 30)) - (1n << 29n), BigInt.asIntN(64, rng.u64())]), true); break;
    case "m80": putExt(dv, base + 24, ext80(rng, range)); break;
    case "bcd": {
      let lo = 0n;
      for (let i = 0; i < 16; i++) lo |= BigInt(rng.int(10)) << BigInt(4 * i);
      dv.setBigUint64(base + 24, lo, true);
      dv.setUint16(base + 32, (rng.int(2) << 15) | (rng.int(10) << 4) | rng.int(10), true);
      break;
    }
  }
  // FSCALE: mostly modest scale factors; FLDCW: a random control word.
  if (op.name === "fscale" && rng.int(3) > 0) putExt(dv, base + 8, fromF64(f64bits((rng.int(2) ? -1 : 1) * (rng.int(1 << rng.int(16)) + rng.int(4) / 4))));
  if (op.name === "fldcw") dv.setUint16(base + 24, 0x0040 | (rng.int(4) << 8) | (rng.int(4) << 10) | rng.pick([0x3f, 0x3f, 0x3e, 0x1f, 0x3b, 0x37]), true);
  // 0..2 operands on the stack (the transcendentals mostly with both, so that most compute)
  const nPush = op.push ?? (op.trans && rng.int(4) > 0 ? 2 : rng.int(3));
  const code: number[] = [0xdb, 0xe3, 0xd9, ...modrm(5, 0)]; // fninit; fldcw [rbx]
  if (nPush >= 2) code.push(0xdb, ...modrm(5, 8));          // fld tbyte [rbx+8] (ST1)
  if (nPush >= 1) code.push(0xdb, ...modrm(5, 40));         // fld tbyte [rbx+40] (ST0)
  code.push(...op.bytes(rng));
  // fnstenv [rbx-0x70], with the instruction and data pointers and the opcode
  // of the instruction under test (or of the FLD before it, for a control
  // instruction); then the 16-bit image at [rbx-0x50]
  code.push(0xd9, ...modrm(6, -0x70), 0x66, 0xd9, ...modrm(6, -0x50));
  for (const off of [64, 80, 96]) code.push(0xdb, ...modrm(7, off)); // fstp tbyte [rbx+off]
  code.push(0xdd, ...modrm(7, 112));           // fnstsw [rbx+112]
  // condition codes: FLDCW leaves all four undefined, each FLD all but C1
  const ccBefore = nPush > 0 ? ccAfter(CC, LOADS) : CC, ccOp = ccAfter(ccBefore, opCc(op.name));
  const statusWords = [{ at: base - 0x70 + 4, undefinedBits: ccOp }, { at: base - 0x50 + 2, undefinedBits: ccOp }, { at: base + 112, undefinedBits: C0 | C2 | C3 }];
  if (op.name === "fnstsw-m") statusWords.push({ at: base + 24, undefinedBits: ccBefore });
  const vendorSpecific = op.name === "fnstsw-ax" ? "FNSTSW AX of condition codes the SDM leaves undefined" : undefined;
  const vendorFields = [...envPointers(base - 0x70, false), ...envPointers(base - 0x50, true)];
  return { name: op.name, code, regs, block, rflags: rng.u64() & 0x8d5n, statusWords, vendorSpecific, vendorFields, x87: { cw, st: [40, 8].slice(0, nPush).map((off) => getExt(dv, base + off)) } };
}

// The pointer fields of an environment image at block offset `at` that Intel
// stores otherwise (FCS, FOP, FDP, FDS: deprecated, or updated only on an
// unmasked exception), compared only on a host of the core's vendor. FIP is
// the same on both.
export const envPointers = (at: number, small: boolean) => (small ? [{ at: at + 8, len: 6 }] : [{ at: at + 16, len: 10 }]);
// FXSAVE's FOP, FIP, FCS, FDP, FDS: the AMD host stores them only with an exception pending.
export const fxPointers = (at: number) => [{ at: at + 6, len: 18 }];

function f64bits(x: number): bigint { const d = new DataView(new ArrayBuffer(8)); d.setFloat64(0, x, true); return d.getBigUint64(0, true); }

// mov word [rbx+disp8], 0: clear the high half of MXCSR_MASK (0x2FFFF on AMD
// hosts, this core reports 0xFFFF) before the block is compared.
const zeroW = (disp: number) => [0x66, 0xc7, 0x43, disp & 0xff, 0, 0];
// [rbx+disp32] for displacements past a byte
const modrm32 = (ext: number, disp: number) => [0x80 | (ext << 3) | 3, disp & 0xff, (disp >> 8) & 0xff, (disp >> 16) & 0xff, (disp >>> 24) & 0xff];

// An 80-bit register image (any encoding).
function image80(rng: Rng, dv: DataView, off: number): void { putExt(dv, off, ext80(rng, 200)); }

// A pointer value as a state image may hold it: small, 32-bit, 48-bit
// canonical (either half), and now and then beyond 48 bits.
function pointer(rng: Rng, wide: boolean): bigint {
  const k = rng.int(wide ? 6 : 4);
  if (k === 0) return BigInt(rng.int(65536));
  if (k <= 2) return rng.u64() & 0xffffffffn;
  if (k === 3) return rng.u64() & 0x7fffffffffffn;
  if (k === 4) return (rng.u64() & 0x7fffffffffffn) | 0xffff800000000000n;
  return rng.u64();
}
const beyond48 = (v: bigint) => BigInt.asIntN(48, v) !== BigInt.asIntN(64, v);

// An x87 instruction between the loads and the image store: control
// instructions, MMX and FWAIT leave the pointers and FOP alone; the others set them.
const FILLERS: Array<[string, number[], typeof LOADS]> = [
  ["fnop", [0xd9, 0xd0], UNDEFINES_ALL], ["fincstp", [0xd9, 0xf7], LOADS], ["ffree st1", [0xdd, 0xc1], UNDEFINES_ALL],
  ["fxch", [0xd9, 0xc9], LOADS], ["fldz", [0xd9, 0xee], LOADS], ["fadd m64", [0xdc, ...modrm(0, 16)], LOADS],
  ["fst m64", [0xdd, ...modrm(2, 112)], LOADS], ["fcmovb", [0xda, 0xc1], LOADS], ["fucomi", [0xdb, 0xe9], LOADS],
  ["fldcw", [0xd9, ...modrm(5, 0)], UNDEFINES_ALL], ["fnstcw", [0xd9, ...modrm(7, 112)], UNDEFINES_ALL],
  ["fnstsw ax", [0xdf, 0xe0], UNDEFINES_ALL], ["fnclex", [0xdb, 0xe2], UNDEFINES_ALL], ["fwait", [0x9b], UNDEFINES_ALL],
  ["emms", [0x0f, 0x77], UNDEFINES_ALL], ["movq mm1, m64", [0x0f, 0x6f, ...modrm(1, 8)], UNDEFINES_ALL],
  ["fdisi", [0xdb, 0xe1], UNDEFINES_ALL], ["rex fld m64", [0x48, 0xdd, ...modrm(0, 8)], LOADS],
  // an RSP or RBP base: FDS is SS; with FS, the offset without the segment base
  ["fld m64 [rsp+8]", [0xdd, 0x44, 0x24, 0x08], LOADS], ["fld m64 [rbp]", [0x48, 0x8d, 0x6b, 0x08, 0xdd, 0x45, 0x00], LOADS],
  ["fld m64 [r13]", [0x4c, 0x8d, 0x6b, 0x08, 0x41, 0xdd, 0x45, 0x00], LOADS],
];

export type FxKind = "fxsave" | "fxrstor" | "fnstenv" | "fldenv" | "fnsave" | "frstor" | "fninit";

// The x87 state images in all their forms: FXSAVE (with and without REX.W)
// after some x87 work, now and then with an unmasked exception pending;
// FXRSTOR of a prepared image (then FXSAVE of it, and FNSTENV, which shows
// the loaded pointers whatever ES says); FNSTENV and FLDENV round trips, and
// FNSAVE and FRSTOR, each in its 32-bit and its 16-bit (operand-size prefix)
// format. The FXSAVE area is the whole block ([rbx-0x80], 16-byte aligned; a
// misaligned FXSAVE/FXRSTOR must #GP); FXSAVE leaves its last 96 bytes, where
// the FNSTENV after FXRSTOR goes ([rbx+0x120]).
export function fxCase(rng: Rng, kind: FxKind): Case {
  const c = x87Case(rng, { name: kind, bytes: () => [] });
  const dv = new DataView(c.block!.buffer);
  const base = Number(MEM_BASE) - BLOCK_VA;
  const xmm = Array.from({ length: 16 }, () => rng.bytes(16));
  const mx = 0x1f80 | (rng.int(4) << 13) | rng.int(64);
  const misalign = rng.int(10) === 0 ? 8 : 0;
  const code: number[] = [0xdb, 0xe3, 0xd9, ...modrm(5, 0)];
  const wideSave = rng.int(2) === 1, wideRstor = rng.int(2) === 1;
  const fx = (ext: number, wide: boolean) => [...(wide ? [0x48] : []), 0x0f, 0xae, 0x40 | (ext << 3) | 3, (-0x80 + misalign) & 0xff];
  const clearMask = zeroW(-0x80 + 30);
  let vendorSpecific: string | undefined;
  // condition codes the SDM leaves undefined as the code goes (FLDCW: all), and
  // where status words are stored (block offsets: FXSAVE's FSW at 2, FNSAVE's at 4 or 2)
  let cc = CC;
  const statusWords: Array<{ at: number; undefinedBits: number }> = [];
  const vendorFields: Array<{ at: number; len: number }> = [];
  const step = (e: typeof LOADS, ...bytes: number[]) => { code.push(...bytes); cc = ccAfter(cc, e); };
  const filler = () => { if (rng.int(2)) { const [, b, e] = rng.pick(FILLERS); step(e, ...b); } };
  // an environment store at block offset `at` (16-bit when small)
  const stenv = (at: number, small: boolean) => {
    statusWords.push({ at: at + (small ? 2 : 4), undefinedBits: cc });
    vendorFields.push(...envPointers(at, small));
    const rel = at - base;
    code.push(...(small ? [0x66] : []), 0xd9, ...(rel >= -128 && rel < 128 ? modrm(6, rel) : modrm32(6, rel)));
    cc = ccAfter(cc, UNDEFINES_ALL);
  };
  // pointer fields of an environment image at block offset `at`
  const envImage = (at: number, small: boolean) => {
    if (small) { for (const o of [6, 8, 10, 12]) dv.setUint16(at + o, rng.int(65536), true); return; }
    dv.setUint32(at + 12, Number(pointer(rng, false)), true);
    dv.setUint32(at + 16, rng.int(65536) | (rng.int(65536) << 16), true);
    dv.setUint32(at + 20, Number(pointer(rng, false)), true);
    dv.setUint32(at + 24, rng.int(65536) | (rng.int(8) === 0 ? rng.int(65536) << 16 : 0xffff0000), true);
  };
  if (kind === "fninit") {
    // FNINIT (or FINIT, or FNSAVE, which ends as FNINIT does) tags every register
    // empty and leaves its contents, which FXSAVE shows, and clears the pointers
    for (let i = 1 + rng.int(3); i > 0; i--) step(LOADS, 0xdb, ...modrm(5, rng.pick([8, 40])));
    if (rng.int(2)) step(LOADS, 0xd9, 0xc9);                                       // fxch
    const init = rng.int(3);
    if (init === 0) code.push(0xdb, 0xe3);
    else if (init === 1) code.push(0x9b, 0xdb, 0xe3);
    else { // fnsave (what stays if the FXSAVE below faults)
      statusWords.push({ at: 4, undefinedBits: cc });
      vendorFields.push(...envPointers(0, false));
      code.push(0xdd, ...modrm(6, -0x80));
    }
    cc = ccAfter(cc, DEFINES_ALL);
    if (rng.int(2)) step(LOADS, 0xdb, ...modrm(5, 8));                               // and one load after it
    statusWords.push({ at: 2, undefinedBits: cc });
    vendorFields.push(...fxPointers(0));
    code.push(...fx(0, wideSave), ...clearMask);
  } else if (kind === "fxsave") {
    // now and then exceptions unmasked, so that one is pending (ES) when FXSAVE stores the pointers
    if (rng.int(3) === 0) dv.setUint16(base, 0x0040 | (rng.int(4) << 10) | (0x3f & ~(1 << rng.int(6))), true);
    for (let i = rng.int(4); i > 0; i--) step(LOADS, 0xdd, ...modrm(0, rng.pick([8, 16])));
    if (rng.int(2)) step(LOADS, 0xd9, 0xc9);          // fxch
    if (rng.int(2)) step(LOADS, 0xdd, 0xd8 + 1);      // fstp st(1)
    filler();
    if (rng.int(2)) step(LOADS, ...rng.pick([[0xdc, ...modrm(rng.pick([0, 1, 6]), rng.pick([8, 16]))], [0xd8, 0xf1], [0xde, 0xf9], [0xd9, 0xfa]])); // an operation that may raise
    statusWords.push({ at: 2, undefinedBits: cc });
    vendorFields.push(...fxPointers(0));
    code.push(...fx(0, wideSave), ...clearMask);
    stenv(0x1a0, false);                             // the pointers whatever ES says
  } else if (kind === "fxrstor") {
    const es = rng.int(2);
    const sw = (rng.int(8) << 11) | (rng.int(2) ? rng.int(0x40) : 0) | (rng.int(2) << 8) | (es << 7) | (rng.int(2) << 15);
    dv.setUint16(0, 0x0240 | (rng.int(4) << 8) | (rng.int(4) << 10) | (rng.int(3) === 0 ? rng.int(64) : 0x3f), true);
    dv.setUint16(2, sw, true);
    dv.setUint8(4, rng.int(256));
    dv.setUint16(6, rng.int(65536), true);
    const ip = pointer(rng, true), dp = pointer(rng, true);
    dv.setBigUint64(8, ip, true);
    dv.setBigUint64(16, dp, true);
    if (wideRstor && (beyond48(ip) || beyond48(dp))) vendorSpecific = "FXRSTOR64 of a FIP or FDP beyond 48 bits (kept to bit 56, bit 56 extended, on the AMD host)";
    dv.setUint32(24, rng.int(8) === 0 ? mx | 0x100000 : mx, true); // reserved bit: #GP
    for (let i = 0; i < 8; i++) image80(rng, dv, 32 + 16 * i);
    code.length = 0;
    code.push(...fx(1, wideRstor), ...fx(0, wideSave), ...clearMask, 0xdf, 0xe0 /* fnstsw ax */);
    vendorFields.push(...fxPointers(0));
    cc = 0;
    stenv(0x1a0, rng.int(2) === 1);
  } else if (kind === "fnstenv") {
    for (let i = rng.int(4); i > 0; i--) step(LOADS, 0xdd, ...modrm(0, rng.pick([8, 16])));
    filler();
    stenv(base + 0x40, rng.int(2) === 1);
    code.push(0xd9, ...modrm(7, 0x60)); // fnstcw: FNSTENV masked every exception
  } else if (kind === "fnsave" || kind === "frstor") {
    // the 108-byte (16-bit: 94-byte) image at [rbx-0x80]: environment, then ST0-7 as 10-byte values
    const small = rng.int(2) === 1, env = small ? 14 : 28, swAt = small ? 2 : 4;
    const o16 = small ? [0x66] : [];
    vendorFields.push(...envPointers(0, small));
    if (kind === "fnsave") {
      for (let i = rng.int(4); i > 0; i--) step(LOADS, 0xdb, ...modrm(5, rng.pick([8, 40])));
      if (rng.int(2)) step(LOADS, 0xd9, 0xc9);          // fxch
      if (rng.int(2)) step(UNDEFINES_ALL, 0xdd, 0xc1);  // ffree st(1)
      filler();
      statusWords.push({ at: swAt, undefinedBits: cc });
      code.push(...o16, 0xdd, ...modrm(6, -0x80), 0xdf, 0xe0, 0xd9, ...modrm(7, 0x60)); // fnsave; fnstsw ax; fnstcw (FNSAVE reinitializes)
    } else {
      const w = small ? 2 : 4;
      dv.setUint16(0, 0x0240 | (rng.int(4) << 8) | (rng.int(4) << 10) | 0x3f, true);
      dv.setUint16(w, (rng.int(8) << 11) | (rng.int(2) ? rng.int(0x40) : 0) | (rng.int(2) << 8) | (rng.int(2) << 14), true);
      dv.setUint16(2 * w, rng.int(65536), true);
      envImage(0, small);
      for (let i = 0; i < 8; i++) { const v = ext80(rng, 200); dv.setBigUint64(env + 10 * i, v.sig, true); dv.setUint16(env + 8 + 10 * i, v.se, true); }
      code.length = 0;
      code.push(...o16, 0xdd, ...modrm(4, -0x80), 0xdf, 0xe0); // frstor; fnstsw ax
      cc = 0;
      if (rng.int(2)) step(LOADS, 0xd9, 0xee);                 // fldz: a new FIP and FOP, FDP stays
      statusWords.push({ at: swAt, undefinedBits: cc });
      code.push(...o16, 0xdd, ...modrm(6, -0x80));             // fnsave
    }
  } else {
    // fldenv of an image (16- or 32-bit), fnstsw ax, maybe an instruction, then fnstenv (either size)
    const small = rng.int(2) === 1, w = small ? 2 : 4;
    dv.setUint16(base + 0x40, 0x0200 | (rng.int(4) << 10) | 0x7f, true);
    dv.setUint16(base + 0x40 + w, (rng.int(8) << 11) | (rng.int(2) << 14) | (rng.int(2) << 8), true);
    dv.setUint16(base + 0x40 + 2 * w, rng.int(65536), true);
    envImage(base + 0x40, small);
    for (let i = 0; i < 3; i++) code.push(0xdd, ...modrm(0, rng.pick([8, 16])));
    code.push(...(small ? [0x66] : []), 0xd9, ...modrm(4, 0x40), 0xdf, 0xe0);
    cc = 0;
    filler();
    stenv(base + 0x40, rng.int(2) === 1);
  }
  return { ...c, name: kind, code, xmm, mxcsr: mx, statusWords, vendorFields, vendorSpecific };
}
