// The kernel's timing model, by name: "ideal" (the kernel's default) or
// "realistic" with its seed (docs/timing.md).
import { IdealTiming } from "./ideal.js";
import { RealisticTiming } from "./realistic.js";
import type { Timing, TimingOptions } from "./timing.js";

export * from "./timing.js";
export { IdealTiming } from "./ideal.js";
export { RealisticTiming } from "./realistic.js";

export function makeTiming(o: TimingOptions | undefined): Timing {
  if (!o || o.model === "ideal") return new IdealTiming();
  if (o.model === "realistic") return new RealisticTiming(o.seed ?? 0, o.table);
  throw new Error(`unknown timing model ${JSON.stringify((o as TimingOptions).model)}`);
}
