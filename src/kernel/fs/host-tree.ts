// A host folder shown read-only in the guest's tree (`--sysroot DIR` as /, `--fs DIR` at its own
// path), imported lazily: a directory is listed on the host when the guest first lists it or
// stats it, a name is looked up on the host when the guest first walks through it, and a file's
// bytes are read when the guest first reads, maps or executes it (host-files.ts caches them).
// Nothing is copied up front, so a sysroot of / costs what the guest touches.
//
// The host is asked with lstat and readlink only: a host symlink becomes a guest symlink,
// resolved in the guest's tree (inside DIR, as a chroot would), never followed on the host; a
// directory's host path is built from names lstat found to be directories. FIFOs, sockets and
// device nodes of the host are left out.
//
// What the guest sees of a node (st_* fields), deterministic for the same files:
// - size, permission bits and mtime (to the ns) are the host file's, which are part of the
//   input (CPython finds its cached .pyc fresh); atime and ctime read as the mtime;
// - st_ino is made from the guest path (2^48 + 48 bits of its SHA-256), never the host's;
// - st_dev is the kernel's one file system's; uid and gid are 0; a file's nlink is 1 (host
//   hard links look like separate files), a directory's 2 + its subdirectories;
// - st_blocks is what ext4 gives a file of that size without holes.
// A directory lists its entries in the host's order (hostOrder below), which is the host folder's
// as mtimes are: the same folder lists the same way on every run, a copy on another file system
// may not.
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import { DirInode, FileInode, Inode, SymlinkInode } from "./inode.js";
import { Errno, EIO } from "../errno.js";
import { readHostFile } from "./host-files.js";
import type { LoadedFiles } from "./loaded-files.js";

// Names inside the kernel are byte strings (one char per byte, as the guest's path arguments are
// read); the host's fs calls get the bytes back.
const hostBytes = (p: string): Buffer => Buffer.from(p, "latin1");
export const byteString = (s: string): string => Buffer.from(s, "utf8").toString("latin1");

export function inoOfPath(guestPath: string): number {
  return 2 ** 48 + createHash("sha256").update(hostBytes(guestPath)).digest().readUIntBE(0, 6);
}

const join = (dir: string, name: string): string => (dir.endsWith("/") ? dir + name : `${dir}/${name}`);

// What one imported tree shares: where loads are recorded.
export interface HostTree { loaded: LoadedFiles }

function timesOf(i: Inode, st: fs.BigIntStats): void {
  i.mtimeNs = i.atimeNs = i.ctimeNs = st.mtimeNs;
}

// The node for host path `hp` (guest path `gp`), or undefined for a kind the guest does not see.
function importNode(tree: HostTree, hp: string, gp: string, parent: HostDirInode): Inode | undefined {
  let st: fs.BigIntStats;
  try { st = fs.lstatSync(hostBytes(hp), { bigint: true }); } catch { return undefined; }
  const perm = Number(st.mode & 0o7777n);
  let node: Inode;
  if (st.isDirectory()) {
    node = new HostDirInode(tree, hp, gp, perm, parent, Number(st.size));
  } else if (st.isFile()) {
    node = new HostFileInode(tree, hp, gp, perm, Number(st.size));
  } else if (st.isSymbolicLink()) {
    let target: string;
    try { target = (fs.readlinkSync(hostBytes(hp), { encoding: "buffer" }) as Buffer).toString("latin1"); } catch { return undefined; }
    node = new SymlinkInode(target, inoOfPath(gp));
  } else return undefined;
  timesOf(node, st);
  node.frozen = true;
  return node;
}

// A host folder's names in the order the host's readdir gives them (getdents64's: on ext4 a hash
// order), not sorted: a program sees them as natively, and what it allocates while walking them
// depends on that order (CPython's heap grew at other points with sorted listings). fs.readdirSync
// sorts (libuv's scandir); opendir reads them as they come. "." and ".." are not among them.
function hostOrder(hostPath: string): string[] {
  const dir = fs.opendirSync(hostBytes(hostPath) as unknown as string, { encoding: "buffer" as BufferEncoding });
  const names: string[] = [];
  try {
    for (let e = dir.readSync(); e; e = dir.readSync()) names.push((e.name as unknown as Buffer).toString("latin1"));
  } finally { dir.closeSync(); }
  return names;
}

export class HostDirInode extends DirInode {
  private listed = false;
  private readonly missing = new Set<string>(); // names looked up and absent on the host

  constructor(private readonly tree: HostTree, readonly hostPath: string, readonly guestPath: string, perm: number,
    parent: DirInode | undefined, private readonly hostSize = 4096) {
    super(perm, parent, inoOfPath(guestPath));
    this.frozen = true;
  }

  // Every entry: the host's, in the host's own order, then what the kernel attached that the host lacks.
  get entries(): Map<string, Inode> {
    if (!this.listed) this.list();
    return this.children;
  }

  lookup(name: string): Inode | undefined {
    const hit = this.children.get(name);
    if (hit || this.listed || this.missing.has(name) || name.length === 0 || name.includes("/")) return hit;
    const node = importNode(this.tree, join(this.hostPath, name), join(this.guestPath, name), this);
    if (!node) { this.missing.add(name); return undefined; }
    this.children.set(name, node);
    if (node instanceof DirInode) node.name = name;
    return node;
  }

  private list(): void {
    this.listed = true;
    let names: string[];
    try {
      names = hostOrder(this.hostPath);
    } catch { names = []; }
    const before = new Map(this.children);
    this.children.clear();
    for (const name of names) {
      const node = before.get(name) ?? importNode(this.tree, join(this.hostPath, name), join(this.guestPath, name), this);
      if (!node) continue;
      this.children.set(name, node);
      if (node instanceof DirInode) node.name = name;
      before.delete(name);
    }
    for (const [name, node] of before) this.children.set(name, node); // attached by the kernel, not on the host
  }

  get nlink(): number {
    let n = 2;
    for (const c of this.entries.values()) if (c instanceof DirInode) n++;
    return n;
  }
  set nlink(_n: number) { /* counted from the entries */ }

  get size(): number { return this.hostSize; }
}

export class HostFileInode extends FileInode {
  private loaded = false;

  constructor(private readonly tree: HostTree, readonly hostPath: string, readonly guestPath: string, perm: number, size: number) {
    super(perm, undefined, inoOfPath(guestPath));
    this.length = size;
    this.frozen = true;
  }

  // The bytes, read from the host on first use and recorded as loaded.
  get data(): Uint8Array {
    if (!this.loaded) {
      const f = readHostFile(hostBytes(this.hostPath));
      if (!f) throw new Errno(EIO);
      this.loaded = true;
      super.data = f.bytes;
      this.length = f.bytes.length;
      this.tree.loaded.add(this.guestPath, this.hostPath, this.mode, this.mtimeNs, f);
    }
    return super.data;
  }
  set data(d: Uint8Array) { super.data = d; }

  get blocks(): number { return Math.ceil(this.length / 4096) * 8; }
}

// The host folder `hostDir` as an imported directory whose guest path is `guestPath`.
export function hostDir(tree: HostTree, hostDir: string, guestPath: string, parent?: DirInode): HostDirInode {
  const hp = byteString(hostDir);
  const st = fs.statSync(hostBytes(hp), { bigint: true });
  const d = new HostDirInode(tree, hp, guestPath, Number(st.mode & 0o7777n), parent, Number(st.size));
  timesOf(d, st);
  return d;
}
