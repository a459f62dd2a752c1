// Invalidation of the decoded-instruction cache. Tags carry an epoch in their
// top 16 bits, so a flush is one increment (and a real clear every 65535).
import { DC_TAGS, DC_ENTRIES, CODE_PAGES, MAX_PHYS_PAGES } from "../memmap";

export let dcEpoch: u64 = 1;

export function dcFlush(): void {
  dcEpoch++;
  if (dcEpoch >= 0xFFFF) {
    memory.fill(DC_TAGS, 0, DC_ENTRIES * 8);
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
