// Clocks and sleeping, all on the virtual clock (1 tick = 1 ns). Sleeps block
// the process; when nothing else can run the scheduler jumps to the wake-up.
import type { Handler } from "./types.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { EINVAL, EFAULT } from "../errno.js";
import { clampNs } from "../clock.js";

const CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
  CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7,
  CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;
const TIMER_ABSTIME = 1;

function clockValue(k: Kernel, p: Process, id: number): bigint | null {
  switch (id) {
    case CLOCK_REALTIME: case CLOCK_REALTIME_COARSE: case CLOCK_REALTIME_ALARM: case CLOCK_TAI: return k.clock.wall;
    case CLOCK_MONOTONIC: case CLOCK_MONOTONIC_RAW: case CLOCK_MONOTONIC_COARSE: case CLOCK_BOOTTIME: case CLOCK_BOOTTIME_ALARM: return k.clock.nowBig;
    case CLOCK_PROCESS_CPUTIME_ID: case CLOCK_THREAD_CPUTIME_ID: return BigInt(k.clock.now - p.startTicks);
    default: return null;
  }
}

const tsBuf = new Uint8Array(16);
const tsView = new DataView(tsBuf.buffer);
function putTimespec(p: Process, va: number, ns: bigint): void {
  tsView.setBigInt64(0, ns / 1_000_000_000n, true);
  tsView.setBigInt64(8, ns % 1_000_000_000n, true);
  p.mem.writeOrFault(va, tsBuf);
}
// A struct timespec as nanoseconds; null when invalid (EINVAL).
export function readTimespec(p: Process, va: number): bigint | null {
  const b = p.mem.readOrFault(va, 16);
  const dv = new DataView(b.buffer);
  const s = dv.getBigInt64(0, true), ns = dv.getBigInt64(8, true);
  if (s < 0n || ns < 0n || ns >= 1_000_000_000n) return null;
  return s * 1_000_000_000n + ns;
}

const clock_gettime: Handler = (k, p, a) => {
  const v = clockValue(k, p, a.int(0));
  if (v === null) return -EINVAL;
  putTimespec(p, a.u(1), v);
  return 0;
};
const clock_getres: Handler = (k, p, a) => {
  if (clockValue(k, p, a.int(0)) === null) return -EINVAL;
  if (a.u(1)) putTimespec(p, a.u(1), a.int(0) === CLOCK_REALTIME_COARSE || a.int(0) === CLOCK_MONOTONIC_COARSE ? 4_000_000n : 1n);
  return 0;
};
const gettimeofday: Handler = (k, p, a) => {
  const w = k.clock.wall;
  if (a.u(0)) {
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, w / 1_000_000_000n, true);
    dv.setBigInt64(8, (w % 1_000_000_000n) / 1000n, true);
    p.mem.writeOrFault(a.u(0), b);
  }
  if (a.u(1)) p.mem.writeOrFault(a.u(1), new Uint8Array(8));
  return 0;
};
const time: Handler = (k, p, a) => {
  const s = k.clock.wall / 1_000_000_000n;
  if (a.u(0)) p.mem.putU64(a.u(0), s);
  return Number(s);
};

// Sleep until `deadline` on the monotonic clock; the first call records it, retries check it.
function sleepUntil(k: Kernel, p: Process, nr: number, deadline: number): number | typeof BLOCK {
  if (!p.block) p.block = { nr, deadline };
  const d = p.block.deadline!;
  if (k.clock.now >= d) return 0;
  p.wakeAt = d;
  return BLOCK;
}

const nanosleep: Handler = (k, p, a) => {
  if (p.block) return sleepUntil(k, p, a.nr, 0);
  const ns = readTimespec(p, a.u(0));
  if (ns === null) return -EINVAL;
  return sleepUntil(k, p, a.nr, k.clock.after(ns));
};

const clock_nanosleep: Handler = (k, p, a) => {
  if (p.block) return sleepUntil(k, p, a.nr, 0);
  const id = a.int(0);
  const now = clockValue(k, p, id);
  if (now === null || id === CLOCK_THREAD_CPUTIME_ID) return -EINVAL;
  const ns = readTimespec(p, a.u(2));
  if (ns === null) return -EINVAL;
  const rel = a.int(1) & TIMER_ABSTIME ? ns - now : ns;
  return sleepUntil(k, p, a.nr, k.clock.after(rel > 0n ? rel : 0n));
};

// ITIMER_REAL (alarm, setitimer): SIGALRM when the virtual clock reaches the expiry.
const ITIMER_REAL = 0;
function timerLeft(k: Kernel, p: Process): bigint {
  return p.alarmAt === null ? 0n : BigInt(p.alarmAt > k.clock.now ? p.alarmAt - k.clock.now : 1);
}
function putItimer(k: Kernel, p: Process, va: number): void {
  const b = new Uint8Array(32);
  const dv = new DataView(b.buffer);
  const left = timerLeft(k, p);
  const iv = BigInt(p.alarmInterval);
  dv.setBigInt64(0, iv / 1_000_000_000n, true);
  dv.setBigInt64(8, (iv % 1_000_000_000n) / 1000n, true);
  dv.setBigInt64(16, left / 1_000_000_000n, true);
  dv.setBigInt64(24, (left % 1_000_000_000n) / 1000n, true);
  p.mem.writeOrFault(va, b);
}
const alarm: Handler = (k, p, a) => {
  const left = timerLeft(k, p);
  const secs = a.u32(0);
  p.alarmAt = secs ? k.clock.now + secs * 1_000_000_000 : null; // below 2^32 s: exact
  p.alarmInterval = 0;
  k.recomputeTimers();
  // Linux rounds the remaining time to the nearest second, and never reports 0 for a pending alarm.
  if (left === 0n) return 0;
  const s = Number((left + 500_000_000n) / 1_000_000_000n);
  return s === 0 ? 1 : s;
};
const setitimer: Handler = (k, p, a) => {
  const which = a.int(0);
  if (which < 0 || which > 2) return -EINVAL;
  if (which !== ITIMER_REAL) return -EINVAL; // virtual/profiling timers are not supported
  let next: [bigint, bigint] | null = null;
  if (a.u(1)) {
    const b = p.mem.readOrFault(a.u(1), 32);
    const dv = new DataView(b.buffer);
    const iv = [dv.getBigInt64(0, true), dv.getBigInt64(8, true), dv.getBigInt64(16, true), dv.getBigInt64(24, true)];
    if (iv.some((x) => x < 0n) || iv[1] >= 1_000_000n || iv[3] >= 1_000_000n) return -EINVAL;
    next = [iv[0] * 1_000_000_000n + iv[1] * 1000n, iv[2] * 1_000_000_000n + iv[3] * 1000n];
  }
  if (a.u(2)) putItimer(k, p, a.u(2));
  if (next) {
    p.alarmInterval = clampNs(next[0]);
    p.alarmAt = next[1] ? k.clock.after(next[1]) : null;
    k.recomputeTimers();
  }
  return 0;
};
const getitimer: Handler = (k, p, a) => {
  if (a.int(0) !== ITIMER_REAL) return a.int(0) >= 0 && a.int(0) <= 2 ? -EINVAL : -EINVAL;
  putItimer(k, p, a.u(1));
  return 0;
};

export const timeCalls: Record<string, Handler> = {
  alarm, setitimer, getitimer, clock_gettime, clock_getres, gettimeofday, time, nanosleep, clock_nanosleep,
};
export { EFAULT, CLOCK_MONOTONIC };
