// A virtual memory area: a page-aligned range with one protection and one
// origin. Pages inside a VMA are backed on first touch (demand paging), except
// where the loader or a file mapping filled them eagerly.
export type VmaKind = "elf" | "heap" | "stack" | "anon" | "file" | "vdso" | "vvar";

export interface Vma {
  start: number;     // page-aligned, inclusive
  end: number;       // page-aligned, exclusive
  prot: number;      // PROT_READ | PROT_WRITE | PROT_EXEC
  kind: VmaKind;
  shared?: boolean;  // MAP_SHARED anonymous (shared with fork children: not supported, treated private)
}
