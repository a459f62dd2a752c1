// The instruction table (src/isa/table.ts) is the one source of an
// instruction's facts; this file holds it to account:
//  - assembly/decoder/insns.ts is what scripts/gen-insn-table.mjs makes of it
//    (a stale generated file fails here);
//  - every row's flags against the interpreter: a flag the row does not list as
//    written or undefined is unchanged, an undefined flag has the value
//    docs/cpu-model.md gives it, a flag the row does not list as read changes
//    nothing but itself; and the same cases against the host CPU;
//  - the JIT's flag liveness (src/machine/jit) kills a flag record only where
//    the table says the next instruction rewrites every flag without reading one.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { CoreBed, Outcome, runDiffCases, summary, FLAGS_ARITH } from "./harness.js";
import { Rng } from "./gen/rng.js";
import { rowCases, sampledRows, allShapes, gapCases, RowCase } from "./gen/rows.js";
import { shiftEffect, shiftDoubleEffect, effectOfFacts } from "./gen/flagdefs.js";
import { ROWS, Row, rowFor, fastOf, FAST, ARITH, undefBits, flagNames, SHAPES } from "../../src/isa/table.js";
// @ts-expect-error: a build script without types
import { generate, OUT } from "../../scripts/gen-insn-table.mjs";
import { compileTrace, JIT_IMPORTS } from "../../src/machine/jit/compile.js";
import { STATE, TC_BASE, TC_BLOCK, TC_ENTRIES } from "../../src/machine/layout.js";

describe("the instruction table", () => {
  it("assembly/decoder/insns.ts is generated from it (run node scripts/gen-insn-table.mjs when this fails)", async () => {
    expect(readFileSync(OUT, "utf8") === (await generate())).toBe(true);
  });

  it("gives every opcode of the four maps one shape, and every encoding at most one row", () => {
    const shapes = allShapes();
    expect(shapes.length).toBe(0x400);
    for (const s of shapes) expect(SHAPES).toContain(s);
    for (let op = 0; op < 0x400; op++) for (let pf = 0; pf < 4; pf++) for (const mem of [false, true]) for (let ext = 0; ext < 8; ext++)
      rowFor(op, pf, mem, ext); // throws on two equally specific rows
  });

  it("names what each prefix byte is, and only prefix bytes", () => {
    for (const r of ROWS) {
      if (r.prefix) expect(r.shape, r.mnemonic).toBe("p");
      if (r.shape === "p" && r.op !== 0x0f && r.op >> 8 === 0) expect(r.prefix, r.mnemonic).toBeDefined();
    }
    expect(ROWS.filter((r) => r.prefix).map((r) => r.op).sort((a, b) => a - b)).toEqual(
      [0x26, 0x2e, 0x36, ...Array.from({ length: 16 }, (_, i) => 0x40 + i), 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3].sort((a, b) => a - b));
  });

  it("has the shift and rotate rows' count rules (flagdefs.ts) inside their flag facts", () => {
    for (const op of [0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3]) for (let kind = 0; kind < 8; kind++) {
      const f = rowFor(op, 0, false, kind)!.flags;
      const row = effectOfFacts(f), all = BigInt(f.writes | undefBits(f));
      for (const size of [1, 2, 4, 8]) for (let count = 0; count < 70; count++) {
        if ((op === 0xd0 || op === 0xd1) && count !== 1) continue;
        const e = shiftEffect(kind, op & 1 ? size : 1, count);
        expect(e.reads & ~row.reads).toBe(0n);
        expect((e.defines | e.undefines) & ~all).toBe(0n);
      }
    }
    for (const op of [0x1a4, 0x1a5, 0x1ac, 0x1ad]) {
      const f = rowFor(op, 0, false, 0)!.flags, all = BigInt(f.writes | undefBits(f));
      for (const size of [2, 4, 8]) for (let count = 0; count < 70; count++) {
        const e = shiftDoubleEffect(size, count);
        expect((e.defines | e.undefines) & ~all).toBe(0n);
      }
    }
  });
});

// ---------------------------------------------------------------- flags vs the interpreter
const FLAG_BITS = [0x1n, 0x4n, 0x10n, 0x40n, 0x80n, 0x800n];
const same = (a: Outcome, b: Outcome): boolean =>
  a.trapno === b.trapno && a.rip === b.rip && a.block === b.block && a.gpr.every((v, i) => v === b.gpr[i]) && a.err === b.err && a.cr2 === b.cr2;

// What is wrong with the flags of one run of case c from incoming flags `fin`, by the row's facts.
function flagErrors(c: RowCase, fin: bigint, o: Outcome): string[] {
  const f = c.row.flags, out: string[] = [];
  const changed = Number((o.rflags ^ fin) & FLAGS_ARITH);
  if (o.trapno !== 3) { if (changed) out.push(`a fault (vector ${o.trapno}) changed ${flagNames(changed)}`); return out; }
  if (f.by === "count" && c.count === 0) { if (changed) out.push(`a count of 0 changed ${flagNames(changed)}`); return out; }
  const stray = changed & ~(f.writes | undefBits(f));
  if (stray) out.push(`changed ${flagNames(stray)}, which the row says it leaves`);
  for (const [name, policy] of Object.entries(f.undef)) {
    const bit = BigInt({ CF: 0x1, PF: 0x4, AF: 0x10, ZF: 0x40, SF: 0x80, OF: 0x800 }[name]!);
    const now = o.rflags & bit, before = fin & bit;
    if (policy === "keep" && now !== before) out.push(`${name} undefined: kept, as docs/cpu-model.md says, but changed`);
    if (policy === "0" && now !== 0n) out.push(`${name} undefined: cleared, as docs/cpu-model.md says, but set`);
    if (policy === "1" && now === 0n) out.push(`${name} undefined: set, as docs/cpu-model.md says, but clear`);
  }
  return out;
}

describe("every row's flags", () => {
  const cases = rowCases(new Rng(0x7ab1e), 4);

  it("cover every sampled row", () => {
    const covered = new Set(cases.map((c) => c.row));
    expect(sampledRows().filter((r) => !covered.has(r)).map((r) => r.mnemonic)).toEqual([]);
    expect(cases.length).toBeGreaterThan(1000);
  });

  it("in the interpreter: unlisted flags unchanged, undefined ones as docs/cpu-model.md says, unlisted reads change nothing", () => {
    const bed = new CoreBed();
    const errors: string[] = [];
    for (const c of cases) {
      const runs = [c.rflags!, c.rflags! ^ FLAGS_ARITH].map((fin) => ({ fin, o: bed.run({ ...c, rflags: fin }) }));
      for (const { fin, o } of runs) for (const e of flagErrors(c, fin, o)) errors.push(`${c.name}: ${e}`);
      // A flag the row does not read: flipping it changes nothing but (perhaps) itself
      // (unless the same input gives another result anyway: RDTSC's clock runs on).
      const base = runs[0].o;
      if (!same(base, bed.run(c))) continue;
      for (const b of FLAG_BITS) {
        if ((BigInt(c.row.flags.reads) & b) !== 0n) continue;
        const o = bed.run({ ...c, rflags: c.rflags! ^ b });
        if (!same(base, o) || ((base.rflags ^ o.rflags) & FLAGS_ARITH & ~b) !== 0n)
          errors.push(`${c.name}: reads ${flagNames(Number(b))}, which the row does not list`);
      }
    }
    console.log(`insn table: ${cases.length} cases over ${new Set(cases.map((c) => c.row)).size} rows, ${errors.length} flag facts broken`);
    expect(errors.slice(0, 20)).toEqual([]);
  }, 120_000);

  it("on the host CPU (the rows that can run in the native harness)", () => {
    const r = runDiffCases(cases.filter((c) => c.row.sample !== "core"), { maxReports: 1000 });
    console.log(summary("insn table rows", r));
    expect(r.failures).toEqual([]);
  }, 120_000);
});

describe("an encoding no row fits", () => {
  const cases = gapCases(new Rng(0x6a95));
  it("is #UD in the core", () => {
    const bed = new CoreBed();
    const wrong = cases.filter((c) => bed.run(c).trapno !== 6).map((c) => c.name);
    console.log(`insn table: ${cases.length} encodings without a row, ${cases.filter((c) => c.host).length} of them also run on the host`);
    expect(cases.length).toBeGreaterThan(30);
    expect(wrong).toEqual([]);
  });
  it("is #UD on the host CPU (those every model rejects, and 0F 0D register forms on AMD)", () => {
    const r = runDiffCases(cases.filter((c) => c.host));
    console.log(summary("encodings without a row", r));
    expect(r.failures).toEqual([]);
  }, 60_000);
});

// ---------------------------------------------------------------- the JIT's flag liveness
// A decoded slot (assembly/decoder/slot.ts) for a register or memory form of a row.
function slotBytes(op: number, ext: number, mem: boolean, pf: number, fast: number): Uint8Array {
  const s = new Uint8Array(32), v = new DataView(s.buffer);
  v.setUint16(0, op, true);
  s[2] = 3;                                        // length
  s[3] = (pf === 1 ? 1 : pf === 2 ? 8 : pf === 3 ? 4 : 0) | (mem ? 32 : 0);
  s[4] = 0x48;                                     // REX.W
  s[5] = mem ? (ext << 3) | 3 : 0xc0 | (ext << 3) | 1;
  s[6] = ext; s[7] = mem ? 3 : 1;                  // reg, rm (rcx; [rbx])
  s[8] = mem ? 3 : 16; s[9] = 16;                  // base, index (R_NONE)
  s[24] = 8; s[26] = 8;                            // operand and address size
  s[27] = fast;
  return s;
}

// Compile the slots as a trace and run it once on zeroed registers (RCX = 1: a DIV that does not
// exit); returns how many times compiled code asked the core to park the flag record (jitKeep).
// One memory for every case, up to the end of the trace cache: a transfer's exit looks the next
// trace up there (compile.ts emitChain; the cache stays empty, so it never goes on).
let shared: WebAssembly.Memory | undefined;
function keepCalls(slots: Uint8Array[]): number | null {
  const memory = shared ??= new WebAssembly.Memory({ initial: Math.ceil((TC_BASE + TC_ENTRIES * TC_BLOCK) / 65536) });
  const at = STATE + 0x80000;
  const bytes = new Uint8Array(memory.buffer);
  bytes.fill(0, STATE, STATE + 0x100000);
  slots.forEach((s, i) => bytes.set(s, at + i * 32));
  new DataView(memory.buffer).setBigUint64(STATE + 8, 1n, true);
  const out = compileTrace(new DataView(memory.buffer), at, slots.length, 0x400000n);
  if (!out) return null;
  let keeps = 0;
  const env: Record<string, unknown> = {};
  for (const i of JIT_IMPORTS) {
    if (i.kind === "memory") env[i.name] = memory;
    else if (i.kind === "table") env[i.name] = new WebAssembly.Table({ initial: 1, element: "anyfunc" });
    else if (i.kind === "global") env[i.name] = new WebAssembly.Global({ value: i.type === 0x7e ? "i64" : "i32", mutable: true }, i.type === 0x7e ? 0n : 0);
    else env[i.name] = i.name === "jitKeep" ? () => { keeps++; } : () => 0;
  }
  const f = new WebAssembly.Instance(new WebAssembly.Module(out.bytes), { env: env as WebAssembly.ModuleImports }).exports.f as (b: bigint) => bigint;
  f(1000n);
  return keeps;
}

describe("the JIT's flag liveness agrees with the table", () => {
  it("a flag record is dropped only before a form the table says rewrites all six flags and reads none, or touches none", () => {
    const imul = slotBytes(0x1af, 0, false, 0, FAST.IMUL_RR);               // imul rax, rcx: parks its flags unless dead
    const add = slotBytes(0x01, 1, false, 0, FAST.ALU_OPS + 0);              // add rcx, rcx: writes all six
    const kills: string[] = [], quiet: string[] = [], wrong: string[] = [], conservative: string[] = [];
    const seen = new Set<string>();
    for (const r of ROWS) {
      for (const mem of [false, true]) for (let ext = 0; ext < 8; ext++) {
        const pf = r.pf ?? 0, op = r.op;
        if (op >= 0x200 || rowFor(op, pf, mem, ext) !== r) continue;
        const fast = fastOf(op, pf, mem, ext);
        if (!fast || seen.has(`${op}/${pf}/${mem}/${ext}`)) continue;
        seen.add(`${op}/${pf}/${mem}/${ext}`);
        const b = slotBytes(op, ext, mem, pf, fast);
        // b's own calls depend on what follows b, so each pair is compared with b in the same place
        const alone = keepCalls([b]), pair = keepCalls([imul, b]), tail = keepCalls([b, add]), three = keepCalls([imul, b, add]);
        if (alone === null || pair === null || tail === null || three === null) continue;
        const name = `${r.mnemonic}${mem ? " (memory)" : ""} /${ext}`;
        const f = r.flags, all = (f.writes | undefBits(f)) === ARITH && !Object.values(f.undef).includes("keep") && !f.by;
        const none = f.reads === 0 && f.writes === 0 && undefBits(f) === 0;
        const deadBefore = pair === alone, deadAcross = three === tail;
        if (deadBefore) { kills.push(name); if (!(all && f.reads === 0)) wrong.push(`${name}: the JIT drops the flags before it, the table says it ${f.reads ? `reads ${flagNames(f.reads)}` : "does not rewrite all six"}`); }
        else if (deadAcross) { quiet.push(name); if (!none) wrong.push(`${name}: the JIT lets the flags live across it, the table says it touches ${flagNames(f.reads | f.writes | undefBits(f))}`); }
        else if (all && f.reads === 0 && !mem) conservative.push(name);
      }
    }
    console.log(`JIT liveness: kills before ${kills.length} forms, passes across ${quiet.length}; table-allowed but not taken: ${conservative.join(", ") || "none"}`);
    expect(kills.length).toBeGreaterThan(5);
    expect(quiet.length).toBeGreaterThan(3);
    expect(wrong).toEqual([]);
  });
});
