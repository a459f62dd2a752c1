// The virtual clock as the kernel sees it: the core's tick counter, where one
// tick is one virtual nanosecond (a 1 GHz CPU retiring one instruction per
// cycle). Wall-clock time is a fixed epoch plus that count; the host clock is
// never read.
//
// The kernel keeps time as plain numbers: integer nanoseconds are exact up to
// 2^53 ns (about 104 days of virtual time, far beyond any flight or program run),
// and reading them makes no BigInt per syscall. BigInt appears only where a u64
// leaves the kernel (wall time, struct timespec, trace records).
import type { Machine } from "../machine/machine.js";
import { S_TICKS } from "../machine/layout.js";

// CLOCK_REALTIME at tick 0: 2019-01-01T00:00:00Z (the year of the original dataset).
export const EPOCH_NS = 1_546_300_800n * 1_000_000_000n;

// The last tick the kernel can count exactly. Timeouts beyond it are clamped to it (they
// mean "practically never"); the clock itself reaching it stops the run (ClockOverflow).
export const MAX_NS = Number.MAX_SAFE_INTEGER;

export class ClockOverflow extends Error {}

const LO = S_TICKS / 4, HI = S_TICKS / 4 + 1;
const TWO32 = 4294967296;

export class Clock {
  // The last value read, kept as the same number while the counter is unchanged: a time above
  // 2^31 is a heap number in V8, and handing out the one already made allocates nothing. (The
  // field starts as null so V8 keeps it tagged, holding that number rather than a mutable box.)
  private lo = -1;
  private hi = -1;
  private cached: number | null = null;

  constructor(private m: Machine) {}

  // Read as two 32-bit halves of the core's u64 counter (no BigInt).
  get now(): number {
    const w = this.m.stateWords;
    const lo = w[LO], hi = w[HI];
    if (lo !== this.lo || hi !== this.hi) {
      if (hi >= 0x200000) throw new ClockOverflow(`virtual clock beyond 2^53 ns`);
      this.lo = lo; this.hi = hi;
      this.cached = hi * TWO32 + lo;
    }
    return this.cached as number;
  }

  set now(t: number) {
    if (!Number.isSafeInteger(t) || t < 0) throw new ClockOverflow(`virtual clock set to ${t} ns`);
    const w = this.m.stateWords;
    w[LO] = t % TWO32;
    w[HI] = Math.floor(t / TWO32);
    this.lo = w[LO]; this.hi = w[HI]; this.cached = t; // the next read hands out `t` itself
  }

  // Adds a small cost (every syscall's): on the two halves directly, so no number above 2^31 is
  // made (one would be a heap number, passed to the setter).
  advance(ns: number): void {
    if (!(ns >= 0 && ns < TWO32 && Number.isInteger(ns))) { this.now = this.now + ns; return; }
    const w = this.m.stateWords;
    const lo = w[LO] + ns;
    if (lo < TWO32) { w[LO] = lo; return; }
    w[LO] = lo - TWO32;
    w[HI] = w[HI] + 1;
  }

  // The deadline `ns` (exact, from a guest struct) from now; clamped at MAX_NS.
  after(ns: bigint): number {
    const now = this.now;
    return ns >= BigInt(MAX_NS - now) ? MAX_NS : now + Number(ns);
  }

  // The same instant as a u64, for values that leave the kernel.
  get nowBig(): bigint { return BigInt(this.now); }
  get wall(): bigint { return EPOCH_NS + BigInt(this.now); }
}

// A duration or deadline in exact BigInt nanoseconds (from a guest struct) as a clock number:
// anything beyond MAX_NS is clamped, which only matters for timeouts of centuries.
export const clampNs = (ns: bigint): number => (ns > BigInt(MAX_NS) ? MAX_NS : Number(ns));
