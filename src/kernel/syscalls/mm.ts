// Memory: brk, mmap (anonymous and file mappings), munmap, mprotect, mremap,
// madvise. Pages are allocated on first touch: anonymous ones zeroed, a file
// mapping's filled from the file then (mm/backing.ts).
import type { Handler } from "./types.js";
import type { Process } from "../process/process.js";
import { PAGE, pageUp, pageDown, USER_END, PROT_READ, PROT_WRITE, PROT_EXEC, MMAP_BASE } from "../mm/mm.js";
import { FileInode } from "../fs/inode.js";
import { HostFileInode } from "../fs/host-tree.js";
import { fileBacking, type Backing } from "../mm/backing.js";
import { fileOf } from "./util.js";
import { EINVAL, ENOMEM, EACCES, ENODEV, EBADF, EFAULT, EEXIST } from "../errno.js";

const MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_SHARED_VALIDATE = 3, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20,
  MAP_GROWSDOWN = 0x100, MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000, MAP_FIXED_NOREPLACE = 0x100000;
const MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;

const brk: Handler = (k, p, a) => {
  const want = a.u(0);
  const mm = p.mm;
  if (want < mm.brkStart || want >= MMAP_BASE) return mm.brk;
  const oldEnd = pageUp(mm.brk), newEnd = pageUp(want);
  if (newEnd > oldEnd) {
    if (mm.overlaps(oldEnd, newEnd)) return mm.brk;
    const heap = mm.vmas.find((v) => v.kind === "heap" && v.end === oldEnd);
    if (heap) heap.end = newEnd; else mm.add(oldEnd, newEnd, PROT_READ | PROT_WRITE, "heap");
  } else if (newEnd < oldEnd) {
    mm.unmap(newEnd, oldEnd);
    k.machine.flushTranslations(); // frames released: any holding decoded code dropped it (PhysMem.release)
  }
  mm.brk = want;
  return want;
};

function mmapImpl(p: Process, addr: number, len: number, prot: number, flags: number, fd: number, off: number, flush: () => void): number {
  if (len === 0) return -EINVAL;
  if (off % PAGE !== 0 || off < 0) return -EINVAL;
  const type = flags & 3;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -EINVAL;
  if (prot & ~7) return -EINVAL;
  const size = pageUp(len);
  if (size > USER_END || size === 0) return -ENOMEM;
  const mm = p.mm;
  let file: FileInode | null = null;
  let name = "";
  if (!(flags & MAP_ANONYMOUS)) {
    const f = p.getFile(fd);
    if (!f) return -EBADF;
    if (!(f.inode instanceof FileInode)) return -ENODEV;
    if (!f.readable) return -EACCES;
    if (type !== MAP_PRIVATE && prot & PROT_WRITE && !f.writable) return -EACCES;
    file = f.inode;
    name = file instanceof HostFileInode ? file.guestPath : f.path;
  }
  let start: number;
  if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
    if (addr % PAGE !== 0) return -EINVAL;
    if (addr + size > USER_END) return -ENOMEM;
    if (flags & MAP_FIXED_NOREPLACE && mm.overlaps(addr, addr + size)) return -EEXIST;
    start = addr;
    mm.unmap(start, start + size);
    flush();
  } else {
    const hint = addr ? pageDown(addr) : 0;
    start = mm.findFree(size, hint && hint >= 0x10000 ? hint : 0);
    if (start < 0) return -ENOMEM;
  }
  // A file's pages are copied from it when first touched (shared file mappings behave as private:
  // see the notes); a file imported from the host is read once, whoever maps it.
  const v = file ? mm.add(start, start + size, prot, "file", backingOf(file, name), off - start) : mm.add(start, start + size, prot, "anon");
  if (type !== MAP_PRIVATE && !file) v.shared = true;
  mm.mergeAround(v);
  return start;
}

// One backing per file (and name), so mappings of it can merge.
const backings = new WeakMap<FileInode, Map<string, Backing>>();
function backingOf(file: FileInode, name: string): Backing {
  let byName = backings.get(file);
  if (!byName) backings.set(file, (byName = new Map()));
  let b = byName.get(name);
  if (!b) byName.set(name, (b = fileBacking(name, () => file.contents())));
  return b;
}

const mmap: Handler = (k, p, a) =>
  mmapImpl(p, a.u(0), a.u(1), a.int(2), a.int(3), a.int(4), a.i64(5), () => k.machine.flushTranslations());

const munmap: Handler = (k, p, a) => {
  const addr = a.u(0), len = a.u(1);
  if (addr % PAGE !== 0 || len === 0 || addr + len > USER_END) return -EINVAL;
  p.mm.unmap(addr, addr + pageUp(len));
  k.machine.flushTranslations(); // as brk
  return 0;
};

const mprotect: Handler = (k, p, a) => {
  const addr = a.u(0), len = a.u(1), prot = a.int(2);
  if (addr % PAGE !== 0 || prot & ~(7 | 0x01000000 | 0x02000000)) return -EINVAL;
  if (len === 0) return 0;
  const end = addr + pageUp(len);
  if (end > USER_END) return -ENOMEM;
  if (!p.mm.covered(addr, end)) return -ENOMEM;
  // Decoded code stays unless a page of the range holds some (its permissions change under it).
  const code = p.mm.holdsCode(addr, end);
  p.mm.protect(addr, end, prot & 7);
  if (code) k.machine.flushTlb(); else k.machine.flushTranslations();
  return 0;
};

const mremap: Handler = (k, p, a) => {
  const old = a.u(0), oldLen = pageUp(a.u(1)), newLen = pageUp(a.u(2)), flags = a.int(3);
  const mm = p.mm;
  if (old % PAGE !== 0 || newLen === 0 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | 4)) return -EINVAL;
  if (flags & MREMAP_FIXED) return -EINVAL; // not supported (glibc's malloc never asks for it)
  const v = mm.find(old);
  if (!v || !mm.covered(old, old + oldLen)) return -EFAULT;
  if (newLen <= oldLen) {
    if (newLen < oldLen) { mm.unmap(old + newLen, old + oldLen); k.machine.flushTranslations(); }
    return old;
  }
  // Grow in place when the following range is free.
  if (!mm.overlaps(old + oldLen, old + newLen) && old + newLen <= USER_END) {
    mm.mergeAround(mm.add(old + oldLen, old + newLen, v.prot, v.kind, v.backing, v.shift));
    return old;
  }
  if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
  const dest = mm.findFree(newLen);
  if (dest < 0) return -ENOMEM;
  // Untouched pages of a file mapping still come from the same place in the file.
  const nv = mm.add(dest, dest + newLen, v.prot, v.kind, v.backing, (v.shift ?? 0) + (old - dest));
  // Move the resident frames to the new place (no copy needed: remap the frames).
  for (let off = 0; off < oldLen; off += PAGE) {
    const pte = mm.space.lookup(old + off);
    if (pte) { mm.space.unmap(old + off); mm.space.map(dest + off, pte.pa, nv.prot); }
  }
  mm.unmap(old, old + oldLen);
  k.machine.flushTlb();
  return dest;
};

const MADV_DONTNEED = 4;
const madvise: Handler = (k, p, a) => {
  const addr = a.u(0), len = pageUp(a.u(1)), advice = a.int(2);
  if (addr % PAGE !== 0) return -EINVAL;
  if (advice === MADV_DONTNEED) {
    // Private anonymous pages read back as zero afterwards: drop them, they refault zeroed.
    for (let pg = addr; pg < addr + len; pg += PAGE) {
      const v = p.mm.find(pg);
      if (!v || v.kind === "file" || v.kind === "elf") continue;
      p.mm.gen++;
      const pa = p.mm.space.unmap(pg);
      if (pa !== undefined) { p.mm.phys.release(pa); p.mm.frames--; }
    }
    k.machine.flushTranslations(); // as brk
  }
  return 0;
};

export const mmCalls: Record<string, Handler> = {
  brk, mmap, munmap, mprotect, mremap, madvise,
  mlock: () => 0, munlock: () => 0, mlockall: () => 0, munlockall: () => 0, msync: () => 0,
};
export { MAP_GROWSDOWN, MAP_NORESERVE, MAP_POPULATE, PROT_EXEC };
