// File operations of regular files and directories in the in-memory tree.
import { FileOps, OpenFile, O_APPEND, POLLIN, POLLOUT } from "./file.js";
import { FileInode } from "./inode.js";
import type { Clock } from "../clock.js";
import { EISDIR, EFBIG } from "../errno.js";

const MAX_FILE = 1 << 30; // keep a runaway writer from exhausting the host

export const regularOps: FileOps = {
  seekable: true,
  read(f: OpenFile, buf: Uint8Array, pos: number): number {
    const ino = f.inode as FileInode;
    if (pos >= ino.length) return 0;
    const n = Math.min(buf.length, ino.length - pos);
    buf.set(ino.data.subarray(pos, pos + n));
    return n;
  },
  write(f: OpenFile, data: Uint8Array, pos: number, clock: Clock): number {
    const ino = f.inode as FileInode;
    if (f.flags & O_APPEND) pos = ino.length;
    if (pos + data.length > MAX_FILE) return -EFBIG;
    ino.writeAt(pos, data);
    ino.touch(clock.wall);
    return data.length;
  },
  poll(): number { return POLLIN | POLLOUT; },
};

export const dirOps: FileOps = {
  seekable: true,
  read(): number { return -EISDIR; },
  write(): number { return -EISDIR; },
  poll(): number { return POLLIN | POLLOUT; },
};
