// The in-memory file system's nodes: directories, regular files, symlinks and
// device nodes. Devices and pipes provide their own file operations.
import type { FileOps } from "./file.js";

export const S_IFMT = 0o170000, S_IFSOCK = 0o140000, S_IFLNK = 0o120000, S_IFREG = 0o100000,
  S_IFBLK = 0o060000, S_IFDIR = 0o040000, S_IFCHR = 0o020000, S_IFIFO = 0o010000;

let nextIno = 2;
// Each kernel numbers its inodes from the start, so a run's st_ino values do not depend on what
// ran before it in the same host process (kernels run one at a time per thread).
export function resetInodeNumbers(): void { nextIno = 2; }

export abstract class Inode {
  readonly ino = nextIno++;
  nlink = 1;
  uid = 0;
  gid = 0;
  mtimeNs = 0n;       // virtual wall-clock nanoseconds
  ctimeNs = 0n;
  atimeNs = 0n;
  constructor(public mode: number) {}
  get type(): number { return this.mode & S_IFMT; }
  get size(): number { return 0; }
  rdev = 0;
  frozen = false;     // imported read-only from the host (--fs): writes fail with EROFS
  touch(ns: bigint): void { this.mtimeNs = this.ctimeNs = ns; }
}

export class DirInode extends Inode {
  readonly entries = new Map<string, Inode>();
  parent: DirInode;
  constructor(mode: number, parent?: DirInode) {
    super(S_IFDIR | (mode & 0o7777));
    this.parent = parent ?? this;
    this.nlink = 2;
  }
  get size(): number { return 4096; }
}

export class FileInode extends Inode {
  data: Uint8Array = new Uint8Array(0);
  length = 0;
  constructor(mode: number, content?: Uint8Array) {
    super(S_IFREG | (mode & 0o7777));
    if (content) { this.data = content; this.length = content.length; }
  }
  get size(): number { return this.length; }
  // Grow the backing store geometrically; new bytes read as zero.
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Uint8Array(Math.max(n, this.data.length * 2, 256));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  truncate(n: number): void {
    if (n > this.length) { this.reserve(n); this.data.fill(0, this.length, n); }
    this.length = n;
  }
  contents(): Uint8Array { return this.data.subarray(0, this.length); }
}

export class SymlinkInode extends Inode {
  constructor(readonly target: string) { super(S_IFLNK | 0o777); }
  get size(): number { return Buffer.byteLength(this.target); }
}

// A character device: opening it yields the device's file operations.
export class DeviceInode extends Inode {
  constructor(mode: number, rdev: number, readonly open: (flags: number) => FileOps) {
    super(S_IFCHR | (mode & 0o7777));
    this.rdev = rdev;
  }
}

export const makedev = (major: number, minor: number): number => (major << 8) | minor;
