// CPUID says exactly what the core runs. Each feature flag the core reports
// is checked against the SIMD table (assembly/sse/table.ts): every row's
// feature is reported and every row's forms execute (no #UD, no emulator
// gap, RCPPS/RSQRTPS included). Each feature it does not report
// is checked the other way: its instructions are #UD, or run as a CPU
// without the feature runs them (LZCNT and TZCNT as BSR and BSF, compared
// with the host's BSR/BSF). The kernel's AT_HWCAP is CPUID.1:EDX.
import { describe, it, expect } from "vitest";
import { CoreBed, runNative, Case } from "../cpu/harness.js";
import { Rng } from "../cpu/gen/rng.js";
import { stdRegs } from "../cpu/gen/state.js";
import { simdRows } from "./gen/table.js";
import { simdCase } from "./gen/simd.js";
import { HWCAP_BASELINE } from "../../src/kernel/elf/load.js";

const bed = new CoreBed();
const regs = (init: Record<number, bigint>) => Array.from({ length: 16 }, (_, i) => init[i] ?? (i === 3 ? 0x20000f80n : 0n));
const leaf = (n: number): bigint[] => {
  const o = bed.run({ code: [0x0f, 0xa2], regs: regs({ 0: BigInt(n), 1: 0n }) });
  return [o.gpr[0], o.gpr[3], o.gpr[1], o.gpr[2]]; // eax ebx ecx edx
};
const bit = (v: bigint, n: number) => ((v >> BigInt(n)) & 1n) === 1n;

const [, , ecx1, edx1] = leaf(1);
const [, , ecx8, edx8] = leaf(0x80000001);

// Where each feature the table names lives in CPUID.
const FLAG: Record<string, boolean> = {
  MMX: bit(edx1, 23), FXSR: bit(edx1, 24), SSE: bit(edx1, 25), SSE2: bit(edx1, 26), CLFSH: bit(edx1, 19),
  SSE3: bit(ecx1, 0), SSSE3: bit(ecx1, 9), SSE41: bit(ecx1, 19), SSE42: bit(ecx1, 20), POPCNT: bit(ecx1, 23),
};

describe("CPUID: what is reported runs", () => {
  it("is an x86-64-v2 CPU: CMPXCHG16B, LAHF/SAHF, POPCNT, SSE3, SSSE3, SSE4.1, SSE4.2 (and MMX, SSE, SSE2 of the baseline)", () => {
    for (const f of ["MMX", "SSE", "SSE2", "SSE3", "SSSE3", "SSE41", "SSE42", "POPCNT"]) expect(FLAG[f], f).toBe(true);
    expect(bit(ecx1, 13)).toBe(true); // CX16
    expect(bit(ecx8, 0)).toBe(true);  // LAHF/SAHF
    expect(bit(edx8, 23)).toBe(true); // MMX, mirrored as AMD does
    expect(bit(edx8, 22)).toBe(true); // AMD's MMX extensions (PSHUFW, PMINUB mm, ...: SSE's integer MMX forms)
    // CMPXCHG16B m128 and LAHF/SAHF execute
    expect(bed.run({ code: [0x48, 0x0f, 0xc7, 0x0b], regs: regs({}) }).trapno).toBe(3);
    expect(bed.run({ code: [0x9f, 0x9e] }).trapno).toBe(3);
  });

  const rows = simdRows();
  it("every SIMD table row's feature is reported", () => {
    const unreported = rows.filter((r) => !FLAG[r.feature]).map((r) => `${r.mnemonic} (${r.feature})`);
    expect(unreported).toEqual([]);
  });

  it("every form of every row executes", () => {
    const rng = new Rng(800);
    const bad: string[] = [];
    for (const r of rows) {
      for (const mem of [false, true]) {
        if (!(mem ? r.memForm : r.regForm)) continue;
        const c = simdCase(rng, r, { prelude: "none", mem, aligned: true });
        if (r.exec === "group15" && mem) continue; // FXSAVE & co. on [rbx+disp]: diff-x87/diff-sse check them
        const o = bed.run(c);
        if (o.trapno === 6 || o.trapno === -1) bad.push(`${c.name}: stop ${o.trapno} ${o.note ?? ""}`);
      }
    }
    expect(bad.join("\n")).toBe("");
  });

  it("FISTTP (SSE3) executes: m16, m32, m64", () => {
    for (const modrm of [[0xdf, 0x0b], [0xdb, 0x0b], [0xdd, 0x0b]]) {
      expect(bed.run({ code: [0xd9, 0xe8, ...modrm], regs: regs({}) }).trapno).toBe(3); // fld1; fisttp [rbx]
    }
  });

  it("the kernel's AT_HWCAP is CPUID.1:EDX", () => {
    expect(BigInt(HWCAP_BASELINE)).toBe(edx1);
  });
});

describe("CPUID: what is not reported does not run", () => {
  // Each: the CPUID bit that would report it (leaf, register, bit), and an encoding.
  const absent: Array<[string, number, "ecx" | "edx" | "ebx", number, number[]]> = [
    ["MONITOR", 1, "ecx", 3, [0x0f, 0x01, 0xc8]],
    ["PCLMULQDQ", 1, "ecx", 1, [0x66, 0x0f, 0x3a, 0x44, 0xc1, 0x00]],
    ["MOVBE", 1, "ecx", 22, [0x0f, 0x38, 0xf0, 0x03]],
    ["AES", 1, "ecx", 25, [0x66, 0x0f, 0x38, 0xdc, 0xc1]],
    ["XSAVE", 1, "ecx", 26, [0x0f, 0xae, 0x23]],
    ["AVX (VEX vaddps)", 1, "ecx", 28, [0xc5, 0xf0, 0x58, 0xc2]],
    ["F16C", 1, "ecx", 29, [0xc4, 0xe2, 0x79, 0x13, 0xc1]],
    ["RDRAND", 1, "ecx", 30, [0x48, 0x0f, 0xc7, 0xf0]],
    ["SSE4A (EXTRQ)", 0x80000001, "ecx", 6, [0x66, 0x0f, 0x79, 0xc1]],
    ["SSE4A (MOVNTSD)", 0x80000001, "ecx", 6, [0xf2, 0x0f, 0x2b, 0x03]],
    ["3DNow! (FEMMS)", 0x80000001, "edx", 31, [0x0f, 0x0e]],
    ["3DNow! (PFADD)", 0x80000001, "edx", 31, [0x0f, 0x0f, 0xc1, 0x9e]],
    ["XOP", 0x80000001, "ecx", 11, [0x8f, 0xe9, 0x78, 0xc2, 0xc1]],
    ["FMA4", 0x80000001, "ecx", 16, [0xc4, 0xe3, 0xf1, 0x69, 0xc2, 0x30]],
  ];
  const get = (l: number, r: "ecx" | "edx" | "ebx") => { const v = leaf(l); return r === "ecx" ? v[2] : r === "edx" ? v[3] : v[1]; };
  for (const [name, l, r, b, code] of absent) {
    it(`${name}: not reported, #UD`, () => {
      expect(bit(get(l, r), b)).toBe(false);
      expect(bed.run({ code, regs: regs({}) }).trapno).toBe(6);
    });
  }
  it("leaf 7 (BMI1/2, ADX, SHA, FSGSBASE, ERMS, AVX2) is above the maximum leaf; its instructions are #UD", () => {
    expect(leaf(0)[0]).toBe(1n);
    for (const code of [
      [0x66, 0x0f, 0x38, 0xf6, 0xc1],       // ADCX
      [0x0f, 0x38, 0xc9, 0xc1],             // SHA1MSG1
      [0xf3, 0x48, 0x0f, 0xae, 0xc0],       // RDFSBASE
      [0xc4, 0xe2, 0x70, 0xf2, 0xc2],       // ANDN (BMI1)
    ]) expect(bed.run({ code, regs: regs({}) }).trapno).toBe(6);
  });

  // LZCNT (ABM, 80000001h ECX bit 5) and TZCNT (BMI1) are not reported: their
  // encodings are BSR and BSF with a REP prefix, which a CPU without them
  // ignores. The host has both, so the core's F3 0F BD/BC is compared with the
  // host's plain 0F BD/BC: result and the flags BSR/BSF define (ZF).
  it("F3 0F BD (LZCNT) and F3 0F BC (TZCNT) run as BSR and BSF, as the host's BSR/BSF", () => {
    expect(bit(ecx8, 5)).toBe(false);
    const rng = new Rng(801);
    const cases: Case[] = [], mine: Case[] = [];
    for (let i = 0; i < 200; i++) {
      const r = stdRegs(rng);
      r[1] = rng.pick([0n, 1n, 0x100n, 1n << 63n, rng.u64(), rng.u64() >> BigInt(rng.int(64))]);
      const w = rng.pick([[0x48], [], [0x66]]);
      const size = w[0] === 0x48 ? 64 : w[0] === 0x66 ? 16 : 32;
      if (BigInt.asUintN(size, r[1]) === 0n) r[1] |= 1n; // (a zero source leaves BSF/BSR's destination undefined: diff-int covers it)
      const op = rng.pick([0xbc, 0xbd]);
      const plain = [...(w[0] === 0x66 ? [0x66] : []), ...(w[0] === 0x48 ? [0x48] : []), 0x0f, op, 0xc1];
      const rep = [0xf3, ...plain];
      cases.push({ name: "bs", code: plain, regs: r, rflags: 0n });
      mine.push({ name: "rep bs", code: rep, regs: r, rflags: 0n });
    }
    const want = runNative(cases);
    const bad: string[] = [];
    for (let i = 0; i < mine.length; i++) {
      const g = bed.run(mine[i]);
      if (g.gpr[0] !== want[i].gpr[0] || (g.rflags & 0x40n) !== (want[i].rflags & 0x40n) || g.trapno !== 3) {
        bad.push(`${Buffer.from(mine[i].code as number[]).toString("hex")} rcx=${mine[i].regs![1].toString(16)}: want rax=${want[i].gpr[0].toString(16)} got ${g.gpr[0].toString(16)}`);
      }
    }
    expect(bad.join("\n")).toBe("");
  });
});
