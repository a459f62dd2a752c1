// timerfd: a timer as a file (fs/timerfd.c), on the virtual clock. Armed with a
// first expiry (relative, or absolute on its clock) and an interval; a read
// returns the number of expirations since the last read (8 bytes), blocking or
// EAGAIN while there are none. Expirations are counted when someone looks (a
// read, poll, gettime, epoll): the count is what it would be had the timer fired
// at each expiry, and the one wake-up epoll sees is the first expiry after a read,
// as Linux's timer callback fires once and the timer re-arms only when read.
import type { Clock } from "../clock.js";
import { BLOCK, Blockable, FileOps, OpenFile, POLLIN } from "./file.js";
import { WaitQueue } from "./wait-queue.js";
import { EAGAIN, EINVAL } from "../errno.js";
import { MAX_NS } from "../clock.js";

export const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9;

export class TimerFd {
  private expires: number | null = null;  // next expiry, on the monotonic clock (ns)
  private interval = 0;
  private ticks = 0;                        // expirations not yet read
  readonly wq = new WaitQueue();
  readonly ops: FileOps;

  constructor(readonly clockId: number, private readonly clock: Clock) {
    const t = this;
    this.ops = {
      seekable: false,
      read: (f, buf) => t.read(f, buf),
      write: () => -EINVAL,
      poll: () => { t.update(); return t.ticks > 0 ? POLLIN : 0; },
      nextEvent: () => (t.ticks === 0 ? t.expires : null),
      wq: this.wq,
    };
  }

  // Count the expiries up to now; a periodic timer moves to its next one.
  private update(): void {
    const now = this.clock.now;
    if (this.expires === null || now < this.expires) return;
    const was = this.ticks;
    if (this.interval > 0) {
      const n = Math.floor((now - this.expires) / this.interval) + 1;
      this.ticks += n;
      this.expires = Math.min(this.expires + n * this.interval, MAX_NS);
    } else {
      this.ticks += 1;
      this.expires = null;
    }
    if (was === 0) this.wq.wake(POLLIN);
  }

  // Arm at `at` (monotonic ns; the caller converts a relative or realtime value) with an interval,
  // or disarm (null).
  set(at: number | null, interval: number): void {
    this.ticks = 0;
    this.interval = interval;
    this.expires = at === null ? null : Math.min(Math.max(at, 0), MAX_NS);
    this.update(); // a time already past counts at once
  }

  // What timerfd_gettime reports: the time to the next expiry (0 when disarmed or due) and the interval.
  get(): { value: number; interval: number } {
    this.update();
    if (this.expires === null) return { value: 0, interval: this.interval };
    return { value: Math.max(this.expires - this.clock.now, 0), interval: this.interval };
  }

  read(f: OpenFile, buf: Uint8Array): Blockable {
    if (buf.length < 8) return -EINVAL;
    this.update();
    if (this.ticks === 0) return f.nonblock ? -EAGAIN : BLOCK;
    new DataView(buf.buffer, buf.byteOffset, 8).setBigUint64(0, BigInt(this.ticks), true);
    this.ticks = 0;
    return 8;
  }
}
