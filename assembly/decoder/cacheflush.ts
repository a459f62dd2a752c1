// Invalidation of the decoded-trace cache. Tags carry an epoch in their
// top 16 bits, so a flush is one increment (and a real clear every 65535).
import { TC_BASE, TC_BLOCK, TC_ENTRIES, CODE_PAGES, MAX_PHYS_PAGES } from "../memmap";
import { clearKept } from "./tcache";

export let dcEpoch: u64 = 1;
// The traces and code-page marks live in the fixed area, which reset() zeroes.
export function resetDcEpoch(): void { dcEpoch = 1; dcFlushes = 0; }

// Every flush, counted (the epoch wraps, this does not): the JIT's host side knows by it that code
// it compiled since the last one is still what the guest runs (src/machine/jit/jit.ts). Only a
// reset() zeroes it, and the host's Jit.reset() forgets what it knew then too.
export let dcFlushes: u64 = 0;

export function dcFlush(): void {
  dcFlushes++;
  dcEpoch++;
  if (dcEpoch >= 0xFFFF) {
    for (let i: u32 = 0; i < TC_ENTRIES; i++) store<u64>(TC_BASE + i * TC_BLOCK, 0);
    clearKept();
    dcEpoch = 1;
  }
}

// A store hit a physical page that holds decoded code: forget the page's code
// mark and every decoded instruction (they are re-decoded on demand).
export function codePageWritten(ppn: u64): void {
  if (ppn < <u64>MAX_PHYS_PAGES && load<u8>(CODE_PAGES + <u32>ppn) != 0) {
    memory.fill(CODE_PAGES, 0, MAX_PHYS_PAGES);
    dcFlush();
  }
}
