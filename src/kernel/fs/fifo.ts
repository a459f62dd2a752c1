// Named pipes (mkfifo, mknod S_IFIFO): a node in the tree whose opens share one
// Pipe while any end is open, with Linux's open rules (fs/pipe.c, fifo_open):
// - a read open waits until a writer has opened, a write open until a reader
//   has; each counts as its end at once, so the other side's open goes through;
// - O_NONBLOCK: a read open succeeds at once, a write open without a reader is ENXIO;
// - O_RDWR is both ends and never waits;
// - the queue and its data go when the last end closes; the node stays.
// Reads, writes and poll are the pipe's; EOF once the last writer has closed.
import { Inode, S_IFIFO } from "./inode.js";
import { Pipe } from "./pipe.js";
import { FileOps, OpenFile, O_ACCMODE, O_RDONLY, O_WRONLY, O_RDWR, O_NONBLOCK } from "./file.js";
import { EINVAL, ENXIO } from "../errno.js";

export class FifoInode extends Inode {
  // The queue, from the first open until the last end closes.
  pipe: Pipe | null = null;
  // Read and write opens ever begun (Linux's r_counter/w_counter): a waiting open completes once
  // the other side's count has moved, even if that end has closed again since.
  readOpens = 0;
  writeOpens = 0;
  constructor(mode: number) { super(S_IFIFO | (mode & 0o7777)); }
}

// An open waiting for the other end. Its file already counts as a reader or writer;
// releasing the file (an interrupted or killed opener) undoes that.
export class FifoWait {
  constructor(readonly file: OpenFile, private readonly fifo: FifoInode, private readonly forWriter: boolean,
    private readonly otherOpensAt: number) {}
  get partnerCame(): boolean {
    return (this.forWriter ? this.fifo.writeOpens : this.fifo.readOpens) !== this.otherOpensAt;
  }
}

// Open a FIFO with open(2)'s flags: the open file, a FifoWait when it must wait, or -errno.
export function openFifo(fifo: FifoInode, flags: number, path: string): OpenFile | FifoWait | number {
  const acc = flags & O_ACCMODE;
  const nonblock = (flags & O_NONBLOCK) !== 0;
  if (acc !== O_RDONLY && acc !== O_WRONLY && acc !== O_RDWR) return -EINVAL;
  if (acc === O_WRONLY && nonblock && (fifo.pipe?.readers ?? 0) === 0) return -ENXIO;
  const pipe = fifo.pipe ?? (fifo.pipe = new Pipe());
  const reads = acc !== O_WRONLY, writes = acc !== O_RDONLY;
  // A reader that opened without a writer (O_NONBLOCK) sees no POLLHUP until a writer has come.
  const quietUntil = acc === O_RDONLY && nonblock && pipe.writers === 0 ? fifo.writeOpens : null;
  if (reads) { pipe.readers++; fifo.readOpens++; }
  if (writes) { pipe.writers++; fifo.writeOpens++; }
  pipe.wq.wake(0); // a partner came: the other side's POLLHUP/POLLERR may have changed
  const file = new OpenFile(fifoOps(fifo, pipe, reads, writes, quietUntil), flags, fifo, path);
  if (acc === O_RDONLY && !nonblock && pipe.writers === 0) return new FifoWait(file, fifo, true, fifo.writeOpens);
  if (acc === O_WRONLY && pipe.readers === 0) return new FifoWait(file, fifo, false, fifo.readOpens);
  return file;
}

function fifoOps(fifo: FifoInode, pipe: Pipe, reads: boolean, writes: boolean, quietUntil: number | null): FileOps {
  return {
    seekable: false,
    read: (f, out) => pipe.read(f, out),
    write: (f, data) => pipe.write(f, data),
    poll: () => (reads ? pipe.readPoll(quietUntil === null || fifo.writeOpens !== quietUntil) : 0) | (writes ? pipe.writePoll() : 0),
    wq: pipe.wq,
    ioctl: (_f, req, arg, io) => pipe.ioctl(req, arg, io),
    release: () => {
      if (reads) pipe.readers--;
      if (writes) pipe.writers--;
      pipe.wq.wake(0);
      if (pipe.readers === 0 && pipe.writers === 0 && fifo.pipe === pipe) fifo.pipe = null;
    },
  };
}
