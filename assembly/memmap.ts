// Fixed linear-memory map of the core. AssemblyScript keeps its own static data
// below FIXED_BASE; guest physical RAM starts at PHYS_BASE and is never at 0.
// The host reads and writes these regions through typed-array views
// (src/machine/layout.ts mirrors every constant here).

export const FIXED_BASE: u32 = 0x0010_0000;

// CPU state block (4 KiB): see the STATE_* offsets below.
export const STATE: u32 = FIXED_BASE;

// GPRs: RAX RCX RDX RBX RSP RBP RSI RDI R8..R15, 8 bytes each, in encoding order.
export const S_GPR: u32 = 0;
export const S_RIP: u32 = 128;
export const S_RFLAGS: u32 = 136;
export const S_FSBASE: u32 = 144;
export const S_GSBASE: u32 = 152;
export const S_CR0: u32 = 160;
export const S_CR2: u32 = 168;
export const S_CR3: u32 = 176;
export const S_CR4: u32 = 184;
export const S_EFER: u32 = 192;
export const S_STAR: u32 = 200;
export const S_LSTAR: u32 = 208;
export const S_FMASK: u32 = 216;
export const S_TICKS: u32 = 224;     // virtual clock: retired instructions + host-added time
export const S_MXCSR: u32 = 232;     // u32
export const S_CPL: u32 = 236;       // u32, 3 while the guest runs user code, 0 between SYSCALL and SYSRET
export const S_TID: u32 = 240;       // u32: the thread on the CPU (the host sets it on a switch); copied into trace records
// After a probe exit: the next run() executes the instruction at S_PROBE_SKIP_RIP once
// without its probe (per thread, like RFLAGS.RF for a debug breakpoint; invisible to the guest).
export const S_PROBE_SKIP: u32 = 244;     // u32: 1 = armed
export const S_PROBE_SKIP_RIP: u32 = 248; // u64
// Exit information written when run() returns.
export const S_EXIT_REASON: u32 = 256; // u32
export const S_EXIT_ERROR: u32 = 260;  // u32: #PF error code, vector detail, or the probe's index
export const S_EXIT_RIP: u32 = 264;    // u64: RIP of the instruction that caused the exit
export const S_EXIT_ADDR: u32 = 272;   // u64: faulting linear address (also in CR2 for #PF)
export const S_EXIT_OPCODE: u32 = 280; // u32: map<<8|opcode of an unimplemented/invalid instruction
export const S_EXIT_VECTOR: u32 = 284; // u32: the x86 exception vector the exit stands for (cpu/exits.ts)
export const S_TSC_OFFSET: u32 = 288;  // u64 added to ticks for RDTSC
export const S_RING_HEAD: u32 = 296;   // u32 number of records in the trace ring (host resets to 0 after draining)
export const S_TRACE_ON: u32 = 300;    // u32: 1 = append SYSCALL/SYSRET records
export const S_PHYS_SIZE: u32 = 304;   // u64: bytes of guest physical RAM available
// x87 state
export const S_FPU_CW: u32 = 320;      // u16 control word
export const S_FPU_SW: u32 = 322;      // u16 status word (TOP in bits 11..13)
export const S_FPU_TW: u32 = 324;      // u16 tag word (full 2-bit form)
export const S_FPU_TOP: u32 = 326;     // u16 top of stack 0..7
export const S_FPU_FOP: u32 = 328;     // u16 last opcode (11 bits)
// The last non-control x87 instruction's pointers (x87/pointers.ts)
export const S_FPU_FCS: u32 = 330;     // u16 its code segment selector
export const S_FPU_FDS: u32 = 332;     // u16 its data segment selector
export const S_FPU_FIP: u32 = 336;     // u64 its address
export const S_FPU_FDP: u32 = 344;     // u64 its memory operand's offset
export const S_FPU_ST: u32 = 384;      // 8 x 16-byte physical registers R0..R7: u64 significand, u16 sign/exponent
// SSE
export const S_XMM: u32 = 512;         // 16 x 16 bytes
// A 512-byte FXSAVE image the host reads and writes for signal frames (x87/fximage.ts)
export const S_FX_IMAGE: u32 = 1024;
export const STATE_SIZE: u32 = 4096;

// Software TLB: 4096 direct-mapped entries each for reads and writes.
// Entry = { tag: u64 = vpn | epoch<<52, addend: i64 = linear - vaddr }.
export const TLB_ENTRIES: u32 = 4096;
export const TLB_READ: u32 = STATE + STATE_SIZE;
export const TLB_WRITE: u32 = TLB_READ + TLB_ENTRIES * 16;

// Trace ring: RING_CAPACITY records of RING_RECORD bytes (trace/ring.ts writes them).
export const RING: u32 = TLB_WRITE + TLB_ENTRIES * 16;
export const RING_RECORD: u32 = 80;
export const RING_CAPACITY: u32 = 4096;
// Byte offsets within a record. SYSCALL fills them all; SYSRET fills kind, tid,
// tick, ret and cr3 (the other register slots hold whatever was there before).
export const RING_KIND: u32 = 0;   // u32: REC_SYSCALL or REC_SYSRET, | REC_OVERFLOW on a full ring's last record
export const RING_TID: u32 = 4;    // u32: S_TID when the record was made
export const RING_TICK: u32 = 8;   // u64
export const RING_REGS: u32 = 16;  // 7 x u64 (SYSCALL): RAX RDI RSI RDX R10 R8 R9 at SYSCALL
export const RING_RET: u32 = 16;   // u64 (SYSRET): RAX at SYSRET, the value the guest sees returned
export const RING_CR3: u32 = 72;   // u64

// Decoded-trace cache: TC_ENTRIES traces in TC_SETS sets of TC_WAYS blocks (decoder/tcache.ts),
// each block a header { tag: u64 = start RIP | generation<<48 (cacheflush.ts), count: u16, next: u8 (the set's way to
// rebuild next, in way 0's header only), pad: u8, jit: u32 } and up to TC_MAX decoded instructions
// (32-byte slots) that run one after another from the start RIP.
export const TC_SET_BITS: u32 = 12;  // log2(TC_SETS)
export const TC_WAYS: u32 = 4;       // tcFind looks at four
export const TC_SETS: u32 = 1 << TC_SET_BITS;
export const TC_ENTRIES: u32 = TC_SETS * TC_WAYS;
export const TC_MAX: u32 = 16;
export const TC_HEADER: u32 = 16;
export const TC_COUNT: u32 = 8;    // u16: decoded instructions
export const TC_NEXT: u32 = 10;    // u8, way 0's header: the way a miss rebuilds next (tcache.ts)
export const TC_JIT: u32 = 12;     // u32: runs so far, JIT_NEVER, or JIT_ENTRY + the compiled code's table index (jit/entry.ts)
export const DC_SLOT_SIZE: u32 = 32;
export const TC_BLOCK: u32 = TC_HEADER + TC_MAX * DC_SLOT_SIZE;
export const TC_BASE: u32 = RING + RING_CAPACITY * RING_RECORD;

// One u16 per 4 KiB physical page: bit i = the space in SPACES entry i decoded code from this page
// (decoder/cacheflush.ts); 0 = no decoded code came from it.
export const CODE_PAGES: u32 = TC_BASE + TC_ENTRIES * TC_BLOCK;
export const MAX_PHYS_PAGES: u32 = 0x100000; // 4 GiB of guest RAM at most

// Code probes (decoder/probe.ts): up to PROBE_MAX entries { cr3: u64 (0 = any), va: u64 }
// that the host writes before calling setProbes(count), then one decoded slot
// in which the instruction at a probe is decoded when it runs past its probe.
export const PROBE_MAX: u32 = 64;
export const PROBE_ENTRY: u32 = 16;
export const PROBES: u32 = CODE_PAGES + MAX_PHYS_PAGES * 2;
export const PROBE_SLOT: u32 = PROBES + PROBE_MAX * PROBE_ENTRY;

// The JIT's words of evicted traces (decoder/tcache.ts): JIT_KEPT_ENTRIES direct-mapped
// { tag: u64 (as the trace's), jit: u32, pad: u32 }, so a trace rebuilt in the same epoch is
// entered compiled again (or stays refused) instead of counting its runs from zero.
export const JIT_KEPT: u32 = PROBE_SLOT + 32;
export const JIT_KEPT_ENTRIES: u32 = 8192;
export const JIT_KEPT_ENTRY: u32 = 16;
// The address spaces whose decoded traces the cache holds (decoder/cacheflush.ts): SPACE_MAX
// entries { cr3: u64, generation: u64 (0: the entry is free) }.
export const SPACES: u32 = JIT_KEPT + JIT_KEPT_ENTRIES * JIT_KEPT_ENTRY;
export const SPACE_MAX: u32 = 16;
export const SPACE_ENTRY: u32 = 16;
// The end of the fixed area: below PHYS_BASE (test/machine/layout.test.ts).
export const FIXED_END: u32 = SPACES + SPACE_MAX * SPACE_ENTRY;

// Guest physical address 0 lives here.
export const PHYS_BASE: u32 = 0x0100_0000; // 16 MiB
