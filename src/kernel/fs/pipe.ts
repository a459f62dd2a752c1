// Pipes: a bounded byte queue with a read end and a write end. Reads block on
// an empty pipe while a writer exists; writes block on a full pipe while a
// reader exists, and fail with EPIPE (plus SIGPIPE) when none does.
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
  // Set when a write found no reader: the kernel sends SIGPIPE to the writer.
  brokenWrite = false;

  readEnd(): FileOps {
    const pipe = this;
    return {
      seekable: false,
      read(f: OpenFile, out: Uint8Array): Blockable {
        if (out.length === 0) return 0;
        if (pipe.count === 0) {
          if (pipe.writers === 0) return 0;
          return f.nonblock ? -EAGAIN : BLOCK;
        }
        const n = Math.min(out.length, pipe.count);
        for (let i = 0; i < n; i++) out[i] = pipe.buf[(pipe.head + i) % PIPE_CAPACITY];
        pipe.head = (pipe.head + n) % PIPE_CAPACITY;
        pipe.count -= n;
        return n;
      },
      write: () => -9, // EBADF: the read end is not writable (the fd check catches it first)
      poll: () => (pipe.count > 0 ? POLLIN : 0) | (pipe.writers === 0 ? POLLHUP : 0),
      release: () => { pipe.readers--; },
    };
  }

  writeEnd(): FileOps {
    const pipe = this;
    return {
      seekable: false,
      read: () => -9,
      write(f: OpenFile, data: Uint8Array): Blockable {
        if (pipe.readers === 0) { pipe.brokenWrite = true; return -EPIPE; }
        const room = PIPE_CAPACITY - pipe.count;
        // Writes up to PIPE_BUF are atomic: all or nothing.
        if (room === 0 || (data.length <= PIPE_BUF && room < data.length)) return f.nonblock ? -EAGAIN : BLOCK;
        const n = Math.min(room, data.length);
        const tail = (pipe.head + pipe.count) % PIPE_CAPACITY;
        for (let i = 0; i < n; i++) pipe.buf[(tail + i) % PIPE_CAPACITY] = data[i];
        pipe.count += n;
        return n;
      },
      poll: () => (pipe.readers === 0 ? POLLERR : 0) | (PIPE_CAPACITY - pipe.count >= PIPE_BUF ? POLLOUT : 0),
      release: () => { pipe.writers--; },
    };
  }
}

export { ESPIPE };
