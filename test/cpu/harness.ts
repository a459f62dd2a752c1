// Instruction-level differential testing: run a code snippet on the host CPU
// (test/native/harness.c, built here with gcc) and in the WASM core, compare
// the final architectural state.
//
// API:
//   const r = runDiffCases(cases, opts?)   // -> { ran, failures: string[] }
//   expect(r.failures).toEqual([])
// A Case is code bytes plus optional initial state. Anything left out starts
// as zero (GPRs, XMM, block), RFLAGS 0x202, MXCSR 0x1F80. Execution starts at
// CODE_VA + CODE_OFF and ends at the first INT3 (the code page is filled with
// 0xCC) or at a fault; branches to anywhere in the code page therefore end too.
// RSP usually points into BLOCK (see stdRegs in gen/state.ts). Compared: stop
// vector (3 = INT3 end, 0 #DE, 6 #UD, 13 #GP, 14 #PF + error code + CR2, 19 #XM),
// RIP, 16 GPRs, RFLAGS & flagMask, MXCSR, XMM0-15, BLOCK and a hash of the rest
// of the two data pages. SSE cases set xmm/mxcsr and, where the core keeps a
// documented difference, narrow the comparison with the `ignore` options.
// Cases must not load FS/GS (POP FS, MOV FS,...): natively that would drop the
// harness's own TLS base. Endless loops end natively after 2 s (vector 255).
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Machine, GPR_NAMES } from "../../src/machine/machine.js";
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../src/machine/paging.js";
import { VirtualMemory } from "../../src/machine/vmem.js";
import { Exit } from "../../src/machine/layout.js";

export const CODE_VA = 0x10000000;
export const CODE_OFF = 0x800;
export const DATA_VA = 0x20000000;
export const DATA_LEN = 0x2000;
export const BLOCK_VA = 0x20000f00;
export const BLOCK_LEN = 512;

export const FLAGS_ARITH = 0x8d5n; // CF PF AF ZF SF OF
export const FLAG_DF = 0x400n;

export interface Case {
  name?: string;
  code: number[] | Uint8Array;
  regs?: bigint[];          // 16 GPRs in encoding order
  rflags?: bigint;          // only arithmetic bits and DF are used
  mxcsr?: number;
  xmm?: Uint8Array[];       // up to 16 x 16 bytes
  block?: Uint8Array;       // up to BLOCK_LEN bytes at BLOCK_VA
  flagMask?: bigint;        // RFLAGS bits the SDM defines here (default: arithmetic + DF)
  // On an AMD host the core must also match the flags the SDM leaves undefined
  // (it copies what Zen does); false where even that is not modelled.
  amdExact?: boolean;
  stepBudget?: number;      // run the core in slices of this many ticks (tests REP resumption)
  ignoreXmm?: boolean;
  ignoreMxcsr?: boolean;
}

export interface Outcome {
  trapno: number;           // -1 unimplemented in the core, -2 other unexpected exit
  err: number;
  cr2: bigint;
  rip: bigint;
  gpr: bigint[];
  rflags: bigint;
  mxcsr: number;
  xmm: string[];            // hex, memory byte order
  block: string;            // hex
  outside: number;
  note?: string;
}

// The core reproduces AMD Zen's values for architecturally undefined flags.
export const HOST_AMD = (() => {
  try { return /AuthenticAMD/.test(readFileSync("/proc/cpuinfo", "utf8")); } catch { return false; }
})();

const hex = (b: ArrayLike<number>): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

let harnessPath: string | undefined;
export function buildHarness(): string {
  if (harnessPath && existsSync(harnessPath)) return harnessPath;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const src = path.resolve(here, "../native/harness.c");
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-harness-"));
  const out = path.join(dir, "harness");
  execFileSync("gcc", ["-O2", "-o", out, src], { stdio: "inherit" });
  harnessPath = out;
  return out;
}

function caseLine(c: Case): string {
  const regs = Array.from({ length: 16 }, (_, i) => BigInt.asUintN(64, c.regs?.[i] ?? 0n).toString(16));
  const xmm = Array.from({ length: 16 }, (_, i) => hex(c.xmm?.[i] ?? new Uint8Array(16)).padEnd(32, "0"));
  const block = new Uint8Array(BLOCK_LEN);
  if (c.block) block.set(c.block.subarray(0, BLOCK_LEN));
  const fl = ((c.rflags ?? 0n) & 0xcd5n) | 0x202n;
  return [hex(c.code), ...regs, fl.toString(16), (c.mxcsr ?? 0x1f80).toString(16), ...xmm, hex(block)].join(" ");
}

function parseOutcome(line: string): Outcome {
  const t = line.trim().split(/\s+/);
  if (t[0] === "error") throw new Error(`harness: ${line}`);
  const n = (s: string) => BigInt("0x" + s);
  return {
    trapno: Number(n(t[0])), err: Number(n(t[1])), cr2: n(t[2]), rip: n(t[3]),
    gpr: t.slice(4, 20).map(n), rflags: n(t[20]), mxcsr: Number(n(t[21])),
    xmm: t.slice(22, 38), block: t[38], outside: Number(n(t[39])),
  };
}

// Run cases natively, in batches (one harness process per batch).
export function runNative(cases: Case[]): Outcome[] {
  const exe = buildHarness();
  const out: Outcome[] = [];
  const BATCH = 20000;
  for (let i = 0; i < cases.length; i += BATCH) {
    const input = cases.slice(i, i + BATCH).map(caseLine).join("\n") + "\n";
    const r = spawnSync(exe, [], { input, maxBuffer: 1 << 30, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`harness failed (${r.status}): ${r.stderr}`);
    const lines = r.stdout.split("\n").filter((l) => l.length > 0);
    if (lines.length !== Math.min(BATCH, cases.length - i)) throw new Error(`harness returned ${lines.length} lines`);
    for (const l of lines) out.push(parseOutcome(l));
  }
  return out;
}

function fnvOutside(data: Uint8Array): number {
  let h = 2166136261;
  for (let i = 0; i < DATA_LEN; i++) {
    const va = DATA_VA + i;
    if (va >= BLOCK_VA && va < BLOCK_VA + BLOCK_LEN) continue;
    h = Math.imul(h ^ data[i], 16777619) >>> 0;
  }
  return h;
}

// The same test bed inside one Machine: a code page and two data pages at the harness's addresses.
export class CoreBed {
  readonly m = new Machine();
  readonly as = new AddressSpace(this.m.phys);
  readonly vm = new VirtualMemory(this.m.phys, this.as);
  constructor() {
    this.as.map(CODE_VA, this.m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
    for (let p = 0; p < DATA_LEN; p += 4096) this.as.map(DATA_VA + p, this.m.phys.alloc(), PROT_READ | PROT_WRITE);
    this.m.cr3 = this.as.cr3;
    this.m.efer = 0x800n; // NXE: the data pages are not executable, as natively
  }

  run(c: Case, maxTicks = 1_000_000): Outcome {
    const { m, vm } = this;
    const page = new Uint8Array(4096).fill(0xcc);
    page.set(c.code, CODE_OFF);
    vm.write(CODE_VA, page, true);
    const data = new Uint8Array(DATA_LEN);
    if (c.block) data.set(c.block.subarray(0, BLOCK_LEN), BLOCK_VA - DATA_VA);
    vm.write(DATA_VA, data, true);
    for (let i = 0; i < 16; i++) m.setGpr(i, c.regs?.[i] ?? 0n);
    m.rflags = ((c.rflags ?? 0n) & 0xcd5n) | 0x202n;
    m.rip = BigInt(CODE_VA + CODE_OFF);
    m.mxcsr = c.mxcsr ?? 0x1f80;
    for (let i = 0; i < 16; i++) {
      const x = new Uint8Array(16);
      if (c.xmm?.[i]) x.set(c.xmm[i].subarray(0, 16));
      m.setXmm(i, x);
    }
    m.fsBase = 0n;
    let exit: Exit = Exit.Budget;
    const step = c.stepBudget ?? maxTicks;
    for (let spent = 0; spent < maxTicks && exit === Exit.Budget; spent += step) exit = m.run(step);
    const e = m.exit();
    let trapno = -2, err = 0, cr2 = 0n, note: string | undefined;
    switch (exit) {
      case Exit.Int3: trapno = 3; break;
      case Exit.DivideError: trapno = 0; break;
      case Exit.InvalidOpcode: trapno = 6; break;
      case Exit.GeneralProtection: case Exit.Hlt: trapno = 13; break;
      case Exit.PageFault: trapno = 14; err = e.error; cr2 = e.addr; break;
      case Exit.FpuError: trapno = e.error || 19; break;
      case Exit.Budget: trapno = 255; break;
      case Exit.Unimplemented: trapno = -1; note = `unimplemented opcode 0x${e.opcode.toString(16)}`; break;
      default: note = `exit ${exit}`;
    }
    const out = vm.read(DATA_VA, DATA_LEN)!;
    return {
      trapno, err, cr2, rip: m.rip, note,
      gpr: Array.from({ length: 16 }, (_, i) => m.gpr(i)),
      rflags: m.rflags, mxcsr: m.mxcsr,
      xmm: Array.from({ length: 16 }, (_, i) => hex(m.xmm(i))),
      block: hex(out.subarray(BLOCK_VA - DATA_VA, BLOCK_VA - DATA_VA + BLOCK_LEN)),
      outside: fnvOutside(out),
    };
  }
}

const h64 = (v: bigint) => "0x" + v.toString(16);

function diff(c: Case, want: Outcome, got: Outcome): string[] {
  const d: string[] = [];
  if (want.trapno !== got.trapno) d.push(`stop vector: want ${want.trapno} got ${got.trapno}${got.note ? ` (${got.note})` : ""}`);
  if (want.rip !== got.rip) d.push(`rip: want ${h64(want.rip)} got ${h64(got.rip)}`);
  if (want.trapno === 14 && want.trapno === got.trapno) {
    if (want.err !== got.err) d.push(`#PF error: want ${want.err} got ${got.err}`);
    if (want.cr2 !== got.cr2) d.push(`cr2: want ${h64(want.cr2)} got ${h64(got.cr2)}`);
  }
  for (let i = 0; i < 16; i++) if (want.gpr[i] !== got.gpr[i]) d.push(`${GPR_NAMES[i]}: want ${h64(want.gpr[i])} got ${h64(got.gpr[i])}`);
  const mask = HOST_AMD && c.amdExact !== false ? FLAGS_ARITH | FLAG_DF : c.flagMask ?? FLAGS_ARITH | FLAG_DF;
  if ((want.rflags & mask) !== (got.rflags & mask)) {
    d.push(`rflags (mask ${h64(mask)}): want ${h64(want.rflags & mask)} got ${h64(got.rflags & mask)} [${flagNames((want.rflags ^ got.rflags) & mask)} differ]`);
  }
  if (!c.ignoreMxcsr && want.mxcsr !== got.mxcsr) d.push(`mxcsr: want 0x${want.mxcsr.toString(16)} got 0x${got.mxcsr.toString(16)}`);
  if (!c.ignoreXmm) for (let i = 0; i < 16; i++) if (want.xmm[i] !== got.xmm[i]) d.push(`xmm${i}: want ${want.xmm[i]} got ${got.xmm[i]}`);
  if (want.block !== got.block) {
    for (let i = 0; i < BLOCK_LEN; i += 8) {
      const w = want.block.slice(i * 2, i * 2 + 16), g = got.block.slice(i * 2, i * 2 + 16);
      if (w !== g) d.push(`mem[${h64(BigInt(BLOCK_VA + i))}]: want ${w} got ${g}`);
    }
  }
  if (want.outside !== got.outside) d.push("memory outside the block differs");
  return d;
}

function flagNames(bits: bigint): string {
  const names: Array<[bigint, string]> = [[1n, "CF"], [4n, "PF"], [0x10n, "AF"], [0x40n, "ZF"], [0x80n, "SF"], [0x400n, "DF"], [0x800n, "OF"]];
  return names.filter(([b]) => bits & b).map(([, n]) => n).join(" ");
}

export function disassemble(code: ArrayLike<number>): string {
  try {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-dis-"));
    const f = path.join(dir, "code.bin");
    writeFileSync(f, Uint8Array.from(code));
    const out = execFileSync("objdump", ["-D", "-b", "binary", "-mi386:x86-64", f], { encoding: "utf8" });
    return out.split("\n").filter((l) => /^\s+[0-9a-f]+:/.test(l)).map((l) => l.trim()).join(" | ");
  } catch {
    return "(objdump unavailable)";
  }
}

function describe(c: Case): string {
  const regs = (c.regs ?? []).map((v, i) => (v ? `${GPR_NAMES[i]}=${h64(BigInt.asUintN(64, v))}` : "")).filter(Boolean).join(" ");
  return `${c.name ?? "case"}: ${hex(c.code)}  [${disassemble(c.code)}]\n  in: ${regs} rflags=${h64(c.rflags ?? 0n)}`;
}

export interface DiffResult { ran: number; failures: string[]; failed: number }

// Run every case natively and in the core; report at most `maxReports` mismatches in full.
export function runDiffCases(cases: Case[], opts: { maxReports?: number } = {}): DiffResult {
  const want = runNative(cases);
  const bed = new CoreBed();
  const failures: string[] = [];
  let failed = 0;
  for (let i = 0; i < cases.length; i++) {
    const got = bed.run(cases[i]);
    const d = diff(cases[i], want[i], got);
    if (d.length === 0) continue;
    failed++;
    if (failures.length < (opts.maxReports ?? 20)) failures.push(`${describe(cases[i])}\n  ${d.join("\n  ")}`);
  }
  if (failed > failures.length) failures.push(`... and ${failed - failures.length} more failing cases`);
  return { ran: cases.length, failures, failed };
}
