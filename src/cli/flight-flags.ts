// The flight options that `fly` and `generate` share, declared once with the
// ranges resolveFlight allows (src/flight/options.ts).
import type { Options } from "yargs";
import { DEFAULT_AUTOPILOT, DEFAULT_BAUD, DEFAULT_MAX_VIRTUAL_SECONDS, FLIGHT_LIMITS as L } from "../flight/index.js";
import { numberOption } from "./number-option.js";

export const FLIGHT_FLAGS: Record<string, Options> = {
  baud: numberOption("baud", `serial link speed (default ${DEFAULT_BAUD})`, { kind: "integer", ...L.baud }),
  "max-virtual-seconds": numberOption("max-virtual-seconds",
    `safety stop: fail if the flight has not ended after this much virtual time (default ${DEFAULT_MAX_VIRTUAL_SECONDS})`,
    { kind: "real", min: L.maxVirtualSeconds.above, aboveMin: true, max: L.maxVirtualSeconds.max }),
  config: { type: "string", requiresArg: true, describe: "JSON file of drone overrides (mass, thrust, drag, destination, cruise altitude…; docs/drone.md)" },
  "poll-hz": numberOption("poll-hz", `autopilot sensor polls per second (default ${DEFAULT_AUTOPILOT.pollHz})`, { kind: "integer", ...L.pollHz }),
  "busy-bits": numberOption("busy-bits", `busydelay: bits of the primes factored by trial division (default ${DEFAULT_AUTOPILOT.busyBits})`, { kind: "integer", ...L.busyBits }),
};
