// The x87 register stack: eight physical registers R0..R7 in the 80-bit
// extended format (16-byte slots: the 64-bit significand at +0, the
// sign/exponent word at +8), TOP, the full two-bit tag word and the
// status/control words in the state block. S_FPU_SW holds the status word with
// its TOP field (bits 11-13) kept zero; TOP lives in S_FPU_TOP and is merged
// in when the status word is read.
import { STATE, S_FPU_CW, S_FPU_SW, S_FPU_TW, S_FPU_TOP, S_FPU_ST } from "../memmap";
import { clearPointers } from "./pointers";

export const TAG_VALID: u32 = 0;
export const TAG_ZERO: u32 = 1;
export const TAG_SPECIAL: u32 = 2;
export const TAG_EMPTY: u32 = 3;

@inline export function fpuCw(): u32 { return load<u16>(STATE + S_FPU_CW); }
@inline export function setFpuCw(v: u32): void { store<u16>(STATE + S_FPU_CW, <u16>v); }
@inline export function fpuTop(): u32 { return load<u16>(STATE + S_FPU_TOP) & 7; }
@inline export function setFpuTop(t: u32): void { store<u16>(STATE + S_FPU_TOP, <u16>(t & 7)); }
// Status word as software sees it (TOP merged in).
@inline export function fpuSw(): u32 { return (load<u16>(STATE + S_FPU_SW) & ~0x3800) | (fpuTop() << 11); }
@inline export function setFpuSw(v: u32): void { store<u16>(STATE + S_FPU_SW, <u16>(v & ~0x3800)); setFpuTop((v >> 11) & 7); }
@inline export function fpuTw(): u32 { return load<u16>(STATE + S_FPU_TW); }
@inline export function setFpuTw(v: u32): void { store<u16>(STATE + S_FPU_TW, <u16>v); }

@inline export function phys(i: u32): u32 { return (fpuTop() + i) & 7; }
@inline export function tagOf(p: u32): u32 { return (fpuTw() >> (p << 1)) & 3; }
@inline export function setTag(p: u32, t: u32): void { setFpuTw((fpuTw() & ~(3 << (p << 1))) | (t << (p << 1))); }
@inline function slot(p: u32): u32 { return STATE + S_FPU_ST + (p << 4); }
@inline export function physSig(p: u32): u64 { return load<u64>(slot(p)); }
@inline export function physSe(p: u32): u32 { return load<u16>(slot(p), 8); }

// The tag a value gets: zero, valid (a normal number) or special (NaN,
// infinity, denormal, unnormal and the other unsupported encodings).
export function tagFor(se: u32, sig: u64): u32 {
  const e = se & 0x7FFF;
  if (e == 0 && sig == 0) return TAG_ZERO;
  if (e == 0 || e == 0x7FFF || (sig >> 63) == 0) return TAG_SPECIAL;
  return TAG_VALID;
}
// Store raw, leaving the tag alone (images restored before their tag word).
@inline export function storePhys(p: u32, se: u32, sig: u64): void {
  store<u64>(slot(p), sig);
  store<u16>(slot(p), <u16>se, 8);
}
export function setPhys(p: u32, se: u32, sig: u64): void {
  storePhys(p, se, sig);
  setTag(p, tagFor(se, sig));
}

@inline export function isEmpty(i: u32): bool { return tagOf(phys(i)) == TAG_EMPTY; }
@inline export function stSig(i: u32): u64 { return physSig(phys(i)); }
@inline export function stSe(i: u32): u32 { return physSe(phys(i)); }
@inline export function setSt(i: u32, se: u32, sig: u64): void { setPhys(phys(i), se, sig); }

export function push(se: u32, sig: u64): void {
  const t = (fpuTop() - 1) & 7;
  setFpuTop(t);
  setPhys(t, se, sig);
}
export function pop(): void {
  setTag(fpuTop(), TAG_EMPTY);
  setFpuTop(fpuTop() + 1);
}

// Condition codes C0 C1 C2 C3 (bits 8, 9, 10, 14).
export function setCc(c0: u32, c1: u32, c2: u32, c3: u32): void {
  const sw = load<u16>(STATE + S_FPU_SW) & ~0x4700;
  store<u16>(STATE + S_FPU_SW, <u16>(sw | (c0 << 8) | (c1 << 9) | (c2 << 10) | (c3 << 14)));
}

// FNINIT state, and EMMS. The data registers keep their contents, only
// tagged empty (SDM FINIT/FNINIT; FXSAVE on an AMD Zen host shows them); the
// instruction and data pointers and FOP are cleared.
export function fninit(): void {
  setFpuCw(0x037F);
  store<u16>(STATE + S_FPU_SW, 0);
  setFpuTop(0);
  setFpuTw(0xFFFF);
  clearPointers();
}
// EMMS: every register empty, and TOP = 0 as the AMD host does (the SDM
// names only the tags; docs/cpu-model.md).
export function emms(): void { setFpuTw(0xFFFF); setFpuTop(0); }
