// File I/O on descriptors: read/write and their vector and positional forms,
// lseek, close, dup*, fcntl, pipe, ftruncate, fsync.
import type { Handler } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { BLOCK, OpenFile, O_CLOEXEC, O_NONBLOCK, O_APPEND, O_RDONLY, O_WRONLY, Blockable } from "../fs/file.js";
import { FileInode, S_IFIFO } from "../fs/inode.js";
import { Pipe, PIPE_CAPACITY } from "../fs/pipe.js";
import { fileOf, scratch } from "./util.js";
import { Errno, EBADF, EINVAL, ESPIPE, EFAULT, EISDIR, EPIPE, EMFILE } from "../errno.js";
import { SIGPIPE } from "../signal/signals.js";
import { MAX_FDS } from "../process/process.js";

const MAX_IO = 0x7ffff000; // Linux caps one read/write at this many bytes

function blocked(k: Kernel, p: Process, f: OpenFile): typeof BLOCK {
  p.wakeAt = f.ops.nextEvent?.(f, k.clock) ?? null;
  return BLOCK;
}

function doRead(k: Kernel, p: Process, f: OpenFile, va: number, count: number, pos: number | null): Blockable {
  if (!f.readable) return -EBADF;
  if (count === 0) return 0;
  if (count > MAX_IO) count = MAX_IO;
  const usePos = pos ?? f.offset;
  let cap = count;
  if (f.inode instanceof FileInode) cap = Math.max(0, Math.min(count, f.inode.length - usePos));
  else cap = Math.min(count, 65536);
  if (!p.mem.ensure(va, Math.max(cap, 1), true)) return -EFAULT;
  const buf = scratch(cap);
  const r = f.ops.read(f, buf, usePos, k.clock);
  if (r === BLOCK) return blocked(k, p, f);
  if (r > 0) {
    p.mem.writeOrFault(va, r === buf.length ? buf : buf.subarray(0, r));
    if (pos === null && f.ops.seekable) f.offset += r;
  }
  return r;
}

// Copied from the caller in chunks, so a huge count never makes a huge host buffer; a fault
// after some progress ends the call short, as Linux's copy_from_user does.
const CHUNK = 65536;
function doWrite(k: Kernel, p: Process, f: OpenFile, va: number, count: number, pos: number | null): Blockable {
  if (!f.writable) return -EBADF;
  if (count === 0) return 0; // Linux checks nothing more (not even the buffer) for an empty write
  if (count > MAX_IO) count = MAX_IO;
  let usePos = pos ?? (f.flags & O_APPEND && f.inode instanceof FileInode ? f.inode.length : f.offset);
  let done = 0;
  do {
    let n = Math.min(CHUNK, count - done);
    n = p.mem.readablePrefix(va + done, n);
    if (n === 0) return done > 0 ? done : -EFAULT;
    const data = scratch(n);
    p.mem.readInto(va + done, data);
    const r = f.ops.write(f, data, usePos, k.clock);
    if (r === BLOCK) { if (done > 0) { p.wakeAt = null; return done; } return blocked(k, p, f); }
    if (r < 0) {
      if (r === -EPIPE) k.raise(p, SIGPIPE);
      return done > 0 ? done : r;
    }
    done += r;
    usePos += r;
    if (pos === null && f.ops.seekable) f.offset = usePos;
    if (r < n || n < Math.min(CHUNK, count - done + r)) break;
  } while (done < count);
  return done;
}

const read: Handler = (k, p, a) => doRead(k, p, fileOf(p, a.int(0)), a.u(1), a.u(2), null);
const write: Handler = (k, p, a) => doWrite(k, p, fileOf(p, a.int(0)), a.u(1), a.u(2), null);

function positional(f: OpenFile, off: number): number {
  if (!f.ops.seekable || !f.inode) throw new Errno(ESPIPE);
  if (off < 0) throw new Errno(EINVAL);
  return off;
}
const pread64: Handler = (k, p, a) => { const f = fileOf(p, a.int(0)); return doRead(k, p, f, a.u(1), a.u(2), positional(f, a.i64(3))); };
const pwrite64: Handler = (k, p, a) => { const f = fileOf(p, a.int(0)); return doWrite(k, p, f, a.u(1), a.u(2), positional(f, a.i64(3))); };

function iovecs(p: Process, va: number, n: number): Array<[number, number]> {
  if (n < 0 || n > 1024) throw new Errno(EINVAL);
  const raw = p.mem.readOrFault(va, n * 16);
  const dv = new DataView(raw.buffer);
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) {
    const base = dv.getUint32(i * 16 + 4, true) * 2 ** 32 + dv.getUint32(i * 16, true);
    const len = dv.getUint32(i * 16 + 12, true) * 2 ** 32 + dv.getUint32(i * 16 + 8, true);
    if (len > 2 ** 53) throw new Errno(EINVAL);
    out.push([base, len]);
  }
  return out;
}

// readv/writev: one pass over the vectors; a short transfer or a block after
// progress ends the call with what was done (blocking only before any byte moved).
function vector(k: Kernel, p: Process, f: OpenFile, iov: Array<[number, number]>, isWrite: boolean, pos: number | null): Blockable {
  if (isWrite && !f.writable) return -EBADF;
  if (!isWrite && !f.readable) return -EBADF;
  const total = iov.reduce((s, [, l]) => s + l, 0);
  if (isWrite && iov.length > 1 && total <= CHUNK) {
    // Gather first, so pipes and ttys see one write (atomic like Linux's for small totals).
    const data = new Uint8Array(total);
    let o = 0;
    for (const [b, l] of iov) { if (!p.mem.readInto(b, data.subarray(o, o + l))) return -EFAULT; o += l; }
    const usePos = pos ?? (f.flags & O_APPEND && f.inode instanceof FileInode ? f.inode.length : f.offset);
    const r = f.ops.write(f, data, usePos, k.clock);
    if (r === BLOCK) return blocked(k, p, f);
    if (r === -EPIPE) k.raise(p, SIGPIPE);
    if (r > 0 && pos === null && f.ops.seekable) f.offset = usePos + r;
    return r;
  }
  let done = 0;
  for (const [base, len] of iov) {
    if (len === 0) continue;
    const r = isWrite ? doWrite(k, p, f, base, len, pos === null ? null : pos + done)
      : doRead(k, p, f, base, len, pos === null ? null : pos + done);
    if (r === BLOCK) { if (done > 0) { p.wakeAt = null; return done; } return BLOCK; }
    if (r < 0) return done > 0 ? done : r;
    done += r;
    if (r < len) break;
  }
  return done;
}

const readv: Handler = (k, p, a) => vector(k, p, fileOf(p, a.int(0)), iovecs(p, a.u(1), a.int(2)), false, null);
const writev: Handler = (k, p, a) => vector(k, p, fileOf(p, a.int(0)), iovecs(p, a.u(1), a.int(2)), true, null);
const preadv: Handler = (k, p, a) => { const f = fileOf(p, a.int(0)); return vector(k, p, f, iovecs(p, a.u(1), a.int(2)), false, positional(f, a.i64(3))); };
const pwritev: Handler = (k, p, a) => { const f = fileOf(p, a.int(0)); return vector(k, p, f, iovecs(p, a.u(1), a.int(2)), true, positional(f, a.i64(3))); };

const SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
const lseek: Handler = (_k, p, a) => {
  const f = fileOf(p, a.int(0));
  if (!f.ops.seekable) return -ESPIPE;
  const off = a.i64(1), whence = a.int(2);
  const size = f.inode instanceof FileInode ? f.inode.length : 0;
  let n: number;
  switch (whence) {
    case SEEK_SET: n = off; break;
    case SEEK_CUR: n = f.offset + off; break;
    case SEEK_END: n = size + off; break;
    case SEEK_DATA: if (off >= size) return -6; n = off; break; // ENXIO
    case SEEK_HOLE: if (off >= size) return -6; n = size; break;
    default: return -EINVAL;
  }
  if (n < 0) return -EINVAL;
  f.offset = n;
  if (f.dirCursor && n === 0) f.dirCursor = undefined;
  return n;
};

const close: Handler = (_k, p, a) => (p.closeFd(a.int(0)) ? 0 : -EBADF);

const dup: Handler = (_k, p, a) => { const f = fileOf(p, a.int(0)); return p.allocFd(f.ref(), false); };

function dupTo(p: Process, oldfd: number, newfd: number, cloexec: boolean): number {
  const f = fileOf(p, oldfd);
  if (newfd < 0 || newfd >= MAX_FDS) return -EBADF;
  if (oldfd === newfd) return newfd;
  f.ref();
  if (p.fds[newfd]) p.closeFd(newfd);
  p.fds[newfd] = { file: f, cloexec };
  return newfd;
}
const dup2: Handler = (_k, p, a) => {
  const o = a.int(0), n = a.int(1);
  if (o === n) { fileOf(p, o); return n; }
  return dupTo(p, o, n, false);
};
const dup3: Handler = (_k, p, a) => {
  const o = a.int(0), n = a.int(1), fl = a.int(2);
  if (o === n || (fl & ~O_CLOEXEC)) return -EINVAL;
  return dupTo(p, o, n, (fl & O_CLOEXEC) !== 0);
};

const F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7,
  F_DUPFD_CLOEXEC = 1030, F_GETPIPE_SZ = 1032;
const fcntl: Handler = (_k, p, a) => {
  const fd = a.int(0), cmd = a.int(1);
  const e = fd >= 0 ? p.fds[fd] : undefined;
  if (!e) return -EBADF;
  switch (cmd) {
    case F_DUPFD: case F_DUPFD_CLOEXEC: {
      const min = a.int(2);
      if (min < 0 || min >= MAX_FDS) return -EINVAL;
      const r = p.allocFd(e.file, cmd === F_DUPFD_CLOEXEC, min);
      if (r >= 0) e.file.ref();
      return r < 0 ? -EMFILE : r;
    }
    case F_GETFD: return e.cloexec ? 1 : 0;
    case F_SETFD: e.cloexec = (a.int(2) & 1) !== 0; return 0;
    case F_GETFL: return e.file.flags & ~O_CLOEXEC;
    case F_SETFL: {
      const settable = O_APPEND | O_NONBLOCK | 0o40000 /* O_DIRECT */ | 0o1000000 /* O_NOATIME */ | 0o20000 /* O_ASYNC */;
      e.file.flags = (e.file.flags & ~settable) | (a.int(2) & settable);
      return 0;
    }
    case F_GETLK: {
      // No other process holds locks: report F_UNLCK in l_type.
      const va = a.u(2);
      const b = p.mem.readOrFault(va, 32);
      b[0] = 2; b[1] = 0;
      p.mem.writeOrFault(va, b);
      return 0;
    }
    case F_SETLK: case F_SETLKW: return 0;
    case F_GETPIPE_SZ: return e.file.statMode === (S_IFIFO | 0o600) || e.file.inode?.type === S_IFIFO ? PIPE_CAPACITY : -EBADF;
    default: return -EINVAL;
  }
};

function makePipe(k: Kernel, p: Process, va: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | 0o40000)) return -EINVAL;
  if (!p.mem.ensure(va, 8, true)) return -EFAULT;
  const pipe = new Pipe();
  const ino = k.nextPipeIno();
  const r = new OpenFile(pipe.readEnd(), O_RDONLY | (flags & O_NONBLOCK), undefined, "pipe");
  const w = new OpenFile(pipe.writeEnd(), O_WRONLY | (flags & O_NONBLOCK), undefined, "pipe");
  r.statMode = w.statMode = S_IFIFO | 0o600;
  r.statIno = w.statIno = ino;
  pipe.readers = 1; pipe.writers = 1;
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = p.allocFd(r, cloexec);
  if (rfd < 0) { r.unref(); w.unref(); return rfd; }
  const wfd = p.allocFd(w, cloexec);
  if (wfd < 0) { p.closeFd(rfd); w.unref(); return wfd; }
  const out = new Uint8Array(8);
  new DataView(out.buffer).setInt32(0, rfd, true);
  new DataView(out.buffer).setInt32(4, wfd, true);
  p.mem.writeOrFault(va, out);
  return 0;
}
const pipe: Handler = (k, p, a) => makePipe(k, p, a.u(0), 0);
const pipe2: Handler = (k, p, a) => makePipe(k, p, a.u(0), a.int(1));

const ftruncate: Handler = (k, p, a) => {
  const f = fileOf(p, a.int(0));
  const n = a.i64(1);
  if (n < 0) return -EINVAL;
  if (!(f.inode instanceof FileInode)) return f.inode ? -EISDIR : -EINVAL;
  if (!f.writable) return -EINVAL;
  f.inode.truncate(n);
  f.inode.touch(k.clock.wall);
  return 0;
};

const fsync: Handler = (_k, p, a) => { fileOf(p, a.int(0)); return 0; };

// fallocate mode 0: allocate the blocks of [offset, offset+len) and make the file at least that
// long (zeros); other modes are not supported.
const fallocate: Handler = (k, p, a) => {
  const f = fileOf(p, a.int(0));
  const mode = a.int(1), off = a.i64(2), len = a.i64(3);
  if (off < 0 || len <= 0) return -EINVAL;
  if (!f.writable) return -EBADF;
  if (!(f.inode instanceof FileInode)) return f.inode ? -EISDIR : -ESPIPE;
  if (mode !== 0) return -95; // EOPNOTSUPP
  if (off + len > f.inode.length) { f.inode.truncate(off + len); f.inode.touch(k.clock.wall); }
  f.inode.allocate(off, len);
  return 0;
};
const flock: Handler = (_k, p, a) => { fileOf(p, a.int(0)); return 0; }; // the only process that locks

// close_range: close (or mark close-on-exec) every open fd in [first, last]. The fd table is
// never shared (no CLONE_FILES), so CLOSE_RANGE_UNSHARE has nothing to do.
const CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;
const close_range: Handler = (_k, p, a) => {
  const first = a.u32(0), last = a.u32(1), flags = a.u32(2);
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -EINVAL;
  const end = Math.min(last, p.fds.length - 1);
  for (let fd = first; fd <= end; fd++) {
    const e = p.fds[fd];
    if (!e) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) e.cloexec = true;
    else p.closeFd(fd);
  }
  return 0;
};

// sendfile: bytes of a regular file (from *offset, which is advanced, or from its file offset)
// written to any writable file. Blocking output (a full pipe or socket) waits until everything
// is written, keeping the progress in p.block across retries; non-blocking output ends it short.
const sendfile: Handler = (k, p, a) => {
  const inf = fileOf(p, a.int(1));
  if (!inf.readable) return -EBADF;
  const offVa = a.u(2);
  let pos: number;
  if (offVa) {
    if (!inf.ops.seekable) return -ESPIPE;
    pos = p.mem.i64n(offVa);
    if (pos < 0) return -EINVAL;
  } else pos = inf.offset;
  const out = fileOf(p, a.int(0));
  if (!out.writable) return -EBADF;
  if (!(inf.inode instanceof FileInode)) return -EINVAL; // only files have pages to splice from
  if (out.flags & O_APPEND) return -EINVAL;
  const count = Math.min(a.u(3), MAX_IO);
  let done = typeof p.block?.data === "number" ? p.block.data : 0;
  const src = inf.inode;
  while (done < count) {
    const at = pos + done;
    const n = Math.min(CHUNK, count - done, Math.max(0, src.length - at));
    if (n === 0) break;
    const data = scratch(n);
    data.set(src.data.subarray(at, at + n));
    const r = out.ops.write(out, data, out.offset, k.clock);
    if (r === BLOCK) {
      if (done > 0 && out.nonblock) break;
      if (!p.block) p.block = { nr: a.nr };
      p.block.data = done;
      return blocked(k, p, out);
    }
    if (r < 0) {
      if (done > 0) break;
      if (r === -EPIPE) k.raise(p, SIGPIPE);
      return r;
    }
    if (out.ops.seekable && out.inode) out.offset += r;
    done += r;
    if (r < n) break;
  }
  if (offVa) p.mem.putU64(offVa, pos + done);
  else inf.offset = pos + done;
  return done;
};

export const fsIo: Record<string, Handler> = {
  read, write, pread64, pwrite64, readv, writev, preadv, pwritev, lseek, close, dup, dup2, dup3, fcntl,
  pipe, pipe2, ftruncate, fsync, fdatasync: fsync, syncfs: fsync, fallocate, flock,
  sync: () => 0, close_range, sendfile,
};
