// FNSTENV/FLDENV (the protected-mode environment) and FNSAVE/FRSTOR (the
// environment, then ST0-7 as 80-bit values), in both of their formats: 28
// bytes of 32-bit fields, or 14 bytes of 16-bit fields with an operand-size
// prefix. In 64-bit mode, as the AMD host does it:
//   32-bit: CW, SW, TW as dwords with 0xFFFF in the high halves; FIP[31:0];
//           FCS in the low half and FOP in bits 16-26 of the next dword;
//           FDP[31:0]; FDS with 0xFFFF above it.
//   16-bit: CW, SW, TW, FIP[15:0], FCS, FDP[15:0], FDS: no FOP.
// Loading the 32-bit form sets FIP and FDP to the 32-bit values, the 16-bit
// form to the 16-bit ones and FOP to 0 (x87/pointers.ts).
import { read16, read64, write16, write32, write64, probeWrite, read32 } from "../mmu/access";
import { exc } from "../cpu/state";
import { fpuCw, setFpuCw, fpuSw, setFpuSw, fpuTw, setFpuTw, fpuTop, physSig, physSe, storePhys, tagFor, fninit, TAG_EMPTY } from "./stack";
import { updateErrorSummary } from "./env";
import { fip, fcs, fop, fdp, fds, setPointers } from "./pointers";

@inline function envSize(small: bool): u32 { return small ? 14 : 28; }

function storeEnv(a: u64, small: bool): void {
  if (small) {
    write16(a, fpuCw()); write16(a + 2, fpuSw()); write16(a + 4, fpuTw());
    write16(a + 6, <u32>fip()); write16(a + 8, fcs());
    write16(a + 10, <u32>fdp()); write16(a + 12, fds());
    return;
  }
  write32(a, 0xFFFF0000 | fpuCw());
  write32(a + 4, 0xFFFF0000 | fpuSw());
  write32(a + 8, 0xFFFF0000 | fpuTw());
  write32(a + 12, <u32>fip());
  write32(a + 16, fcs() | (fop() << 16));
  write32(a + 20, <u32>fdp());
  write32(a + 24, 0xFFFF0000 | fds());
}

// Reads the environment at a (nothing changes yet: a fault leaves the state
// intact); returns false on a fault. The values wait in these until applyEnv.
let eCw: u32 = 0, eSw: u32 = 0, eTw: u32 = 0, eIp: u64 = 0, eCs: u32 = 0, eOp: u32 = 0, eDp: u64 = 0, eDs: u32 = 0;
export function resetEnvImage(): void { eCw = 0; eSw = 0; eTw = 0; eIp = 0; eCs = 0; eOp = 0; eDp = 0; eDs = 0; }

function readEnv(a: u64, small: bool): void {
  if (small) {
    eCw = read16(a); eSw = read16(a + 2); eTw = read16(a + 4);
    eIp = <u64>read16(a + 6); eCs = read16(a + 8); eOp = 0;
    eDp = <u64>read16(a + 10); eDs = read16(a + 12);
    return;
  }
  eCw = read16(a); eSw = read16(a + 4); eTw = read16(a + 8);
  eIp = <u64>read32(a + 12);
  const w = read32(a + 16);
  eCs = w & 0xFFFF; eOp = (w >> 16) & 0x7FF;
  eDp = <u64>read32(a + 20); eDs = read16(a + 24);
}

function applyEnv(): void {
  setFpuCw(eCw); setFpuSw(eSw);
  setPointers(eIp, eCs, eOp, eDp, eDs);
}

// Tag word from an image: empty stays empty, the rest is recomputed from the values.
function loadTags(tw: u32): void {
  let t: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) {
    const e = (tw >> (p << 1)) & 3;
    t |= (e == TAG_EMPTY ? TAG_EMPTY : tagFor(physSe(p), physSig(p))) << (p << 1);
  }
  setFpuTw(t);
}

export function fnstenv(a: u64, small: bool): void {
  if (!probeWrite(a, envSize(small))) return;
  storeEnv(a, small);
  setFpuCw(fpuCw() | 0x3F); // FNSTENV masks every exception afterwards
  updateErrorSummary();     // (which also clears ES and B)
}

export function fldenv(a: u64, small: bool): void {
  readEnv(a, small);
  if (exc != 0) return;
  applyEnv();
  loadTags(eTw);
  updateErrorSummary();
}

export function fnsave(a: u64, small: bool): void {
  const env = envSize(small);
  if (!probeWrite(a, env + 80)) return;
  storeEnv(a, small);
  const top = fpuTop();
  for (let i: u32 = 0; i < 8; i++) {
    const p = (top + i) & 7;
    const o = a + env + <u64>i * 10;
    write64(o, physSig(p)); write16(o + 8, physSe(p));
  }
  fninit();
}

export function frstor(a: u64, small: bool): void {
  const env = envSize(small);
  readEnv(a, small);
  read64(a + env + 72);
  if (exc != 0) return;
  applyEnv();
  const top = (eSw >> 11) & 7;
  for (let i: u32 = 0; i < 8; i++) {
    const o = a + env + <u64>i * 10;
    storePhys((top + i) & 7, read16(o + 8), read64(o));
  }
  loadTags(eTw);
  updateErrorSummary();
}
