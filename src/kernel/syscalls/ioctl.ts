// ioctl: the generic requests every fd understands (FIONBIO, FIOCLEX,
// FIONCLEX), then the file's own (ttys); everything else is ENOTTY as on Linux.
import type { Handler } from "./types.js";
import { fileOf } from "./util.js";
import { O_NONBLOCK } from "../fs/file.js";
import { FileInode } from "../fs/inode.js";
import { ENOTTY, EFAULT } from "../errno.js";

const FIONBIO = 0x5421, FIOCLEX = 0x5451, FIONCLEX = 0x5450, FIONREAD = 0x541b;

const ioctl: Handler = (_k, p, a) => {
  const fd = a.int(0), req = a.u32(1), arg = a.u(2);
  const f = fileOf(p, fd);
  switch (req) {
    case FIOCLEX: p.fds[fd]!.cloexec = true; return 0;
    case FIONCLEX: p.fds[fd]!.cloexec = false; return 0;
    case FIONBIO: {
      const on = p.mem.u32(arg) !== 0;
      f.flags = on ? f.flags | O_NONBLOCK : f.flags & ~O_NONBLOCK;
      return 0;
    }
  }
  if (f.ops.ioctl) return f.ops.ioctl(f, req, arg, p.mem);
  // A regular file's FIONREAD: the bytes from the offset to the end.
  if (req === FIONREAD && f.inode instanceof FileInode) {
    p.mem.putU32(arg, Math.max(0, f.inode.length - f.offset));
    return 0;
  }
  return -ENOTTY;
};

export const ioctlCalls: Record<string, Handler> = { ioctl };
export { EFAULT };
