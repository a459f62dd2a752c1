// Path resolution over the in-memory tree: absolute and relative paths, ".",
// "..", symlinks (bounded, ELOOP), and the errors Linux gives on the way
// (ENOENT, ENOTDIR, ENAMETOOLONG).
import { DirInode, FileInode, Inode, SymlinkInode } from "./inode.js";
import { Errno, ENOENT, ENOTDIR, ENAMETOOLONG, ELOOP, EEXIST } from "../errno.js";

const PATH_MAX = 4096, NAME_MAX = 255, MAX_LINKS = 40;

export interface Resolved { inode: Inode; parent: DirInode; name: string }

export class Vfs {
  // `root`: the in-memory root, or a host folder shown read-only as / (--sysroot: host-tree.ts).
  constructor(readonly root: DirInode = new DirInode(0o755)) {}
  // Procfs-like entries computed per process (/proc/self/exe).
  dynamicLink?: (path: string) => string | undefined;

  // Resolve a path to its inode. `follow`: follow a final symlink.
  resolve(cwd: DirInode, path: string, follow = true): Resolved {
    if (path.length === 0) throw new Errno(ENOENT);
    if (path.length >= PATH_MAX) throw new Errno(ENAMETOOLONG);
    return this.walk(cwd, path, follow, { links: 0 });
  }

  private walk(cwd: DirInode, path: string, follow: boolean, st: { links: number }): Resolved {
    const dyn = this.dynamicLink?.(path);
    if (dyn !== undefined) {
      if (follow) {
        if (++st.links > MAX_LINKS) throw new Errno(ELOOP);
        return this.walk(this.root, dyn, true, st);
      }
      const l = new SymlinkInode(dyn);
      return { inode: l, parent: this.root, name: "exe" };
    }
    let dir: DirInode = path.startsWith("/") ? this.root : cwd;
    const parts = path.split("/").filter((s) => s.length > 0);
    if (parts.length === 0) return { inode: dir, parent: dir.parent, name: "/" };
    for (let i = 0; i < parts.length; i++) {
      const name = parts[i];
      if (name.length > NAME_MAX) throw new Errno(ENAMETOOLONG);
      const last = i === parts.length - 1;
      let next: Inode | undefined;
      if (name === ".") next = dir;
      else if (name === "..") next = dir.parent;
      else next = dir.lookup(name);
      if (!next) throw new Errno(ENOENT);
      if (next instanceof SymlinkInode && (!last || follow)) {
        if (++st.links > MAX_LINKS) throw new Errno(ELOOP);
        const rest = parts.slice(i + 1).join("/");
        const target = rest ? `${next.target}/${rest}` : next.target;
        return this.walk(dir, target, follow, st);
      }
      if (last) return { inode: next, parent: dir, name };
      if (!(next instanceof DirInode)) throw new Errno(ENOTDIR);
      dir = next;
    }
    throw new Errno(ENOENT);
  }

  // The directory that would hold `path`'s last component, and that name.
  parentOf(cwd: DirInode, path: string): { dir: DirInode; name: string } {
    if (path.length === 0) throw new Errno(ENOENT);
    if (path.length >= PATH_MAX) throw new Errno(ENAMETOOLONG);
    const trimmed = path.replace(/\/+$/, "");
    if (trimmed === "") return { dir: this.root, name: "." };
    const cut = trimmed.lastIndexOf("/");
    const name = trimmed.slice(cut + 1);
    if (name.length > NAME_MAX) throw new Errno(ENAMETOOLONG);
    const dirPath = cut < 0 ? "." : cut === 0 ? "/" : trimmed.slice(0, cut);
    const d = this.resolve(cwd, dirPath, true).inode;
    if (!(d instanceof DirInode)) throw new Errno(ENOTDIR);
    return { dir: d, name };
  }

  // Absolute path of a directory (for getcwd).
  pathOf(dir: DirInode): string {
    const parts: string[] = [];
    let d = dir;
    while (d !== this.root && d !== d.parent) {
      const p = d.parent;
      let found = d.name && p.lookup(d.name) === d ? d.name : "";
      if (!found) for (const [n, c] of p.entries) if (c === d) { found = n; break; }
      parts.push(found);
      d = p;
    }
    return "/" + parts.reverse().join("/");
  }

  // Helpers for building the tree from the host side.
  mkdirp(path: string, mode = 0o755): DirInode {
    let d = this.root;
    for (const name of path.split("/").filter(Boolean)) {
      let n = d.lookup(name);
      if (!n) { n = new DirInode(mode, d); d.attach(name, n); d.nlink++; }
      if (!(n instanceof DirInode)) throw new Errno(EEXIST);
      d = n;
    }
    return d;
  }

  // A new empty in-memory directory at `path`, hiding whatever an imported tree has there
  // (the kernel's own /dev, /proc, /sys and /tmp over a sysroot's).
  shadow(path: string, mode = 0o755): DirInode {
    const cut = path.lastIndexOf("/");
    const parent = this.mkdirp(path.slice(0, cut));
    const name = path.slice(cut + 1);
    const old = parent.lookup(name);
    const d = new DirInode(mode, parent);
    parent.attach(name, d);
    if (!(old instanceof DirInode)) parent.nlink++;
    return d;
  }

  addFile(path: string, content: Uint8Array, mode = 0o644): FileInode {
    const f = new FileInode(mode, content);
    this.add(path, f);
    return f;
  }

  add(path: string, inode: Inode): void {
    const cut = path.lastIndexOf("/");
    const dir = this.mkdirp(path.slice(0, cut));
    dir.attach(path.slice(cut + 1), inode);
  }
}
