// One process's page tables: a 4-level x86-64 hierarchy built in guest physical
// RAM, so the core's page walk reads exactly what the kernel wrote. CR3 is the
// physical address of the PML4. Virtual addresses are plain numbers: user space
// ends at 2^47, well inside a double's exact range.
import { PhysMem, PAGE } from "./physmem.js";

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

const P = 1, RW = 2, US = 4;
const NX_HI = 0x8000_0000; // bit 63, in the high word

export interface Pte { pa: number; prot: number }
export interface MappedPage extends Pte { va: number }

export class AddressSpace {
  readonly cr3: number;
  private tables: number[] = []; // every table frame, for teardown

  constructor(private phys: PhysMem) {
    this.cr3 = phys.alloc();
    this.tables.push(this.cr3);
    phys.newRoot(this.cr3); // the core may still hold traces of a dead space rooted in this frame
  }

  private idx(va: number, level: number): number {
    return Math.floor(va / 2 ** (12 + 9 * level)) % 512;
  }

  // Linear offset of the level-1 entry for va, creating tables when `create`.
  private entry(va: number, create: boolean): number {
    const dv = this.phys.view;
    let table = this.cr3;
    for (let level = 3; level >= 1; level--) {
      const off = this.phys.lin(table + this.idx(va, level) * 8);
      let lo = dv.getUint32(off, true);
      if ((lo & P) === 0) {
        if (!create) return -1;
        const t = this.phys.alloc();
        this.tables.push(t);
        lo = t | P | RW | US;
        this.phys.view.setUint32(off, lo, true);
        this.phys.view.setUint32(off + 4, 0, true);
      }
      table = lo & ~0xFFF;
    }
    return this.phys.lin(table + this.idx(va, 0) * 8);
  }

  map(va: number, pa: number, prot: number): void {
    const off = this.entry(va, true);
    const dv = this.phys.view;
    dv.setUint32(off, pa | P | US | (prot & PROT_WRITE ? RW : 0), true);
    dv.setUint32(off + 4, prot & PROT_EXEC ? 0 : NX_HI, true);
  }

  lookup(va: number): Pte | undefined {
    const off = this.entry(va, false);
    if (off < 0) return undefined;
    const dv = this.phys.view;
    const lo = dv.getUint32(off, true);
    if ((lo & P) === 0) return undefined;
    const hi = dv.getUint32(off + 4, true);
    const prot = PROT_READ | (lo & RW ? PROT_WRITE : 0) | (hi & NX_HI ? 0 : PROT_EXEC);
    return { pa: lo & ~0xFFF, prot };
  }

  // Remove the mapping; returns the frame that backed it (the caller frees it).
  unmap(va: number): number | undefined {
    const off = this.entry(va, false);
    if (off < 0) return undefined;
    const dv = this.phys.view;
    const lo = dv.getUint32(off, true);
    if ((lo & P) === 0) return undefined;
    dv.setUint32(off, 0, true);
    dv.setUint32(off + 4, 0, true);
    return lo & ~0xFFF;
  }

  protect(va: number, prot: number): boolean {
    const pte = this.lookup(va);
    if (!pte) return false;
    this.map(va, pte.pa, prot);
    return true;
  }

  // Every mapped page, in address order. A recursive method, not a generator
  // closure made per call: V8 recompiled that closure on every flight
  // (--trace-opt over 48 flights: 48 compiles; the method: 1).
  pages(): MappedPage[] {
    const out: MappedPage[] = [];
    this.collect(this.cr3, 3, 0, out);
    return out;
  }

  private collect(table: number, level: number, base: number, out: MappedPage[]): void {
    const dv = this.phys.view;
    for (let i = 0; i < 512; i++) {
      const off = this.phys.lin(table + i * 8);
      const lo = dv.getUint32(off, true);
      if ((lo & P) === 0) continue;
      const va = base + i * 2 ** (12 + 9 * level);
      if (level === 0) {
        const hi = dv.getUint32(off + 4, true);
        out.push({ va, pa: lo & ~0xFFF, prot: PROT_READ | (lo & RW ? PROT_WRITE : 0) | (hi & NX_HI ? 0 : PROT_EXEC) });
      } else {
        this.collect(lo & ~0xFFF, level - 1, va, out);
      }
    }
  }

  // Free every data frame and every table frame.
  destroy(): void {
    const frames: number[] = [];
    for (const page of this.pages()) frames.push(page.pa);
    for (const f of frames) this.phys.release(f);
    for (const t of this.tables) this.phys.release(t);
    this.tables = [];
  }
}

export { PAGE };
