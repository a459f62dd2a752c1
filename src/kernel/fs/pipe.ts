// Pipes: a bounded byte queue with a read end and a write end. Reads block on
// an empty pipe while a writer exists; writes block on a full pipe while a
// reader exists, and fail with EPIPE (plus SIGPIPE) when none does. Named
// pipes (fifo.ts) use the same queue through the same read/write/poll.
// Wake-ups for epoll (wait-queue.ts) as Linux 6's pipe_write/pipe_read: every
// write wakes readers (a pipe that has been polled wakes on each write, not only
// when it was empty), a read wakes writers when the pipe was full, and an end
// closing wakes everyone.
import { BLOCK, Blockable, FileOps, OpenFile, IoctlIo, POLLIN, POLLOUT, POLLHUP, POLLERR, POLLRDNORM, POLLWRNORM } from "./file.js";
import { WaitQueue } from "./wait-queue.js";
import { EAGAIN, EPIPE, ESPIPE } from "../errno.js";

export const PIPE_CAPACITY = 65536;
const PIPE_BUF = 4096;
const FIONREAD = 0x541b;

export class Pipe {
  buf = new Uint8Array(PIPE_CAPACITY);
  head = 0;   // next byte to read
  count = 0;
  readers = 0;
  writers = 0;
  readonly wq = new WaitQueue();

  read(f: OpenFile, out: Uint8Array): Blockable {
    if (out.length === 0) return 0;
    if (this.count === 0) {
      if (this.writers === 0) return 0;
      return f.nonblock ? -EAGAIN : BLOCK;
    }
    const n = Math.min(out.length, this.count);
    const wasFull = PIPE_CAPACITY - this.count < PIPE_BUF;
    for (let i = 0; i < n; i++) out[i] = this.buf[(this.head + i) % PIPE_CAPACITY];
    this.head = (this.head + n) % PIPE_CAPACITY;
    this.count -= n;
    if (wasFull) this.wq.wake(POLLOUT);
    return n;
  }

  write(f: OpenFile, data: Uint8Array): Blockable {
    if (this.readers === 0) return -EPIPE;
    const room = PIPE_CAPACITY - this.count;
    // Writes up to PIPE_BUF are atomic: all or nothing.
    if (room === 0 || (data.length <= PIPE_BUF && room < data.length)) return f.nonblock ? -EAGAIN : BLOCK;
    const n = Math.min(room, data.length);
    const tail = (this.head + this.count) % PIPE_CAPACITY;
    for (let i = 0; i < n; i++) this.buf[(tail + i) % PIPE_CAPACITY] = data[i];
    this.count += n;
    this.wq.wake(POLLIN);
    return n;
  }

  // Readiness of a read end; `hangup`: whether no writer counts as POLLHUP for this open.
  readPoll(hangup: boolean): number {
    return (this.count > 0 ? POLLIN | POLLRDNORM : 0) | (hangup && this.writers === 0 ? POLLHUP : 0);
  }

  writePoll(): number {
    return (this.readers === 0 ? POLLERR : 0) | (PIPE_CAPACITY - this.count >= PIPE_BUF ? POLLOUT | POLLWRNORM : 0);
  }

  // FIONREAD: the bytes waiting.
  ioctl(req: number, arg: number, io: IoctlIo): number {
    if (req !== FIONREAD) return -25; // ENOTTY
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, this.count, true);
    return io.write(arg, b) ? 0 : -14;
  }

  readEnd(): FileOps {
    const pipe = this;
    return {
      seekable: false,
      read: (f, out) => pipe.read(f, out),
      write: () => -9, // EBADF: the read end is not writable (the fd check catches it first)
      poll: () => pipe.readPoll(true),
      ioctl: (_f, req, arg, io) => pipe.ioctl(req, arg, io),
      wq: pipe.wq,
      release: () => { pipe.readers--; pipe.wq.wake(0); },
    };
  }

  writeEnd(): FileOps {
    const pipe = this;
    return {
      seekable: false,
      read: () => -9,
      write: (f, data) => pipe.write(f, data),
      poll: () => pipe.writePoll(),
      ioctl: (_f, req, arg, io) => pipe.ioctl(req, arg, io),
      wq: pipe.wq,
      release: () => { pipe.writers--; pipe.wq.wake(0); },
    };
  }
}

export { ESPIPE };
