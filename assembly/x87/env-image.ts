// FNSTENV/FLDENV (28-byte protected-mode environment) and FNSAVE/FRSTOR (the
// environment plus ST0-7 as 80-bit values). FIP/FCS/FDP/FDS are stored as
// zero: this core does not track the last x87 instruction and data pointers.
import { read16, read64, write16, write32, write64, probeWrite, read32 } from "../mmu/access";
import { exc } from "../cpu/state";
import { fpuCw, setFpuCw, fpuSw, setFpuSw, fpuTw, setFpuTw, fpuTop, physSig, physSe, storePhys, tagFor, fninit, TAG_EMPTY } from "./stack";
import { updateErrorSummary } from "./env";

function storeEnv(a: u64): void {
  write32(a, 0xFFFF0000 | fpuCw());
  write32(a + 4, 0xFFFF0000 | fpuSw());
  write32(a + 8, 0xFFFF0000 | fpuTw());
  write32(a + 12, 0); write32(a + 16, 0); write32(a + 20, 0); write32(a + 24, 0xFFFF0000);
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

export function fnstenv(a: u64): void {
  if (!probeWrite(a, 28)) return;
  storeEnv(a);
  setFpuCw(fpuCw() | 0x3F); // FNSTENV masks every exception afterwards
  updateErrorSummary();     // (which also clears ES and B)
}

export function fldenv(a: u64): void {
  const cw = read16(a), sw = read16(a + 4), tw = read16(a + 8);
  read32(a + 24);
  if (exc != 0) return;
  setFpuCw(cw); setFpuSw(sw); loadTags(tw);
  updateErrorSummary();
}

export function fnsave(a: u64): void {
  if (!probeWrite(a, 108)) return;
  storeEnv(a);
  const top = fpuTop();
  for (let i: u32 = 0; i < 8; i++) {
    const p = (top + i) & 7;
    const o = a + 28 + <u64>i * 10;
    write64(o, physSig(p)); write16(o + 8, physSe(p));
  }
  fninit();
}

export function frstor(a: u64): void {
  const cw = read16(a), sw = read16(a + 4), tw = read16(a + 8);
  read64(a + 100);
  if (exc != 0) return;
  setFpuCw(cw); setFpuSw(sw);
  const top = (sw >> 11) & 7;
  for (let i: u32 = 0; i < 8; i++) {
    const o = a + 28 + <u64>i * 10;
    storePhys((top + i) & 7, read16(o + 8), read64(o));
  }
  loadTags(tw);
  updateErrorSummary();
}
