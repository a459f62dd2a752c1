// Guest virtual memory accesses for the executor. Fast path: one TLB compare
// and a load/store in linear memory. Slow path: page walk, fault, or an access
// that straddles two pages. On a fault the access raises #PF (or #GP for a
// non-canonical address: the run loop makes it #SS for a stack access, exec/stackfault.ts)
// and returns 0; the instruction then aborts. An access that only ends beyond
// the canonical range is non-canonical too (#GP/#SS before any #PF, as the CPU does).
import { TLB_READ, TLB_WRITE, PHYS_BASE } from "../memmap";
import { tlbTag, tlbSlot, tlbFill } from "./tlb";
import { walkError, canonical, ACC_READ, ACC_WRITE } from "./pagewalk";
import { raisePageFault, raise, exc } from "../cpu/state";
import { EXIT_GP } from "../cpu/exits";
import { codePageWritten } from "../decoder/cacheflush";

// Set when the pending #GP is a non-canonical data address (taken by exec/stackfault.ts).
let nonCanonicalRaised: bool = false;
export function resetAccess(): void { nonCanonicalRaised = false; }
export function takeNonCanonical(): bool { const r = nonCanonicalRaised; nonCanonicalRaised = false; return r; }
function nonCanonical(vaddr: u64): void {
  if (exc == 0) nonCanonicalRaised = true;
  raise(EXIT_GP, 0, vaddr);
}

function fault(vaddr: u64): void {
  if (walkError == 0xFFFFFFFF) nonCanonical(vaddr);
  else raisePageFault(vaddr, walkError);
}

// Linear address for one byte, through the TLB; 0 on fault.
function linSlow(vaddr: u64, access: u32): usize {
  const lin = tlbFill(vaddr, access);
  if (lin == 0) { fault(vaddr); return 0; }
  if (access == ACC_WRITE) codePageWritten((<u64>lin - <u64>PHYS_BASE) >> 12);
  return lin;
}

@inline function readHit(vaddr: u64, size: u32): bool {
  return (<u32>vaddr & 0xFFF) <= 4096 - size && load<u64>(TLB_READ + tlbSlot(vaddr)) == tlbTag(vaddr);
}
@inline function writeHit(vaddr: u64, size: u32): bool {
  return (<u32>vaddr & 0xFFF) <= 4096 - size && load<u64>(TLB_WRITE + tlbSlot(vaddr)) == tlbTag(vaddr);
}
@inline function readLin(vaddr: u64): usize { return <usize>(vaddr + load<u64>(TLB_READ + tlbSlot(vaddr), 8)); }
@inline function writeLin(vaddr: u64): usize { return <usize>(vaddr + load<u64>(TLB_WRITE + tlbSlot(vaddr), 8)); }

// Slow read of `size` bytes, little-endian, possibly across a page boundary.
function readSlow(vaddr: u64, size: u32): u64 {
  const off = <u32>vaddr & 0xFFF;
  if (off <= 4096 - size) {
    const lin = linSlow(vaddr, ACC_READ);
    if (lin == 0) return 0;
    if (size == 1) return load<u8>(lin);
    if (size == 2) return load<u16>(lin);
    if (size == 4) return load<u32>(lin);
    return load<u64>(lin);
  }
  // straddles: check both pages before reading anything
  if (!canonical(vaddr + size - 1)) { nonCanonical(vaddr); return 0; }
  const first: u32 = 4096 - off;
  const a = linSlow(vaddr, ACC_READ); if (a == 0) return 0;
  const b = linSlow(vaddr + first, ACC_READ); if (b == 0) return 0;
  let v: u64 = 0;
  for (let i: u32 = 0; i < size; i++) {
    const byte: u64 = i < first ? load<u8>(a + i) : load<u8>(b + i - first);
    v |= byte << (i << 3);
  }
  return v;
}

function writeSlow(vaddr: u64, size: u32, v: u64): void {
  const off = <u32>vaddr & 0xFFF;
  if (off <= 4096 - size) {
    const lin = linSlow(vaddr, ACC_WRITE);
    if (lin == 0) return;
    if (size == 1) store<u8>(lin, <u8>v);
    else if (size == 2) store<u16>(lin, <u16>v);
    else if (size == 4) store<u32>(lin, <u32>v);
    else store<u64>(lin, v);
    return;
  }
  if (!canonical(vaddr + size - 1)) { nonCanonical(vaddr); return; }
  const first: u32 = 4096 - off;
  const a = linSlow(vaddr, ACC_WRITE); if (a == 0) return;
  const b = linSlow(vaddr + first, ACC_WRITE); if (b == 0) return;
  for (let i: u32 = 0; i < size; i++) {
    const byte = <u8>(v >> (i << 3));
    if (i < first) store<u8>(a + i, byte); else store<u8>(b + i - first, byte);
  }
}

@inline export function read8(a: u64): u32 { return readHit(a, 1) ? <u32>load<u8>(readLin(a)) : <u32>readSlow(a, 1); }
@inline export function read16(a: u64): u32 { return readHit(a, 2) ? <u32>load<u16>(readLin(a)) : <u32>readSlow(a, 2); }
@inline export function read32(a: u64): u32 { return readHit(a, 4) ? load<u32>(readLin(a)) : <u32>readSlow(a, 4); }
@inline export function read64(a: u64): u64 { return readHit(a, 8) ? load<u64>(readLin(a)) : readSlow(a, 8); }

@inline export function write8(a: u64, v: u32): void { if (writeHit(a, 1)) store<u8>(writeLin(a), <u8>v); else writeSlow(a, 1, v); }
@inline export function write16(a: u64, v: u32): void { if (writeHit(a, 2)) store<u16>(writeLin(a), <u16>v); else writeSlow(a, 2, v); }
@inline export function write32(a: u64, v: u32): void { if (writeHit(a, 4)) store<u32>(writeLin(a), v); else writeSlow(a, 4, v); }
@inline export function write64(a: u64, v: u64): void { if (writeHit(a, 8)) store<u64>(writeLin(a), v); else writeSlow(a, 8, v); }

// Sized access: size is 1, 2, 4 or 8.
export function readN(a: u64, size: u32): u64 {
  if (size == 8) return read64(a);
  if (size == 4) return <u64>read32(a);
  if (size == 2) return <u64>read16(a);
  return <u64>read8(a);
}
export function writeN(a: u64, size: u32, v: u64): void {
  if (size == 8) write64(a, v);
  else if (size == 4) write32(a, <u32>v);
  else if (size == 2) write16(a, <u32>v);
  else write8(a, <u32>v);
}

// Check that [a, a+size) is writable before a multi-part update (e.g. a
// read-modify-write that must not fault half way). Returns false after raising.
export function probeWrite(a: u64, size: u32): bool {
  if (writeHit(a, size)) return true;
  const last = a + size - 1;
  if (!canonical(last)) { nonCanonical(a); return false; }
  if (linSlow(a, ACC_WRITE) == 0) return false;
  // (a fault on the second page reports that page's first byte in CR2, as hardware does)
  if ((last >> 12) != (a >> 12) && linSlow(last & ~<u64>0xFFF, ACC_WRITE) == 0) return false;
  return exc == 0;
}

// 128-bit accesses for SSE: lo then hi; callers check alignment themselves.
export function read128(a: u64, dst: usize): void {
  const lo = read64(a); const hi = read64(a + 8);
  if (exc != 0) return;
  store<u64>(dst, lo); store<u64>(dst, hi, 8);
}
export function write128(a: u64, src: usize): void {
  if (!probeWrite(a, 16)) return;
  write64(a, load<u64>(src)); write64(a + 8, load<u64>(src, 8));
}
