// Helpers shared by the syscall areas: fds, paths, *at directory lookups.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import type { SysArgs } from "./args.js";
import type { OpenFile } from "../fs/file.js";
import { DirInode } from "../fs/inode.js";
import { Errno, EBADF, EFAULT, ENAMETOOLONG, ENOTDIR } from "../errno.js";

export const AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400,
  AT_EMPTY_PATH = 0x1000, AT_EACCESS = 0x200;

export function fileOf(p: Process, fd: number): OpenFile {
  const f = p.getFile(fd);
  if (!f) throw new Errno(EBADF);
  return f;
}

export function pathArg(p: Process, a: SysArgs, i: number): string {
  const va = a.u(i);
  const s = p.mem.readCString(va, 4096);
  if (s === null) {
    // Distinguish a fault from an over-long path.
    if (p.mem.read(va, 1) === null) throw new Errno(EFAULT);
    throw new Errno(ENAMETOOLONG);
  }
  return s;
}

// The directory a relative path of an *at call starts from.
export function atBase(k: Kernel, p: Process, dirfd: number, path: string): DirInode {
  if (path.startsWith("/") || dirfd === AT_FDCWD) return p.cwd;
  const f = fileOf(p, dirfd);
  if (!(f.inode instanceof DirInode)) throw new Errno(ENOTDIR);
  return f.inode;
}

// A small reusable buffer for copies, so ordinary reads and writes allocate nothing big.
const SCRATCH = new Uint8Array(65536);
// Views of its first n bytes for small n, made once (a flight reads one byte at a time, often).
const SMALL_VIEWS = Array.from({ length: 257 }, (_, n) => SCRATCH.subarray(0, n));
export function scratch(n: number): Uint8Array {
  if (n < SMALL_VIEWS.length) return SMALL_VIEWS[n];
  return n <= SCRATCH.length ? SCRATCH.subarray(0, n) : new Uint8Array(n);
}
