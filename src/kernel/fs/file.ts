// Open file descriptions (what an fd points at): file operations plus the
// state Linux keeps per open (flags, offset). dup and fork share them.
import type { Inode } from "./inode.js";
import type { Clock } from "../clock.js";
import type { WaitQueue } from "./wait-queue.js";

// A call that cannot complete yet: the process sleeps and retries it later.
export const BLOCK = Symbol("block");
export type Blockable = number | typeof BLOCK;

export const O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_ACCMODE = 3, O_CREAT = 0o100, O_EXCL = 0o200,
  O_NOCTTY = 0o400, O_TRUNC = 0o1000, O_APPEND = 0o2000, O_NONBLOCK = 0o4000, O_DIRECTORY = 0o200000,
  O_NOFOLLOW = 0o400000, O_CLOEXEC = 0o2000000, O_PATH = 0o10000000, O_LARGEFILE = 0o100000;

export const POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32, POLLRDNORM = 0x40,
  POLLRDBAND = 0x80, POLLWRNORM = 0x100, POLLWRBAND = 0x200, POLLMSG = 0x400, POLLRDHUP = 0x2000;

export interface FileOps {
  // Read up to buf.length bytes at `pos` (ignored when not seekable) into buf.
  read(f: OpenFile, buf: Uint8Array, pos: number, clock: Clock): Blockable;
  write(f: OpenFile, data: Uint8Array, pos: number, clock: Clock): Blockable;
  // Readiness now: a mask of POLLIN/POLLOUT/POLLHUP/POLLERR.
  poll(f: OpenFile, clock: Clock): number;
  // Earliest virtual time at which readiness may change by itself (data arriving), or null.
  nextEvent?(f: OpenFile, clock: Clock): number | null;
  ioctl?(f: OpenFile, req: number, arg: number, io: IoctlIo): number;
  release?(f: OpenFile): void;
  seekable: boolean;
  // Where the object announces readiness changes (wait-queue.ts), for epoll. Without one,
  // epoll sees only what poll() says when it looks (level-triggered, as for the host's stdio).
  wq?: WaitQueue;
  // Linux's files without a poll method (regular files, /dev/null, /proc files): epoll refuses
  // them (EPERM); poll and select call them always ready.
  noPoll?: boolean;
}

// An O_PATH open of a node that is not a regular file or directory (a FIFO, a socket): it names
// the node and touches nothing (no FIFO end, no device). Reads and writes are EBADF.
export const pathOnlyOps: FileOps = {
  seekable: false,
  read: () => -9,
  write: () => -9,
  poll: () => POLLIN | POLLOUT,
};

// What an ioctl may touch in the caller's memory.
export interface IoctlIo {
  read(va: number, len: number): Uint8Array | null;
  write(va: number, data: Uint8Array): boolean;
}

export class OpenFile {
  offset = 0;
  refs = 1;
  dirCursor?: string[];        // getdents64: the names still to return
  statMode?: number;            // for files without an inode (pipes, host stdio)
  statIno = 0;
  statRdev = 0;
  blockSince: number | null = null; // when the current blocking read began (tty VTIME)
  // Run when the last reference goes (epoll drops its items on this file then, as Linux does).
  onRelease: Array<() => void> | null = null;
  constructor(public ops: FileOps, public flags: number, public inode: Inode | undefined, public path: string) {}
  get readable(): boolean { return (this.flags & O_ACCMODE) !== O_WRONLY && !(this.flags & O_PATH); }
  get writable(): boolean { return (this.flags & O_ACCMODE) !== O_RDONLY && !(this.flags & O_PATH); }
  get nonblock(): boolean { return (this.flags & O_NONBLOCK) !== 0; }
  ref(): OpenFile { this.refs++; return this; }
  unref(): void {
    if (--this.refs !== 0) return;
    if (this.onRelease) for (const fn of this.onRelease.splice(0)) fn();
    this.ops.release?.(this);
  }
}
