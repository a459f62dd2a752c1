// Mapping the vDSO into a new process where Linux puts it with address-space
// randomization off: the vvar pages (read-only, zero here: time comes from
// RDTSC) then two pages of code, top-down in the mmap area after the program
// and its interpreter (a static program's: just below the top of the area).
import { MemoryMap, PAGE, PROT_READ, PROT_EXEC } from "../mm/mm.js";
import { parseElf } from "../elf/parse.js";
import { VDSO_IMAGE } from "./image.js";

// Where they land for a static program.
export const VDSO_BASE = 0x7fff_f7ff_d000;
export const VVAR_BASE = 0x7fff_f7ff_7000;
const VVAR_SIZE = VDSO_BASE - VVAR_BASE;

const image = new Uint8Array(VDSO_IMAGE);
const elf = parseElf(image, "vdso");
// Two pages, as on Linux, so later mmaps land where they would natively.
const span = Math.max(2 * PAGE, Math.ceil(Math.max(...elf.loads.map((s) => s.vaddr + s.memsz)) / PAGE) * PAGE);

export function mapVdso(mm: MemoryMap): number {
  const vvar = mm.findFree(VVAR_SIZE + span);
  const base = vvar + VVAR_SIZE;
  mm.add(vvar, base, PROT_READ, "vvar");
  const v = mm.add(base, base + span, PROT_READ | PROT_EXEC, "vdso");
  for (let p = v.start; p < v.end; p += PAGE) mm.populate(p, v);
  const bytes = mm.phys.bytes;
  for (const s of elf.loads) {
    for (let done = 0; done < s.filesz;) {
      const va = base + s.vaddr + done;
      const page = va - (va % PAGE);
      const n = Math.min(s.filesz - done, page + PAGE - va);
      const lin = mm.phys.lin(mm.space.lookup(page)!.pa) + (va - page);
      bytes.set(image.subarray(s.offset + done, s.offset + done + n), lin);
      mm.phys.codeWrittenAt(lin, n);
      done += n;
    }
  }
  return base;
}
