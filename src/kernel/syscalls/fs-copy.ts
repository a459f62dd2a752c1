// copy_file_range: bytes from one regular file to another inside the kernel (cp and cat try it
// first). Linux's rules: flags must be 0; both ends regular files (EINVAL), the input readable
// and the output writable without O_APPEND (EBADF); overlapping ranges of one file are EINVAL.
// Offsets come from the pointers when given (and are updated there), else from the files.
import type { Handler } from "./types.js";
import type { OpenFile } from "../fs/file.js";
import { O_APPEND } from "../fs/file.js";
import { FileInode } from "../fs/inode.js";
import { fileOf } from "./util.js";
import { EBADF, EINVAL, EISDIR, EFBIG } from "../errno.js";
import { DirInode } from "../fs/inode.js";

const MAX_COPY = 0x7ffff000;

const copy_file_range: Handler = (k, p, a) => {
  const fin = fileOf(p, a.int(0)), fout = fileOf(p, a.int(2));
  const offInVa = a.u(1), offOutVa = a.u(3);
  let len = a.u(4);
  if (a.u32(5) !== 0) return -EINVAL;
  if (!fin.readable || !fout.writable || fout.flags & O_APPEND) return -EBADF;
  if (fin.inode instanceof DirInode || fout.inode instanceof DirInode) return -EISDIR;
  if (!(fin.inode instanceof FileInode) || !(fout.inode instanceof FileInode)) return -EINVAL;
  const posIn = offInVa ? p.mem.i64n(offInVa) : fin.offset;
  const posOut = offOutVa ? p.mem.i64n(offOutVa) : fout.offset;
  if (posIn < 0 || posOut < 0) return -EINVAL;
  if (len > MAX_COPY) len = MAX_COPY;
  if (fin.inode === fout.inode && posIn < posOut + len && posOut < posIn + len) return -EINVAL;
  if (posOut + len > 1 << 30 && posOut + 1 > 1 << 30) return -EFBIG;
  const src = fin.inode.contents();
  const n = Math.max(0, Math.min(len, src.length - posIn));
  if (n > 0) {
    fout.inode.writeAt(posOut, src.slice(posIn, posIn + n));
    fout.inode.touch(k.clock.wall);
  }
  advance(fin, offInVa, posIn + n, p.mem.putU64.bind(p.mem));
  advance(fout, offOutVa, posOut + n, p.mem.putU64.bind(p.mem));
  return n;
};

function advance(f: OpenFile, va: number, pos: number, put: (va: number, v: number) => void): void {
  if (va) put(va, pos); else f.offset = pos;
}

export const fsCopyCalls: Record<string, Handler> = { copy_file_range };
