// The realistic model's parameters: measured distributions by name, and where
// they were measured. scripts/calibrate-timing.mjs writes calibration.ts in
// this shape from a native run of guest/calibrate/calibrate.c.
import type { Knots } from "./quantiles.js";

export interface TimingTable {
  /** One line naming the machine and the day, recorded in each flight's manifest. */
  id: string;
  host: { cpu: string; cores: number; kernel: string; hz: number };
  /** When it was measured (ISO 8601) and the load average (1, 5, 15 min) before and after. */
  measuredAt: string;
  loadavg: { before: readonly number[]; after: readonly number[] };
  /** The timer interrupt's period (1e9 / HZ). */
  tickPeriodNs: number;
  /** Distributions in ns by name: "sys.<call>", "wake.<what>", "tick", "switch", "refill" (after a switch), "refill.wake" (after a sleep), "fault". */
  quantiles: Readonly<Record<string, Knots>>;
}
