// The host's stdin/stdout/stderr for a guest run in a worker thread that the
// main thread may have to end (Ctrl-C, SIGTERM). A thread blocked in read(2)
// or write(2) cannot be ended, and neither can the process (Node joins its
// threads on exit): `exec` of an interactive program waiting for a line would
// hang. So a pipe or terminal is opened again through /proc/self/fd, a new
// open file description of the same pipe or terminal that is ours alone to
// make non-blocking (the shell's stays as it was), and the thread waits in
// short sleeps, where it can be ended, instead of in the kernel. A socket
// (what Node's child_process gives for a "pipe") cannot be opened again: the
// main thread lets libuv make it non-blocking (prepareHostStdin), as any Node
// program reading process.stdin does, and Node puts the flag back at exit.
// Files and other devices never block and are used as they are.
import * as fs from "node:fs";
import { hostStdio, type HostStdio } from "../kernel/fs/devices.js";
import { EIO, EPIPE } from "../kernel/errno.js";

const { O_RDONLY, O_WRONLY, O_NONBLOCK, O_NOCTTY } = fs.constants;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => { Atomics.wait(sleeper, 0, 0, ms); };

function reopen(fd: 0 | 1 | 2, io: HostStdio): number {
  const kind = io.kind(fd);
  if (kind !== "pipe" && kind !== "tty") return fd;
  // A socket cannot be opened this way (ENXIO), nor a pipe without a reader: then the fd itself.
  try { return fs.openSync(`/proc/self/fd/${fd}`, (fd === 0 ? O_RDONLY : O_WRONLY) | O_NONBLOCK | O_NOCTTY); } catch { return fd; }
}

/** In the main thread, before the guest's thread starts. */
export async function prepareHostStdin(): Promise<void> {
  let socket = false;
  try { socket = fs.fstatSync(0).isSocket(); } catch { return; }
  if (!socket) return;
  void process.stdin;   // libuv opens fd 0 non-blocking (and stops reading: nothing is consumed)
  await new Promise((r) => setImmediate(r));
}

export function threadStdio(): HostStdio {
  const io = hostStdio();
  const fds = [reopen(0, io), reopen(1, io), reopen(2, io)];
  return {
    kind: io.kind,
    read(buf) {
      for (;;) {
        try { return fs.readSync(fds[0], buf, 0, buf.length, null); } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EAGAIN") return 0;
          sleep(5);
        }
      }
    },
    write(fd, data) {
      let o = 0;
      while (o < data.length) {
        try { o += fs.writeSync(fds[fd], data, o, data.length - o); } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === "EPIPE") return -EPIPE;
          if (code !== "EAGAIN") return -EIO;
          sleep(1);
        }
      }
    },
  };
}
