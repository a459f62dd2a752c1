// CPUID: an honest x86-64-v2 CPU, reporting exactly what the core runs:
// FPU, TSC, CX8, CMOV, CLFSH, MMX (with AMD's MMX extensions), FXSR, SSE,
// SSE2, SSE3, SSSE3, SSE4.1, SSE4.2, POPCNT, CMPXCHG16B; LM, NX, SYSCALL,
// RDTSCP and LAHF/SAHF in 64-bit mode (sse/table.ts lists every SIMD form;
// test/sse/cpuid-features.test.ts runs each claim). Not reported, and #UD
// (or, where a CPU without it does so, the older instruction): MONITOR/MWAIT,
// PCLMULQDQ, AES, MOVBE, SSE4A, 3DNow!, AVX/XSAVE/OSXSAVE, BMI, ADX, SHA,
// RDRAND, FSGSBASE, ERMS, and LZCNT/TZCNT (ABM, BMI1: F3 0F BD and F3 0F BC
// run as BSR and BSF, as on CPUs without them). RCPPS/RSQRTPS and their
// scalar forms run as a documented approximation (sse/approx.ts).
//
// Vendor: "AuthenticAMD", family 0Fh (the K8 line, the first x86-64 CPUs and the
// baseline the ISA is defined by). The family stays 0Fh with the v2 features:
// software picks instructions by the feature bits, and the only family test
// in glibc's AMD path (family 15h, Excavator tuning) does not apply. Why AMD: static glibc's dl_init_cacheinfo
// reads AMD cache sizes from the two self-describing leaves 0x80000005 (L1) and
// 0x80000006 (L2/L3), while its Intel path walks leaf 2 descriptor bytes, leaf 4
// and leaf 0xB thread topology. We report L1d 64 KiB, L1i 64 KiB, L2 1 MiB and
// no L3, so glibc takes "shared = core" (the L2 size) with no thread arithmetic
// and its memcpy thresholds come out as on a real single-core K8.
// Max basic leaf is 1 (as on K8), so glibc never asks leaf 7/0xD.
import { gpr, setGpr, RAX, RBX, RCX, RDX } from "../cpu/state";

const LEAF1_ECX: u32 = (1 << 0) | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 20) | (1 << 23);
const LEAF1_EDX: u32 = (1 << 0) | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 19) | (1 << 23) | (1 << 24) | (1 << 25) | (1 << 26);

const BRAND = "skytrace virtual x86-64 CPU"; // padded with NULs to 48 bytes

function brandWord(i: i32): u32 {
  let w: u32 = 0;
  for (let k = 0; k < 4; k++) {
    const p = i * 4 + k;
    const c: u32 = p < BRAND.length ? <u32>BRAND.charCodeAt(p) : 0;
    w |= c << (k * 8);
  }
  return w;
}

function set4(a: u32, b: u32, c: u32, d: u32): void {
  setGpr(RAX, a); setGpr(RBX, b); setGpr(RCX, c); setGpr(RDX, d);
}

export function cpuid(): void {
  const leaf = <u32>gpr(RAX);
  switch (leaf) {
    case 0: // max basic leaf, "AuthenticAMD" in EBX EDX ECX
      set4(1, 0x68747541, 0x444D4163, 0x69746E65);
      return;
    case 1:
      // family 0Fh model 5 stepping 1; CLFLUSH line 8*8 bytes, 1 logical CPU
      // ECX: SSE3 (0) SSSE3 (9) CX16 (13) SSE4.1 (19) SSE4.2 (20) POPCNT (23).
      // EDX: FPU TSC CX8 CMOV CLFSH (19) MMX (23) FXSR SSE SSE2 (the kernel's AT_HWCAP).
      set4(0x00000F51, 0x00010800, LEAF1_ECX, LEAF1_EDX);
      return;
    case 0x80000000:
      set4(0x80000008, 0x68747541, 0x444D4163, 0x69746E65);
      return;
    case 0x80000001:
      // ECX: LAHF/SAHF (bit 0). EDX: SYSCALL (11), NX (20), MmxExt (22), RDTSCP (27), LM (29),
      // plus the basic bits mirrored as AMD does (FPU TSC CX8 CMOV MMX FXSR).
      set4(0x00000F51, 0, 1,
        (1 << 0) | (1 << 4) | (1 << 8) | (1 << 11) | (1 << 15) | (1 << 20) | (1 << 22) | (1 << 23) | (1 << 24) | (1 << 27) | (1 << 29));
      return;
    case 0x80000002: case 0x80000003: case 0x80000004: {
      const base = <i32>(leaf - 0x80000002) * 4;
      set4(brandWord(base), brandWord(base + 1), brandWord(base + 2), brandWord(base + 3));
      return;
    }
    case 0x80000005:
      // L1 TLBs (EAX/EBX), L1d (ECX) and L1i (EDX): 64 KiB, 2-way, 1 line/tag, 64-byte lines
      set4(0xFF08FF08, 0xFF20FF20, 0x40020140, 0x40020140);
      return;
    case 0x80000006:
      // L2: 1 MiB (bits 31:16 = 1024 KiB), 16-way (8), 1 line/tag, 64-byte lines. EDX = 0: no L3.
      set4(0, 0x42004200, 0x04008140, 0);
      return;
    case 0x80000008:
      // 40-bit physical, 48-bit virtual addresses; one core
      set4(0x00003028, 0, 0, 0);
      return;
  }
  // Leaves above the maximum return zeros here (a real AMD CPU does the same).
  set4(0, 0, 0, 0);
}
