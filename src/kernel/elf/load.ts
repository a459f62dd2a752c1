// Loading a parsed ELF (and its interpreter, for a dynamically linked program)
// into a fresh address space and building the initial stack (argc, argv, envp,
// auxv) exactly as the System V x86-64 ABI and Linux's create_elf_tables lay it out.
import { ElfImage, ET_DYN, PF_R, PF_W, PF_X, PT_PHDR } from "./parse.js";
import { imageBacking } from "../mm/backing.js";
import { MemoryMap, PAGE, PIE_BASE, STACK_TOP, pageDown, pageUp, PROT_READ, PROT_WRITE, PROT_EXEC } from "../mm/mm.js";
import { UserMemory } from "../mm/uaccess.js";
import type { Random } from "../random.js";

export const AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
  AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
  AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31, AT_SYSINFO_EHDR = 33, AT_MINSIGSTKSZ = 51;

// CPUID.1:EDX as the core reports it (FPU, TSC, CX8, CMOV, CLFSH, MMX, FXSR, SSE, SSE2): Linux passes
// that word as AT_HWCAP (test/sse/cpuid-features.test.ts compares it with the core's CPUID).
export const HWCAP_BASELINE = 0x07888111;
const INITIAL_STACK = 128 * 1024;

export interface LoadedImage { entry: number; sp: number; brk: number; phdr: number }

function protOf(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

// Map an image's PT_LOAD segments moved by `bias`, as VMAs whose pages are filled from the file
// when first touched (mm/backing.ts). Segments may share a page: a shared page gets the union of
// their protections. Returns the entry point, the program headers' address and the image's end.
export function mapImage(mm: MemoryMap, file: Uint8Array, img: ElfImage, bias: number, name: string): { entry: number; phdr: number; end: number } {
  const pageProt = new Map<number, number>();
  for (const s of img.loads) {
    if (s.memsz === 0) continue;
    for (let p = pageDown(bias + s.vaddr); p < bias + s.vaddr + s.memsz; p += PAGE) {
      pageProt.set(p, (pageProt.get(p) ?? 0) | protOf(s.flags));
    }
  }
  const backing = imageBacking(name, file, img.loads, bias);
  const pages = [...pageProt.keys()].sort((a, b) => a - b);
  let i = 0;
  while (i < pages.length) {
    let j = i;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + PAGE && pageProt.get(pages[j + 1]) === pageProt.get(pages[i])) j++;
    mm.add(pages[i], pages[j] + PAGE, pageProt.get(pages[i])!, "elf", backing);
    i = j + 1;
  }
  const end = Math.max(...img.loads.map((s) => bias + s.vaddr + s.memsz));
  const phdrSeg = img.phdrs.find((p) => p.type === PT_PHDR);
  const holder = img.loads.find((s) => img.phoff >= s.offset && img.phoff < s.offset + s.filesz);
  const phdr = phdrSeg ? bias + phdrSeg.vaddr : holder ? bias + holder.vaddr + (img.phoff - holder.offset) : 0;
  return { entry: bias + img.entry, phdr, end };
}

// The program itself, where Linux puts it with randomization off: an ET_EXEC at its link-time
// addresses, an ET_DYN (PIE, static-pie) at PIE_BASE; the break starts right after it.
// bias: what the image's link-time addresses are moved by.
export function loadImage(mm: MemoryMap, file: Uint8Array, img: ElfImage, name = "elf"): { entry: number; brk: number; phdr: number; bias: number } {
  const bias = img.type === ET_DYN ? PIE_BASE : 0;
  const m = mapImage(mm, file, img, bias, name);
  mm.brkStart = mm.brk = pageUp(m.end);
  return { entry: m.entry, brk: mm.brk, phdr: m.phdr, bias };
}

// A program's interpreter (PT_INTERP: the dynamic loader), as Linux's load_elf_interp places
// it: its whole span at the top of the mmap area (below what is mapped there), so later mmaps
// land below it as natively. Returns its base (AT_BASE) and its entry, where the process starts.
export function loadInterpreter(mm: MemoryMap, file: Uint8Array, img: ElfImage, name: string): { base: number; entry: number } {
  const lo = pageDown(Math.min(...img.loads.map((s) => s.vaddr)));
  const hi = pageUp(Math.max(...img.loads.map((s) => s.vaddr + s.memsz)));
  const at = img.type === ET_DYN ? mm.findFree(hi - lo) : lo;
  if (at < 0) throw new Error("out of guest physical memory");
  const bias = img.type === ET_DYN ? at - lo : 0;
  const m = mapImage(mm, file, img, bias, name);
  return { base: bias, entry: m.entry };
}

// Strings are bytes, one char per byte (the kernel's form: run-program.ts).
export interface StackSpec {
  argv: string[];
  envp: string[];
  execfn: string;
  img: ElfImage;
  entry: number;
  phdr: number;           // AT_PHDR: the program's headers in memory
  rng: Random;
  vdso?: number;          // AT_SYSINFO_EHDR
  base?: number;          // AT_BASE: where the interpreter was loaded (0 without one)
}

// Where the initial stack's parts went: sp (argc), and the argv and environment strings (Linux's
// mm->arg_start..arg_end, env_start = arg_end..env_end: what /proc/self/cmdline and environ read).
export interface InitialStack { sp: number; argStart: number; argEnd: number; envEnd: number }

export function buildStack(mm: MemoryMap, mem: UserMemory, spec: StackSpec): InitialStack {
  const prot = PROT_READ | PROT_WRITE | (spec.img.stackExec ? PROT_EXEC : 0);
  mm.add(STACK_TOP - INITIAL_STACK, STACK_TOP, prot, "stack");
  let sp = STACK_TOP - 8; // an 8-byte zero marker at the very top
  const put = (s: string): number => {
    const b = Buffer.from(s + "\0", "latin1");
    sp -= b.length;
    if (!mem.write(sp, b)) throw new Error("stack overflow while building the initial stack");
    return sp;
  };
  const execfnPtr = put(spec.execfn);
  const envEnd = sp;
  // Copied last-to-first going down, as Linux does, so the strings ascend in order.
  const envPtrs = [...spec.envp].reverse().map(put).reverse();
  const envStart = sp;
  const argPtrs = [...spec.argv].reverse().map(put).reverse();
  const argStart = sp;
  // Then as Linux's create_elf_tables: arch_align_stack (a 16-byte boundary; no random gap, as
  // under setarch -R), the platform string, AT_RANDOM's bytes, and the table below them.
  sp -= sp % 16;
  const platform = put("x86_64");
  sp -= 16;
  const random = sp;
  mem.write(random, spec.rng.fill(new Uint8Array(16)));

  const auxv: Array<[number, number]> = [
    ...(spec.vdso ? [[AT_SYSINFO_EHDR, spec.vdso] as [number, number]] : []),
    [AT_MINSIGSTKSZ, 2048], [AT_HWCAP, HWCAP_BASELINE], [AT_PAGESZ, PAGE], [AT_CLKTCK, 100], [AT_PHDR, spec.phdr],
    [AT_PHENT, 56], [AT_PHNUM, spec.img.phnum], [AT_BASE, spec.base ?? 0], [AT_FLAGS, 0], [AT_ENTRY, spec.entry],
    [AT_UID, 0], [AT_EUID, 0], [AT_GID, 0], [AT_EGID, 0], [AT_SECURE, 0], [AT_RANDOM, random],
    [AT_HWCAP2, 0], [AT_EXECFN, execfnPtr], [AT_PLATFORM, platform], [AT_NULL, 0],
  ];
  const words: number[] = [spec.argv.length, ...argPtrs, 0, ...envPtrs, 0];
  for (const [k, v] of auxv) words.push(k, v);
  sp -= words.length * 8;
  sp -= sp % 16; // argc on a 16-byte boundary (STACK_ROUND: rounded once, below the whole table)
  const table = new Uint8Array(words.length * 8);
  const dv = new DataView(table.buffer);
  words.forEach((w, i) => { dv.setUint32(i * 8, w >>> 0, true); dv.setUint32(i * 8 + 4, Math.floor(w / 2 ** 32), true); });
  if (!mem.write(sp, table)) throw new Error("stack overflow while building the initial stack");
  return { sp, argStart, argEnd: envStart, envEnd };
}
