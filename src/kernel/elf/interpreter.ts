// Finding a dynamically linked program's loader (PT_INTERP, e.g. /lib64/ld-linux-x86-64.so.2)
// in the guest's tree, as Linux's load_elf_binary opens it: a path resolved from the caller's
// working directory, a regular file. Without a sysroot the guest's tree has no loader: the
// error says which flag gives it one.
import type { Vfs } from "../fs/vfs.js";
import { DirInode, FileInode } from "../fs/inode.js";
import { HostFileInode } from "../fs/host-tree.js";
import { Errno, ENOENT, EACCES } from "../errno.js";
import { ElfImage, ExecError, parseElf } from "./parse.js";

export interface Interpreter { file: Uint8Array; img: ElfImage; path: string }

export function findInterpreter(vfs: Vfs, cwd: DirInode, program: string, interp: string, hasSysroot: boolean): Interpreter {
  let inode;
  try {
    inode = vfs.resolve(cwd, interp, true).inode;
  } catch (e) {
    if (!(e instanceof Errno)) throw e;
    throw new ExecError(hasSysroot
      ? `${program}: its dynamic loader ${interp} is not in the sysroot`
      : `${program}: dynamically linked: its loader ${interp} and libraries come from a sysroot; run it with --sysroot DIR (--sysroot / for this machine's)`,
    ENOENT);
  }
  if (!(inode instanceof FileInode)) throw new ExecError(`${program}: its dynamic loader ${interp} is not a regular file`, EACCES);
  const file = inode.contents();
  // Named by its canonical path in /proc/self/maps, as Linux shows it.
  return { file, img: parseElf(file, interp), path: inode instanceof HostFileInode ? inode.guestPath : interp };
}
