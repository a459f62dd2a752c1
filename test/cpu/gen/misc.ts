// Cases for the rest of the integer set: bit ops, conditions, moves, stack and
// control transfer, strings, atomics, faults and NOP forms.
import { Case, FLAGS_ALL, FLAG_DF, BSF_ZERO, BLOCK_VA, CODE_VA, CODE_OFF, DATA_VA, DATA_LEN } from "../harness.js";
import { encode, le } from "./encode.js";
import { Rng } from "./rng.js";
import { stdRegs, stdBlock, poke, edges, randFlags, FREE_REGS, RBX, RSP, MEM_BASE } from "./state.js";
import * as F from "./flagdefs.js";

const maskOf = (e: F.FlagEffect): bigint => F.definedAfter(e) | FLAG_DF;
const mask = (size: number) => (1n << BigInt(size * 8)) - 1n;
const sp = (size: number) => ({ pfx: size === 2 ? [0x66] : [], w: size === 8 });
const pick = (rng: Rng, not: number[] = []): number => { for (;;) { const r = rng.pick(FREE_REGS); if (!not.includes(r)) return r; } };
const val = (rng: Rng, size: number): bigint => (rng.int(3) === 0 ? rng.u64() & mask(size) : rng.pick(edges(size)));
const setLow = (regs: bigint[], r: number, v: bigint, size: number) => { regs[r] = (regs[r] & ~mask(size)) | (v & mask(size)); };
const mk = (name: string, code: number[], regs: bigint[], block: Uint8Array, extra: Partial<Case> = {}): Case =>
  ({ name, code, regs, block, rflags: extra.rflags ?? 0n, ...extra });

export function bitCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  const btMask = maskOf(F.BT);
  for (const size of [2, 4, 8]) {
    const { pfx, w } = sp(size);
    for (let kind = 0; kind < 4; kind++) {
      for (let k = 0; k < n; k++) {
        const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
        const mem = rng.int(2) === 0;
        const imm = rng.int(3) === 0;
        const dst = pick(rng), src = pick(rng, [dst]);
        let off: bigint;
        if (imm) off = BigInt(rng.int(256));
        else if (mem) off = BigInt(rng.int(3900) - 1000);
        else off = rng.u64();
        setLow(regs, dst, val(rng, size), size);
        if (!imm) setLow(regs, src, off, size);
        const rm = mem ? { base: RBX, disp: rng.int(16) } : { reg: dst };
        const code = imm ? encode({ pfx, w, op: [0x0f, 0xba], reg: 4 + kind, rm, imm: [Number(off)] })
          : encode({ pfx, w, op: [0x0f, [0xa3, 0xab, 0xb3, 0xbb][kind]], reg: src, rm });
        out.push(mk(`${["bt", "bts", "btr", "btc"][kind]}/${size * 8} ${imm ? "imm" : "reg"} ${mem ? "mem" : "reg"}`, code, regs, block, { rflags: fl, flagMask: btMask }));
      }
    }
    for (const rev of [false, true]) {
      for (let k = 0; k < n; k++) {
        const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
        const dst = pick(rng);
        const mem = rng.int(3) === 0;
        let v = val(rng, size);
        if (k % 5 === 0) v = 0n;
        if (k % 7 === 1) v = 1n << BigInt(rng.int(size * 8));
        let rm;
        if (mem) { const disp = rng.int(32); poke(block, disp, v, size); rm = { base: RBX, disp }; }
        else { const s = pick(rng, [dst]); setLow(regs, s, v, size); rm = { reg: s }; }
        out.push(mk(`${rev ? "bsr" : "bsf"}/${size * 8}`, encode({ pfx, w, op: [0x0f, rev ? 0xbd : 0xbc], reg: dst, rm }), regs, block,
          { rflags: fl, flagMask: maskOf(F.BSF), vendorSpecific: v === 0n ? BSF_ZERO : undefined }));
      }
    }
  }
  return out;
}

export function condCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  for (let cc = 0; cc < 16; cc++) {
    for (let k = 0; k < n; k++) {
      const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
      out.push(mk(`jcc8 ${cc}`, [0x70 + cc, 0x10], regs, block, { rflags: fl }));
      out.push(mk(`jcc32 ${cc}`, [0x0f, 0x80 + cc, ...le(-0x300, 4)], regs, block, { rflags: fl }));
      const d = pick(rng), mem = rng.int(3) === 0;
      out.push(mk(`setcc ${cc}`, encode({ op: [0x0f, 0x90 + cc], rm: mem ? { base: RBX, disp: rng.int(32) } : { reg: d }, rex: d >= 4 }), regs, block, { rflags: fl }));
      const size = [2, 4, 8][k % 3];
      const { pfx, w } = sp(size);
      const s = pick(rng, [d]);
      out.push(mk(`cmovcc/${size * 8} ${cc}`, encode({ pfx, w, op: [0x0f, 0x40 + cc], reg: d, rm: mem ? { base: RBX, disp: rng.int(32) } : { reg: s } }), regs, block, { rflags: fl }));
    }
  }
  // LOOP family and JRCXZ
  for (const op of [0xe0, 0xe1, 0xe2, 0xe3]) {
    for (let k = 0; k < n; k++) {
      const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
      regs[1] = rng.pick([0n, 1n, 2n, 0x100000000n, 0xffffffffn, rng.u64()]);
      const a32 = k % 2 === 1;
      out.push(mk(`loop ${op.toString(16)}${a32 ? " a32" : ""}`, [...(a32 ? [0x67] : []), op, 0x08], regs, block, { rflags: fl }));
    }
  }
  return out;
}

export function moveCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  for (let k = 0; k < n; k++) {
    const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
    const d = pick(rng), s = pick(rng, [d]);
    const size = [2, 4, 8][k % 3];
    const { pfx, w } = sp(size);
    const memrm = { base: RBX, disp: rng.int(40) };
    const rm = rng.int(3) === 0 ? memrm : { reg: s };
    const c = (name: string, code: number[]) => out.push(mk(name, code, regs, block, { rflags: fl }));
    c("movzx8", encode({ pfx, w, op: [0x0f, 0xb6], reg: d, rm: rng.int(2) ? rm : { reg: 4 + rng.int(4) } }));
    c("movzx16", encode({ pfx, w, op: [0x0f, 0xb7], reg: d, rm }));
    c("movsx8", encode({ pfx, w, op: [0x0f, 0xbe], reg: d, rm, rex: rng.int(2) === 0 }));
    c("movsx16", encode({ pfx, w, op: [0x0f, 0xbf], reg: d, rm }));
    c("movsxd", encode({ w: k % 2 === 0, op: [0x63], reg: d, rm }));
    c("mov 88", encode({ op: [0x88], reg: rng.int(8), rm: rng.int(2) ? memrm : { reg: rng.int(8) } }));
    c("mov 89", encode({ pfx, w, op: [0x89], reg: s, rm: rng.int(2) ? memrm : { reg: d } }));
    c("mov 8a", encode({ op: [0x8a], reg: rng.int(8), rm: rng.int(2) ? memrm : { reg: rng.int(8) }, rex: rng.int(2) === 0 }));
    c("mov 8b", encode({ pfx, w, op: [0x8b], reg: d, rm }));
    c("mov c6", encode({ op: [0xc6], reg: 0, rm: rng.int(2) ? memrm : { reg: rng.int(8) }, imm: [rng.int(256)] }));
    c("mov c7", encode({ pfx, w, op: [0xc7], reg: 0, rm: rng.int(2) ? memrm : { reg: d }, imm: le(val(rng, 4), size === 2 ? 2 : 4) }));
    c("mov b0", encode({ op: [0xb0], opreg: rng.int(8), imm: [rng.int(256)] }));
    c("mov b8", encode({ pfx, w, op: [0xb8], opreg: d, imm: le(rng.u64(), size) }));
    c("mov moffs load", [...pfx, ...(w ? [0x48] : []), rng.int(2) ? 0xa1 : 0xa0, ...le(BigInt(BLOCK_VA + rng.int(64)), 8)]);
    c("mov moffs store", [...pfx, ...(w ? [0x48] : []), rng.int(2) ? 0xa3 : 0xa2, ...le(BigInt(BLOCK_VA + rng.int(64)), 8)]);
    c("mov sreg", encode({ pfx, w, op: [0x8c], reg: rng.pick([0, 1, 2, 3, 4, 5]), rm: rng.int(2) ? memrm : { reg: d } }));
    c("lea", encode({ pfx, w, op: [0x8d], reg: d, rm: { base: s, index: pick(rng), scale: rng.int(4), disp: Number(BigInt.asIntN(32, rng.u64())) } }));
    c("lea a32", [0x67, ...encode({ pfx, w, op: [0x8d], reg: d, rm: { base: s, index: pick(rng), scale: rng.int(4), disp: rng.int(1 << 30) } })]);
    c("lea rip", [...pfx, 0x48 | (d >= 8 ? 4 : 0), 0x8d, 0x05 | ((d & 7) << 3), ...le(rng.int(1 << 20) - (1 << 19), 4)]);
    c("xchg", encode({ pfx, w, op: [size === 1 ? 0x86 : 0x87], reg: s, rm: rng.int(2) ? memrm : { reg: d } }));
    c("xchg8", encode({ op: [0x86], reg: rng.int(8), rm: rng.int(2) ? memrm : { reg: rng.int(8) } }));
    c("xchg 90+r", encode({ pfx, w, op: [0x90], opreg: rng.int(16) === 4 ? 0 : rng.pick([0, 1, 2, 5, 8, 9, 15]) }));
    c("bswap", encode({ w: k % 2 === 0, op: [0x0f, 0xc8], opreg: d }));
    out.push(mk("bswap16", encode({ pfx: [0x66], op: [0x0f, 0xc8], opreg: d }), regs, block, { rflags: fl, vendorSpecific: "16-bit BSWAP" }));
    c("cbw-family", [...pfx, ...(w ? [0x48] : []), 0x98]);
    c("cwd-family", [...pfx, ...(w ? [0x48] : []), 0x99]);
    c("xlat", [0xd7]);
    c("lahf", [0x9f]);
    c("sahf", [0x9e]);
    c("clc", [0xf8]); c("stc", [0xf9]); c("cmc", [0xf5]); c("cld", [0xfc]); c("std", [0xfd]);
    c("test 84 high", encode({ op: [0x84], reg: 4 + rng.int(4), rm: { reg: rng.int(8) } }));
  }
  return out;
}

export function stackCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  const target = BigInt(CODE_VA + CODE_OFF + 0x40);
  for (let k = 0; k < n; k++) {
    const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng) | (rng.int(2) ? FLAG_DF : 0n);
    const d = pick(rng);
    const c = (name: string, code: number[], e: Partial<Case> = {}) => out.push(mk(name, code, [...regs], block, { rflags: fl, ...e }));
    const o16 = k % 4 === 0 ? [0x66] : [];
    c("push r", [...o16, ...encode({ op: [0x50], opreg: rng.pick([0, 1, 3, 4, 5, 9, 15]) })]);
    c("pop r", [...o16, ...encode({ op: [0x58], opreg: rng.pick([0, 1, 3, 4, 5, 9, 15]) })]);
    c("push imm8", [...o16, 0x6a, rng.int(256)]);
    c("push imm32", [...o16, 0x68, ...le(val(rng, 4), o16.length ? 2 : 4)]);
    c("push rm", [...o16, ...encode({ op: [0xff], reg: 6, rm: rng.int(2) ? { base: RBX, disp: rng.int(32) } : { reg: d } })]);
    c("pop rm", [...o16, ...encode({ op: [0x8f], reg: 0, rm: rng.int(2) ? { base: rng.pick([RBX, RSP]), disp: rng.int(32) } : { reg: d } })]);
    c("pushf", [...o16, 0x9c]);
    { const b = block.slice(); poke(b, 0x80, (rng.u64() & ~0xffffn) | (rng.u64() & 0xcd5n), 8); out.push(mk("popf", [...o16, 0x9d], regs, b, { rflags: fl })); }
    c("pushf-popf", [0x9c, 0x9d]);
    c("call rel32", [0xe8, ...le(0x40 - 5, 4)]);
    { const r = [...regs]; r[d] = target; out.push(mk("call reg", encode({ op: [0xff], reg: 2, rm: { reg: d } }), r, block, { rflags: fl })); }
    { const b = block.slice(); poke(b, 8, target, 8); out.push(mk("call mem", encode({ op: [0xff], reg: 2, rm: { base: RBX, disp: 8 } }), regs, b, { rflags: fl })); }
    { const r = [...regs]; r[d] = target; out.push(mk("jmp reg", encode({ op: [0xff], reg: 4, rm: { reg: d } }), r, block, { rflags: fl })); }
    { const b = block.slice(); poke(b, 0x80, target, 8); out.push(mk("ret", [0xc3], regs, b, { rflags: fl })); }
    { const b = block.slice(); poke(b, 0x80, target, 8); out.push(mk("ret imm", [0xc2, ...le(rng.int(64), 2)], regs, b, { rflags: fl })); }
    { const r = [...regs]; r[5] = MEM_BASE + BigInt(8 * rng.int(8)); out.push(mk("leave", [...o16, 0xc9], r, block, { rflags: fl })); }
    { const r = [...regs]; r[5] = MEM_BASE + BigInt(8 * rng.int(8) + 0x40); out.push(mk("enter", [...o16, 0xc8, ...le(rng.int(64), 2), rng.pick([0, 0, 1, 2, 3])], r, block, { rflags: fl })); }
    c("call-ret", [0xe8, 1, 0, 0, 0, 0xcc, 0xc3]);
    c("push fs/gs", [...o16, 0x0f, rng.pick([0xa0, 0xa8])]);
  }
  return out;
}

export function stringCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  const names = ["movs", "cmps", "stos", "lods", "scas"];
  const ops = [0xa4, 0xa6, 0xaa, 0xac, 0xae];
  for (let kind = 0; kind < 5; kind++) {
    for (const size of [1, 2, 4, 8]) {
      for (const rep of [0, 0xf3, 0xf2]) {
        for (let k = 0; k < n; k++) {
          const regs = stdRegs(rng), block = stdBlock(rng);
          const df = rng.int(2) === 1;
          const fl = randFlags(rng) | (df ? FLAG_DF : 0n);
          // make the strings partly equal so REPE/REPNE stop at interesting places
          for (let i = 0; i < 64; i++) if (rng.int(3)) block[0x100 + i] = block[0x40 + i];
          const count = rng.pick([0, 1, 2, 3, 5, 8, 13]);
          regs[1] = (rng.int(2) ? 0n : rng.u64() & ~0xffffffffn) | BigInt(count);
          regs[6] = BigInt(BLOCK_VA + 0x40 + (df ? 0x30 : 0));
          regs[7] = BigInt(BLOCK_VA + 0x100 + (df ? 0x30 : 0));
          if (kind === 4 || kind === 1) regs[0] = (regs[0] & ~0xffn) | BigInt(block[0x100 + rng.int(16)]);
          const a32 = k % 5 === 4;
          const code = [...(a32 ? [0x67] : []), ...(size === 2 ? [0x66] : []), ...(rep ? [rep] : []), ...(size === 8 ? [0x48] : []), ops[kind] + (size > 1 ? 1 : 0)];
          const step = k % 3 === 2 ? 1 : undefined;
          // a 32-bit-address REP with ECX = 0: Intel zeroes RCX[63:32], AMD leaves RCX alone
          const vendorSpecific = rep && a32 && count === 0 && regs[1] >> 32n !== 0n ? "RCX[63:32] after a 32-bit-address REP with ECX = 0" : undefined;
          out.push(mk(`${rep === 0xf3 ? "rep " : rep === 0xf2 ? "repne " : ""}${names[kind]}/${size * 8}${df ? " std" : ""}${a32 ? " a32" : ""}${step ? " step1" : ""}`, code, regs, block,
            { rflags: fl, stepBudget: step, vendorSpecific, repFaultFlags: rep !== 0 && (kind === 1 || kind === 4) }));
        }
      }
    }
  }
  // a REP store running into the unmapped page after the data: #PF part way, state resumable
  for (let k = 0; k < n; k++) {
    const regs = stdRegs(rng), block = stdBlock(rng);
    const size = [1, 2, 4, 8][k % 4];
    regs[1] = BigInt(20 + rng.int(20));
    regs[7] = BigInt(DATA_VA + DATA_LEN - 8 * (1 + rng.int(4)) + rng.int(8));
    regs[6] = BigInt(BLOCK_VA);
    const code = [...(size === 2 ? [0x66] : []), 0xf3, ...(size === 8 ? [0x48] : []), (k & 4 ? 0xa4 : 0xaa) + (size > 1 ? 1 : 0)];
    out.push(mk(`rep ${k & 4 ? "movs" : "stos"}/${size * 8} into unmapped page`, code, regs, block, { stepBudget: k % 2 ? 3 : undefined }));
  }
  return out;
}

export function atomicCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  for (const size of [1, 2, 4, 8]) {
    const { pfx, w } = sp(size);
    const b = size === 1 ? 0 : 1;
    for (let k = 0; k < n; k++) {
      const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
      const mem = rng.int(2) === 0;
      const d = pick(rng, [0]), s = pick(rng, [d]);
      const disp = rng.int(32);
      const lock = mem && rng.int(2) === 0 ? [0xf0] : [];
      const rm = mem ? { base: RBX, disp } : { reg: d };
      const dv = val(rng, size);
      if (mem) poke(block, disp, dv, size); else setLow(regs, d, dv, size);
      if (rng.int(2)) setLow(regs, 0, dv, size); // success
      out.push(mk(`cmpxchg/${size * 8}${mem ? " mem" : ""}${lock.length ? " lock" : ""}`, [...lock, ...encode({ pfx, w, op: [0x0f, 0xb0 + b], reg: s, rm })], regs, block, { rflags: fl }));
      out.push(mk(`xadd/${size * 8}${mem ? " mem" : ""}`, [...lock, ...encode({ pfx, w, op: [0x0f, 0xc0 + b], reg: s, rm })], regs, block, { rflags: fl }));
      out.push(mk(`lock add/${size * 8}`, [0xf0, ...encode({ pfx, w, op: [0x00 + b], reg: s, rm })], regs, block, { rflags: fl }));
      out.push(mk(`lock inc/${size * 8}`, [0xf0, ...encode({ pfx, w, op: [0xfe + b], reg: 0, rm })], regs, block, { rflags: fl }));
      // (a register bit offset on memory can reach far: keep it inside the data pages)
      const btRegs = [...regs]; btRegs[s] = BigInt(rng.int(3500) - 1000);
      out.push(mk(`lock bts/${size * 8}`, [0xf0, ...encode({ pfx: size === 1 ? [0x66] : pfx, w, op: [0x0f, 0xab], reg: s, rm })], btRegs, block, { rflags: fl, flagMask: maskOf(F.BT) }));
      out.push(mk(`lock mov (UD)`, [0xf0, ...encode({ pfx, w, op: [0x88 + b], reg: s, rm })], regs, block, { rflags: fl }));
      out.push(mk(`lock xchg/${size * 8}`, [0xf0, ...encode({ pfx, w, op: [0x86 + b], reg: s, rm })], regs, block, { rflags: fl }));
    }
  }
  for (const wide of [false, true]) {
    for (let k = 0; k < n; k++) {
      const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
      const disp = wide ? (k % 5 === 0 ? 8 * rng.int(4) + 8 : 16 * rng.int(4)) : 8 * rng.int(8);
      if (rng.int(2)) { poke(block, disp, regs[0], wide ? 8 : 4); poke(block, disp + (wide ? 8 : 4), regs[2], wide ? 8 : 4); }
      out.push(mk(`cmpxchg${wide ? 16 : 8}b`, [...(k % 2 ? [0xf0] : []), ...encode({ w: wide, op: [0x0f, 0xc7], reg: 1, rm: { base: RBX, disp } })], regs, block, { rflags: fl }));
    }
  }
  return out;
}

export function faultCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  for (let k = 0; k < n; k++) {
    const regs = stdRegs(rng), block = stdBlock(rng), fl = randFlags(rng);
    const c = (name: string, code: number[], r = regs) => out.push(mk(name, code, r, block, { rflags: fl }));
    c("ud2", [0x0f, 0x0b]);
    c("ud1", [0x0f, 0xb9, 0xc0]);
    c("int3", [0xcc]);
    c("int 3", [0xcd, 0x03]);
    c("int 0x21", [0xcd, 0x21]);
    c("int 4 (#OF, a trap)", [0xcd, 0x04]);
    c("int 0xfd (#GP, error code 0x7ea)", [0xcd, 0xfd]);
    c("int 0xff", [0xcd, 0xff]);
    c("int1", [0xf1]);
    c("hlt", [0xf4]);
    c("cli", [0xfa]);
    c("sti", [0xfb]);
    c("in", [0xe4, 0x60]);
    c("out", [0xee]);
    c("insb", [0x6c]);
    c("into (invalid)", [0xce]);
    c("salc (invalid)", [0xd6]);
    c("push es (invalid)", [0x06]);
    c("lock nop (UD)", [0xf0, 0x90]);
    c("lock add reg (UD)", [0xf0, 0x01, 0xc8]);
    c("lea reg (UD)", [0x8d, 0xc0]);
    const r = [...regs];
    r[3] = BigInt(DATA_VA + DATA_LEN - 4 + rng.int(8));
    c("read crossing into unmapped", encode({ w: true, op: [0x8b], reg: 0, rm: { base: RBX, disp: 0 } }), r);
    c("write crossing into unmapped", encode({ w: true, op: [0x89], reg: 0, rm: { base: RBX, disp: 0 } }), r);
    c("rmw crossing into unmapped", encode({ w: true, op: [0x01], reg: 0, rm: { base: RBX, disp: 0 } }), r);
    c("push into unmapped", [0x50], r.map((v, i) => (i === RSP ? BigInt(DATA_VA) + BigInt(rng.int(8)) : v)));
    c("call into unmapped stack", [0xe8, 0, 0, 0, 0], r.map((v, i) => (i === RSP ? BigInt(DATA_VA) + BigInt(rng.int(8)) : v)));
    const nc = [...regs]; nc[3] = 0x0000800000000000n + BigInt(rng.int(4096));
    c("non-canonical read", encode({ op: [0x8b], reg: 0, rm: { base: RBX, disp: 0 } }), nc);
    const nx = [...regs]; nx[0] = BigInt(BLOCK_VA);
    c("jump to NX data", [0xff, 0xe0], nx);
    const um = [...regs]; um[0] = 0x30000000n;
    c("jump to unmapped", [0xff, 0xe0], um);
    c("div by zero keeps state", [0x48, 0xf7, 0xf1], regs.map((v, i) => (i === 1 ? 0n : v)));
  }
  return out;
}

export function nopCases(rng: Rng): Case[] {
  const regs = stdRegs(rng), block = stdBlock(rng);
  const list: number[][] = [
    [0x90], [0x66, 0x90], [0xf3, 0x90], [0x0f, 0x1f, 0x00], [0x0f, 0x1f, 0x40, 0x00], [0x0f, 0x1f, 0x44, 0x00, 0x00],
    [0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00], [0x0f, 0x1f, 0x80, 0, 0, 0, 0], [0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0],
    [0xf3, 0x0f, 0x1e, 0xfa], [0x0f, 0x18, 0x0b], [0x0f, 0x18, 0x43, 0x10], [0x0f, 0x0d, 0x0b], [0x9b],
    [0x41, 0x90], [0x48, 0x90], [0xf3, 0xc3 - 0xc3 + 0x90], [0x3e, 0x90], [0x2e, 0x90],
  ];
  return list.map((code) => mk("nop", code, regs, block, { rflags: randFlags(rng) }));
}

// Short random sequences of flag producers and consumers (lazy-flag plumbing:
// MUL/BT/rotates park the previous record, INC keeps CF, ADC/SBB/Jcc/SETcc read),
// ending in a PUSHF that stores every flag. Each instruction says which flags it
// reads, defines and leaves undefined (flagdefs.ts), so the case knows which
// final flags the SDM defines and whether an undefined one was consumed on the way.
export interface SeqInsn { bytes: number[]; name: string; effect: F.FlagEffect; bsfSource?: { reg: number; size: number } }

const ALU_OPS: Record<number, [string, F.FlagEffect]> = {
  0x01: ["add", F.ADD_SUB], 0x29: ["sub", F.ADD_SUB], 0x39: ["cmp", F.ADD_SUB], 0x11: ["adc", F.ADC_SBB],
  0x19: ["sbb", F.ADC_SBB], 0x21: ["and", F.LOGIC], 0x31: ["xor", F.LOGIC], 0x85: ["test", F.LOGIC],
};
const GRP1: Array<[string, F.FlagEffect]> = [["add", F.ADD_SUB], ["or", F.LOGIC], ["adc", F.ADC_SBB], ["sbb", F.ADC_SBB], ["and", F.LOGIC], ["sub", F.ADD_SUB], ["xor", F.LOGIC], ["cmp", F.ADD_SUB]];
const CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
const ONE_BYTE: Record<number, [string, F.FlagEffect]> = { 0xf5: ["cmc", F.CMC], 0xf8: ["clc", F.CLC_STC], 0xf9: ["stc", F.CLC_STC], 0x9e: ["sahf", F.SAHF], 0x9f: ["lahf", F.LAHF] };

export const SEQUENCE_POOL: Array<(r: Rng) => SeqInsn> = [
  (r) => {
    const w = r.int(2) === 0, op = r.pick([0x01, 0x29, 0x39, 0x11, 0x19, 0x21, 0x31, 0x85]), reg = pick(r), rm = pick(r);
    return { bytes: encode({ w, op: [op], reg, rm: { reg: rm } }), name: ALU_OPS[op][0], effect: ALU_OPS[op][1] };
  },
  (r) => {
    const reg = r.int(8), rm = pick(r), imm = r.int(256), w = r.int(2) === 0;
    return { bytes: encode({ op: [0x83], reg, rm: { reg: rm }, imm: [imm], w }), name: `${GRP1[reg][0]} imm8`, effect: GRP1[reg][1] };
  },
  (r) => {
    const w = r.int(2) === 0, reg = r.int(2), rm = pick(r);
    return { bytes: encode({ w, op: [0xff], reg, rm: { reg: rm } }), name: reg ? "dec" : "inc", effect: F.INC_DEC };
  },
  (r) => {
    const w = r.int(2) === 0, reg = pick(r), rm = pick(r);
    return { bytes: encode({ w, op: [0x0f, 0xaf], reg, rm: { reg: rm } }), name: "imul", effect: F.MUL };
  },
  (r) => {
    const w = r.int(2) === 0, reg = 4 + r.int(2), rm = pick(r, [0, 2]);
    return { bytes: encode({ w, op: [0xf7], reg, rm: { reg: rm } }), name: reg === 4 ? "mul" : "imul", effect: F.MUL };
  },
  (r) => {
    const w = r.int(2) === 0, reg = 4 + r.int(4), rm = pick(r), imm = r.int(64);
    return { bytes: encode({ w, op: [0x0f, 0xba], reg, rm: { reg: rm }, imm: [imm] }), name: ["bt", "bts", "btr", "btc"][reg - 4], effect: F.BT };
  },
  (r) => {
    const w = r.int(2) === 0, reg = r.int(8), rm = pick(r), imm = r.pick([0, 1, 3, 31, 63]);
    return { bytes: encode({ w, op: [0xc1], reg, rm: { reg: rm }, imm: [imm] }), name: `${["rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"][reg]} ${imm}`, effect: F.shiftEffect(reg, w ? 8 : 4, imm) };
  },
  (r) => {
    const w = r.int(2) === 0, b = r.int(2), reg = pick(r), rm = pick(r);
    return { bytes: encode({ w, op: [0x0f, 0xbc + b], reg, rm: { reg: rm } }), name: b ? "bsr" : "bsf", effect: F.BSF, bsfSource: { reg: rm, size: w ? 8 : 4 } };
  },
  (r) => { const op = r.pick([0xf5, 0xf8, 0xf9, 0x9e, 0x9f]); return { bytes: [op], name: ONE_BYTE[op][0], effect: ONE_BYTE[op][1] }; },
  (r) => {
    const cc = r.int(16), rm = pick(r, [4, 5, 6, 7]);
    return { bytes: encode({ op: [0x0f, 0x90 + cc], rm: { reg: rm } }), name: `set${CC[cc]}`, effect: F.condEffect(cc) };
  },
  (r) => {
    const cc = r.int(16), reg = pick(r), rm = pick(r);
    return { bytes: encode({ w: true, op: [0x0f, 0x40 + cc], reg, rm: { reg: rm } }), name: `cmov${CC[cc]}`, effect: F.condEffect(cc) };
  },
  // Jcc to the next instruction: either way execution goes on there, so it consumes nothing
  (r) => { const cc = r.int(16); return { bytes: [0x70 + cc, 0], name: `j${CC[cc]} +0`, effect: F.NONE }; },
  (r) => {
    const w = r.int(2) === 0, right = r.int(2), reg = pick(r), rm = pick(r), imm = r.int(64);
    return { bytes: encode({ w, op: [0x0f, 0xa4 + 8 * right], reg, rm: { reg: rm }, imm: [imm] }), name: `${right ? "shrd" : "shld"} ${imm}`, effect: F.shiftDoubleEffect(w ? 8 : 4, imm) };
  },
];

// What the SDM leaves of a sequence: the flags undefined at its end and the
// instructions that read a flag while it was undefined.
export function analyzeSequence(insns: Array<Pick<SeqInsn, "name" | "effect">>): { undefinedAtEnd: bigint; consumed: string[] } {
  const t = new F.FlagTracker();
  for (const i of insns) t.apply(i.name, i.effect);
  return { undefinedAtEnd: t.undefinedNow, consumed: t.consumed };
}

// "setl reads SF" -> "SETcc": the kind of instruction that consumed it, for the counts.
const consumer = (what: string): string => {
  const m = what.split(" ")[0];
  return m.startsWith("set") ? "SETcc" : m.startsWith("cmov") ? "CMOVcc" : m.toUpperCase();
};

export function sequenceCases(rng: Rng, n: number): Case[] {
  const out: Case[] = [];
  for (let k = 0; k < n; k++) {
    const regs = stdRegs(rng), block = stdBlock(rng);
    const len = 2 + rng.int(4);
    const insns: SeqInsn[] = [];
    for (let i = 0; i < len; i++) insns.push(rng.pick(SEQUENCE_POOL)(rng));
    out.push(sequenceCase(insns, regs, block, randFlags(rng)));
  }
  return out;
}

// The instructions, then a PUSHF (every flag reaches memory, at RSP - 8).
export function sequenceCase(insns: SeqInsn[], regs: bigint[], block: Uint8Array, rflags: bigint): Case {
  const code: number[] = [];
  const zeroSourceAt: Array<{ at: number; reg: number; size: number }> = [];
  for (const i of insns) {
    if (i.bsfSource) zeroSourceAt.push({ at: code.length, ...i.bsfSource });
    code.push(...i.bytes);
  }
  code.push(0x9c);
  const a = analyzeSequence(insns);
  return mk(`sequence ${insns.map((i) => i.name).join("; ")}`, code, regs, block, {
    rflags,
    flagMask: FLAGS_ALL & ~a.undefinedAtEnd,
    flagWordAt: Number(regs[RSP]) - 8 - BLOCK_VA,
    vendorSpecific: a.consumed.length ? `an undefined flag read by ${consumer(a.consumed[0])}` : undefined,
    zeroSourceAt,
  });
}
