// Mirror of assembly/memmap.ts: where the core keeps its state in linear memory.
// test/machine/layout.test.ts checks these against the compiled core.

export const STATE = 0x0010_0000;
export const S_GPR = 0;
export const S_RIP = 128;
export const S_RFLAGS = 136;
export const S_FSBASE = 144;
export const S_GSBASE = 152;
export const S_CR0 = 160;
export const S_CR2 = 168;
export const S_CR3 = 176;
export const S_CR4 = 184;
export const S_EFER = 192;
export const S_STAR = 200;
export const S_LSTAR = 208;
export const S_FMASK = 216;
export const S_TICKS = 224;
export const S_MXCSR = 232;
export const S_CPL = 236;
export const S_TID = 240;
export const S_PROBE_SKIP = 244;
export const S_PROBE_SKIP_RIP = 248;
export const S_EXIT_REASON = 256;
export const S_EXIT_ERROR = 260;
export const S_EXIT_RIP = 264;
export const S_EXIT_ADDR = 272;
export const S_EXIT_OPCODE = 280;
export const S_EXIT_VECTOR = 284;
export const S_TSC_OFFSET = 288;
export const S_RING_HEAD = 296;
export const S_TRACE_ON = 300;
export const S_PHYS_SIZE = 304;
export const S_FPU_CW = 320;
export const S_FPU_SW = 322;
export const S_FPU_TW = 324;
export const S_FPU_TOP = 326;
export const S_FPU_FOP = 328;
export const S_FPU_FCS = 330;
export const S_FPU_FDS = 332;
export const S_FPU_FIP = 336;
export const S_FPU_FDP = 344;
export const S_FPU_ST = 384;
export const S_XMM = 512;
export const S_FX_IMAGE = 1024; // a 512-byte FXSAVE image (saveFxImage/loadFxImage)

export const TLB_ENTRIES = 4096;
export const RING = STATE + 4096 + TLB_ENTRIES * 32;
export const RING_RECORD = 80;
export const RING_CAPACITY = 4096;
// The record inside: src/machine/trace-ring.ts.

// The decoded-trace cache (assembly/memmap.ts, assembly/decoder/tcache.ts): TC_ENTRIES blocks of
// TC_BLOCK bytes in TC_SETS sets of TC_WAYS, each a header { tag u64 = start RIP | generation << 48,
// count u16, next u8, pad u8, jit u32 } and then 32-byte decoded slots. The JIT reads it to find the
// traces a hot one jumps to (src/machine/jit/jit.ts, through the core's traceBlock).
export const TC_BASE = RING + RING_CAPACITY * RING_RECORD;
export const TC_SET_BITS = 12;
export const TC_WAYS = 4;
export const TC_ENTRIES = TC_WAYS << TC_SET_BITS;
export const TC_BLOCK = 16 + 16 * 32;
export const TC_HEADER = 16;
export const TC_JIT = 12;

// Past the trace cache: a u16 per physical page (code-page marks: a bit per SPACES entry), then the code probes
// (PROBE_MAX entries of { cr3: u64 (0 = any), va: u64 }), a decoded slot, the kept JIT words, the
// address spaces' generations.
export const MAX_PHYS_PAGES = 0x100000;
export const CODE_PAGES = TC_BASE + TC_ENTRIES * TC_BLOCK;
export const PROBE_MAX = 64;
export const PROBE_ENTRY = 16;
export const PROBES = CODE_PAGES + MAX_PHYS_PAGES * 2;
export const PROBE_SLOT = PROBES + PROBE_MAX * PROBE_ENTRY;
export const JIT_KEPT = PROBE_SLOT + 32;
export const JIT_KEPT_ENTRIES = 8192;
export const JIT_KEPT_ENTRY = 16;
export const SPACES = JIT_KEPT + JIT_KEPT_ENTRIES * JIT_KEPT_ENTRY; // { cr3, generation } per address space whose traces are kept
export const SPACE_MAX = 16;
export const SPACE_ENTRY = 16;
export const FIXED_END = SPACES + SPACE_MAX * SPACE_ENTRY;

export const PHYS_BASE = 0x0100_0000;

export const enum Exit {
  Budget = 0,
  Syscall = 1,
  PageFault = 2,
  InvalidOpcode = 3,
  Hlt = 4,
  DivideError = 5,
  GeneralProtection = 6,
  Int3 = 7,
  Unimplemented = 8,
  FpuError = 9,
  Probe = 10,
  // 11: a hot trace's compile request, handled inside Machine.run (never returned)
  StackFault = 12, // #SS: a push, pop or RSP/RBP-based access to a non-canonical address
}

export const EXIT_NAMES = [
  "budget", "syscall", "page fault", "invalid opcode", "hlt", "divide error",
  "general protection", "int3", "unimplemented instruction", "floating-point error", "probe",
  "jit compile", "stack fault",
];
