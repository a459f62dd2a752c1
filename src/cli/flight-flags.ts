// The flight options that `fly` and `generate` share, declared once with the
// ranges resolveFlight allows (FLIGHT_LIMITS, src/flight/options.ts). Each
// pin flag fixes one parameter of the mission or the environment: the same
// key as in the --config JSON, which the flag overrides.
import { readFileSync } from "node:fs";
import type { Options } from "yargs";
import {
  DEFAULT_BAUD, DEFAULT_MAX_VIRTUAL_SECONDS, DEFAULT_TIMING, FLIGHT_LIMITS as L, FlightInputError,
  type FlightConfig, type FlightOptions, type Limit,
} from "../flight/options.js";
import { DEFAULT_AUTOPILOT } from "../flight/scenarios.js";
import { AUTOPILOTS, DEFAULT_SYSROOT, PYTHON_BUSY_BITS } from "../flight/autopilots.js";
import { PRESETS, PRESET_NAMES, DEFAULT_PRESET } from "../flight/mission.js";
import { numberOption, type NumberRule } from "./number-option.js";
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

const rule = (l: Limit): NumberRule => ("above" in l ? { kind: l.kind, min: l.above, aboveMin: true, max: l.max } : { kind: l.kind, min: l.min, max: l.max });
const S = PRESETS.short.mission, E = PRESETS.short.environment;
const span = (r: { min: number; max: number }, unit = ""): string => `${r.min}–${r.max}${unit}`;

// The pin flags: flag (kebab-case), its yargs key (camelCase), the config key it pins, its help.
export const PIN_FLAGS = [
  { flag: "legs", arg: "legs", key: "legs", describe: `legs of the route, i.e. its number of waypoints (drawn: ${span(S.legs)})` },
  { flag: "distance", arg: "distance", key: "distanceM", describe: `route length in metres (drawn: ${span(S.distanceM, " m")})` },
  { flag: "cruise-altitude", arg: "cruiseAltitude", key: "cruiseAltitudeM", describe: `cruise altitude in metres (drawn: ${span(S.cruiseAltitudeM, " m")})` },
  { flag: "speed", arg: "speed", key: "cruiseSpeedMps", describe: `cruise speed in m/s (drawn: ${span(S.cruiseSpeedMps, " m/s")})` },
  { flag: "wind", arg: "wind", key: "windMps", describe: `steady wind speed in m/s, its direction drawn (drawn: ${span(E.windMps, " m/s")})` },
  { flag: "gusts", arg: "gusts", key: "gustMps", describe: `gust standard deviation in m/s (drawn: ${span(E.gustMps, " m/s")})` },
  { flag: "noise", arg: "noise", key: "noiseScale", describe: `factor on the default sensor noise (drawn: ${span(E.noiseScale)})` },
] as const;

export const FLIGHT_FLAGS: Record<string, Options> = {
  mission: { type: "string", requiresArg: true, describe: `mission preset whose ranges the mission is drawn from: ${PRESET_NAMES.join(" | ")} (default ${DEFAULT_PRESET}; long: the published trace's scale, 400 000+ syscalls)` },
  ...Object.fromEntries(PIN_FLAGS.map((f) => [f.flag, numberOption(f.flag, f.describe, rule(L[f.key]))])),
  "poll-hz": numberOption("poll-hz", `autopilot sensor polls per second (drawn: ${span(S.pollHz, " Hz")})`, rule(L.pollHz)),
  "busy-bits": numberOption("busy-bits", `busydelay: bits of the primes factored by trial division (default ${DEFAULT_AUTOPILOT.busyBits}; ${PYTHON_BUSY_BITS} with --autopilot python, stalls as long)`, rule(L.busyBits)),
  autopilot: { type: "string", requiresArg: true, choices: [...AUTOPILOTS], describe: `the autopilot: c (guest/autopilot.c, static; the default) or python (guest/autopilot.py on the sysroot's Python 3 with pyserial: apt-get install python3 python3-serial)` },
  sysroot: { type: "string", requiresArg: true, describe: `--autopilot python: the folder shown read-only as the guest's / for python3 and pyserial (default ${DEFAULT_SYSROOT}, this machine's)` },
  config: { type: "string", requiresArg: true, describe: "JSON file of flight parameters: airframe, mission, environment (docs/drone.md); a flag wins over it" },
  baud: numberOption("baud", `serial link speed (default ${DEFAULT_BAUD})`, rule(L.baud)),
  "max-virtual-seconds": numberOption("max-virtual-seconds",
    `safety stop: fail if the flight has not ended after this much virtual time (default ${DEFAULT_MAX_VIRTUAL_SECONDS}; ${PRESETS.long.maxVirtualSeconds} for --mission long)`,
    rule(L.maxVirtualSeconds)),
  timing: timingOption(`the clock (default ${DEFAULT_TIMING}): realistic adds what a real machine adds to each instruction and syscall, ` +
    "measured on one (timer interrupts, syscall costs with their spread, wake-up latencies, context switches, cache refills), " +
    "seeded by the flight's seed; ideal is 1 instruction = 1 ns and 200 ns per syscall, nothing else (docs/timing.md)"),
};

/** What the flight flags parse to. */
export type FlightFlagArgs = { [K in (typeof PIN_FLAGS)[number]["arg"]]?: number } & {
  mission?: string;
  config?: string;
  pollHz?: number;
  busyBits?: number;
  baud?: number;
  maxVirtualSeconds?: number;
  timing?: string;
  autopilot?: string;
  sysroot?: string;
};

/** The --config file as an object (not checked beyond being one: resolveFlight checks every field). */
export function readFlightConfig(file: string): FlightConfig {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new FlightInputError(`--config ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new FlightInputError(`--config ${file}: expected a JSON object of flight parameters (docs/drone.md)`);
  return v as FlightConfig;
}

/** The flight options the flags give (beside scenario, seed and folder), as plain JSON. */
export function flagOptions(a: FlightFlagArgs): Omit<FlightOptions, "scenario" | "seed" | "outDir"> {
  const o: Omit<FlightOptions, "scenario" | "seed" | "outDir"> = {};
  if (a.baud !== undefined) o.baud = a.baud;
  if (a.maxVirtualSeconds !== undefined) o.maxVirtualSeconds = a.maxVirtualSeconds;
  if (a.mission !== undefined) o.mission = a.mission;
  if (a.timing !== undefined) o.timing = a.timing;
  if (a.autopilot !== undefined) o.program = a.autopilot;
  if (a.sysroot !== undefined) o.sysroot = a.sysroot;
  const config: Record<string, unknown> = a.config !== undefined ? { ...readFlightConfig(a.config) } : {};
  for (const f of PIN_FLAGS) if (a[f.arg] !== undefined) config[f.key] = a[f.arg];
  if (Object.keys(config).length) o.drone = config as FlightConfig;
  const autopilot: Record<string, number> = {};
  if (a.pollHz !== undefined) autopilot.pollHz = a.pollHz;
  if (a.busyBits !== undefined) autopilot.busyBits = a.busyBits;
  if (Object.keys(autopilot).length) o.autopilot = autopilot;
  return o;
}
