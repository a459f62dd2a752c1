// The core's exports: everything the host needs, as numbers. CPU state, the
// trace ring, the probe table and guest RAM are read and written through views of linear memory
// at the addresses in memmap.ts (the host mirrors them in src/machine/layout.ts).
import { STATE, S_PHYS_SIZE, S_CR3, PHYS_BASE, FIXED_BASE, MAX_PHYS_PAGES, CODE_PAGES, S_CPL } from "./memmap";
import { runLoop, loadState, saveState } from "./exec/run";
import { sysret as doSysret } from "./exec/system";
import { tlbFlush, resetTlbEpoch } from "./mmu/tlb";
import { dcFlush, dcSwitch, dcForget, dcDropSpace, codePageWritten, resetDcEpoch } from "./decoder/cacheflush";
import { resetTraceBuilds } from "./decoder/tcache";
import { walk, walkError, walkPhys, resetPageWalk } from "./mmu/pagewalk";
import { resetState } from "./cpu/state";
import { resetFlags } from "./cpu/flags";
import { resetDecode } from "./decoder/decode";
import { resetAlu } from "./exec/alu";
import { resetShift } from "./exec/shift";
import { resetMulDiv } from "./exec/muldiv";
import { resetOperand } from "./exec/operand";
import { resetAccess } from "./mmu/access";
import { resetSseOperand } from "./sse/operand";
import { resetFpArith } from "./sse/fparith";
import { resetFpEnv } from "./sse/fp/env";
import { resetUnpack } from "./sse/fp/unpack";
import { resetArith } from "./sse/fp/arith";
import { resetX87Env } from "./x87/env";
import { resetX87Operand } from "./x87/operand";
import { resetEnvImage } from "./x87/env-image";
import { resetPrem } from "./x87/prem";
import { resetExtValue } from "./x87/ext/value";
import { resetExtRound } from "./x87/ext/round";
import { resetExtArith } from "./x87/ext/arith";
import { resetSeries } from "./x87/trans/series";
import { resetReduce } from "./x87/trans/reduce";
import { resetWide } from "./x87/trans/wide";
import { setFastForms as classifyFast, resetClassify } from "./decoder/classify";
import { setProbeCount, resetProbes } from "./decoder/probe";
import { cpuid } from "./exec/cpuid";
import { gpr, setGpr, RAX, RCX, RDX, RBX } from "./cpu/state";
import { fxImage, fxLoad, FX_IMAGE } from "./x87/fxsave";
import { resetJit, setJitThreshold } from "./jit/entry";
export { setJitEarly } from "./jit/entry";
import { cond, setKeep } from "./cpu/flags";
import { budget } from "./cpu/state";

// Execute at most `budget` instructions; returns the exit reason (cpu/exits.ts).
export function run(budget: i64): u32 {
  return runLoop(budget);
}

// Return from a host-handled system call (RIP <- RCX, RFLAGS <- R11) and record SYSRET.
export function sysret(): void {
  loadState();
  doSysret();
  saveState();
}

// The host changed page tables (or EFER): drop cached translations and decoded code.
export function flushTlb(): void {
  tlbFlush();
  dcFlush();
}

// The host changed the running address space's page tables (or made it anew, as execve does):
// drop cached translations and that space's decoded code; the other spaces' traces stay.
export function flushSpace(): void {
  tlbFlush();
  dcDropSpace(load<u64>(STATE + S_CR3));
}

// The probes of the address space rooted at `cr3` changed (or their indices did): drop its
// decoded code, whose probe slots were built from them (decoder/probe.ts).
export function dropSpace(cr3: f64): void {
  dcDropSpace(<u64>cr3);
}

// The host wrote CR3 (a process switch): drop cached translations. Decoded traces are tagged by
// address space, so the new one's are found again if it ran since the last flush
// (decoder/cacheflush.ts); the old one's wait for it.
export function switchSpace(): void {
  tlbFlush();
  dcSwitch();
}

// The host made an address space whose page-table root is at `cr3`: an earlier, destroyed space
// with the same root frame must not lend it its traces.
export function newSpace(cr3: f64): void {
  dcForget(<u64>cr3);
}

// The host changed page tables where no page holds decoded code (CODE_PAGES: isCodePage): drop
// cached translations only. Decoded traces stay: their bytes are still at the same virtual
// addresses, as read through the same mapping (the host checks every page it unmaps or changes).
export function flushTranslations(): void {
  tlbFlush();
}

// Whether physical page `ppn` holds decoded code (a store to it drops the decoded cache).
export function isCodePage(ppn: f64): bool {
  return ppn >= 0 && ppn < <f64>MAX_PHYS_PAGES && load<u16>(CODE_PAGES + (<u32>ppn << 1)) != 0;
}

// The host wrote [paddr, paddr+len) of guest RAM (or freed it): drop the decoded code of the
// spaces that decoded from those pages.
export function codeWritten(paddr: f64, len: f64): void {
  const first = <u64>paddr >> 12;
  const last = (<u64>paddr + <u64>len - 1) >> 12;
  for (let p = first; p <= last && p < <u64>MAX_PHYS_PAGES; p++) codePageWritten(p);
}

// Translate a guest virtual address with the current CR3 as a user access
// (access: 0 read, 1 write, 2 fetch). Returns the physical address, or
// -(error code) - 1 for a page fault (the error code has the #PF bits).
export function translate(vaddr: u64, access: u32): i64 {
  walk(vaddr, access);
  if (walkError != 0) return -<i64>(walkError == 0xFFFFFFFF ? 0 : walkError) - 1;
  return <i64>walkPhys;
}

// Make sure guest RAM holds at least `bytes` bytes (grows linear memory).
// Returns the size now available, or -1 when memory cannot grow.
export function setPhysSize(bytes: f64): f64 {
  const need = <u64>PHYS_BASE + <u64>bytes;
  const have = <u64>memory.size() << 16;
  if (need > have) {
    const pages = <i32>((need - have + 0xFFFF) >> 16);
    if (memory.grow(pages) < 0) return -1;
  }
  store<u64>(STATE + S_PHYS_SIZE, <u64>bytes);
  return bytes;
}

// The host wrote `count` probes { cr3, va } at PROBES (memmap.ts): run() exits
// with EXIT_PROBE before executing the instruction at a probe in its address
// space (CR3 0: any). `all`: drops every space's decoded code, so traces are built with the new
// set; else the host drops the spaces whose probes changed (dropSpace).
export function setProbes(count: u32, all: bool): void {
  setProbeCount(count);
  if (all) dcFlush();
}

// Decode with or without fast forms (tests run programs both ways and compare);
// drops decoded code so the choice applies from the next instruction.
export function setFastForms(on: bool): void {
  classifyFast(on);
  dcFlush();
}

// Back to the state of a fresh instance, so one instance can run flight after
// flight (a worker reuses it). Every module that owns mutable globals exports a
// reset for them next to their declarations, called here; the fixed area
// (state block, TLBs, ring, trace cache, code-page marks) is zeroed whole, and
// so is the guest RAM the host made available (S_PHYS_SIZE bytes; beyond it
// linear memory was never written). test/machine/reset.test.ts compares every
// wasm global and every byte of memory of a used-then-reset instance with a
// fresh one, so a global added without its reset line fails there.
export function reset(): void {
  memory.fill(PHYS_BASE, 0, <usize>load<u64>(STATE + S_PHYS_SIZE));
  memory.fill(FIXED_BASE, 0, PHYS_BASE - FIXED_BASE);
  resetState(); resetFlags(); resetDecode(); resetPageWalk(); resetTlbEpoch(); resetDcEpoch(); resetTraceBuilds();
  resetAlu(); resetShift(); resetMulDiv(); resetOperand(); resetAccess();
  resetSseOperand(); resetFpArith(); resetFpEnv(); resetUnpack(); resetArith();
  resetX87Env(); resetX87Operand(); resetEnvImage(); resetPrem(); resetExtValue(); resetExtRound(); resetExtArith();
  resetSeries(); resetReduce(); resetWide(); resetClassify(); resetProbes(); resetJit();
  setDefaults();
}

// The non-zero parts of a fresh state block. Also run when the instance
// starts, so a new instance is already in its reset state without zeroing
// memory that is zero anyway (15 MiB of fixed area a new flight would touch).
function setDefaults(): void {
  store<u32>(STATE + S_CPL, 3);
  store<u64>(STATE, 0x202, 136); // RFLAGS
  store<u32>(STATE + 232, 0x1F80); // MXCSR default
  store<u16>(STATE + 320, 0x037F); // x87 control word default
  store<u16>(STATE + 324, 0xFFFF); // x87 tag word: every register empty (FNINIT state)
}
setDefaults();

// The FXSAVE64 image of the x87/SSE state at S_FX_IMAGE, and loading the
// state from one there (false: MXCSR has reserved bits set, nothing changed),
// as the kernel saves and restores a signal frame's fpstate (fxsaveq/fxrstorq).
export function saveFxImage(): void { fxImage(FX_IMAGE, true); }
export function loadFxImage(): bool { return fxLoad(FX_IMAGE, true); }
// The second tier (jit/entry.ts, src/machine/jit): compile traces after `threshold` runs (0: off).
// Drops decoded code, so no trace compiled before keeps running when it is turned off.
export function setJit(threshold: u32): void {
  setJitThreshold(threshold);
  dcFlush();
}
// The JIT's warm list (jit/entry.ts): traces reaching `warm` runs are noted in a ring the host reads.
export { setJitWarm, warmRing, warmPushes, WARM_RING_ENTRIES } from "./jit/entry";
// Instructions left of the last run()'s budget (after EXIT_JIT the host runs on with them).
export function budgetLeft(): i64 { return budget; }
// What compiled code calls and reads: the flag evaluation the interpreter's Jcc uses, the
// lazy-flag record, RIP, the TLB's epoch and the trace cache's (the same globals the interpreter
// uses: compiled code looks the trace it goes on to up as the run loop does, jit/entry.ts).
export function jitCond(cc: u32): u32 { return cond(cc) ? 1 : 0; }
export function jitKeep(mask: u64, bits: u64): void { setKeep(mask, bits); }
export { rip } from "./cpu/state";
export { flOp, flSize, flA, flB, flRes, flCarry } from "./cpu/flags";
export { tlbEpoch } from "./mmu/tlb";
export { dcFlushes, dcDrops, dcEpoch, setSpaceFlush } from "./decoder/cacheflush";
// The trace cache, for the JIT's region former and the benches (decoder/tcache.ts).
export { traceBlock, traceBlockOf, jitWordOf, traceBuilds } from "./decoder/tcache";

export function stateAddr(): u32 { return STATE; }
export function physBase(): u32 { return PHYS_BASE; }
export function heapBase(): u32 { return <u32>__heap_base; }

// The memory map, exported so the host can check its mirror (src/machine/layout.ts,
// and src/machine/trace-ring.ts for the trace record).
export {
  STATE, S_GPR, S_RIP, S_RFLAGS, S_FSBASE, S_GSBASE, S_CR3, S_EFER, S_TICKS, S_MXCSR, S_CPL, S_TID,
  S_PROBE_SKIP, S_PROBE_SKIP_RIP,
  S_EXIT_REASON, S_EXIT_ERROR, S_EXIT_RIP, S_EXIT_ADDR, S_EXIT_OPCODE, S_EXIT_VECTOR, S_TSC_OFFSET, S_RING_HEAD,
  S_TRACE_ON, S_PHYS_SIZE, S_FPU_CW, S_FPU_SW, S_FPU_TW, S_FPU_TOP, S_FPU_FOP, S_FPU_FCS, S_FPU_FDS, S_FPU_FIP, S_FPU_FDP,
  S_FPU_ST, S_XMM, S_FX_IMAGE,
  RING, RING_RECORD, RING_CAPACITY, RING_KIND, RING_TID, RING_TICK, RING_REGS, RING_RET, RING_CR3,
  PROBES, PROBE_MAX, PROBE_ENTRY, PHYS_BASE,
  TC_BASE, TC_SET_BITS, TC_WAYS, TC_ENTRIES, TC_BLOCK, TC_HEADER, TC_JIT,
  MAX_PHYS_PAGES, CODE_PAGES, PROBE_SLOT, JIT_KEPT, JIT_KEPT_ENTRIES, JIT_KEPT_ENTRY, SPACES, SPACE_MAX, SPACE_ENTRY, FIXED_END,
} from "./memmap";
export { REC_SYSCALL, REC_SYSRET, REC_OVERFLOW } from "./trace/ring";
export { EXIT_PROBE, EXIT_SS } from "./cpu/exits";

// What CPUID reports for `leaf` (subleaf 0) in register `reg` (0 RAX, 1 RCX, 2 RDX, 3 RBX),
// for the kernel's /proc/cpuinfo; the guest's registers are left as they were.
export function cpuidLeaf(leaf: u32, reg: u32): u32 {
  const a = gpr(RAX), b = gpr(RBX), c = gpr(RCX), d = gpr(RDX);
  setGpr(RAX, leaf); setGpr(RCX, 0);
  cpuid();
  const r = <u32>gpr(reg == 0 ? RAX : reg == 1 ? RCX : reg == 2 ? RDX : RBX);
  setGpr(RAX, a); setGpr(RBX, b); setGpr(RCX, c); setGpr(RDX, d);
  return r;
}
