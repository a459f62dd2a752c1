// A Machine is one instance of the WASM core plus its guest RAM: registers,
// the run call and the trace ring, seen from TypeScript. It knows nothing of
// Linux; src/kernel drives it (as a VMM drives a vCPU through KVM_RUN exits).
import { CoreExports, instantiateCore } from "./core.js";
import { PhysMem } from "./physmem.js";
import * as L from "./layout.js";
import { Jit, DEFAULT_JIT_THRESHOLD } from "./jit/jit.js";
import type { CompileOptions } from "./jit/compile.js";
import { jitDefault, jitThresholdDefault, jitThreadDefault, noteTier } from "./jit/default.js";
import { pollCompiled } from "./jit/compile-thread.js";

// The core's exit for a hot trace (assembly/cpu/exits.ts EXIT_JIT): handled inside run(), never returned.
const EXIT_JIT = 11;
// With a compile thread, run() runs the core at most this many instructions at a time and takes
// finished modules between (a slice is exact: the same RIP and ticks as one long run). The kernel's
// own slices are shorter (src/kernel SLICE, 200 000), so only a caller with a longer budget is cut
// (one more call into the core per 2^18 instructions); a module waits at most this long, about a
// millisecond of interpreted code.
const POLL_SLICE = 1 << 18;

export interface ExitInfo {
  reason: L.Exit;
  vector: number;  // the x86 exception vector of a fault or trap exit (14 #PF, 13 #GP, 3 #BP, 4 #OF, 16 #MF, 19 #XM, ...)
  error: number;   // the error code the CPU pushes: #PF's, #GP's (0, or an INT n gate's selector (n << 3) | 2); else 0
  rip: bigint;     // RIP of the instruction that caused the exit
  addr: bigint;    // faulting address
  opcode: number;  // map<<8 | opcode for invalid/unimplemented instructions
  probe: number;   // the probe's index (setProbes order) on Exit.Probe, else -1
}

// A code probe: the instruction at `va` in the address space `cr3` (0: any).
export interface ProbeSite { cr3: number; va: number }

export const GPR_NAMES = ["rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"];

// Byte ranges of the state block that belong to a thread (not the clock, exit info or ring;
// the probe skip is per thread, as RFLAGS.RF would be; the tid is set by the host).
const CONTEXT_SPANS: Array<[number, number]> = [[0, L.S_TICKS], [L.S_MXCSR, L.S_MXCSR + 4], [L.S_PROBE_SKIP, L.S_PROBE_SKIP_RIP + 8], [L.S_FPU_CW, 768]];

// SKYTRACE_SPACE_FLUSH=0: a code page written or freed, and one space's page-table or probe change,
// drop every address space's decoded code, as before the code-page marks named the spaces
// (assembly/decoder/cacheflush.ts); for measuring what they save (bench/space-flush.ts).
const SPACE_FLUSH = process.env.SKYTRACE_SPACE_FLUSH !== "0";

// The CR3s whose probes differ between two probe tables, in content or in index.
function changedSpaces(before: readonly ProbeSite[], after: readonly ProbeSite[]): Set<number> {
  const sig = (sites: readonly ProbeSite[]): Map<number, string> => {
    const m = new Map<number, string>();
    sites.forEach((p, i) => m.set(p.cr3, `${m.get(p.cr3) ?? ""}${i}:${p.va},`));
    return m;
  };
  const a = sig(before), b = sig(after), out = new Set<number>();
  for (const [cr3, s] of a) if (b.get(cr3) !== s) out.add(cr3);
  for (const cr3 of b.keys()) if (!a.has(cr3)) out.add(cr3);
  return out;
}

export class Machine {
  readonly core: CoreExports;
  readonly phys: PhysMem;
  private q!: BigUint64Array;
  private d!: DataView;
  private u32!: Uint32Array;
  private ring32!: Uint32Array;

  /** The second tier, when on (src/machine/jit): hot traces compiled to WebAssembly. */
  readonly jit: Jit | undefined;

  // opts.jit: true, false, or the number of runs before a trace is compiled (default: on unless
  // SKYTRACE_JIT=0, at SKYTRACE_JIT_THRESHOLD or the JIT's own threshold: jit/default.ts).
  // opts.compileThread: compile in the thread's compile thread (jit/compile-thread.ts), the hot
  // trace interpreted until its module arrives; false: at once, on this thread (what a test of
  // compiled code at threshold 1 needs). Default: jitThreadDefault(), and never at a threshold
  // given (opts.jit a number, or SKYTRACE_JIT_THRESHOLD): those are the tests' and benches' tiers,
  // unless SKYTRACE_JIT_THREAD=1 asks for the thread anyway.
  // opts.jitOptions: the compiler's (jit/compile.ts CompileOptions), for the benches that study it.
  constructor(module?: WebAssembly.Module, opts: { maxPhysBytes?: number; jit?: boolean | number; compileThread?: boolean; jitOptions?: CompileOptions } = {}) {
    this.core = instantiateCore(module); // a new instance starts in its reset state
    this.phys = new PhysMem(this.core, opts.maxPhysBytes);
    this.views();
    const jit = opts.jit ?? (jitDefault() && (jitThresholdDefault() ?? true));
    const thread = opts.compileThread ?? (process.env.SKYTRACE_JIT_THREAD === "1" || (jit === true && jitThreadDefault()));
    if (jit !== false) this.jit = new Jit(this.core as never, this.core.table, jit === true ? DEFAULT_JIT_THRESHOLD : jit, opts.jitOptions ?? {}, thread);
    if (opts.jit === undefined) noteTier(this.jit?.stats);
    if (!SPACE_FLUSH) this.core.setSpaceFlush(0);
  }

  // Back to the state of a new Machine (core globals, state block, caches, guest
  // RAM, frame allocator), so one instance can serve flight after flight.
  reset(): void {
    this.resets++;
    this.core.reset();
    this.phys.reset();
    this.views();
    this.probeSites = [];
    this.jit?.reset();
    if (!SPACE_FLUSH) this.core.setSpaceFlush(0);
    this.clean = true;
  }

  // A Kernel given this Machine takes it here: reset, unless it is known clean (made or reset, and
  // since then not run, no frame handed out and no Kernel given it). A new Machine's core is
  // already in its reset state (assembly/index.ts setDefaults), and resetting it zeroed 32 MiB of
  // memory that was zero (the fixed area and the first 16 MiB of guest RAM, about 3 % of a
  // SQLite run's profile in the benches that pass a new Machine).
  claim(): void {
    if (!this.clean || !this.phys.untouched) this.reset();
    this.clean = false;
  }
  private clean = true;
  /** Times reset() ran (a Kernel given a new Machine does not reset it: test/machine/reset.test.ts). */
  resets = 0;

  // Growing linear memory detaches the old buffer, which empties views over it:
  // checking the length is cheaper than asking the Memory for its buffer.
  private views(): void {
    if (!this.q || this.q.length === 0) {
      this.q = new BigUint64Array(this.core.memory.buffer, L.STATE, 512);
      this.d = new DataView(this.core.memory.buffer, L.STATE, 4096);
      this.u32 = new Uint32Array(this.core.memory.buffer, L.STATE, 1024);
      this.ring32 = new Uint32Array(this.core.memory.buffer, L.RING, L.RING_CAPACITY * (L.RING_RECORD / 4));
    }
  }
  // The state block and the trace ring as 32-bit words (for hot paths that avoid BigInt).
  get stateWords(): Uint32Array { this.views(); return this.u32; }
  get ringWords(): Uint32Array { this.views(); return this.ring32; }
  private get s(): BigUint64Array { this.views(); return this.q; }
  get stateView(): DataView { this.views(); return this.d; }

  gpr(i: number): bigint { return this.s[i]; }
  setGpr(i: number, v: bigint): void { this.s[i] = BigInt.asUintN(64, v); }
  get rip(): bigint { return this.s[L.S_RIP / 8]; }
  set rip(v: bigint) { this.s[L.S_RIP / 8] = BigInt.asUintN(64, v); }
  get rflags(): bigint { return this.s[L.S_RFLAGS / 8]; }
  set rflags(v: bigint) { this.s[L.S_RFLAGS / 8] = (BigInt.asUintN(64, v) & 0x3F7FD7n) | 2n; }
  get fsBase(): bigint { return this.s[L.S_FSBASE / 8]; }
  set fsBase(v: bigint) { this.s[L.S_FSBASE / 8] = BigInt.asUintN(64, v); }
  get gsBase(): bigint { return this.s[L.S_GSBASE / 8]; }
  set gsBase(v: bigint) { this.s[L.S_GSBASE / 8] = BigInt.asUintN(64, v); }
  // As a u64. The kernel's hot paths read the counter through its Clock, as numbers.
  get ticks(): bigint { return this.s[L.S_TICKS / 8]; }
  set ticks(v: bigint) { this.s[L.S_TICKS / 8] = v; }
  get mxcsr(): number { return this.stateView.getUint32(L.S_MXCSR, true); }
  set mxcsr(v: number) { this.stateView.setUint32(L.S_MXCSR, v, true); }
  get cr3(): number { return Number(this.s[L.S_CR3 / 8]); }
  // Switching address spaces drops cached translations; decoded code is kept per address space
  // (the core's switchSpace: assembly/decoder/cacheflush.ts).
  set cr3(pa: number) {
    if (Number(this.s[L.S_CR3 / 8]) !== pa) {
      this.s[L.S_CR3 / 8] = BigInt(pa);
      this.core.switchSpace();
    }
  }
  // The thread on the CPU: every trace record made from now on carries it.
  get tid(): number { return this.stateWords[L.S_TID / 4]; }
  set tid(v: number) { this.stateWords[L.S_TID / 4] = v; }
  get efer(): bigint { return this.s[L.S_EFER / 8]; }
  set efer(v: bigint) { this.s[L.S_EFER / 8] = v; this.core.flushTlb(); }

  // XMM register as 16 bytes (a copy) / from 16 bytes.
  xmm(i: number): Uint8Array {
    return new Uint8Array(this.core.memory.buffer, L.STATE + L.S_XMM + i * 16, 16).slice();
  }
  setXmm(i: number, bytes: Uint8Array): void {
    new Uint8Array(this.core.memory.buffer, L.STATE + L.S_XMM + i * 16, 16).set(bytes);
  }

  // A process's user-visible CPU context (GPRs, RIP, RFLAGS, segment bases,
  // CR3, MXCSR, x87 and XMM state), for context switches and fork.
  saveContext(): Uint8Array {
    const b = new Uint8Array(this.core.memory.buffer, L.STATE, 4096);
    const out = new Uint8Array(CONTEXT_SPANS.reduce((n, [a, e]) => n + e - a, 0));
    let o = 0;
    for (const [a, e] of CONTEXT_SPANS) { out.set(b.subarray(a, e), o); o += e - a; }
    return out;
  }
  restoreContext(ctx: Uint8Array): void {
    const oldCr3 = this.cr3;
    const b = new Uint8Array(this.core.memory.buffer, L.STATE, 4096);
    let o = 0;
    for (const [a, e] of CONTEXT_SPANS) { b.set(ctx.subarray(o, o + e - a), a); o += e - a; }
    if (this.cr3 !== oldCr3) this.core.switchSpace();
  }

  // The x87/SSE state as the 512-byte image FXSAVE64 stores (bytes 416-511 zero),
  // and loading it from one as FXRSTOR64 does: false, and nothing changed, if
  // its MXCSR has reserved bits set. For signal frames' fpstate.
  fxsave(): Uint8Array {
    this.core.saveFxImage();
    const out = new Uint8Array(512);
    out.set(new Uint8Array(this.core.memory.buffer, L.STATE + L.S_FX_IMAGE, 416));
    return out;
  }
  fxrstor(image: Uint8Array): boolean {
    new Uint8Array(this.core.memory.buffer, L.STATE + L.S_FX_IMAGE, 416).set(image.subarray(0, 416));
    return this.core.loadFxImage() !== 0;
  }

  run(budget: number): L.Exit {
    this.clean = false;
    return this.jit?.compileThread ? this.runPolling(budget) : this.runCore(budget);
  }

  private runCore(budget: number): L.Exit {
    let r = this.core.run(BigInt(budget));
    // A hot trace: compile it and run on with what is left of the budget (nothing retired at the exit).
    while (r === EXIT_JIT) {
      const d = this.stateView;
      this.jit!.compile(Number(d.getBigUint64(L.S_EXIT_ADDR, true)), d.getBigUint64(L.S_EXIT_RIP, true));
      r = this.core.run(this.core.budgetLeft());
    }
    return r as L.Exit;
  }

  // run() with a compile thread: finished modules are taken at the start and every POLL_SLICE
  // instructions (only there: where a run takes them does not depend on how fast the thread is
  // within a slice, which the test of a flush while a compile is in flight relies on).
  private runPolling(budget: number): L.Exit {
    let left = budget;
    for (;;) {
      pollCompiled();
      const slice = left > POLL_SLICE ? POLL_SLICE : left;
      const r = this.runCore(slice);
      left -= slice - Number(this.core.budgetLeft());
      if (r !== L.Exit.Budget || left <= 0) return r as L.Exit;
    }
  }

  exit(): ExitInfo {
    const d = this.stateView;
    return {
      reason: d.getUint32(L.S_EXIT_REASON, true),
      vector: d.getUint32(L.S_EXIT_VECTOR, true),
      error: d.getUint32(L.S_EXIT_ERROR, true),
      rip: d.getBigUint64(L.S_EXIT_RIP, true),
      addr: d.getBigUint64(L.S_EXIT_ADDR, true),
      opcode: d.getUint32(L.S_EXIT_OPCODE, true),
      probe: d.getUint32(L.S_EXIT_REASON, true) === L.Exit.Probe ? d.getUint32(L.S_EXIT_ERROR, true) : -1,
    };
  }

  // The index of the probe that made the last run() return Exit.Probe (no object made).
  get exitProbe(): number { return this.stateWords[L.S_EXIT_ERROR / 4]; }

  // Code probes, invisible to the guest: run() returns Exit.Probe when execution
  // reaches sites[i] (exit().probe = i), before that instruction: nothing
  // retired, no tick, RIP on it. The next run() executes it and goes on; it
  // exits again the next time the address is reached. Replaces the whole set
  // (at most PROBE_MAX; [] clears) and drops the decoded code of the address spaces whose probes
  // changed: a decoded probe is a slot holding its index (assembly/decoder/probe.ts), so a space
  // whose probes moved to other indices is one of them; a probe of every space (CR3 0) changing
  // drops them all.
  setProbes(sites: readonly ProbeSite[]): void {
    if (sites.length > L.PROBE_MAX) throw new RangeError(`skytrace: ${sites.length} code probes, at most ${L.PROBE_MAX}`);
    const t = new BigUint64Array(this.core.memory.buffer, L.PROBES, 2 * L.PROBE_MAX);
    sites.forEach((p, i) => { t[2 * i] = BigInt(p.cr3); t[2 * i + 1] = BigInt(p.va); });
    const changed = changedSpaces(this.probeSites, sites);
    this.probeSites = sites.map((p) => ({ cr3: p.cr3, va: p.va }));
    const all = changed.has(0);
    this.core.setProbes(sites.length, all ? 1 : 0);
    if (!all) for (const cr3 of changed) this.core.dropSpace(cr3);
  }
  private probeSites: ProbeSite[] = [];

  // Resume after a host-handled SYSCALL: RIP <- RCX, RFLAGS <- R11, record SYSRET.
  sysret(): void { this.core.sysret(); }

  // Page tables changed behind the core's back: drop cached translations and decoded code (a CR3
  // write is the `cr3` setter's: the core's switchSpace keeps each address space's traces).
  flushTlb(): void { this.core.flushTlb(); }
  // The running address space's page tables changed, or it is a new one (execve): drop cached
  // translations and its own decoded code; other spaces keep theirs (their tables did not change).
  flushSpace(): void { this.core.flushSpace(); }
  // Page tables changed only where no page held decoded code (a page that did was released, and
  // releasing it dropped the decoded code: PhysMem.release): drop cached translations only, and
  // keep the decoded traces and the code compiled from them (a Lua run's heap trims did
  // otherwise drop all of it, docs/jit.md).
  flushTranslations(): void { this.core.flushTranslations(); }

  // Record SYSCALL/SYSRET in the trace ring (src/machine/trace-ring.ts drains it).
  set traceOn(on: boolean) { this.stateView.setUint32(L.S_TRACE_ON, on ? 1 : 0, true); }
}
