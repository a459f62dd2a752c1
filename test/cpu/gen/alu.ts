// Cases for the integer ALU: two-operand ops, unary ops, shifts/rotates,
// multiply/divide, with edge values and every operand size and form.
// flagMask drops the flags the SDM calls undefined for the instruction (flagdefs.ts).
import { Case, FLAGS_ARITH, FLAG_DF } from "../harness.js";
import { encode, le, Operand } from "./encode.js";
import { Rng } from "./rng.js";
import { stdRegs, stdBlock, poke, edges, randFlags, FREE_REGS, RBX } from "./state.js";
import { FlagEffect, definedAfter, LOGIC, MUL, DIV, shiftEffect, shiftDoubleEffect, shldResultUndefined } from "./flagdefs.js";

const ALL = FLAGS_ARITH | FLAG_DF;
// The flagMask of a case that runs one instruction with effect e.
const maskOf = (e: FlagEffect): bigint => definedAfter(e) | FLAG_DF;
export const SIZES = [1, 2, 4, 8];

function sizePfx(size: number): { pfx: number[]; w: boolean } {
  return { pfx: size === 2 ? [0x66] : [], w: size === 8 };
}
const mask = (size: number) => (1n << BigInt(size * 8)) - 1n;

// A register for an operand of `size` (byte ops avoid AH..BH unless asked).
function pickReg(rng: Rng, not: number[] = []): number {
  for (;;) { const r = rng.pick(FREE_REGS); if (!not.includes(r)) return r; }
}

// Values: pairs of edge values and random ones.
function values(rng: Rng, size: number, n: number): bigint[] {
  const e = edges(size);
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(rng.int(3) === 0 ? rng.u64() & mask(size) : rng.pick(e));
  return out;
}

// Set register r to v in its low `size` bytes, random above.
function setLow(regs: bigint[], r: number, v: bigint, size: number, rng: Rng): void {
  regs[r] = (rng.u64() & ~mask(size)) | (v & mask(size));
}

interface Dst { rm: Operand; setup(regs: bigint[], block: Uint8Array, v: bigint): void }

// A destination r/m operand: a register or memory at [rbx+disp] (disp sometimes crosses a page).
function dstOperand(rng: Rng, size: number, mem: boolean, avoid: number[] = []): Dst {
  if (mem) {
    const disp = rng.int(4) === 0 ? 0x80 - size + 1 + rng.int(Math.max(1, size - 1)) : rng.int(64);
    return { rm: { base: RBX, disp }, setup: (_r, b, v) => poke(b, disp, v, size) };
  }
  const r = pickReg(rng, avoid);
  return { rm: { reg: r }, setup: (regs, _b, v) => { regs[r] = (regs[r] & ~mask(size)) | (v & mask(size)); } };
}

const ALU_NAMES = ["add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"];

export function aluCases(rng: Rng, n: number): Case[] {
  const cases: Case[] = [];
  for (let op = 0; op < 8; op++) {
    const fm = op === 1 || op === 4 || op === 6 ? maskOf(LOGIC) : ALL;
    for (const size of SIZES) {
      const { pfx, w } = sizePfx(size);
      const b = size === 1 ? 0 : 1;
      for (let form = 0; form < 7; form++) {
        for (let k = 0; k < n; k++) {
          const [a, c] = [values(rng, size, 1)[0], values(rng, size, 1)[0]];
          const regs = stdRegs(rng), block = stdBlock(rng);
          const mem = rng.int(3) === 0;
          let code: number[];
          if (form === 0 || form === 1) {
            // 00+op*8 r/m, r   |  02+op*8 r, r/m
            const dst = dstOperand(rng, size, mem);
            const src = pickReg(rng, "reg" in dst.rm ? [dst.rm.reg] : []);
            dst.setup(regs, block, form === 0 ? a : c);
            setLow(regs, src, form === 0 ? c : a, size, rng);
            code = encode({ pfx, w, op: [op * 8 + form * 2 + b], reg: src, rm: dst.rm });
          } else if (form === 2) {
            setLow(regs, 0, a, size, rng);
            code = encode({ pfx, w, op: [op * 8 + 4 + b], imm: le(c, size === 8 ? 4 : size) });
          } else if (form === 3 || form === 4) {
            // 80/81 /op imm (81 with imm16/32)
            const dst = dstOperand(rng, size, mem);
            dst.setup(regs, block, a);
            code = encode({ pfx, w, op: [size === 1 ? 0x80 : 0x81], reg: op, rm: dst.rm, imm: le(c, size === 8 ? 4 : size) });
          } else if (form === 5) {
            if (size === 1) continue;
            const dst = dstOperand(rng, size, mem);
            dst.setup(regs, block, a);
            code = encode({ pfx, w, op: [0x83], reg: op, rm: dst.rm, imm: le(c, 1) });
          } else {
            // byte ops on AH..BH and SPL..DIL
            if (size !== 1) continue;
            const hi = rng.int(2) === 0;
            const r1 = 4 + rng.int(4), r2 = rng.int(8);
            const rr = (r: number) => (hi || r < 4 ? r : r); // same numbering, REX decides
            code = encode({ rex: !hi, op: [op * 8], reg: rr(r2), rm: { reg: rr(r1) } });
            if (!hi && (r1 === 4 || r2 === 4)) continue; // leave SPL/RSP alone
          }
          cases.push({ name: `${ALU_NAMES[op]}/${size * 8} form${form}`, code, regs, block, rflags: randFlags(rng), flagMask: fm });
        }
      }
    }
  }
  return cases;
}

// NOT NEG INC DEC TEST (F6/F7 /0 /2 /3, FE/FF /0 /1, 84/85, A8/A9).
export function unaryCases(rng: Rng, n: number): Case[] {
  const cases: Case[] = [];
  for (const size of SIZES) {
    const { pfx, w } = sizePfx(size);
    const b = size === 1 ? 0 : 1;
    for (const kind of ["not", "neg", "inc", "dec", "test-imm", "test-rm", "test-acc"]) {
      for (let k = 0; k < n; k++) {
        const a = values(rng, size, 1)[0], c = values(rng, size, 1)[0];
        const regs = stdRegs(rng), block = stdBlock(rng);
        const dst = dstOperand(rng, size, rng.int(3) === 0);
        dst.setup(regs, block, a);
        let code: number[];
        let fm = ALL;
        switch (kind) {
          case "not": code = encode({ pfx, w, op: [0xf6 + b], reg: 2, rm: dst.rm }); break;
          case "neg": code = encode({ pfx, w, op: [0xf6 + b], reg: 3, rm: dst.rm }); break;
          case "inc": code = encode({ pfx, w, op: [0xfe + b], reg: 0, rm: dst.rm }); break;
          case "dec": code = encode({ pfx, w, op: [0xfe + b], reg: 1, rm: dst.rm }); break;
          case "test-imm": code = encode({ pfx, w, op: [0xf6 + b], reg: 0, rm: dst.rm, imm: le(c, size === 8 ? 4 : size) }); fm = maskOf(LOGIC); break;
          case "test-rm": {
            const src = pickReg(rng, "reg" in dst.rm ? [dst.rm.reg] : []);
            setLow(regs, src, c, size, rng);
            code = encode({ pfx, w, op: [0x84 + b], reg: src, rm: dst.rm }); fm = maskOf(LOGIC); break;
          }
          default:
            setLow(regs, 0, a, size, rng);
            code = encode({ pfx, w, op: [0xa8 + b], imm: le(c, size === 8 ? 4 : size) }); fm = maskOf(LOGIC);
        }
        cases.push({ name: `${kind}/${size * 8}`, code, regs, block, rflags: randFlags(rng), flagMask: fm });
      }
    }
  }
  return cases;
}

const SHIFT_NAMES = ["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"];
const COUNTS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 255];

export function shiftCases(rng: Rng, n: number): Case[] {
  const cases: Case[] = [];
  for (let kind = 0; kind < 8; kind++) {
    for (const size of SIZES) {
      const { pfx, w } = sizePfx(size);
      const b = size === 1 ? 0 : 1;
      for (const form of ["imm", "one", "cl"]) {
        const counts = form === "one" ? [1] : COUNTS;
        for (const count of counts) {
          for (let k = 0; k < Math.max(1, n >> 2); k++) {
            const a = values(rng, size, 1)[0];
            const regs = stdRegs(rng), block = stdBlock(rng);
            const dst = dstOperand(rng, size, rng.int(3) === 0, [1]);
            dst.setup(regs, block, a);
            let code: number[];
            if (form === "imm") code = encode({ pfx, w, op: [0xc0 + b], reg: kind, rm: dst.rm, imm: [count] });
            else if (form === "one") code = encode({ pfx, w, op: [0xd0 + b], reg: kind, rm: dst.rm });
            else { regs[1] = (rng.u64() & ~0xffn) | BigInt(count); code = encode({ pfx, w, op: [0xd2 + b], reg: kind, rm: dst.rm }); }
            cases.push({ name: `${SHIFT_NAMES[kind]}/${size * 8} ${form} ${count}`, code, regs, block, rflags: randFlags(rng), flagMask: maskOf(shiftEffect(kind, size, count)) });
          }
        }
      }
    }
  }
  return cases;
}

// SHLD/SHRD imm and CL.
export function shldCases(rng: Rng, n: number): Case[] {
  const cases: Case[] = [];
  for (const right of [false, true]) {
    for (const size of [2, 4, 8]) {
      const { pfx, w } = sizePfx(size);
      for (const cl of [false, true]) {
        for (const count of COUNTS) {
          for (let k = 0; k < Math.max(1, n >> 3); k++) {
            const regs = stdRegs(rng), block = stdBlock(rng);
            const dst = dstOperand(rng, size, rng.int(3) === 0, [1]);
            dst.setup(regs, block, values(rng, size, 1)[0]);
            const src = pickReg(rng, [1, ...("reg" in dst.rm ? [dst.rm.reg] : [])]);
            setLow(regs, src, values(rng, size, 1)[0], size, rng);
            const op = (right ? 0xac : 0xa4) + (cl ? 1 : 0);
            if (cl) regs[1] = (rng.u64() & ~0xffn) | BigInt(count);
            const code = encode({ pfx, w, op: [0x0f, op], reg: src, rm: dst.rm, imm: cl ? [] : [count] });
            // beyond the operand size (16-bit only) the result is undefined as well as the flags
            const vendorSpecific = shldResultUndefined(size, count) ? "16-bit SHLD/SHRD by more than 16" : undefined;
            cases.push({ name: `${right ? "shrd" : "shld"}/${size * 8} ${cl ? "cl" : "imm"} ${count}`, code, regs, block, rflags: randFlags(rng), flagMask: maskOf(shiftDoubleEffect(size, count)), vendorSpecific });
          }
        }
      }
    }
  }
  return cases;
}

// MUL/IMUL (1, 2 and 3 operands), DIV/IDIV incl. #DE.
export function mulDivCases(rng: Rng, n: number): Case[] {
  const cases: Case[] = [];
  const mulMask = maskOf(MUL);
  for (const size of SIZES) {
    const { pfx, w } = sizePfx(size);
    const b = size === 1 ? 0 : 1;
    for (const ext of [4, 5, 6, 7]) {
      for (let k = 0; k < n * 2; k++) {
        const regs = stdRegs(rng), block = stdBlock(rng);
        const dst = dstOperand(rng, size, rng.int(3) === 0, [0, 2]);
        let divisor = values(rng, size, 1)[0];
        if (ext >= 6 && k % 4 === 0) divisor = BigInt(1 + rng.int(1000));
        dst.setup(regs, block, divisor);
        setLow(regs, 0, values(rng, size, 1)[0], size, rng);
        if (ext >= 6 && k % 3 === 0) {
          // small dividend high part so most divisions do not overflow
          if (size === 1) regs[0] = (regs[0] & ~0xff00n) | (BigInt(rng.int(4)) << 8n);
          else setLow(regs, 2, rng.int(2) ? 0n : mask(size), size, rng);
        }
        const code = encode({ pfx, w, op: [0xf6 + b], reg: ext, rm: dst.rm });
        cases.push({ name: `${["mul", "imul", "div", "idiv"][ext - 4]}/${size * 8}`, code, regs, block, rflags: randFlags(rng), flagMask: ext >= 6 ? maskOf(DIV) : mulMask });
      }
    }
    if (size === 1) continue;
    for (const form of ["0faf", "69", "6b"]) {
      for (let k = 0; k < n; k++) {
        const regs = stdRegs(rng), block = stdBlock(rng);
        const dst = pickReg(rng);
        const src = dstOperand(rng, size, rng.int(3) === 0);
        src.setup(regs, block, values(rng, size, 1)[0]);
        setLow(regs, dst, values(rng, size, 1)[0], size, rng);
        const c = values(rng, size, 1)[0];
        const code = form === "0faf" ? encode({ pfx, w, op: [0x0f, 0xaf], reg: dst, rm: src.rm })
          : form === "69" ? encode({ pfx, w, op: [0x69], reg: dst, rm: src.rm, imm: le(c, size === 8 ? 4 : size) })
          : encode({ pfx, w, op: [0x6b], reg: dst, rm: src.rm, imm: le(c, 1) });
        cases.push({ name: `imul ${form}/${size * 8}`, code, regs, block, rflags: randFlags(rng), flagMask: mulMask });
      }
    }
  }
  return cases;
}
