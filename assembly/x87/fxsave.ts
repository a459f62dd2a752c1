// FXSAVE / FXRSTOR: the 512-byte legacy image (x87 environment, ST0-7 as
// 80-bit values, MXCSR and MXCSR_MASK, XMM0-15). The image is built in, and
// loaded from, linear memory (fxImage/fxLoad), which the instructions copy
// to and from guest memory and the host uses for signal frames. Bytes
// 416-511 are left untouched, as the hardware does.
//
// The x87 pointers as the AMD host handles them (docs/cpu-model.md): FXSAVE
// stores FOP, FIP, FDP (and FCS, FDS) only while an exception is pending
// (ES set), zeros otherwise; FXRSTOR loads them whatever ES says. With REX.W
// FIP and FDP are 64-bit (FXRSTOR keeps bits 56:0 and extends bit 56, and
// sets FCS and FDS to 0); without it they are 32-bit, each with its selector.
import { STATE, S_FX_IMAGE } from "../memmap";
import { xmmAddr, raise, exc } from "../cpu/state";
import { EXIT_GP } from "../cpu/exits";
import { read32, read64, write64, probeWrite } from "../mmu/access";
import { mxcsr, setMxcsr, MXCSR_MASK } from "../sse/mxcsr";
import { fpuCw, setFpuCw, fpuSw, setFpuSw, setFpuTw, fpuTop, physSig, physSe, storePhys, tagOf, tagFor, TAG_EMPTY } from "./stack";
import { fip, fdp, fcs, fds, fop, setPointers } from "./pointers";
import { SW_ES, updateErrorSummary } from "./env";

export const FX_IMAGE: u32 = STATE + S_FX_IMAGE;
const FX_USED: u32 = 416; // the bytes FXSAVE writes and FXRSTOR reads

// The image of the current state at dst (416 bytes).
export function fxImage(dst: usize, wide: bool): void {
  store<u16>(dst, <u16>fpuCw());
  store<u16>(dst + 2, <u16>fpuSw());
  let ftw: u32 = 0;
  for (let p: u32 = 0; p < 8; p++) if (tagOf(p) != TAG_EMPTY) ftw |= 1 << p;
  store<u8>(dst + 4, <u8>ftw);
  store<u8>(dst + 5, 0);
  const pending = (fpuSw() & SW_ES) != 0;
  store<u16>(dst + 6, pending ? <u16>fop() : 0);
  if (!pending) { store<u64>(dst + 8, 0); store<u64>(dst + 16, 0); }
  else if (wide) { store<u64>(dst + 8, fip()); store<u64>(dst + 16, fdp()); }
  else {
    store<u64>(dst + 8, (fip() & 0xFFFFFFFF) | (<u64>fcs() << 32));
    store<u64>(dst + 16, (fdp() & 0xFFFFFFFF) | (<u64>fds() << 32));
  }
  store<u32>(dst + 24, mxcsr());
  store<u32>(dst + 28, MXCSR_MASK);
  const top = fpuTop();
  for (let i: u32 = 0; i < 8; i++) {
    const p = (top + i) & 7; // empty registers too: their contents are saved as they are
    const o = dst + 32 + (i << 4);
    store<u64>(o, physSig(p)); store<u16>(o + 8, <u16>physSe(p));
    store<u16>(o + 10, 0); store<u32>(o + 12, 0);
  }
  for (let r: u32 = 0; r < 16; r++) {
    const o = dst + 160 + (r << 4);
    store<u64>(o, load<u64>(xmmAddr(r))); store<u64>(o + 8, load<u64>(xmmAddr(r), 8));
  }
}

// Bits 56:0, bit 56 extended: what FXRSTOR64 keeps of FIP and FDP on the AMD host.
@inline function keep57(v: u64): u64 { return <u64>((<i64>(v << 7)) >> 7); }

// Load the state from the image at src; false (nothing changed) when MXCSR has reserved bits set.
export function fxLoad(src: usize, wide: bool): bool {
  const mx = load<u32>(src + 24);
  if ((mx & ~MXCSR_MASK) != 0) return false;
  const sw = <u32>load<u16>(src + 2), ftw = <u32>load<u8>(src + 4);
  setFpuCw(load<u16>(src));
  setFpuSw(sw);
  const op = <u32>load<u16>(src + 6);
  if (wide) setPointers(keep57(load<u64>(src + 8)), 0, op, keep57(load<u64>(src + 16)), 0);
  else setPointers(<u64>load<u32>(src + 8), load<u16>(src + 12), op, <u64>load<u32>(src + 16), load<u16>(src + 20));
  setMxcsr(mx);
  const top = (sw >> 11) & 7;
  let tw: u32 = 0;
  for (let i: u32 = 0; i < 8; i++) {
    const o = src + 32 + (i << 4);
    const sig = load<u64>(o), se = <u32>load<u16>(o + 8);
    const p = (top + i) & 7;
    storePhys(p, se, sig);
    const t = (ftw & (1 << p)) != 0 ? tagFor(se, sig) : TAG_EMPTY;
    tw |= t << (p << 1);
  }
  setFpuTw(tw);
  updateErrorSummary(); // ES and B follow the unmasked flags, whatever the image says
  for (let r: u32 = 0; r < 16; r++) {
    const o = src + 160 + (r << 4);
    store<u64>(xmmAddr(r), load<u64>(o)); store<u64>(xmmAddr(r), load<u64>(o + 8), 8);
  }
  return true;
}

// (The whole 512 bytes must be accessible, as before the image was split out.)
export function fxsave(a: u64, wide: bool): void {
  if (!probeWrite(a, 512)) return;
  fxImage(FX_IMAGE, wide);
  for (let o: u32 = 0; o < FX_USED; o += 8) write64(a + o, load<u64>(FX_IMAGE + o));
}

export function fxrstor(a: u64, wide: bool): void {
  const mx = read32(a + 24);
  if (exc != 0) return;
  if ((mx & ~MXCSR_MASK) != 0) { raise(EXIT_GP, 0, 0); return; }
  // Read everything before changing any state, so a fault leaves it intact.
  read64(a + 504);
  if (exc != 0) return;
  for (let o: u32 = 0; o < FX_USED; o += 8) store<u64>(FX_IMAGE + o, read64(a + o));
  fxLoad(FX_IMAGE, wide);
}
