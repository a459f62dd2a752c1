// eventfd: a 64-bit counter as a file (fs/eventfd.c). A write adds its 8-byte
// value (blocking, or EAGAIN, while the sum would reach 2^64-1); a read takes the
// whole count, or 1 in semaphore mode (blocking, or EAGAIN, at 0). Readable while
// the count is above 0, writable while it is below 2^64-2.
import { BLOCK, Blockable, FileOps, OpenFile, POLLIN, POLLOUT, POLLERR } from "./file.js";
import { WaitQueue } from "./wait-queue.js";
import { EAGAIN, EINVAL } from "../errno.js";

const MAX = 0xffffffffffffffffn;

export class EventFd {
  count: bigint;
  readonly wq = new WaitQueue();
  readonly ops: FileOps;

  constructor(initial: number, readonly semaphore: boolean) {
    this.count = BigInt(initial);
    const e = this;
    this.ops = {
      seekable: false,
      read: (f, buf) => e.read(f, buf),
      write: (f, data) => e.write(f, data),
      poll: () => (e.count > 0n ? POLLIN : 0) | (e.count === MAX ? POLLERR : 0) | (MAX - 1n > e.count ? POLLOUT : 0),
      wq: this.wq,
    };
  }

  read(f: OpenFile, buf: Uint8Array): Blockable {
    if (buf.length < 8) return -EINVAL;
    if (this.count === 0n) return f.nonblock ? -EAGAIN : BLOCK;
    const v = this.semaphore ? 1n : this.count;
    this.count -= v;
    new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, v, true);
    this.wq.wake(POLLOUT);
    return 8;
  }

  write(f: OpenFile, data: Uint8Array): Blockable {
    if (data.length < 8) return -EINVAL;
    const v = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
    if (v === MAX) return -EINVAL;
    if (MAX - this.count <= v) return f.nonblock ? -EAGAIN : BLOCK;
    this.count += v;
    this.wq.wake(POLLIN); // even for 0, as Linux's eventfd_write
    return 8;
  }
}
