// The in-memory file system's nodes: directories, regular files, symlinks,
// device and socket nodes (FIFOs: fifo.ts). Devices and pipes provide their own
// file operations. st_blocks (512-byte units) is what ext4 reports for each kind.
import type { FileOps } from "./file.js";

export const S_IFMT = 0o170000, S_IFSOCK = 0o140000, S_IFLNK = 0o120000, S_IFREG = 0o100000,
  S_IFBLK = 0o060000, S_IFDIR = 0o040000, S_IFCHR = 0o020000, S_IFIFO = 0o010000;

let nextIno = 2;
// Each kernel numbers its inodes from the start, so a run's st_ino values do not depend on what
// ran before it in the same host process (kernels run one at a time per thread).
export function resetInodeNumbers(): void { nextIno = 2; }

export abstract class Inode {
  readonly ino: number;
  private links = 1;
  uid = 0;
  gid = 0;
  mtimeNs = 0n;       // virtual wall-clock nanoseconds
  ctimeNs = 0n;
  atimeNs = 0n;
  // `ino`: a number of the node's own (files imported from the host take one made from their path).
  constructor(public mode: number, ino?: number) { this.ino = ino ?? nextIno++; }
  get nlink(): number { return this.links; }
  set nlink(n: number) { this.links = n; }
  get type(): number { return this.mode & S_IFMT; }
  get size(): number { return 0; }
  // 512-byte blocks allocated (stat's st_blocks): none for FIFOs, devices and sockets.
  get blocks(): number { return 0; }
  rdev = 0;
  frozen = false;     // imported read-only from the host (--fs, --sysroot): writes fail with EROFS
  touch(ns: bigint): void { this.mtimeNs = this.ctimeNs = ns; }
}

export class DirInode extends Inode {
  protected readonly children = new Map<string, Inode>();
  parent: DirInode;
  // The name this directory was attached under (a hint for pathOf; checked against the parent).
  name = "";
  constructor(mode: number, parent?: DirInode, ino?: number) {
    super(S_IFDIR | (mode & 0o7777), ino);
    this.parent = parent ?? this;
    this.nlink = 2;
  }
  // Every entry (a directory imported from the host lists itself first: host-tree.ts).
  get entries(): Map<string, Inode> { return this.children; }
  // One entry by name, without listing the whole directory.
  lookup(name: string): Inode | undefined { return this.children.get(name); }
  // Put a node under `name` from the host side (the kernel's own mounts, the program, --fs),
  // replacing what was there: it shadows an imported entry of that name.
  attach(name: string, node: Inode): void {
    this.children.set(name, node);
    if (node instanceof DirInode) { node.parent = this; node.name = name; }
  }
  get size(): number { return 4096; }
  // ext4: a directory's blocks hold its entries; its size counts them (one 4 KiB block here).
  get blocks(): number { return this.size / 512; }
}


export class FileInode extends Inode {
  private store: Uint8Array = new Uint8Array(0);
  length = 0;
  // Which 4 KiB blocks hold data (one byte each), as ext4 allocates them: a block is allocated
  // when written or fallocate'd, never by growing the size (a hole), and freed by truncation.
  private blockMap = new Uint8Array(0);
  private allocated = 0;
  constructor(mode: number, content?: Uint8Array, ino?: number) {
    super(S_IFREG | (mode & 0o7777), ino);
    if (content) { this.data = content; this.length = content.length; this.allocate(0, content.length); }
  }
  // The bytes (a file imported from the host reads them on first use: host-tree.ts).
  get data(): Uint8Array { return this.store; }
  set data(d: Uint8Array) { this.store = d; }
  get size(): number { return this.length; }
  get blocks(): number { return this.allocated * 8; }
  // Mark the blocks that bytes [pos, pos + len) fall in as allocated.
  allocate(pos: number, len: number): void {
    if (len <= 0) return;
    const first = Math.floor(pos / 4096), last = Math.floor((pos + len - 1) / 4096);
    if (last >= this.blockMap.length) {
      const next = new Uint8Array(Math.max(last + 1, this.blockMap.length * 2, 16));
      next.set(this.blockMap);
      this.blockMap = next;
    }
    for (let b = first; b <= last; b++) if (!this.blockMap[b]) { this.blockMap[b] = 1; this.allocated++; }
  }
  // Write bytes at pos (zeros fill any gap after the old end, which stays unallocated).
  writeAt(pos: number, bytes: Uint8Array): void {
    this.reserve(pos + bytes.length);
    if (pos > this.length) this.data.fill(0, this.length, pos);
    this.data.set(bytes, pos);
    this.length = Math.max(this.length, pos + bytes.length);
    this.allocate(pos, bytes.length);
  }
  // Grow the backing store geometrically; new bytes read as zero.
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Uint8Array(Math.max(n, this.data.length * 2, 256));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  // Set the size: growing leaves a hole (no blocks), shrinking frees the blocks past the new end.
  truncate(n: number): void {
    if (n > this.length) { this.reserve(n); this.data.fill(0, this.length, n); }
    this.length = n;
    for (let b = Math.ceil(n / 4096); b < this.blockMap.length; b++) if (this.blockMap[b]) { this.blockMap[b] = 0; this.allocated--; }
  }
  contents(): Uint8Array { return this.data.subarray(0, this.length); }
}

export class SymlinkInode extends Inode {
  constructor(readonly target: string, ino?: number) { super(S_IFLNK | 0o777, ino); }
  get size(): number { return Buffer.byteLength(this.target); }
  // ext4 keeps a target shorter than 60 bytes in the inode itself (a "fast" symlink), a longer one in a block.
  get blocks(): number { return this.size < 60 ? 0 : 8; }
}

// A character device: opening it yields the device's file operations.
export class DeviceInode extends Inode {
  constructor(mode: number, rdev: number, readonly open: (flags: number) => FileOps) {
    super(S_IFCHR | (mode & 0o7777));
    this.rdev = rdev;
  }
}

// A socket's name in the tree (mknod S_IFSOCK): opening it is ENXIO, as on Linux.
export class SocketInode extends Inode {
  constructor(mode: number) { super(S_IFSOCK | (mode & 0o7777)); }
}

export const makedev = (major: number, minor: number): number => (major << 8) | minor;
