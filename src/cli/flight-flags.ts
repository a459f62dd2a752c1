// The flight options that `fly` and `generate` share, declared once with the
// ranges resolveFlight allows (src/flight/options.ts).
import type { Options } from "yargs";
import { DEFAULT_AUTOPILOT, DEFAULT_BAUD, DEFAULT_MAX_VIRTUAL_SECONDS, DEFAULT_TIMING, FLIGHT_LIMITS as L } from "../flight/index.js";
import { numberOption } from "./number-option.js";
import { TIMING_MODELS } from "../kernel/timing/model.js";

// `--timing MODEL`: one of the timing models, checked as it is parsed (one line naming the flag when not).
export function timingOption(describe: string, dflt?: string): Options {
  return {
    type: "string", requiresArg: true, describe: `${describe} [${TIMING_MODELS.join(" | ")}]`, ...(dflt ? { default: dflt } : {}),
    coerce: (v: unknown) => {
      if (Array.isArray(v)) throw new Error(`--timing must be given once, not ${v.length} times`);
      if (!(TIMING_MODELS as readonly unknown[]).includes(v)) throw new Error(`--timing must be ${TIMING_MODELS.join(" or ")}, not ${JSON.stringify(String(v))}`);
      return v;
    },
  };
}

export const FLIGHT_FLAGS: Record<string, Options> = {
  baud: numberOption("baud", `serial link speed (default ${DEFAULT_BAUD})`, { kind: "integer", ...L.baud }),
  "max-virtual-seconds": numberOption("max-virtual-seconds",
    `safety stop: fail if the flight has not ended after this much virtual time (default ${DEFAULT_MAX_VIRTUAL_SECONDS})`,
    { kind: "real", min: L.maxVirtualSeconds.above, aboveMin: true, max: L.maxVirtualSeconds.max }),
  config: { type: "string", requiresArg: true, describe: "JSON file of drone overrides (mass, thrust, drag, destination, cruise altitude…; docs/drone.md)" },
  "poll-hz": numberOption("poll-hz", `autopilot sensor polls per second (default ${DEFAULT_AUTOPILOT.pollHz})`, { kind: "integer", ...L.pollHz }),
  "busy-bits": numberOption("busy-bits", `busydelay: bits of the primes factored by trial division (default ${DEFAULT_AUTOPILOT.busyBits})`, { kind: "integer", ...L.busyBits }),
  timing: timingOption(`the clock (default ${DEFAULT_TIMING}): realistic adds what a real machine adds to each instruction and syscall, ` +
    "measured on one (timer interrupts, syscall costs with their spread, wake-up latencies, context switches, cache refills), " +
    "seeded by the flight's seed; ideal is 1 instruction = 1 ns and 200 ns per syscall, nothing else (docs/timing.md)"),
};
