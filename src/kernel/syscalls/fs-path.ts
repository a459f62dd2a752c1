// Path-based file system calls: open, stat, access, mkdir, mknod, unlink,
// rmdir, rename, links, getdents64, getcwd, chdir, readlink.
import type { Handler } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { OpenFile, pathOnlyOps, O_CREAT, O_EXCL, O_TRUNC, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_ACCMODE, O_RDONLY, O_PATH, O_WRONLY, O_RDWR } from "../fs/file.js";
import { DirInode, FileInode, Inode, SymlinkInode, DeviceInode, SocketInode, S_IFMT, S_IFDIR, S_IFREG, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK } from "../fs/inode.js";
import { FifoInode, FifoWait, openFifo } from "../fs/fifo.js";
import { regularOps, dirOps } from "../fs/regular.js";
import { statOfInode, statOfFile, encodeStat, encodeStatx } from "../fs/stat.js";
import { AT_FDCWD, AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, AT_SYMLINK_FOLLOW, atBase, fileOf, pathArg } from "./util.js";
import { Errno, EEXIST, EISDIR, ENOTDIR, ENOENT, ELOOP, EINVAL, ENOTEMPTY, EBUSY, EACCES, EROFS, ERANGE, EPERM, EXDEV, ENXIO } from "../errno.js";
import type { SysArgs } from "./args.js";
import { SYSCALL_NUMBERS } from "../../linux/syscall-numbers.js";
import { BLOCK, type SysResult } from "./types.js";

function openAt(k: Kernel, p: Process, nr: number, dirfd: number, path: string, flags: number, mode: number): SysResult {
  // A FIFO open waiting for its other end (retried until that end has opened).
  const waiting = p.block?.data;
  if (waiting instanceof FifoWait) return waiting.partnerCame ? installFd(p, waiting.file, flags) : BLOCK;
  const base = atBase(k, p, dirfd, path);
  let inode: Inode;
  let created = false;
  try {
    const r = k.vfs.resolve(base, path, !(flags & O_NOFOLLOW));
    inode = r.inode;
    if (flags & O_CREAT && flags & O_EXCL) return -EEXIST;
  } catch (e) {
    if (!(e instanceof Errno) || e.errno !== ENOENT || !(flags & O_CREAT)) throw e;
    const { dir, name } = k.vfs.parentOf(base, path);
    if (path.endsWith("/")) return -EISDIR;
    if (dir.frozen) return -EROFS;
    const f = new FileInode(mode & ~p.umask & 0o7777);
    f.touch(k.clock.wall);
    dir.entries.set(name, f);
    dir.touch(k.clock.wall);
    inode = f;
    created = true;
  }
  if (inode instanceof SymlinkInode) return flags & O_PATH ? -ELOOP : -ELOOP;
  const acc = flags & O_ACCMODE;
  if (flags & O_DIRECTORY && !(inode instanceof DirInode)) return -ENOTDIR;
  if (inode instanceof DirInode && (acc !== O_RDONLY || flags & O_CREAT) && !(flags & O_PATH)) return -EISDIR;
  if (!created && !(flags & O_PATH) && !permitted(inode, acc)) return -EROFS;
  let file: OpenFile;
  const fl = flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_TRUNC);
  if (inode instanceof FileInode) {
    if (acc !== O_RDONLY && inode.frozen) return -EROFS;
    if (flags & O_TRUNC && acc !== O_RDONLY) { inode.truncate(0); inode.touch(k.clock.wall); }
    file = new OpenFile(regularOps, fl, inode, path);
  } else if (inode instanceof DirInode) {
    file = new OpenFile(dirOps, fl, inode, path);
  } else if (inode instanceof DeviceInode) {
    file = new OpenFile(inode.open(flags), fl, inode, path);
  } else if ((inode instanceof FifoInode || inode instanceof SocketInode) && flags & O_PATH) {
    file = new OpenFile(pathOnlyOps, fl, inode, path);
  } else if (inode instanceof FifoInode) {
    const r = openFifo(inode, fl, path);
    if (typeof r === "number") return r;
    if (r instanceof FifoWait) {
      p.block = { nr, data: r, abort: () => r.file.unref() };
      return BLOCK;
    }
    file = r;
  } else if (inode instanceof SocketInode) {
    return -ENXIO;
  } else return -EINVAL;
  return installFd(p, file, flags);
}

function installFd(p: Process, file: OpenFile, flags: number): number {
  const fd = p.allocFd(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) file.unref();
  return fd;
}

// Everything runs as root, but files imported read-only stay read-only.
function permitted(i: Inode, acc: number): boolean {
  if (acc === O_RDONLY) return true;
  return !(i instanceof FileInode && i.frozen) || acc === O_RDONLY;
}

const open: Handler = (k, p, a) => openAt(k, p, a.nr, AT_FDCWD, pathArg(p, a, 0), a.int(1), a.u32(2));
const openat: Handler = (k, p, a) => openAt(k, p, a.nr, a.int(0), pathArg(p, a, 1), a.int(2), a.u32(3));
const creat: Handler = (k, p, a) => openAt(k, p, a.nr, AT_FDCWD, pathArg(p, a, 0), O_CREAT | O_WRONLY | O_TRUNC, a.u32(1));

function lookupAt(k: Kernel, p: Process, dirfd: number, path: string, flags: number): Inode {
  if (path === "" && flags & AT_EMPTY_PATH) {
    if (dirfd === AT_FDCWD) return p.cwd;
    const f = fileOf(p, dirfd);
    if (!f.inode) throw new StatOfFile(f);
    return f.inode;
  }
  return k.vfs.resolve(atBase(k, p, dirfd, path), path, !(flags & AT_SYMLINK_NOFOLLOW)).inode;
}

// Thrown by lookupAt for an inode-less open file (pipe, stdio) reached through AT_EMPTY_PATH.
class StatOfFile { constructor(readonly f: OpenFile) {} }

function statAt(k: Kernel, p: Process, dirfd: number, path: string, flags: number, va: number): number {
  let info;
  try { info = statOfInode(lookupAt(k, p, dirfd, path, flags)); } catch (e) {
    if (e instanceof StatOfFile) info = statOfFile(e.f); else throw e;
  }
  p.mem.writeOrFault(va, encodeStat(info));
  return 0;
}

const fstat: Handler = (_k, p, a) => { p.mem.writeOrFault(a.u(1), encodeStat(statOfFile(fileOf(p, a.int(0))))); return 0; };
const stat: Handler = (k, p, a) => statAt(k, p, AT_FDCWD, pathArg(p, a, 0), 0, a.u(1));
const lstat: Handler = (k, p, a) => statAt(k, p, AT_FDCWD, pathArg(p, a, 0), AT_SYMLINK_NOFOLLOW, a.u(1));
const newfstatat: Handler = (k, p, a) => statAt(k, p, a.int(0), pathArg(p, a, 1), a.int(3), a.u(2));
const statx: Handler = (k, p, a) => {
  const path = pathArg(p, a, 1);
  let info;
  try { info = statOfInode(lookupAt(k, p, a.int(0), path, a.int(2))); } catch (e) {
    if (e instanceof StatOfFile) info = statOfFile(e.f); else throw e;
  }
  p.mem.writeOrFault(a.u(4), encodeStatx(info));
  return 0;
};

function accessAt(k: Kernel, p: Process, dirfd: number, path: string, mode: number, flags: number): number {
  if (mode & ~7) return -EINVAL;
  const i = lookupAt(k, p, dirfd, path, flags);
  if (mode & 1 && !(i.mode & 0o111) && !(i instanceof DirInode)) return -EACCES; // X_OK: root needs one x bit
  if (mode & 2 && i.frozen) return -EROFS;
  return 0;
}
const access: Handler = (k, p, a) => accessAt(k, p, AT_FDCWD, pathArg(p, a, 0), a.int(1), 0);
const faccessat: Handler = (k, p, a) => accessAt(k, p, a.int(0), pathArg(p, a, 1), a.int(2), 0);
const faccessat2: Handler = (k, p, a) => accessAt(k, p, a.int(0), pathArg(p, a, 1), a.int(2), a.int(3));

function mkdirAt(k: Kernel, p: Process, dirfd: number, path: string, mode: number): number {
  const base = atBase(k, p, dirfd, path);
  const { dir, name } = k.vfs.parentOf(base, path);
  if (name === "." || name === ".." || dir.entries.has(name)) return -EEXIST;
  if (dir.frozen) return -EROFS;
  const d = new DirInode(mode & ~p.umask & 0o777, dir);
  d.touch(k.clock.wall);
  dir.entries.set(name, d);
  dir.nlink++;
  dir.touch(k.clock.wall);
  return 0;
}
const mkdir: Handler = (k, p, a) => mkdirAt(k, p, AT_FDCWD, pathArg(p, a, 0), a.u32(1));
const mkdirat: Handler = (k, p, a) => mkdirAt(k, p, a.int(0), pathArg(p, a, 1), a.u32(2));

// mknod: FIFOs, regular files (S_IFREG or type 0) and socket names. Character and block devices
// are refused with EPERM, as Linux refuses a caller without CAP_MKNOD (the guest's root has no
// such capability: src/kernel/README.md), except the 0:0 "whiteout" character device, which
// Linux lets anyone make and nobody open (ENXIO). Errors come in Linux's order: the type, then
// the name (EEXIST, a trailing slash), then a read-only directory, then the capability.
function mknodAt(k: Kernel, p: Process, dirfd: number, path: string, mode: number, dev: number): number {
  const type = mode & S_IFMT;
  if (type === S_IFDIR) return -EPERM;
  if (type !== 0 && type !== S_IFREG && type !== S_IFIFO && type !== S_IFSOCK && type !== S_IFCHR && type !== S_IFBLK) return -EINVAL;
  const { dir, name } = k.vfs.parentOf(atBase(k, p, dirfd, path), path);
  if (name === "." || name === ".." || dir.entries.has(name)) return -EEXIST;
  if (path.endsWith("/")) return -ENOENT;
  if (dir.frozen) return -EROFS;
  const whiteout = type === S_IFCHR && dev === 0;
  if ((type === S_IFCHR || type === S_IFBLK) && !whiteout) return -EPERM;
  const perm = mode & ~p.umask & 0o7777;
  const node = type === S_IFIFO ? new FifoInode(perm)
    : type === S_IFSOCK ? new SocketInode(perm)
    : whiteout ? new DeviceInode(perm, 0, () => { throw new Errno(ENXIO); })
    : new FileInode(perm);
  node.touch(k.clock.wall);
  dir.entries.set(name, node);
  dir.touch(k.clock.wall);
  return 0;
}
const mknod: Handler = (k, p, a) => mknodAt(k, p, AT_FDCWD, pathArg(p, a, 0), a.u32(1), a.u32(2));
const mknodat: Handler = (k, p, a) => mknodAt(k, p, a.int(0), pathArg(p, a, 1), a.u32(2), a.u32(3));

function removeAt(k: Kernel, p: Process, dirfd: number, path: string, dirOnly: boolean): number {
  const base = atBase(k, p, dirfd, path);
  const { dir, name } = k.vfs.parentOf(base, path);
  if (name === ".") return dirOnly ? -EINVAL : -EISDIR;
  if (name === "..") return dirOnly ? -ENOTEMPTY : -EISDIR;
  const i = dir.entries.get(name);
  if (!i) return -ENOENT;
  if (dir.frozen) return -EROFS;
  if (dirOnly) {
    if (!(i instanceof DirInode)) return -ENOTDIR;
    if (i.entries.size > 0) return -ENOTEMPTY;
    if (i === k.vfs.root) return -EBUSY;
    dir.nlink--;
  } else {
    if (i instanceof DirInode) return -EISDIR;
    if (path.endsWith("/")) return -ENOTDIR;
    i.nlink--;
  }
  dir.entries.delete(name);
  dir.touch(k.clock.wall);
  return 0;
}
const unlink: Handler = (k, p, a) => removeAt(k, p, AT_FDCWD, pathArg(p, a, 0), false);
const rmdir: Handler = (k, p, a) => removeAt(k, p, AT_FDCWD, pathArg(p, a, 0), true);
const unlinkat: Handler = (k, p, a) => {
  const fl = a.int(2);
  if (fl & ~AT_REMOVEDIR) return -EINVAL;
  return removeAt(k, p, a.int(0), pathArg(p, a, 1), (fl & AT_REMOVEDIR) !== 0);
};

const RENAME_NOREPLACE = 1;
function renameAt(k: Kernel, p: Process, ofd: number, oldPath: string, nfd: number, newPath: string, flags: number): number {
  if (flags & ~RENAME_NOREPLACE) return -EINVAL;
  const src = k.vfs.parentOf(atBase(k, p, ofd, oldPath), oldPath);
  const dst = k.vfs.parentOf(atBase(k, p, nfd, newPath), newPath);
  const node = src.dir.entries.get(src.name);
  if (!node) return -ENOENT;
  if (src.dir.frozen || dst.dir.frozen) return -EROFS;
  const existing = dst.dir.entries.get(dst.name);
  if (existing === node) return 0;
  if (existing && flags & RENAME_NOREPLACE) return -EEXIST;
  if (node instanceof DirInode) {
    // A directory cannot move inside itself.
    for (let d: DirInode = dst.dir; ; d = d.parent) { if (d === node) return -EINVAL; if (d === d.parent) break; }
    if (existing && !(existing instanceof DirInode)) return -ENOTDIR;
    if (existing instanceof DirInode && existing.entries.size > 0) return -ENOTEMPTY;
  } else if (existing instanceof DirInode) return -EISDIR;
  src.dir.entries.delete(src.name);
  dst.dir.entries.set(dst.name, node);
  if (node instanceof DirInode && src.dir !== dst.dir) { src.dir.nlink--; if (!existing) dst.dir.nlink++; node.parent = dst.dir; }
  src.dir.touch(k.clock.wall); dst.dir.touch(k.clock.wall);
  return 0;
}
const rename: Handler = (k, p, a) => renameAt(k, p, AT_FDCWD, pathArg(p, a, 0), AT_FDCWD, pathArg(p, a, 1), 0);
const renameat: Handler = (k, p, a) => renameAt(k, p, a.int(0), pathArg(p, a, 1), a.int(2), pathArg(p, a, 3), 0);
const renameat2: Handler = (k, p, a) => renameAt(k, p, a.int(0), pathArg(p, a, 1), a.int(2), pathArg(p, a, 3), a.int(4));

function linkAt(k: Kernel, p: Process, ofd: number, oldPath: string, nfd: number, newPath: string, flags: number): number {
  const node = k.vfs.resolve(atBase(k, p, ofd, oldPath), oldPath, (flags & AT_SYMLINK_FOLLOW) !== 0).inode;
  if (node instanceof DirInode) return -EPERM;
  const dst = k.vfs.parentOf(atBase(k, p, nfd, newPath), newPath);
  if (dst.dir.entries.has(dst.name)) return -EEXIST;
  if (dst.dir.frozen) return -EROFS;
  dst.dir.entries.set(dst.name, node);
  node.nlink++;
  return 0;
}
const link: Handler = (k, p, a) => linkAt(k, p, AT_FDCWD, pathArg(p, a, 0), AT_FDCWD, pathArg(p, a, 1), 0);
const linkat: Handler = (k, p, a) => linkAt(k, p, a.int(0), pathArg(p, a, 1), a.int(2), pathArg(p, a, 3), a.int(4));

function symlinkAt(k: Kernel, p: Process, target: string, nfd: number, newPath: string): number {
  const dst = k.vfs.parentOf(atBase(k, p, nfd, newPath), newPath);
  if (dst.dir.entries.has(dst.name)) return -EEXIST;
  if (dst.dir.frozen) return -EROFS;
  const l = new SymlinkInode(target);
  l.touch(k.clock.wall);
  dst.dir.entries.set(dst.name, l);
  return 0;
}
const symlink: Handler = (k, p, a) => symlinkAt(k, p, pathArg(p, a, 0), AT_FDCWD, pathArg(p, a, 1));
const symlinkat: Handler = (k, p, a) => symlinkAt(k, p, pathArg(p, a, 0), a.int(1), pathArg(p, a, 2));

function readlinkAt(k: Kernel, p: Process, dirfd: number, path: string, va: number, size: number): number {
  if (size <= 0) return -EINVAL;
  const i = k.vfs.resolve(atBase(k, p, dirfd, path), path, false).inode;
  if (!(i instanceof SymlinkInode)) return -EINVAL;
  const b = Buffer.from(i.target, "latin1").subarray(0, size);
  p.mem.writeOrFault(va, b);
  return b.length;
}
const readlink: Handler = (k, p, a) => readlinkAt(k, p, AT_FDCWD, pathArg(p, a, 0), a.u(1), a.int(2));
const readlinkat: Handler = (k, p, a) => readlinkAt(k, p, a.int(0), pathArg(p, a, 1), a.u(2), a.int(3));

const DT = (i: Inode): number => {
  switch (i.type) {
    case S_IFDIR: return 4; case S_IFREG: return 8; case S_IFLNK: return 10; case S_IFCHR: return 2;
    case S_IFIFO: return 1; case S_IFBLK: return 6; case S_IFSOCK: return 12; default: return 0;
  }
};
const getdents64: Handler = (k, p, a) => {
  const f = fileOf(p, a.int(0));
  if (!(f.inode instanceof DirInode)) return -ENOTDIR;
  const dir = f.inode;
  if (!f.dirCursor) f.dirCursor = [".", "..", ...dir.entries.keys()];
  const count = a.u(2);
  const out = new Uint8Array(Math.min(count, 65536));
  let o = 0;
  while (f.offset < f.dirCursor.length) {
    const name = f.dirCursor[f.offset];
    const node = name === "." ? dir : name === ".." ? dir.parent : dir.entries.get(name);
    if (!node) { f.offset++; continue; } // removed since the listing began
    const nb = Buffer.from(name, "latin1");
    const reclen = Math.ceil((19 + nb.length + 1) / 8) * 8;
    if (o + reclen > out.length) { if (o === 0) return -EINVAL; break; }
    const dv = new DataView(out.buffer, o, reclen);
    dv.setBigUint64(0, BigInt(node.ino), true);
    dv.setBigInt64(8, BigInt(f.offset + 1), true);
    dv.setUint16(16, reclen, true);
    dv.setUint8(18, DT(node));
    out.set(nb, o + 19);
    o += reclen;
    f.offset++;
  }
  p.mem.writeOrFault(a.u(1), out.subarray(0, o));
  return o;
};

const getcwd: Handler = (k, p, a) => {
  const s = Buffer.from(k.vfs.pathOf(p.cwd) + "\0", "latin1");
  if (a.u(1) < s.length) return -ERANGE;
  p.mem.writeOrFault(a.u(0), s);
  return s.length;
};

const chdir: Handler = (k, p, a) => {
  const i = k.vfs.resolve(p.cwd, pathArg(p, a, 0), true).inode;
  if (!(i instanceof DirInode)) return -ENOTDIR;
  p.setCwd(i);
  return 0;
};
const fchdir: Handler = (_k, p, a) => {
  const f = fileOf(p, a.int(0));
  if (!(f.inode instanceof DirInode)) return -ENOTDIR;
  p.setCwd(f.inode);
  return 0;
};

function chmodInode(i: Inode, mode: number): number {
  if (i.frozen) return -EROFS;
  i.mode = (i.mode & ~0o7777) | (mode & 0o7777);
  return 0;
}
const chmod: Handler = (k, p, a) => chmodInode(k.vfs.resolve(p.cwd, pathArg(p, a, 0)).inode, a.u32(1));
const fchmod: Handler = (_k, p, a) => { const f = fileOf(p, a.int(0)); return f.inode ? chmodInode(f.inode, a.u32(1)) : 0; };
const fchmodat: Handler = (k, p, a) => chmodInode(lookupAt(k, p, a.int(0), pathArg(p, a, 1), 0), a.u32(2));
// Owners are not kept (everyone is root); an imported node's cannot change (EROFS).
const chownLike: Handler = (k, p, a) => (k.vfs.resolve(p.cwd, pathArg(p, a, 0), a.nr !== LCHOWN).inode.frozen ? -EROFS : 0);
const fchown: Handler = (_k, p, a) => (fileOf(p, a.int(0)).inode?.frozen ? -EROFS : 0);
const fchownat: Handler = (k, p, a) => (lookupAt(k, p, a.int(0), pathArg(p, a, 1), a.int(4)).frozen ? -EROFS : 0);
const LCHOWN = SYSCALL_NUMBERS.lchown;

const truncate: Handler = (k, p, a) => {
  const i = k.vfs.resolve(p.cwd, pathArg(p, a, 0)).inode;
  if (i instanceof DirInode) return -EISDIR;
  if (!(i instanceof FileInode)) return -EINVAL;
  if (i.frozen) return -EROFS;
  const n = a.i64(1);
  if (n < 0) return -EINVAL;
  i.truncate(n);
  i.touch(k.clock.wall);
  return 0;
};

const utimensat: Handler = (k, p, a) => {
  const path = a.u(1) === 0 ? "" : pathArg(p, a, 1);
  const i = path === "" ? fileOf(p, a.int(0)).inode : lookupAt(k, p, a.int(0), path, a.int(3));
  if (i?.frozen) return -EROFS;
  if (i) i.mtimeNs = i.atimeNs = k.clock.wall;
  return 0;
};

const umask: Handler = (_k, p, a) => { const old = p.umask; p.setUmask(a.u32(0) & 0o777); return old; };

export const fsPath: Record<string, Handler> = {
  open, openat, creat, fstat, stat, lstat, newfstatat, statx, access, faccessat, faccessat2, mkdir, mkdirat, mknod, mknodat,
  unlink, unlinkat, rmdir, rename, renameat, renameat2, link, linkat, symlink, symlinkat, readlink, readlinkat,
  getdents64, getcwd, chdir, fchdir, chmod, fchmod, fchmodat, chown: chownLike, lchown: chownLike, fchown,
  fchownat, truncate, utimensat, umask,
};
export { EXDEV, O_RDWR };
export type { SysArgs };
