// Instruction-level differential testing: run a code snippet on the host CPU
// (test/native/harness.c, built here with gcc) and in the WASM core, compare
// the final architectural state.
//
// API:
//   const r = runDiffCases(cases, opts?)   // -> { ran, failed, failures: string[], masked, reasons }
//   expect(r.failures).toEqual([]); console.log(summary(name, r))
// A Case is code bytes plus optional initial state. Anything left out starts
// as zero (GPRs, XMM, block), RFLAGS 0x202, MXCSR 0x1F80. Execution starts at
// CODE_VA + CODE_OFF and ends at the first INT3 (the code page is filled with
// 0xCC) or at a fault; branches to anywhere in the code page therefore end too.
// RSP usually points into BLOCK (see stdRegs in gen/state.ts). Compared: stop
// vector (3 = INT3 end, 0 #DE, 6 #UD, 12 #SS, 13 #GP, 14 #PF + error code + CR2, 19 #XM),
// RIP, 16 GPRs, RFLAGS, MXCSR, XMM0-15, BLOCK and a hash of the rest
// of the two data pages. SSE cases set xmm/mxcsr and, where the core keeps a
// documented difference, narrow the comparison with the `ignore` options.
// Where the SDM leaves a result undefined the core follows the vendor its CPUID
// presents (docs/cpu-model.md). On a host of that vendor every case is compared
// in full; on any other host a case is compared only in what the SDM defines:
// final flags (and a stored RFLAGS image) through flagMask, and a case whose
// state depends on an undefined result beyond that is not compared but counted.
// SKYTRACE_HOST_VENDOR=GenuineIntel makes this host count as another vendor.
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
import { Exit, S_FPU_CW, S_FPU_SW, S_FPU_TW, S_FPU_TOP, S_FPU_ST, S_FPU_FOP, S_FPU_FIP } from "../../src/machine/layout.js";

export const CODE_VA = 0x10000000;
export const CODE_OFF = 0x800;
export const DATA_VA = 0x20000000;
export const DATA_LEN = 0x2000;
export const BLOCK_VA = 0x20000f00;
export const BLOCK_LEN = 512;
// The code page's copy at the top of the lower half (harness.c HIGH_VA; natively absent when the
// page is taken, which a case can find out by jumping there).
export const HIGH_VA = 0x7fff_ffff_e000;

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
  flagMask?: bigint;        // RFLAGS bits the SDM defines at the end (default: arithmetic + DF)
  flagWordAt?: number;      // BLOCK offset of an RFLAGS image (a PUSHF) with the same undefined bits
  // BLOCK offsets of stored x87 status words (FNSTSW, FNSTENV, FXSAVE, FNSAVE) and
  // the condition-code bits the SDM leaves undefined in each
  statusWords?: Array<{ at: number; undefinedBits: number }>;
  vendorSpecific?: string;  // why the state depends on an undefined result beyond the final flags
  // BLOCK byte ranges compared only on a host of the core's vendor (the x87 pointers
  // and opcode FNSTENV/FNSAVE/FXSAVE store, which Intel updates or zeroes otherwise)
  vendorFields?: Array<{ at: number; len: number }>;
  // BSF/BSR with a register source at code offset `at`: vendor-specific if that
  // register's low `size` bytes are zero when the instruction starts.
  zeroSourceAt?: Array<{ at: number; reg: number; size: number }>;
  repFaultFlags?: boolean;  // REPE/REPNE CMPS/SCAS: a fault after an iteration leaves vendor-specific flags
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

// The vendor whose undefined results the core models: what its own CPUID leaf 0 says.
function readCoreVendor(): string {
  const bed = new CoreBed();
  const o = bed.run({ code: [0x31, 0xc0, 0x0f, 0xa2] }); // xor eax, eax; cpuid
  const b = Buffer.alloc(12);
  b.writeUInt32LE(Number(o.gpr[3] & 0xffffffffn), 0); // EBX EDX ECX
  b.writeUInt32LE(Number(o.gpr[2] & 0xffffffffn), 4);
  b.writeUInt32LE(Number(o.gpr[1] & 0xffffffffn), 8);
  return b.toString("latin1");
}

// The host's vendor: /proc/cpuinfo's vendor_id, or SKYTRACE_HOST_VENDOR (to try
// the masking path on a host of the core's own vendor).
export function readHostVendor(env = process.env, cpuinfo = () => readFileSync("/proc/cpuinfo", "utf8")): string {
  if (env.SKYTRACE_HOST_VENDOR) return env.SKYTRACE_HOST_VENDOR;
  try { return /^vendor_id\s*:\s*(\S+)/m.exec(cpuinfo())?.[1] ?? "unknown"; } catch { return "unknown"; }
}

let vendors: { host: string; core: string } | undefined;
export function vendorsOf(): { host: string; core: string; same: boolean } {
  vendors ??= { host: readHostVendor(), core: readCoreVendor() };
  return { ...vendors, same: vendors.host === vendors.core };
}

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
    this.as.map(HIGH_VA, this.m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
    for (let p = 0; p < DATA_LEN; p += 4096) this.as.map(DATA_VA + p, this.m.phys.alloc(), PROT_READ | PROT_WRITE);
    this.m.cr3 = this.as.cr3;
    this.m.efer = 0x800n; // NXE: the data pages are not executable, as natively
  }

  run(c: Case, maxTicks = 1_000_000): Outcome {
    const { m, vm } = this;
    const page = new Uint8Array(4096).fill(0xcc);
    page.set(c.code, CODE_OFF);
    vm.write(CODE_VA, page, true);
    vm.write(HIGH_VA, page, true);
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
    // x87 as the native harness has it: the initial state the kernel gives a signal
    // handler (registers zero, all empty), not what the previous case left
    const fpu = m.stateView;
    fpu.setUint16(S_FPU_CW, 0x37f, true); fpu.setUint16(S_FPU_SW, 0, true); fpu.setUint16(S_FPU_TW, 0xffff, true); fpu.setUint16(S_FPU_TOP, 0, true);
    for (let i = 0; i < 8 * 16; i++) fpu.setUint8(S_FPU_ST + i, 0);
    for (let i = S_FPU_FOP; i < S_FPU_FIP + 16; i++) fpu.setUint8(i, 0); // FOP, FCS, FDS, FIP, FDP
    let exit: Exit = Exit.Budget;
    const step = c.stepBudget ?? maxTicks;
    for (let spent = 0; spent < maxTicks && exit === Exit.Budget; spent += step) exit = m.run(step);
    const e = m.exit();
    let trapno = -2, err = 0, cr2 = 0n, note: string | undefined;
    switch (exit) {
      case Exit.Int3: trapno = e.vector; break; // 3 (the end marker), or INT1's 1, INT 4's 4
      case Exit.DivideError: trapno = 0; break;
      case Exit.InvalidOpcode: trapno = 6; break;
      case Exit.GeneralProtection: trapno = 13; err = e.error; break;
      case Exit.StackFault: trapno = 12; err = e.error; break;
      case Exit.Hlt: trapno = 13; break;
      case Exit.PageFault: trapno = 14; err = e.error; cr2 = e.addr; break;
      case Exit.FpuError: trapno = e.vector; break;
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

// How one case is compared: in full (a host of the core's vendor), or only
// in what the SDM defines: `flags` are the RFLAGS bits compared (also in the
// stored image at c.flagWordAt), `skip` says why nothing is compared.
export interface Scope { full: boolean; flags: bigint; skip?: string; narrowed?: string }

export const FLAGS_ALL = FLAGS_ARITH | FLAG_DF;
export const NARROWED = "undefined flags";
const NOT_COMPARED = "not compared: ";
export const REP_FAULT_FLAGS = "flags of a REPE/REPNE CMPS/SCAS stopped by a fault";
export const X87_CC = "x87 condition codes the SDM leaves undefined";
export const BSF_ZERO = "BSF/BSR destination with a zero source";
export const X87_POINTERS = "x87 FOP, FDP, FCS, FDS (and FXSAVE's FIP) as AMD stores them";

// The comparison scope of case c, given the core's outcome `got` (and the bed,
// to run the code up to a BSF/BSR and look at its source).
export function scopeOf(c: Case, full: boolean, got?: Outcome, bed?: CoreBed): Scope {
  if (full) return { full, flags: FLAGS_ALL };
  if (c.vendorSpecific) return { full, flags: 0n, skip: c.vendorSpecific };
  for (const z of c.zeroSourceAt ?? []) {
    if (!bed) throw new Error("zeroSourceAt needs the core");
    const pre = bed.run({ ...c, code: Uint8Array.from(c.code).subarray(0, z.at), stepBudget: undefined });
    if ((pre.gpr[z.reg] & ((1n << BigInt(8 * z.size)) - 1n)) === 0n) return { full, flags: 0n, skip: BSF_ZERO };
  }
  if (c.repFaultFlags && got && got.trapno !== 3 && got.gpr[1] !== BigInt.asUintN(64, c.regs?.[1] ?? 0n)) {
    return { full, flags: (c.flagMask ?? FLAGS_ALL) & FLAG_DF, narrowed: REP_FAULT_FLAGS };
  }
  const flags = c.flagMask ?? FLAGS_ALL;
  const x87 = [c.statusWords?.some((w) => w.undefinedBits) ? X87_CC : "", c.vendorFields?.length ? X87_POINTERS : ""].filter(Boolean).join(" and ");
  const narrowed = (flags & FLAGS_ALL) !== FLAGS_ALL ? NARROWED : x87 || undefined;
  return { full, flags, narrowed };
}

// The differences between the host's outcome and the core's within scope s.
export function compare(c: Case, s: Scope, want: Outcome, got: Outcome): string[] {
  const d: string[] = [];
  if (s.skip) return d;
  if (want.trapno !== got.trapno) d.push(`stop vector: want ${want.trapno} got ${got.trapno}${got.note ? ` (${got.note})` : ""}`);
  if (want.rip !== got.rip) d.push(`rip: want ${h64(want.rip)} got ${h64(got.rip)}`);
  if (want.trapno === 13 && want.trapno === got.trapno && want.err !== got.err) d.push(`#GP error code: want 0x${want.err.toString(16)} got 0x${got.err.toString(16)}`);
  if (want.trapno === 14 && want.trapno === got.trapno) {
    if (want.err !== got.err) d.push(`#PF error: want ${want.err} got ${got.err}`);
    if (want.cr2 !== got.cr2) d.push(`cr2: want ${h64(want.cr2)} got ${h64(got.cr2)}`);
  }
  for (let i = 0; i < 16; i++) if (want.gpr[i] !== got.gpr[i]) d.push(`${GPR_NAMES[i]}: want ${h64(want.gpr[i])} got ${h64(got.gpr[i])}`);
  const mask = s.flags; // (RF, set in a fault's frame, and the system flags are not compared)
  if ((want.rflags & mask) !== (got.rflags & mask)) {
    d.push(`rflags (mask ${h64(mask)}): want ${h64(want.rflags & mask)} got ${h64(got.rflags & mask)} [${flagNames((want.rflags ^ got.rflags) & mask)} differ]`);
  }
  if (!c.ignoreMxcsr && want.mxcsr !== got.mxcsr) d.push(`mxcsr: want 0x${want.mxcsr.toString(16)} got 0x${got.mxcsr.toString(16)}`);
  if (!c.ignoreXmm) for (let i = 0; i < 16; i++) if (want.xmm[i] !== got.xmm[i]) d.push(`xmm${i}: want ${want.xmm[i]} got ${got.xmm[i]}`);
  const wb = maskWords(c, s, want.block), gb = maskWords(c, s, got.block);
  if (wb !== gb) {
    for (let i = 0; i < BLOCK_LEN; i += 8) {
      const w = wb.slice(i * 2, i * 2 + 16), g = gb.slice(i * 2, i * 2 + 16);
      if (w !== g) d.push(`mem[${h64(BigInt(BLOCK_VA + i))}]: want ${w} got ${g}`);
    }
  }
  if (want.outside !== got.outside) d.push("memory outside the block differs");
  return d;
}

// The block (hex) with what is out of scope cleared: flags in the stored
// RFLAGS image, undefined condition codes in stored x87 status words, the
// vendor's fields.
export function maskWords(c: Case, s: Scope, block: string): string {
  if (s.full || (c.flagWordAt === undefined && !c.statusWords && !c.vendorFields)) return block;
  const b = Buffer.from(block, "hex");
  if (c.flagWordAt !== undefined) {
    const w = b.readUInt16LE(c.flagWordAt);
    b.writeUInt16LE(w & Number(s.flags | (~FLAGS_ALL & 0xffffn)), c.flagWordAt); // (the other bits stay compared)
  }
  for (const { at, undefinedBits } of c.statusWords ?? []) b.writeUInt16LE(b.readUInt16LE(at) & ~undefinedBits & 0xffff, at);
  for (const { at, len } of c.vendorFields ?? []) b.fill(0, at, at + len);
  return b.toString("hex");
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

export interface DiffResult {
  ran: number; failures: string[]; failed: number;
  masked: number;                 // cases compared in less than full (never on a host of the core's vendor)
  reasons: Map<string, number>;   // why, with how many cases each
}

// Run every case natively and in the core; report at most `maxReports` mismatches in full.
export function runDiffCases(cases: Case[], opts: { maxReports?: number } = {}): DiffResult {
  const want = runNative(cases);
  const bed = new CoreBed();
  const full = vendorsOf().same;
  const failures: string[] = [];
  const reasons = new Map<string, number>();
  let failed = 0, masked = 0;
  for (let i = 0; i < cases.length; i++) {
    const got = bed.run(cases[i]);
    const s = scopeOf(cases[i], full, got, bed);
    const why = s.skip ? NOT_COMPARED + s.skip : s.narrowed;
    if (why) { masked++; reasons.set(why, (reasons.get(why) ?? 0) + 1); }
    const d = compare(cases[i], s, want[i], got);
    if (d.length === 0) continue;
    failed++;
    if (failures.length < (opts.maxReports ?? 20)) failures.push(`${describe(cases[i])}\n  ${d.join("\n  ")}`);
  }
  if (failed > failures.length) failures.push(`... and ${failed - failures.length} more failing cases`);
  return { ran: cases.length, failures, failed, masked, reasons };
}

// Adds b's counts into a.
export function addResult(a: DiffResult, b: DiffResult): void {
  a.ran += b.ran; a.failed += b.failed; a.masked += b.masked;
  if (a.failures.length < 20) a.failures.push(...b.failures);
  for (const [k, v] of b.reasons) a.reasons.set(k, (a.reasons.get(k) ?? 0) + v);
}
export const emptyResult = (): DiffResult => ({ ran: 0, failures: [], failed: 0, masked: 0, reasons: new Map() });

// "name: N cases, F failed, M masked (host V, core models W): A compared without
// what the SDM leaves undefined (why), B not compared (why)"
export function summary(name: string, r: DiffResult): string {
  const v = vendorsOf();
  const head = `${name}: ${r.ran} cases, ${r.failed} failed, ${r.masked} masked`;
  if (v.same) return `${head} (host ${v.host}, as the core's CPUID: everything compared)`;
  if (r.masked === 0) return `${head} (host ${v.host}, core models ${v.core}: nothing here is vendor-specific)`;
  const part = (skip: boolean, what: string) => {
    const list = [...r.reasons].filter(([k]) => k.startsWith(NOT_COMPARED) === skip).sort((x, y) => y[1] - x[1]);
    const n = list.reduce((t, [, c]) => t + c, 0);
    const named = list.filter(([k]) => k !== NARROWED).map(([k, c]) => `${c} ${skip ? k.slice(NOT_COMPARED.length) : k}`);
    return `${n} ${what}${named.length ? ` (${named.join("; ")})` : ""}`;
  };
  return `${head} (host ${v.host}, core models ${v.core}): ${part(false, "compared in what the SDM defines")}, ${part(true, "not compared")}`;
}
