// FXSAVE / FXRSTOR: the 512-byte legacy image (x87 environment, ST0-7 as
// 80-bit values, MXCSR and MXCSR_MASK, XMM0-15). FIP/FDP are stored as zero:
// this core does not track the last x87 instruction and operand pointers.
// Bytes 416-511 are left untouched, as the hardware does.
import { STATE, S_FPU_FOP } from "../memmap";
import { xmmAddr, raise, exc } from "../cpu/state";
import { EXIT_GP } from "../cpu/exits";
import { read16, read64, write16, write64, write32, read32, probeWrite, write8, read8 } from "../mmu/access";
import { mxcsr, setMxcsr, MXCSR_MASK } from "../sse/mxcsr";
import { fpuCw, setFpuCw, fpuSw, setFpuSw, setFpuTw, fpuTop, physSig, physSe, storePhys, tagOf, tagFor, TAG_EMPTY } from "./stack";

export function fxsave(a: u64, wide: bool): void {
  if (!probeWrite(a, 512)) return;
  write16(a, fpuCw());
  write16(a + 2, fpuSw());
  let ftw: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) if (tagOf(p) != TAG_EMPTY) ftw |= 1 << p;
  write8(a + 4, ftw);
  write8(a + 5, 0);
  write16(a + 6, load<u16>(STATE + S_FPU_FOP) & 0x7FF);
  write64(a + 8, 0);
  write64(a + 16, 0);
  write32(a + 24, mxcsr());
  write32(a + 28, MXCSR_MASK);
  const top = fpuTop();
  for (let i: u32 = 0; i < 8; i++) {
    const p = (top + i) & 7; // empty registers too: their contents are saved as they are
    const o = a + 32 + (<u64>i << 4);
    write64(o, physSig(p)); write16(o + 8, physSe(p));
    write16(o + 10, 0); write32(o + 12, 0);
  }
  for (let r: u32 = 0; r < 16; r++) {
    const o = a + 160 + (<u64>r << 4);
    write64(o, load<u64>(xmmAddr(r))); write64(o + 8, load<u64>(xmmAddr(r), 8));
  }
}

export function fxrstor(a: u64, wide: bool): void {
  const mx = read32(a + 24);
  if (exc != 0) return;
  if ((mx & ~MXCSR_MASK) != 0) { raise(EXIT_GP, 0, 0); return; }
  // Read everything before changing any state, so a fault leaves it intact.
  const cw = read16(a), sw = read16(a + 2), ftw = read8(a + 4), fop = read16(a + 6);
  read64(a + 504);
  if (exc != 0) return;
  setFpuCw(cw);
  setFpuSw(sw);
  store<u16>(STATE + S_FPU_FOP, <u16>(fop & 0x7FF));
  setMxcsr(mx);
  const top = (sw >> 11) & 7;
  let tw: u32 = 0;
  for (let i: u32 = 0; i < 8; i++) {
    const o = a + 32 + (<u64>i << 4);
    const sig = read64(o), se = read16(o + 8);
    const p = (top + i) & 7;
    storePhys(p, se, sig);
    const t = (ftw & (1 << p)) != 0 ? tagFor(se, sig) : TAG_EMPTY;
    tw |= t << (p << 1);
  }
  setFpuTw(tw);
  for (let r: u32 = 0; r < 16; r++) {
    const o = a + 160 + (<u64>r << 4);
    store<u64>(xmmAddr(r), read64(o)); store<u64>(xmmAddr(r), read64(o + 8), 8);
  }
}
