// One process's memory: its page tables (AddressSpace, CR3) plus the VMA list
// that says which addresses are valid. Faults inside a VMA allocate a frame,
// zeroed or filled from the VMA's backing (a file, a program image); faults
// outside one are the guest's bug (SIGSEGV).
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../machine/paging.js";
import { PhysMem, PAGE } from "../../machine/physmem.js";
import { Vma, VmaKind } from "./vma.js";
import type { Backing } from "./backing.js";

export const PROT_NONE = 0;
export { PROT_READ, PROT_WRITE, PROT_EXEC, PAGE };

// Addresses as Linux lays them out with address-space randomization off.
export const STACK_TOP = 0x7fff_ffff_f000;
export const STACK_MAX = 8 * 1024 * 1024;          // RLIMIT_STACK
export const MMAP_BASE = 0x7fff_f7ff_f000;         // top-down mmap area below the stack gap
export const PIE_BASE = 0x5555_5555_4000;          // where a static-pie program lands
export const USER_END = 2 ** 47;

export const pageDown = (a: number): number => a - (a % PAGE);
export const pageUp = (a: number): number => Math.ceil(a / PAGE) * PAGE;

// Two adjacent VMAs that can be one: same protection, origin (backing and the same offset
// relation) and history (shared, accounted).
const mergeable = (a: Vma, b: Vma): boolean => a.end === b.start && a.prot === b.prot && a.kind === b.kind &&
  a.backing === b.backing && (a.shift ?? 0) === (b.shift ?? 0) && a.accounted === b.accounted && a.shared === b.shared;

export class MemoryMap {
  readonly space: AddressSpace;
  vmas: Vma[] = [];                        // sorted by start, non-overlapping
  private hidden = new Map<number, number>(); // page VA -> frame, for PROT_NONE pages that keep contents
  brkStart = 0;
  brk = 0;
  frames = 0;                              // data frames this process owns
  gen = 0;                                 // bumped when a translation may have changed (for UserMemory's cache)

  constructor(readonly phys: PhysMem) {
    this.space = new AddressSpace(phys);
  }

  get cr3(): number { return this.space.cr3; }

  find(va: number): Vma | undefined {
    // Binary search: the last VMA with start <= va.
    let lo = 0, hi = this.vmas.length - 1, hit: Vma | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.vmas[mid];
      if (v.start <= va) { hit = v; lo = mid + 1; } else hi = mid - 1;
    }
    return hit && va < hit.end ? hit : undefined;
  }

  // Add a VMA over a range that holds none (callers unmap first).
  add(start: number, end: number, prot: number, kind: VmaKind, backing?: Backing, shift = 0): Vma {
    const v: Vma = backing ? { start, end, prot, kind, backing, shift } : { start, end, prot, kind };
    if (prot & PROT_WRITE) v.accounted = true;
    let i = 0;
    while (i < this.vmas.length && this.vmas[i].start < start) i++;
    this.vmas.splice(i, 0, v);
    return v;
  }

  // Split VMAs so that `a` and `b` fall on VMA boundaries.
  private splitAt(a: number): void {
    const v = this.find(a);
    if (!v || v.start === a) return;
    const right: Vma = { ...v, start: a };
    v.end = a;
    this.vmas.splice(this.vmas.indexOf(v) + 1, 0, right);
  }

  // Every VMA fully inside [start, end) after splitting at the edges.
  private carve(start: number, end: number): Vma[] {
    this.splitAt(start);
    this.splitAt(end);
    return this.vmas.filter((v) => v.start >= start && v.end <= end);
  }

  // True when every page of [start, end) lies in some VMA.
  covered(start: number, end: number): boolean {
    let p = start;
    while (p < end) {
      const v = this.find(p);
      if (!v) return false;
      p = v.end;
    }
    return true;
  }

  unmap(start: number, end: number): void {
    this.gen++;
    for (const v of this.carve(start, end)) {
      for (let p = v.start; p < v.end; p += PAGE) this.dropPage(p);
      this.vmas.splice(this.vmas.indexOf(v), 1);
    }
  }

  private dropPage(p: number): void {
    const pa = this.space.unmap(p) ?? this.hidden.get(p);
    this.hidden.delete(p);
    if (pa !== undefined) { this.phys.release(pa); this.frames--; }
  }

  /** Whether a page of [start, end) is backed by a frame that holds decoded code (the core's CODE_PAGES). */
  holdsCode(start: number, end: number): boolean {
    for (let p = pageDown(start); p < end; p += PAGE) {
      const pa = this.space.lookup(p)?.pa ?? this.hidden.get(p);
      if (pa !== undefined && this.phys.holdsCode(pa)) return true;
    }
    return false;
  }

  protect(start: number, end: number, prot: number): void {
    this.gen++;
    for (const v of this.carve(start, end)) {
      v.prot = prot;
      if (prot & PROT_WRITE && !v.shared) v.accounted = true;
      for (let p = v.start; p < v.end; p += PAGE) this.reprotectPage(p, prot);
    }
    this.merge();
  }

  private reprotectPage(p: number, prot: number): void {
    if (prot === PROT_NONE) {
      const pa = this.space.unmap(p);
      if (pa !== undefined) this.hidden.set(p, pa);
    } else {
      const pa = this.hidden.get(p);
      if (pa !== undefined) { this.hidden.delete(p); this.space.map(p, pa, prot); } else this.space.protect(p, prot);
    }
  }

  // Join neighbours with the same protection and origin (keeps the list short).
  private merge(): void {
    for (let i = this.vmas.length - 1; i > 0; i--) {
      const a = this.vmas[i - 1], b = this.vmas[i];
      if (mergeable(a, b)) { a.end = b.end; this.vmas.splice(i, 1); }
    }
  }

  // A new mapping joins its neighbours when they are alike, as Linux's mmap merges them.
  mergeAround(v: Vma): void {
    let i = this.vmas.indexOf(v);
    const next = this.vmas[i + 1];
    if (next && mergeable(v, next)) { v.end = next.end; this.vmas.splice(i + 1, 1); }
    const prev = this.vmas[i - 1];
    if (prev && mergeable(prev, v)) { prev.end = v.end; this.vmas.splice(i, 1); i--; }
  }

  // A free range of `len` bytes for mmap, searched top-down from MMAP_BASE as Linux does.
  findFree(len: number, hint = 0): number {
    if (hint && hint + len <= MMAP_BASE && !this.overlaps(hint, hint + len)) return hint;
    let top = MMAP_BASE;
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const v = this.vmas[i];
      if (v.start >= top) continue;
      if (v.end <= top - len) return top - len;
      top = v.start;
    }
    return top - len >= PAGE * 16 ? top - len : -1;
  }

  overlaps(start: number, end: number): boolean {
    return this.vmas.some((v) => v.start < end && v.end > start);
  }

  // Back the page holding `va` with a frame (zeroed, or filled from the VMA's backing), as the fault handler does.
  populate(va: number, vma: Vma): number {
    const p = pageDown(va);
    const pa = this.phys.alloc();
    this.frames++;
    if (vma.backing) {
      const lin = this.phys.lin(pa);
      vma.backing.fill(p + (vma.shift ?? 0), this.phys.bytes.subarray(lin, lin + PAGE));
      this.phys.codeWrittenAt(lin, PAGE);
    }
    this.space.map(p, pa, vma.prot || PROT_READ);
    if (vma.prot === PROT_NONE) { this.space.unmap(p); this.hidden.set(p, pa); }
    return pa;
  }

  // A guest page fault: true when it was demand paging and the guest may retry.
  handleFault(va: number, write: boolean, fetch: boolean, present: boolean): boolean {
    if (present) return false;
    let v = this.find(va);
    if (!v) {
      // The stack grows down into the gap below it, up to RLIMIT_STACK.
      const stack = this.vmas.find((x) => x.kind === "stack");
      if (!stack || va >= stack.start || va < STACK_TOP - STACK_MAX || this.overlaps(pageDown(va), stack.start)) return false;
      stack.start = pageDown(va);
      v = stack;
    }
    if (this.hidden.has(pageDown(va))) return false;
    if ((write && !(v.prot & PROT_WRITE)) || (fetch && !(v.prot & PROT_EXEC)) || v.prot === PROT_NONE) return false;
    this.populate(va, v);
    return true;
  }

  // Make [va, va+len) resident for a kernel copy; false means EFAULT.
  ensure(va: number, len: number, write: boolean): boolean {
    if (len === 0) return true;
    if (va < 0 || va + len > USER_END) return false;
    for (let p = pageDown(va); p < va + len; p += PAGE) {
      const pte = this.space.lookup(p);
      if (pte) { if (write && !(pte.prot & PROT_WRITE)) return false; continue; }
      if (!this.handleFault(p, write, false, false)) return false;
    }
    return true;
  }

  // A copy of this address space for fork: same VMAs, every resident page duplicated.
  fork(): MemoryMap {
    const child = new MemoryMap(this.phys);
    child.vmas = this.vmas.map((v) => ({ ...v }));
    child.brkStart = this.brkStart;
    child.brk = this.brk;
    const bytes = (): Uint8Array => this.phys.bytes;
    const copy = (pa: number): number => {
      const n = this.phys.alloc();
      const b = bytes();
      b.copyWithin(this.phys.lin(n), this.phys.lin(pa), this.phys.lin(pa) + PAGE);
      child.frames++;
      return n;
    };
    for (const { va, pa, prot } of this.space.pages()) child.space.map(va, copy(pa), prot);
    for (const [va, pa] of this.hidden) child.hidden.set(va, copy(pa));
    return child;
  }

  destroy(): void {
    this.gen++;
    for (const pa of this.hidden.values()) this.phys.release(pa);
    this.hidden.clear();
    this.space.destroy();
    this.vmas = [];
    this.frames = 0;
  }
}
