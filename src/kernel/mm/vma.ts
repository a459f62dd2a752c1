// A virtual memory area: a page-aligned range with one protection and one
// origin. Pages inside a VMA are backed on first touch (demand paging): zeroed, or filled from
// the VMA's backing (a mapped file, a program image: backing.ts).
import type { Backing } from "./backing.js";

export type VmaKind = "elf" | "heap" | "stack" | "anon" | "file" | "vdso" | "vvar";

export interface Vma {
  start: number;     // page-aligned, inclusive
  end: number;       // page-aligned, exclusive
  prot: number;      // PROT_READ | PROT_WRITE | PROT_EXEC
  kind: VmaKind;
  shared?: boolean;  // MAP_SHARED anonymous (shared with fork children: not supported, treated private)
  backing?: Backing; // where untouched pages come from (none: zero)
  // Private and writable at some time (Linux's VM_ACCOUNT, which mprotect never clears): such a VMA
  // never merges with one that was not, so /proc/self/maps splits where Linux's does (RELRO).
  accounted?: boolean;
  shift?: number;    // backing address = va + shift (0 unless mremap moved the VMA)
}
