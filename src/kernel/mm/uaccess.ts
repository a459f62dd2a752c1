// Copies between the kernel and a process's memory (copy_from_user and
// copy_to_user). Missing pages inside a VMA are faulted in first; anything else
// fails the copy as a whole, and the syscall returns EFAULT.
import { PAGE } from "../../machine/physmem.js";
import { MemoryMap, USER_END } from "./mm.js";
import { Errno, EFAULT } from "../errno.js";

const scratch = new DataView(new ArrayBuffer(8));
const CACHE = 4;
const SMALL = 64; // copies up to this many bytes go byte by byte

export class UserMemory {
  // A small translation cache (syscalls touch a few stack and buffer pages,
  // over and over): CACHE entries, page-aligned va -> linear offset, all valid
  // while mm.gen is unchanged.
  private cPage = new Float64Array(CACHE).fill(-1);
  private cLin = new Float64Array(CACHE);
  private cWritable = new Uint8Array(CACHE);
  private cGen = -1;
  private cNext = 0;

  constructor(readonly mm: MemoryMap) {}

  // Linear offset (in the core's memory) of `va`, resident and with the access allowed.
  private lin(va: number, write: boolean): number {
    const p = va - (va % PAGE);
    if (this.cGen !== this.mm.gen) { this.cPage.fill(-1); this.cGen = this.mm.gen; }
    for (let i = 0; i < CACHE; i++) {
      if (this.cPage[i] === p && (!write || this.cWritable[i])) return this.cLin[i] + (va - p);
    }
    let pte = this.mm.space.lookup(p);
    if (!pte || (write && !(pte.prot & 2))) {
      if (!this.mm.ensure(p, 1, write)) return -1;
      pte = this.mm.space.lookup(p);
      if (!pte) return -1;
    }
    if (this.cGen !== this.mm.gen) { this.cPage.fill(-1); this.cGen = this.mm.gen; }
    let i = this.cPage.indexOf(p);
    if (i < 0) { i = this.cNext; this.cNext = (this.cNext + 1) % CACHE; }
    this.cPage[i] = p;
    this.cLin[i] = this.mm.phys.lin(pte.pa);
    this.cWritable[i] = (pte.prot & 2) !== 0 ? 1 : 0;
    return this.cLin[i] + (va - p);
  }

  // mm.ensure (make [va, va+len) resident for a kernel copy; false means
  // EFAULT) through the translation cache: the same answer, the same pages faulted in.
  ensure(va: number, len: number, write: boolean): boolean {
    if (len === 0) return true;
    if (va < 0 || va + len > USER_END) return false;
    for (let p = va - (va % PAGE); p < va + len; p += PAGE) if (this.lin(p, write) < 0) return false;
    return true;
  }

  read(va: number, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    return this.readInto(va, out) ? out : null;
  }

  readInto(va: number, out: Uint8Array): boolean {
    let o = 0;
    const len = out.length;
    if (va < 0 || va + len > 2 ** 47) return false;
    while (o < len) {
      const l = this.lin(va + o, false);
      if (l < 0) return false;
      const n = Math.min(len - o, PAGE - ((va + o) % PAGE));
      const mem = this.mm.phys.bytes;
      if (n <= SMALL) for (let i = 0; i < n; i++) out[o + i] = mem[l + i]; // no view object for a few bytes
      else out.set(mem.subarray(l, l + n), o);
      o += n;
    }
    return true;
  }

  // How many bytes from va (up to len) can be read before the first bad page.
  readablePrefix(va: number, len: number): number {
    let n = 0;
    while (n < len) {
      if (this.lin(va + n, false) < 0) return n;
      n += Math.min(len - n, PAGE - ((va + n) % PAGE));
    }
    return n;
  }

  write(va: number, data: Uint8Array): boolean {
    let o = 0;
    const len = data.length;
    if (va < 0 || va + len > 2 ** 47) return false;
    while (o < len) {
      const l = this.lin(va + o, true);
      if (l < 0) return false;
      const n = Math.min(len - o, PAGE - ((va + o) % PAGE));
      const mem = this.mm.phys.bytes;
      if (n <= SMALL) for (let i = 0; i < n; i++) mem[l + i] = data[o + i];
      else mem.set(data.subarray(o, o + n), l);
      this.mm.phys.codeWrittenAt(l, n);
      o += n;
    }
    return true;
  }

  // Throwing variants for handlers: a bad pointer becomes -EFAULT.
  readOrFault(va: number, len: number): Uint8Array {
    const b = this.read(va, len);
    if (!b) throw new Errno(EFAULT);
    return b;
  }
  writeOrFault(va: number, data: Uint8Array): void {
    if (!this.write(va, data)) throw new Errno(EFAULT);
  }

  // NUL-terminated string; null on a fault or when longer than `max`.
  readCString(va: number, max = 4096): string | null {
    const bytes: number[] = [];
    let p = va;
    while (bytes.length < max) {
      const l = this.lin(p, false);
      if (l < 0) return null;
      const mem = this.mm.phys.bytes;
      const n = PAGE - (p % PAGE);
      for (let i = 0; i < n && bytes.length < max; i++) {
        const b = mem[l + i];
        if (b === 0) return Buffer.from(bytes).toString("latin1");
        bytes.push(b);
      }
      p += n;
    }
    return null;
  }

  u32(va: number): number {
    const b = this.readOrFault(va, 4);
    return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0;
  }
  u64(va: number): bigint {
    const b = this.readOrFault(va, 8);
    return new DataView(b.buffer).getBigUint64(0, true);
  }
  // An unsigned 64-bit value as a number (exact below 2^53).
  u64n(va: number): number {
    const b = this.readOrFault(va, 8);
    const dv = new DataView(b.buffer);
    return dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
  }
  i64n(va: number): number {
    const b = this.readOrFault(va, 8);
    const dv = new DataView(b.buffer);
    return dv.getInt32(4, true) * 2 ** 32 + dv.getUint32(0, true);
  }
  putU32(va: number, v: number): void {
    scratch.setUint32(0, v >>> 0, true);
    this.writeOrFault(va, new Uint8Array(scratch.buffer, 0, 4).slice());
  }
  putU64(va: number, v: number | bigint): void {
    if (typeof v === "bigint") scratch.setBigUint64(0, BigInt.asUintN(64, v), true);
    else { scratch.setUint32(0, v >>> 0, true); scratch.setInt32(4, Math.floor(v / 2 ** 32), true); }
    this.writeOrFault(va, new Uint8Array(scratch.buffer, 0, 8).slice());
  }
}
