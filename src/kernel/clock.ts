// The virtual clock as the kernel sees it: the core's tick counter, where one
// tick is one virtual nanosecond (a 1 GHz CPU retiring one instruction per
// cycle). Wall-clock time is a fixed epoch plus that count; the host clock is
// never read.
import type { Machine } from "../machine/machine.js";

// CLOCK_REALTIME at tick 0: 2019-01-01T00:00:00Z (the year of the original dataset).
export const EPOCH_NS = 1_546_300_800n * 1_000_000_000n;

export class Clock {
  constructor(private m: Machine) {}
  get now(): bigint { return this.m.ticks; }
  set now(t: bigint) { this.m.ticks = t; }
  advance(ns: bigint): void { this.m.ticks = this.m.ticks + ns; }
  get wall(): bigint { return EPOCH_NS + this.m.ticks; }
}
