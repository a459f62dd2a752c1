// The flight flags `fly` and `generate` share: each pins one parameter of the
// mission or the environment (the same key as in the --config JSON, which it
// overrides), plus the --config file itself. Checked by resolveFlight.
import { readFileSync } from "node:fs";
import type { Argv } from "yargs";
import { FlightInputError, type FlightConfig, type FlightOptions } from "../flight/options.js";
import { PRESETS, PRESET_NAMES, DEFAULT_PRESET } from "../flight/mission.js";
import { DEFAULT_AUTOPILOT } from "../flight/scenarios.js";

const S = PRESETS.short.mission, E = PRESETS.short.environment;
const span = (r: { min: number; max: number }, unit = ""): string => `${r.min}–${r.max}${unit}`;

// flag (kebab-case), its yargs key (camelCase), the config key it pins, and its help.
export const PIN_FLAGS = [
  { flag: "legs", arg: "legs", key: "legs", describe: `legs of the route, i.e. its number of waypoints (drawn: ${span(S.legs)})` },
  { flag: "distance", arg: "distance", key: "distanceM", describe: `route length in metres (drawn: ${span(S.distanceM, " m")})` },
  { flag: "cruise-altitude", arg: "cruiseAltitude", key: "cruiseAltitudeM", describe: `cruise altitude in metres (drawn: ${span(S.cruiseAltitudeM, " m")})` },
  { flag: "speed", arg: "speed", key: "cruiseSpeedMps", describe: `cruise speed in m/s (drawn: ${span(S.cruiseSpeedMps, " m/s")})` },
  { flag: "wind", arg: "wind", key: "windMps", describe: `steady wind speed in m/s, direction drawn (drawn: ${span(E.windMps, " m/s")})` },
  { flag: "gusts", arg: "gusts", key: "gustMps", describe: `gust standard deviation in m/s (drawn: ${span(E.gustMps, " m/s")})` },
  { flag: "noise", arg: "noise", key: "noiseScale", describe: `factor on the default sensor noise (drawn: ${span(E.noiseScale)})` },
] as const;

export type PinArgs = { [K in (typeof PIN_FLAGS)[number]["arg"]]?: number } & {
  mission?: string;
  config?: string;
  pollHz?: number;
  busyBits?: number;
};

/** Declares --mission, the pin flags, --poll-hz, --busy-bits and --config on a command. */
export function flightFlags<T>(y: Argv<T>, asFly: boolean): Argv<T> {
  const pre = asFly ? "" : "flight option, as fly's: ";
  let z = y
    .option("mission", { type: "string", requiresArg: true, describe: `${pre}mission preset: ${PRESET_NAMES.join(" | ")} (default ${DEFAULT_PRESET}; long: the published trace's scale, 400 000+ syscalls)` })
    .option("config", { type: "string", requiresArg: true, describe: `${pre}JSON file of flight parameters: airframe, mission, environment (docs/drone.md); a flag wins over it` });
  // requiresArg: a flag without its value is an error, not a silent draw.
  for (const f of PIN_FLAGS) z = z.option(f.flag, { type: "number", requiresArg: true, describe: pre + f.describe });
  return z
    .option("poll-hz", { type: "number", requiresArg: true, describe: `${pre}autopilot sensor polls per second (drawn: ${span(S.pollHz, " Hz")})` })
    .option("busy-bits", { type: "number", requiresArg: true, describe: `${pre}busydelay: bits of the primes factored by trial division (default ${DEFAULT_AUTOPILOT.busyBits})` }) as Argv<T>;
}

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
export function flagOptions(a: PinArgs): Pick<FlightOptions, "mission" | "drone" | "autopilot"> {
  const o: Pick<FlightOptions, "mission" | "drone" | "autopilot"> = {};
  if (a.mission !== undefined) o.mission = a.mission;
  const config: Record<string, unknown> = a.config !== undefined ? { ...readFlightConfig(a.config) } : {};
  for (const f of PIN_FLAGS) if (a[f.arg] !== undefined) config[f.key] = a[f.arg];
  if (Object.keys(config).length) o.drone = config as FlightConfig;
  const autopilot: Record<string, number> = {};
  if (a.pollHz !== undefined) autopilot.pollHz = a.pollHz;
  if (a.busyBits !== undefined) autopilot.busyBits = a.busyBits;
  if (Object.keys(autopilot).length) o.autopilot = autopilot;
  return o;
}
