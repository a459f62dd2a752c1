// timerfd_create, timerfd_settime, timerfd_gettime (src/kernel/fs/timerfd.ts),
// on the virtual clock: CLOCK_MONOTONIC and CLOCK_BOOTTIME count from 0,
// CLOCK_REALTIME from 2019-01-01, both at one tick per ns.
import type { Handler } from "./types.js";
import type { Process } from "../process/process.js";
import { O_CLOEXEC, O_NONBLOCK } from "../fs/file.js";
import { anonFile } from "../fs/anon-inode.js";
import { TimerFd, CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM } from "../fs/timerfd.js";
import { fileOf } from "./util.js";
import { clampNs, EPOCH_NS } from "../clock.js";
import { EINVAL } from "../errno.js";

const TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;
const CLOCKS = new Set([CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM]);

const timers = new WeakMap<object, TimerFd>();

function timerOf(p: Process, fd: number): TimerFd | null {
  return timers.get(fileOf(p, fd).ops) ?? null;
}

const timerfd_create: Handler = (k, p, a) => {
  const clockId = a.int(0), flags = a.int(1);
  if (flags & ~(O_CLOEXEC | O_NONBLOCK) || !CLOCKS.has(clockId)) return -EINVAL;
  const t = new TimerFd(clockId, k.clock);
  timers.set(t.ops, t);
  const f = anonFile(t.ops, "[timerfd]", (flags & O_NONBLOCK) !== 0);
  const fd = p.allocFd(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) f.unref();
  return fd;
};

// A struct timespec's two i64 at b[off..]; null when Linux's timespec64_valid says no.
function timespecNs(dv: DataView, off: number): bigint | null {
  const s = dv.getBigInt64(off, true), ns = dv.getBigUint64(off + 8, true);
  if (s < 0n || ns >= 1_000_000_000n) return null;
  return s * 1_000_000_000n + ns;
}

function putItimerspec(p: Process, va: number, value: number, interval: number): void {
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  const put = (off: number, ns: number): void => {
    dv.setBigInt64(off, BigInt(Math.floor(ns / 1e9)), true);
    dv.setBigInt64(off + 8, BigInt(ns % 1e9), true);
  };
  put(0, interval);
  put(16, value);
  p.mem.writeOrFault(va, b);
}

const timerfd_settime: Handler = (k, p, a) => {
  const flags = a.int(1);
  const b = p.mem.readOrFault(a.u(2), 32);
  const dv = new DataView(b.buffer);
  const interval = timespecNs(dv, 0), value = timespecNs(dv, 16);
  if (flags & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) || interval === null || value === null) return -EINVAL;
  const t = timerOf(p, a.int(0));
  if (!t) return -EINVAL;
  const old = t.get();
  let at: number | null = null;
  if (value > 0n) {
    if (!(flags & TFD_TIMER_ABSTIME)) at = clampNs(BigInt(k.clock.now) + value);
    else if (t.clockId === CLOCK_REALTIME || t.clockId === CLOCK_REALTIME_ALARM) at = clampNs(value > EPOCH_NS ? value - EPOCH_NS : 0n);
    else at = clampNs(value);
  }
  t.set(at, clampNs(interval));
  if (a.u(3)) putItimerspec(p, a.u(3), old.value, old.interval);
  return 0;
};

const timerfd_gettime: Handler = (_k, p, a) => {
  const t = timerOf(p, a.int(0));
  if (!t) return -EINVAL;
  const cur = t.get();
  putItimerspec(p, a.u(1), cur.value, cur.interval);
  return 0;
};

export const timerfdCalls: Record<string, Handler> = { timerfd_create, timerfd_settime, timerfd_gettime };
