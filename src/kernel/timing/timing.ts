// What the kernel asks of a timing model: the time a machine adds to the
// retired instructions, in integer virtual ns. The kernel asks at a syscall's
// return, a wake-up, a process going on the CPU, a page fault and the CPU
// going idle, and bounds each run of user code at the next timer interrupt
// (src/kernel/kernel.ts; docs/timing.md).
import type { TimingTable } from "./table.js";

export type TimingModelName = "ideal" | "realistic";
export const TIMING_MODELS: readonly TimingModelName[] = ["realistic", "ideal"];

export interface TimingOptions {
  model: TimingModelName;
  /** The realistic model's seed (a flight's "timing" sub-seed). */
  seed?: number;
  /** Parameters other than the calibrated table (tests). */
  table?: TimingTable;
}

// The ideal model's cost of every syscall, entry to exit.
export const IDEAL_SYSCALL_NS = 200;
// "No timer interrupt ahead".
export const NEVER = Number.MAX_SAFE_INTEGER;

export interface Timing {
  readonly model: TimingModelName;
  /** ns from the SYSCALL of a call that did not sleep to its SYSRET. */
  syscall(nr: number, now: number): number;
  /** ns from the event that ended a sleep (data, a deadline, a child's exit) to the woken call's SYSRET. */
  wake(nr: number, result: number, now: number): number;
  /** ns before task `pid` (a thread id: a process's threads switch as processes do) runs: a context switch and a cache refill when the CPU comes from elsewhere. */
  enter(pid: number, now: number): number;
  /** ns of a demand-paging fault. */
  fault(now: number): number;
  /** ns of the timer interrupts due at `now` (the kernel stopped user code there). */
  ticksDue(now: number): number;
  /** ns from `now` to the next timer interrupt while the CPU is busy. */
  untilTick(now: number): number;
  /** The CPU was idle up to `now`: no timer interrupt while idle (NO_HZ). */
  idle(now: number): void;
}
