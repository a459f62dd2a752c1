// Pipes: a bounded byte queue with a read end and a write end. Reads block on
// an empty pipe while a writer exists; writes block on a full pipe while a
// reader exists, and fail with EPIPE (plus SIGPIPE) when none does. Named
// pipes (fifo.ts) use the same queue through the same read/write/poll.
import { BLOCK, Blockable, FileOps, OpenFile, POLLIN, POLLOUT, POLLHUP, POLLERR } from "./file.js";
import { EAGAIN, EPIPE, ESPIPE } from "../errno.js";

export const PIPE_CAPACITY = 65536;
const PIPE_BUF = 4096;

export class Pipe {
  buf = new Uint8Array(PIPE_CAPACITY);
  head = 0;   // next byte to read
  count = 0;
  readers = 0;
  writers = 0;

  read(f: OpenFile, out: Uint8Array): Blockable {
    if (out.length === 0) return 0;
    if (this.count === 0) {
      if (this.writers === 0) return 0;
      return f.nonblock ? -EAGAIN : BLOCK;
    }
    const n = Math.min(out.length, this.count);
    for (let i = 0; i < n; i++) out[i] = this.buf[(this.head + i) % PIPE_CAPACITY];
    this.head = (this.head + n) % PIPE_CAPACITY;
    this.count -= n;
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
    return n;
  }

  // Readiness of a read end; `hangup`: whether no writer counts as POLLHUP for this open.
  readPoll(hangup: boolean): number {
    return (this.count > 0 ? POLLIN : 0) | (hangup && this.writers === 0 ? POLLHUP : 0);
  }

  writePoll(): number {
    return (this.readers === 0 ? POLLERR : 0) | (PIPE_CAPACITY - this.count >= PIPE_BUF ? POLLOUT : 0);
  }

  readEnd(): FileOps {
    const pipe = this;
    return {
      seekable: false,
      read: (f, out) => pipe.read(f, out),
      write: () => -9, // EBADF: the read end is not writable (the fd check catches it first)
      poll: () => pipe.readPoll(true),
      release: () => { pipe.readers--; },
    };
  }

  writeEnd(): FileOps {
    const pipe = this;
    return {
      seekable: false,
      read: () => -9,
      write: (f, data) => pipe.write(f, data),
      poll: () => pipe.writePoll(),
      release: () => { pipe.writers--; },
    };
  }
}

export { ESPIPE };
