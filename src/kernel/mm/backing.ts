// What a file-backed VMA's pages hold before the process writes them: the bytes of a file (mmap)
// or of a program image's segments (the ELF loader). A page is filled when it is first touched
// (demand paging), so a process pays for the pages it uses, not for the whole library; a private
// page is the process's own copy from then on (MAP_PRIVATE), and untouched pages read the file
// as it is at the fault, as on Linux.
import { PAGE } from "../../machine/physmem.js";
import type { ProgramHeader } from "../elf/parse.js";

export interface Backing {
  readonly name: string;      // what /proc/self/maps shows
  // Copy the bytes that belong at backing address `at` (page-aligned) into `page` (zeroed, PAGE bytes).
  fill(at: number, page: Uint8Array): void;
}

// A file: the backing address is the file offset (a VMA's shift is its offset minus its start, so
// neighbouring mappings of one file at contiguous offsets merge, as on Linux). Bytes past the end
// of the file read as zero.
export function fileBacking(name: string, contents: () => Uint8Array): Backing {
  return {
    name,
    fill(at, page) {
      const data = contents();
      if (at < 0 || at >= data.length) return;
      page.set(data.subarray(at, Math.min(at + PAGE, data.length)));
    },
  };
}

// An ELF image's PT_LOAD segments moved by `bias`: each page gets the file bytes of every segment
// that covers part of it (a page two segments share gets both parts); the rest (bss) is zero.
export function imageBacking(name: string, file: Uint8Array, loads: readonly ProgramHeader[], bias: number): Backing {
  return {
    name,
    fill(at, page) {
      for (const s of loads) {
        const start = bias + s.vaddr;
        const lo = Math.max(at, start), hi = Math.min(at + PAGE, start + s.filesz);
        if (lo < hi) page.set(file.subarray(s.offset + (lo - start), s.offset + (hi - start)), lo - at);
      }
    },
  };
}
