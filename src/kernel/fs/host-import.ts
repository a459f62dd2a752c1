// --fs DIR and --sysroot DIR: host folders in the guest's tree, read-only and imported lazily
// (host-tree.ts). --fs puts DIR at its own absolute path, over whatever is there; --sysroot
// makes DIR the guest's / (the kernel mounts its own /dev, /proc, /sys and /tmp over it).
import path from "node:path";
import type { Vfs } from "./vfs.js";
import { hostDir, byteString, type HostTree, type HostDirInode } from "./host-tree.js";

export function importHostDir(vfs: Vfs, tree: HostTree, dir: string, guestDir = path.resolve(dir)): HostDirInode {
  const g = byteString(guestDir);
  const cut = g.lastIndexOf("/");
  const parent = vfs.mkdirp(g.slice(0, cut));
  const name = g.slice(cut + 1);
  if (name === "") throw new Error("--fs /: use --sysroot / to show the whole host");
  const had = parent.lookup(name);
  const d = hostDir(tree, dir, g, parent);
  parent.attach(name, d);
  if (!had) parent.nlink++;
  return d;
}

// The kernel's own folders, which hide a sysroot's (kernel.ts mounts them).
export const KERNEL_DIRS = ["/dev", "/proc", "/sys", "/tmp"];

export function sysrootDir(tree: HostTree, dir: string): HostDirInode {
  return hostDir(tree, dir, "/");
}
