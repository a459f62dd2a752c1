// --fs DIR: copy a host folder into the guest tree, read-only, at the same
// absolute path. Only this folder is read; symlinks are copied as symlinks
// (never followed on the host), other special files are skipped.
import * as fs from "node:fs";
import path from "node:path";
import type { Vfs } from "./vfs.js";
import { DirInode, FileInode, SymlinkInode } from "./inode.js";

export function importHostDir(vfs: Vfs, hostDir: string, guestDir = path.resolve(hostDir)): number {
  let count = 0;
  const walk = (h: string, g: DirInode): void => {
    for (const name of fs.readdirSync(h).sort()) {
      const hp = path.join(h, name);
      const st = fs.lstatSync(hp);
      if (st.isDirectory()) {
        const d = new DirInode(st.mode & 0o777, g);
        d.frozen = true;
        g.entries.set(name, d);
        g.nlink++;
        walk(hp, d);
      } else if (st.isFile()) {
        const f = new FileInode(st.mode & 0o777, new Uint8Array(fs.readFileSync(hp)));
        f.frozen = true;
        g.entries.set(name, f);
        count++;
      } else if (st.isSymbolicLink()) {
        g.entries.set(name, new SymlinkInode(fs.readlinkSync(hp)));
      }
    }
  };
  const root = vfs.mkdirp(guestDir);
  root.frozen = true;
  walk(hostDir, root);
  return count;
}
