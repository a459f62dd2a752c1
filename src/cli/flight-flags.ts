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
import { AUTOPILOTS, DEFAULT_SYSROOT, PYTHON_BITS_LESS } from "../flight/autopilots.js";
import { ANOMALY_KINDS, ANOMALY_PHASES, KINDS, PIN_LIMITS, type AnomalyPins } from "../flight/anomalies/schedule.js";
import { PRESETS, PRESET_NAMES, DEFAULT_PRESET } from "../flight/mission.js";
import { numberOption, type NumberRule } from "./number-option.js";
import { timingOption } from "./timing-option.js";

export { timingOption };

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

// `--anomaly KEY=VALUE,…`: pins of the anomaly schedule (src/flight/anomalies/schedule.ts), the same keys as
// --config's `anomaly` object: phase, episodes, onset, gap, duration and the kinds' parameters. Parsed here
// (syntax); the ranges are resolveFlight's (one line naming the key). A parameter the scenario's kind lacks is
// ignored, so one --anomaly serves a --mix of several kinds.
export function parseAnomalyFlag(v: unknown): AnomalyPins {
  if (Array.isArray(v)) v = v.join(",");
  const out: Record<string, unknown> = {};
  const params: Record<string, number> = {};
  for (const part of String(v).split(",")) {
    const m = /^\s*([A-Za-z]+)\s*=\s*(\S+)\s*$/.exec(part);
    if (!m) throw new Error(`--anomaly: '${part}' is not KEY=VALUE (e.g. --anomaly episodes=3,onset=10,bits=25)`);
    const [, key, text] = m;
    if (key in out || key in params) throw new Error(`--anomaly: ${key} given twice`);
    if (key === "phase") { out.phase = text; continue; }
    if (!(key in PIN_LIMITS)) throw new Error(`--anomaly: unknown key ${key} (phase, ${Object.keys(PIN_LIMITS).join(", ")})`);
    const n = Number(text);
    if (!/^-?[0-9.]+(e-?[0-9]+)?$/i.test(text) || !Number.isFinite(n)) throw new Error(`--anomaly: ${key}=${text} is not a number`);
    if (key === "episodes" || key === "onset" || key === "gap" || key === "duration") out[key] = n;
    else params[key] = n;
  }
  if (Object.keys(params).length) out.params = params;
  return out as AnomalyPins;
}

const KIND_KEYS = ANOMALY_KINDS.map((k) => `${k === "factoring" ? "busydelay" : k === "udp" ? "sockets" : k}: ${KINDS[k].params.map((p) => p.name).join(", ")}`).join("; ");

export const FLIGHT_FLAGS: Record<string, Options> = {
  mission: { type: "string", requiresArg: true, describe: `mission preset whose ranges the mission is drawn from: ${PRESET_NAMES.join(" | ")} (default ${DEFAULT_PRESET}; long: the published trace's scale, 400 000+ syscalls)` },
  ...Object.fromEntries(PIN_FLAGS.map((f) => [f.flag, numberOption(f.flag, f.describe, rule(L[f.key]))])),
  "poll-hz": numberOption("poll-hz", `autopilot sensor polls per second (drawn: ${span(S.pollHz, " Hz")})`, rule(L.pollHz)),
  "busy-bits": numberOption("busy-bits", `busydelay: bits of the primes factored by trial division (drawn per stretch: ${span(KINDS.factoring.params[0].range)}; ` +
    `--autopilot python factors ${PYTHON_BITS_LESS} bits fewer: stalls of the same size)`, rule(L.busyBits)),
  autopilot: { type: "string", requiresArg: true, choices: [...AUTOPILOTS], describe: `the autopilot: c (guest/autopilot.c, static; the default) or python (guest/autopilot.py on the sysroot's Python 3 with pyserial: apt-get install python3 python3-serial)` },
  sysroot: { type: "string", requiresArg: true, describe: `--autopilot python: the folder shown read-only as the guest's / for python3 and pyserial (default ${DEFAULT_SYSROOT}, this machine's)` },
  anomaly: {
    type: "string", requiresArg: true, coerce: parseAnomalyFlag,
    describe: `pins of the anomaly schedule, KEY=VALUE,…: phase (${ANOMALY_PHASES.join(" | ")}: the phase that opens its window), ` +
      `episodes (stretches), onset, gap, duration (polls; spoof: ms), and intensity per stretch (${KIND_KEYS}); the rest is drawn (docs/dataset.md)`,
  },
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
  anomaly?: AnomalyPins;
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
  if (a.anomaly !== undefined) o.anomaly = a.anomaly;
  return o;
}
