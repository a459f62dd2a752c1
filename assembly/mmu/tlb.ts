// Software TLB: direct-mapped read and write arrays. A hit costs one compare:
// the tag holds the virtual page number and the flush epoch, the second word
// the addend that turns a virtual address into a linear-memory address.
// Writes to pages holding decoded code never enter the write TLB, so every
// such write takes the slow path and drops stale decoded instructions.
import { TLB_READ, TLB_WRITE, TLB_ENTRIES, PHYS_BASE, CODE_PAGES, STATE, S_PHYS_SIZE } from "../memmap";
import { walk, walkError, walkPhys, ACC_READ, ACC_WRITE } from "./pagewalk";

export let tlbEpoch: u64 = 1;
// The entries themselves live in the fixed area, which reset() zeroes.
export function resetTlbEpoch(): void { tlbEpoch = 1; }

@inline export function tlbTag(vaddr: u64): u64 { return (vaddr >> 12) | (tlbEpoch << 52); }
@inline export function tlbSlot(vaddr: u64): u32 { return <u32>((vaddr >> 12) & <u64>(TLB_ENTRIES - 1)) << 4; }

export function tlbFlush(): void {
  tlbEpoch++;
  if (tlbEpoch >= 0xFFF) {
    memory.fill(TLB_READ, 0, TLB_ENTRIES * 32);
    tlbEpoch = 1;
  }
}

// Fill the TLB for vaddr; returns the linear address of vaddr, or 0 on a fault
// (walkError then says why).
export function tlbFill(vaddr: u64, access: u32): usize {
  walk(vaddr, access);
  if (walkError != 0) return 0;
  const ppn = walkPhys >> 12;
  if (walkPhys + 1 > load<u64>(STATE + S_PHYS_SIZE)) return 0;
  const lin: u64 = <u64>PHYS_BASE + walkPhys;
  const addend: u64 = lin - vaddr;
  const slot = tlbSlot(vaddr);
  if (access == ACC_WRITE) {
    if (load<u16>(CODE_PAGES + (<u32>ppn << 1)) == 0) {
      store<u64>(TLB_WRITE + slot, tlbTag(vaddr));
      store<u64>(TLB_WRITE + slot, addend, 8);
    }
    // a writable page is readable too
    store<u64>(TLB_READ + slot, tlbTag(vaddr));
    store<u64>(TLB_READ + slot, addend, 8);
  } else if (access == ACC_READ) {
    store<u64>(TLB_READ + slot, tlbTag(vaddr));
    store<u64>(TLB_READ + slot, addend, 8);
  }
  return <usize>lin;
}
