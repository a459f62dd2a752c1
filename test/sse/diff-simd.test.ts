// Differential tests of every SIMD table row added with MMX, SSE3, SSSE3,
// SSE4.1, SSE4.2 and POPCNT (and the SSE/SSE2 rows that name MMX registers)
// against the host CPU: all operand forms, x87/MMX aliasing through FNSAVE
// and FXSAVE images, #MF, #GP for misaligned operands, MXCSR flags and
// rounding modes, PCMPxSTRx over its immediate space. SKYTRACE_SSE_CASES=N
// runs N cases per form (PCMPxSTRx: every imm8 twice, then 2N).
import { describe, it, expect } from "vitest";
import { runDiffCases, runNative, summary, CoreBed, Case } from "../cpu/harness.js";
import { stdRegs, stdBlock, MEM_BASE } from "../cpu/gen/state.js";
import { Rng } from "../cpu/gen/rng.js";
import { simdRows, Row } from "./gen/table.js";
import { simdCase } from "./gen/simd.js";

const PER_FORM = Number(process.env.SKYTRACE_SSE_CASES ?? 0) || 60;

// The rows this file covers; the SSE/SSE2 XMM rows are in diff-sse.test.ts,
// FXSAVE/LDMXCSR/fences there and in diff-x87.test.ts.
// RCPPS & co. are model-specific approximations: diff-approx.test.ts checks them.
const covered = (r: Row) => r.exec !== "approx" && r.exec !== "group15" && (!["SSE", "SSE2"].includes(r.feature) || r.mmx);

function check(name: string, make: () => Case[]): void {
  it(name, () => {
    const r = runDiffCases(make());
    console.log(summary(`simd ${name}`, r));
    expect(r.failures.join("\n\n")).toBe("");
  });
}

describe("SIMD table rows vs host CPU", () => {
  const rows = simdRows().filter(covered);
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const g = r.mmx && r.feature !== "SSSE3" ? `${r.feature}-mmx` : r.exec === "pcmpstr" ? "SSE42-pcmpstr" : r.feature;
    groups.set(g, [...(groups.get(g) ?? []), r]);
  }
  let seed = 500;
  for (const [g, list] of groups) {
    const rng = new Rng(seed++);
    // PCMPxSTRx: every imm8 twice (bit 7 included), then random ones
    const each = (r: Row) => (r.exec === "pcmpstr" ? Array.from({ length: 512 }, (_, i) => simdCase(rng, r, { imm: i >> 1 })) : []);
    const n = (r: Row) => (r.exec === "pcmpstr" ? PER_FORM * 2 : PER_FORM);
    check(`${g} (${list.length} forms)`, () => list.flatMap((r) => [...each(r), ...Array.from({ length: n(r) }, () => simdCase(rng, r))]));
  }
});

describe("SIMD prefixes and encodings vs host CPU", () => {
  const rows = simdRows().filter(covered);
  check("extra prefixes (repeated, 66 before F2/F3, F2 and F3, REX before legacy prefixes)", () => {
    const rng = new Rng(600);
    const noises = ["dup", "osz", "rep", "rex-first"] as const;
    return rows.flatMap((r) => Array.from({ length: Math.max(4, PER_FORM / 10) }, () => simdCase(rng, r, { noise: rng.pick(noises) })));
  });
  check("LOCK is #UD on every form", () => {
    const rng = new Rng(601);
    return rows.filter((r) => r.modrm).map((r) => {
      const c = simdCase(rng, r, { prelude: "none" });
      const code = Array.from(c.code as number[]);
      return { ...c, name: `lock ${c.name}`, code: [0xf0, ...code] };
    });
  });
});

// Every opcode of the 0F 38 and 0F 3A maps, and the 0F opcodes of the SIMD
// table, with each mandatory prefix, register and memory forms (and every
// /digit of the group opcodes): the core has a row exactly where it runs the
// instruction, every row is an instruction the host runs, and where the host
// says #UD so does the core. Where the host runs an encoding the core has no
// row for, that is an instruction of a feature the core's CPUID does not
// report (SSE4A, MOVBE, AES, SHA, ADX, PCLMULQDQ, GFNI...): listed, not failed.
describe("SIMD encoding space vs host CPU", () => {
  it("#UD exactly where the host's is, and where no table row is", () => {
    const rows = simdRows();
    const PFX = [[], [0x66], [0xf3], [0xf2]] as const;
    const PFXN = ["--", "66", "F3", "F2"] as const;
    const rowFor = (map: string, op: number, p: string, ext: number, mem: boolean) =>
      rows.find((r) => r.map === map && r.op === op && r.pfx === p && (r.ext === undefined || r.ext === ext) && (mem ? r.memForm : r.regForm));
    const ops0F = [...new Set(rows.filter((r) => r.map === "0F").map((r) => r.op)), 0x78, 0x79, 0x7a, 0x7b];
    const groups = new Set([0x71, 0x72, 0x73, 0xae]);
    const rng = new Rng(700);
    const cases: Case[] = [], expect_: Array<{ row: ReturnType<typeof rowFor>; what: string }> = [];
    const add = (map: "0F" | "0F38" | "0F3A", op: number, pi: number, ext: number, mem: boolean) => {
      if (map === "0F" && op === 0x77 && (mem || ext)) return; // EMMS has no ModRM
      if (map === "0F" && op === 0xae && pi === 2 && !mem && (ext === 2 || ext === 3)) return; // WRFSBASE/WRGSBASE would take the harness's TLS
      const esc = map === "0F" ? [0x0f] : map === "0F38" ? [0x0f, 0x38] : [0x0f, 0x3a];
      const modrm = mem ? 0x03 | (ext << 3) : 0xc1 | (ext << 3);
      const code = [...PFX[pi], ...esc, op, ...(op === 0x77 && map === "0F" ? [] : [modrm]), ...(map === "0F3A" || [0x70, 0x71, 0x72, 0x73, 0xc2, 0xc4, 0xc5, 0xc6].includes(op) && map === "0F" ? [rng.int(256)] : [])];
      const regs = stdRegs(rng);
      regs[7] = MEM_BASE; // (MASKMOVQ's destination)
      cases.push({ name: `${PFXN[pi]} ${map} ${op.toString(16)} /${ext} ${mem ? "m" : "r"}`, code, regs, block: stdBlock(rng), xmm: Array.from({ length: 16 }, () => rng.bytes(16)) });
      expect_.push({ row: rowFor(map, op, PFXN[pi], ext, mem), what: cases[cases.length - 1].name! });
    };
    for (const map of ["0F38", "0F3A"] as const) for (let op = 0; op < 256; op++) for (let pi = 0; pi < 4; pi++) for (const mem of [false, true]) add(map, op, pi, 0, mem);
    for (const op of ops0F) for (let pi = 0; pi < 4; pi++) for (const mem of [false, true]) for (let ext = 0; ext < (groups.has(op) ? 8 : 1); ext++) add("0F", op, pi, ext, mem);
    const want = runNative(cases);
    const bed = new CoreBed();
    const bad: string[] = [], hostOnly: string[] = [];
    for (let i = 0; i < cases.length; i++) {
      const got = bed.run(cases[i]);
      const { row, what } = expect_[i];
      const coreUd = got.trapno === 6, hostUd = want[i].trapno === 6;
      if (row) {
        if (coreUd) bad.push(`${what}: ${row.mnemonic} has a row but the core says #UD`);
        if (hostUd) bad.push(`${what}: ${row.mnemonic} has a row but the host says #UD`);
      } else if (!coreUd) bad.push(`${what}: no row, but the core ran it (stop ${got.trapno})`);
      else if (!hostUd) hostOnly.push(what);
    }
    console.log(`simd encodings: ${cases.length} cases; the host runs ${hostOnly.length} the core leaves #UD (features not reported): ${hostOnly.join(", ")}`);
    expect(bad.join("\n")).toBe("");
  });
});
