// Simple character devices: /dev/null, /dev/zero, /dev/urandom and
// /dev/random (seeded, deterministic), and the host's stdin/stdout/stderr.
import { FileOps, POLLIN, POLLOUT, OpenFile } from "./file.js";
import type { Random } from "../random.js";
import { ENOTTY, EAGAIN, EPIPE, EIO } from "../errno.js";
import * as fs from "node:fs";

export const nullOps: FileOps = {
  seekable: true,
  read: () => 0,
  write: (_f, data) => data.length,
  poll: () => POLLIN | POLLOUT,
  ioctl: () => -ENOTTY,
  noPoll: true,
};

export const zeroOps: FileOps = {
  seekable: true,
  read: (_f, buf) => { buf.fill(0); return buf.length; },
  write: (_f, data) => data.length,
  poll: () => POLLIN | POLLOUT,
  ioctl: () => -ENOTTY,
  noPoll: true,
};

export function randomOps(rng: Random): FileOps {
  return {
    seekable: true,
    read: (_f, buf) => { rng.fill(buf); return buf.length; },
    write: (_f, data) => data.length,
    poll: () => POLLIN | POLLOUT,
    ioctl: () => -ENOTTY,
  };
}

// Where the guest's fds 0, 1 and 2 go. The CLI passes the host's own fds;
// tests pass buffers.
export interface HostStdio {
  read(buf: Uint8Array): number;           // 0 at end of input
  // Returns a negative errno when the host side is gone (EPIPE: the guest then gets SIGPIPE).
  write(fd: 1 | 2, data: Uint8Array): number | void;
  // What fstat should say the stream is (as the host sees its own fd).
  kind(fd: 0 | 1 | 2): "tty" | "pipe" | "file" | "char";
}

export function hostStdio(): HostStdio {
  const kinds: Array<"tty" | "pipe" | "file" | "char"> = [0, 1, 2].map((fd) => {
    try {
      const st = fs.fstatSync(fd);
      if (st.isCharacterDevice()) return require_tty(fd) ? "tty" : "char";
      if (st.isFIFO() || st.isSocket()) return "pipe";
      return "file";
    } catch { return "char"; }
  });
  return {
    read(buf) {
      for (;;) {
        try { return fs.readSync(0, buf, 0, buf.length, null); } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === "EOF") return 0;
          if (code !== "EAGAIN") return 0;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
    },
    write(fd, data) {
      let o = 0;
      while (o < data.length) {
        try { o += fs.writeSync(fd, data, o, data.length - o); } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === "EPIPE") return -EPIPE;
          if (code !== "EAGAIN") return -EIO;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        }
      }
    },
    kind: (fd) => kinds[fd],
  };
}

import * as tty from "node:tty";
function require_tty(fd: number): boolean { return tty.isatty(fd); }

// A default termios for a host terminal on fds 0-2 (what a Linux console reports).
const CONSOLE_TERMIOS = Uint8Array.from([
  0x00, 0x05, 0, 0, 0x05, 0, 0, 0, 0xbf, 0, 0, 0, 0x3b, 0x8a, 0, 0, 0,
  3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0,
]);
const TCGETS = 0x5401, TIOCGWINSZ = 0x5413;

export function stdioOps(io: HostStdio, fd: 0 | 1 | 2): FileOps {
  return {
    seekable: false,
    read: (f: OpenFile, buf: Uint8Array) => {
      if (fd !== 0) return -EAGAIN;
      return io.read(buf);
    },
    write: (_f, data) => { const r = io.write(fd === 0 ? 1 : fd, data); return typeof r === "number" && r < 0 ? r : data.length; },
    poll: () => (fd === 0 ? POLLIN : POLLOUT),
    ioctl: (_f, req, arg, mem) => {
      if (io.kind(fd) !== "tty") return -ENOTTY;
      if (req === TCGETS) return mem.write(arg, CONSOLE_TERMIOS) ? 0 : -14;
      if (req === TIOCGWINSZ) return mem.write(arg, Uint8Array.from([24, 0, 80, 0, 0, 0, 0, 0])) ? 0 : -14;
      if (req >= 0x5402 && req <= 0x5404) return 0; // TCSETS*: accepted, the host terminal is left alone
      return -ENOTTY;
    },
  };
}
