// Copying between the host and a process's virtual memory, through its page
// tables (not the current CR3, so the kernel can reach any process). A copy
// that touches an unmapped or protected page fails as a whole: the caller
// returns EFAULT, as Linux does.
import { AddressSpace, PROT_WRITE, PAGE } from "./paging.js";
import { PhysMem } from "./physmem.js";

export class VirtualMemory {
  constructor(private phys: PhysMem, private space: AddressSpace) {}

  // Linear offsets of each page piece of [va, va+len), or null if any page is missing.
  private pieces(va: number, len: number, write: boolean): Array<[number, number]> | null {
    const out: Array<[number, number]> = [];
    let p = va;
    const end = va + len;
    if (va < 0 || end > 2 ** 47) return null;
    while (p < end) {
      const pageVa = p - (p % PAGE);
      const pte = this.space.lookup(pageVa);
      if (!pte || (write && !(pte.prot & PROT_WRITE))) return null;
      const n = Math.min(end, pageVa + PAGE) - p;
      out.push([this.phys.lin(pte.pa + (p - pageVa)), n]);
      p += n;
    }
    return out;
  }

  read(va: number, len: number): Uint8Array | null {
    const ps = this.pieces(va, len, false);
    if (!ps) return null;
    const out = new Uint8Array(len);
    const mem = this.phys.bytes;
    let o = 0;
    for (const [lin, n] of ps) { out.set(mem.subarray(lin, lin + n), o); o += n; }
    return out;
  }

  // `force` writes even to read-only pages (the loader filling a text segment).
  write(va: number, data: Uint8Array, force = false): boolean {
    const ps = this.pieces(va, data.length, !force);
    if (!ps) return false;
    const mem = this.phys.bytes;
    let o = 0;
    for (const [lin, n] of ps) {
      mem.set(data.subarray(o, o + n), lin);
      this.phys.codeWrittenAt(lin, n);
      o += n;
    }
    return true;
  }

  // NUL-terminated string of at most `max` bytes (null: fault or too long).
  readCString(va: number, max = 4096): string | null {
    const bytes: number[] = [];
    let p = va;
    while (bytes.length < max) {
      const pageVa = p - (p % PAGE);
      const pte = this.space.lookup(pageVa);
      if (!pte) return null;
      const mem = this.phys.bytes;
      for (let q = p; q < pageVa + PAGE && bytes.length < max; q++) {
        const b = mem[this.phys.lin(pte.pa + (q - pageVa))];
        if (b === 0) return Buffer.from(bytes).toString("utf8");
        bytes.push(b);
      }
      p = pageVa + PAGE;
    }
    return null;
  }

  readU64(va: number): bigint | null {
    const b = this.read(va, 8);
    return b ? new DataView(b.buffer).getBigUint64(0, true) : null;
  }
  writeU64(va: number, v: bigint): boolean {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
    return this.write(va, b);
  }
}
