// A flight's input: plain, serializable options (the CLI and a worker thread
// both build them), checked here once with errors that name the option. The
// flight's seed fans out into sub-seeds (seeds.ts); the mission and the
// environment are drawn from theirs (mission.ts) unless pinned.
import { isScenario, SCENARIOS, Scenario, AutopilotTuning } from "./scenarios.js";
import { checkPins, drawSchedule, kindOf, type AnomalyPins, type AnomalySchedule } from "./anomalies/schedule.js";
import { droneConfig, DroneConfig, DroneConfigInput, Point } from "../drone/index.js";
import type { SpoofAttack } from "../drone/spoof.js";
import { flightSeeds, FlightSeeds } from "./seeds.js";
import { TIMING_MODELS, type TimingModelName } from "../kernel/timing/model.js";
import { AUTOPILOTS, DEFAULT_AUTOPILOT_PROGRAM, DEFAULT_SYSROOT, isAutopilotProgram, pythonMissing, type AutopilotProgram } from "./autopilots.js";
import {
  drawMission, drawEnvironment, isPreset, DEFAULT_PRESET, PRESETS, PRESET_NAMES, Mission, Environment,
  MissionPins, EnvironmentPins, NoiseLevels,
} from "./mission.js";

/**
 * The flight's configuration as JSON holds it (`--config FILE`; the flags set the same keys):
 * the airframe and simulation, the mission and the environment. Every key is optional; a
 * mission or environment key pins that parameter instead of drawing it. docs/drone.md.
 */
export interface FlightConfig {
  // airframe and simulation
  massKg?: number;
  maxThrustN?: Partial<{ x: number; y: number; z: number }>;
  dragKgPerM?: number;
  gravity?: number;
  stepNs?: number;
  crashSpeedMps?: number;
  ceilingM?: number | null;
  enduranceS?: number | null;    // the battery, seconds of flight (the preset's: 90 short, 400 long; null: never runs out)
  reachRadiusM?: number;
  telemetryIntervalNs?: number;
  // mission
  mission?: string;
  start?: Partial<{ x: number; y: number; z: number }>;
  destination?: Point;
  route?: Point[];
  legs?: number;
  distanceM?: number;
  cruiseAltitudeM?: number;
  cruiseSpeedMps?: number;
  pollHz?: number;
  busyBits?: number;
  // environment
  wind?: Point;
  windMps?: number;
  gustMps?: number;
  gustTimeConstantS?: number;
  noiseScale?: number;
  noise?: Partial<NoiseLevels>;
  // anomalies (src/flight/anomalies/schedule.ts): phase, episodes, onset, gap, duration and intensity pins
  anomaly?: Record<string, unknown>;
}

const PHYSICS_KEYS = ["massKg", "maxThrustN", "dragKgPerM", "gravity", "stepNs", "crashSpeedMps", "ceilingM", "enduranceS", "reachRadiusM", "telemetryIntervalNs"] as const;
export const FLIGHT_CONFIG_KEYS: ReadonlyArray<keyof FlightConfig> = [
  ...PHYSICS_KEYS,
  "mission", "start", "destination", "route", "legs", "distanceM", "cruiseAltitudeM", "cruiseSpeedMps", "pollHz", "busyBits",
  "wind", "windMps", "gustMps", "gustTimeConstantS", "noiseScale", "noise", "anomaly",
];

export interface FlightOptions {
  scenario: string;
  seed: number;
  outDir: string;
  baud?: number;                 // serial link speed (115200)
  maxVirtualSeconds?: number;    // safety stop: the flight fails past this much virtual time (the preset's: 120 or 600)
  mission?: string;              // the preset: short (default) | long; wins over drone.mission
  drone?: FlightConfig;          // the --config object and the flags' pins (docs/drone.md)
  autopilot?: Partial<AutopilotTuning>; // wins over drone.pollHz / drone.busyBits
  anomaly?: AnomalyPins;         // the flags' anomaly pins: win over drone.anomaly's
  flightId?: string;             // the per-syscall table's flight_id (default <scenario>-<seed>)
  timing?: string;               // the clock's model: "realistic" (default) or "ideal" (docs/timing.md)
  program?: string;              // the autopilot: "c" (default) or "python" (src/flight/autopilots.ts)
  sysroot?: string;              // the Python autopilot's read-only / (default the host's /)
}

export const MAX_SEED = 0xffff_ffff;
export const DEFAULT_BAUD = 115200;
export const DEFAULT_MAX_VIRTUAL_SECONDS = PRESETS[DEFAULT_PRESET].maxVirtualSeconds;
export const DEFAULT_TIMING: TimingModelName = "realistic";

/** A range of values: integers or reals from min to max; `above` instead of min excludes the bound. */
export type Limit = { kind: "integer" | "real"; min: number; max: number } | { kind: "real"; above: number; max: number };

// What resolveFlight allows; the command line's flags check the same ranges. The pins' ranges
// are wider than the presets' draws (docs/drone.md): a pin may go where no draw goes, as long
// as the simulation still means something.
export const FLIGHT_LIMITS = {
  seed: { kind: "integer", min: 0, max: MAX_SEED },
  baud: { kind: "integer", min: 300, max: 4_000_000 },
  maxVirtualSeconds: { kind: "real", above: 0, max: 86_400 },
  pollHz: { kind: "integer", min: 1, max: 200 },     // the drone streams at most 200 lines a second, one per poll
  busyBits: { kind: "integer", min: 8, max: 31 },
  legs: { kind: "integer", min: 1, max: 64 },         // the MISSION reply carries at most 64 waypoints
  distanceM: { kind: "real", above: 0, max: 10_000 },
  cruiseAltitudeM: { kind: "real", above: 0, max: 1000 },
  cruiseSpeedMps: { kind: "real", above: 0, max: 20 },
  windMps: { kind: "real", min: 0, max: 30 },
  gustMps: { kind: "real", min: 0, max: 10 },
  gustTimeConstantS: { kind: "real", min: 0.1, max: 600 },
  noiseScale: { kind: "real", min: 0, max: 100 },
} as const satisfies Record<string, Limit>;
const L = FLIGHT_LIMITS;

// A flight id: what the per-syscall table's flight_id holds (and generate's flight folders are named).
const FLIGHT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** What a limit allows, in words (as the command line says it: number-option.ts). */
export function allowedBy(l: Limit): string {
  const what = l.kind === "real" ? "a number" : "an integer";
  return "above" in l ? `${what} above ${l.above} and at most ${l.max}` : `${what} from ${l.min} to ${l.max}`;
}

export function withinLimit(v: unknown, l: Limit): v is number {
  if (typeof v !== "number" || !Number.isFinite(v) || (l.kind === "integer" && !Number.isSafeInteger(v))) return false;
  return ("above" in l ? v > l.above : v >= l.min) && v <= l.max;
}

// Bad input: the CLI's exit status 2.
export class FlightInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FlightInputError";
  }
}

export interface ResolvedFlight {
  scenario: Scenario;
  seed: number;
  flightId: string;
  baud: number;
  maxVirtualSeconds: number;
  seeds: FlightSeeds;
  mission: Mission;
  environment: Environment;
  drone: DroneConfig;
  autopilot: { pollHz: number };
  /** The anomaly schedule drawn (null: a normal flight). */
  anomalies: AnomalySchedule | null;
  timing: TimingModelName;
  program: AutopilotProgram;
  sysroot?: string;              // the Python autopilot's only
}

// The checks of each pin: key, its flag (if any), what it must be.
const FLAG: Partial<Record<keyof FlightConfig, string>> = {
  mission: "--mission", legs: "--legs", distanceM: "--distance", cruiseAltitudeM: "--cruise-altitude", cruiseSpeedMps: "--speed",
  pollHz: "--poll-hz", busyBits: "--busy-bits", windMps: "--wind", gustMps: "--gusts", noiseScale: "--noise",
};
const label = (k: keyof FlightConfig): string => (FLAG[k] ? `${k} (${FLAG[k]})` : k);

function checkNumber(k: keyof FlightConfig & keyof typeof FLIGHT_LIMITS, v: unknown, unit = ""): number {
  if (!withinLimit(v, L[k])) throw new FlightInputError(`bad ${label(k)} ${typeof v === "number" ? String(v) : JSON.stringify(v)}: ${allowedBy(L[k])}${unit}`);
  return v;
}

function checkPoint(k: string, v: unknown, limit = 1e6): Point {
  const p = v as Point;
  if (typeof v !== "object" || v === null || Array.isArray(v) || Object.keys(v).some((x) => x !== "x" && x !== "y")
      || ![p.x, p.y].every((n) => typeof n === "number" && Number.isFinite(n) && Math.abs(n) <= limit)) {
    throw new FlightInputError(`bad ${k} ${JSON.stringify(v)}: an object {"x": …, "y": …} of numbers within ±${limit}`);
  }
  return { x: p.x, y: p.y };
}

const has = (o: object, k: string): boolean => (o as Record<string, unknown>)[k] !== undefined;

// The pins a config holds, checked (ranges wider than the presets' draws: a pin may go
// where no draw goes, as long as the simulation still means something).
function pinsOf(c: FlightConfig, autopilot: Partial<AutopilotTuning>): { mission: MissionPins; environment: EnvironmentPins } {
  const m: MissionPins = {};
  const e: EnvironmentPins = {};
  if (has(c, "route") && has(c, "destination")) throw new FlightInputError("give either route or destination in --config, not both");
  const routed = has(c, "route") || has(c, "destination");
  if (routed && (has(c, "legs") || has(c, "distanceM"))) throw new FlightInputError("a pinned route (route or destination) fixes legs and distanceM: give one or the other");
  if (has(c, "wind") && has(c, "windMps")) throw new FlightInputError("give either wind (a vector) or windMps (--wind, a speed), not both");
  if (has(c, "start")) {
    const s = c.start as Record<string, unknown>;
    if (typeof s !== "object" || s === null || Array.isArray(s)) throw new FlightInputError(`bad start ${JSON.stringify(c.start)}: an object {"x": …, "y": …}`);
    m.start = checkPoint("start", { x: s.x ?? 0, y: s.y ?? 0 });
  }
  if (has(c, "route")) {
    if (!Array.isArray(c.route) || c.route.length < 1 || c.route.length > L.legs.max) throw new FlightInputError(`bad route: a list of 1 to ${L.legs.max} waypoints {"x": …, "y": …}`);
    m.route = c.route.map((p, i) => checkPoint(`route[${i}]`, p));
  }
  if (has(c, "destination")) m.route = [checkPoint("destination", c.destination)];
  if (has(c, "legs")) m.legs = checkNumber("legs", c.legs);
  if (has(c, "distanceM")) m.distanceM = checkNumber("distanceM", c.distanceM, " (metres)");
  if (has(c, "cruiseAltitudeM")) m.cruiseAltitudeM = checkNumber("cruiseAltitudeM", c.cruiseAltitudeM, " (metres)");
  if (has(c, "cruiseSpeedMps")) m.cruiseSpeedMps = checkNumber("cruiseSpeedMps", c.cruiseSpeedMps, " (m/s)");
  const pollHz = autopilot.pollHz ?? c.pollHz;
  if (pollHz !== undefined) m.pollHz = checkNumber("pollHz", pollHz, " (Hz)");
  if (has(c, "wind")) e.wind = checkPoint("wind", c.wind, L.windMps.max);
  if (has(c, "windMps")) e.windMps = checkNumber("windMps", c.windMps, " (m/s)");
  if (has(c, "gustMps")) e.gustMps = checkNumber("gustMps", c.gustMps, " (m/s)");
  if (has(c, "gustTimeConstantS")) e.gustTimeConstantS = checkNumber("gustTimeConstantS", c.gustTimeConstantS, " (seconds)");
  if (has(c, "noiseScale")) e.noiseScale = checkNumber("noiseScale", c.noiseScale);
  if (has(c, "noise")) {
    const n = c.noise as Record<string, unknown>;
    if (typeof n !== "object" || n === null || Array.isArray(n)) throw new FlightInputError(`bad noise ${JSON.stringify(c.noise)}: an object of positionM, velocityMps, altitudeM`);
    e.noise = {};
    for (const [k, v] of Object.entries(n)) {
      if (k !== "positionM" && k !== "velocityMps" && k !== "altitudeM") throw new FlightInputError(`bad noise: unknown field ${JSON.stringify(k)} (positionM, velocityMps, altitudeM)`);
      if (typeof v !== "number" || !Number.isFinite(v) || v < 0 || v > 100) throw new FlightInputError(`bad noise.${k} ${JSON.stringify(v)}: a standard deviation from 0 to 100`);
      e.noise[k] = v;
    }
  }
  return { mission: m, environment: e };
}

export function resolveFlight(o: FlightOptions): ResolvedFlight {
  if (!isScenario(o.scenario)) throw new FlightInputError(`unknown scenario ${JSON.stringify(o.scenario)}: use ${SCENARIOS.join(", ")}`);
  if (!withinLimit(o.seed, L.seed)) throw new FlightInputError(`bad seed ${String(o.seed)}: a seed is ${allowedBy(L.seed)}`);
  const c: FlightConfig = o.drone ?? {};
  if (typeof c !== "object" || c === null || Array.isArray(c)) throw new FlightInputError("the flight configuration must be a JSON object (docs/drone.md)");
  for (const k of Object.keys(c)) {
    if (!(FLIGHT_CONFIG_KEYS as readonly string[]).includes(k)) {
      throw new FlightInputError(`--config: unknown field ${JSON.stringify(k)}${k === "seed" || k === "gustSeed" ? " (the seeds are the flight's: --seed)" : ""}; fields: ${FLIGHT_CONFIG_KEYS.join(", ")}`);
    }
  }
  const presetName = o.mission ?? c.mission ?? DEFAULT_PRESET;
  if (!isPreset(presetName)) throw new FlightInputError(`bad ${label("mission")} ${JSON.stringify(presetName)}: use ${PRESET_NAMES.join(", ")}`);
  const baud = o.baud ?? DEFAULT_BAUD;
  if (!withinLimit(baud, L.baud)) throw new FlightInputError(`bad baud rate ${String(baud)}: ${allowedBy(L.baud)}`);
  const maxVirtualSeconds = o.maxVirtualSeconds ?? PRESETS[presetName].maxVirtualSeconds;
  const timing = o.timing ?? DEFAULT_TIMING;
  if (!(TIMING_MODELS as readonly string[]).includes(timing)) throw new FlightInputError(`bad timing ${JSON.stringify(timing)}: use ${TIMING_MODELS.join(" or ")}`);
  if (!withinLimit(maxVirtualSeconds, L.maxVirtualSeconds)) throw new FlightInputError(`bad --max-virtual-seconds ${String(maxVirtualSeconds)}: ${allowedBy(L.maxVirtualSeconds)}`);
  const program = o.program ?? DEFAULT_AUTOPILOT_PROGRAM;
  if (!isAutopilotProgram(program)) throw new FlightInputError(`bad autopilot ${JSON.stringify(program)}: use ${AUTOPILOTS.join(" or ")}`);
  if (o.sysroot !== undefined && program !== "python") throw new FlightInputError("--sysroot is for --autopilot python (the C autopilot is static)");
  const sysroot = program === "python" ? o.sysroot ?? DEFAULT_SYSROOT : undefined;
  const missing = sysroot === undefined ? null : pythonMissing(sysroot);
  if (missing) throw new FlightInputError(missing);
  const tuning = o.autopilot ?? {};
  const busyBits = tuning.busyBits ?? c.busyBits;
  if (busyBits !== undefined) checkNumber("busyBits", busyBits);
  const pins = pinsOf(c, tuning);
  let anomalyPins: AnomalyPins;
  try {
    const fromConfig = c.anomaly === undefined ? {} : checkPins(c.anomaly);
    const fromFlags = o.anomaly === undefined ? {} : checkPins({ ...o.anomaly, ...o.anomaly.params, params: undefined });
    anomalyPins = { ...fromConfig, ...fromFlags, params: { ...fromConfig.params, ...(busyBits !== undefined ? { bits: busyBits } : {}), ...fromFlags.params } };
  } catch (e) {
    throw new FlightInputError((e as Error).message);
  }
  const seeds = flightSeeds(o.seed);
  const kind = kindOf(o.scenario);
  const anomalies = kind ? drawSchedule(kind, seeds.anomalies, anomalyPins) : null;
  const mission = drawMission(presetName, seeds.mission, pins.mission);
  const environment = drawEnvironment(presetName, seeds.environment, pins.environment);
  const input: DroneConfigInput = {
    start: { x: mission.start.x, y: mission.start.y, z: (c.start as { z?: number } | undefined)?.z ?? 0 },
    route: mission.route,
    cruiseAltitudeM: mission.cruiseAltitudeM,
    cruiseSpeedMps: mission.cruiseSpeedMps,
    wind: environment.wind,
    gusts: { sigmaMps: environment.gustMps, timeConstantS: environment.gustTimeConstantS },
    noise: environment.noise,
    seed: seeds.noise,
    gustSeed: seeds.gusts,
    enduranceS: PRESETS[presetName].enduranceS,
    ...(anomalies?.kind === "spoof" ? { spoof: spoofAttack(anomalies) } : {}),
  };
  for (const k of PHYSICS_KEYS) if (c[k] !== undefined) (input as Record<string, unknown>)[k] = c[k];
  let drone: DroneConfig;
  try {
    drone = droneConfig(input);
  } catch (e) {
    throw new FlightInputError((e as Error).message);
  }
  const flightId = o.flightId ?? `${o.scenario}-${o.seed}`;
  if (typeof flightId !== "string" || !FLIGHT_ID.test(flightId)) throw new FlightInputError(`bad flight id ${JSON.stringify(flightId)}: 1 to 64 letters, digits, '.', '_' or '-'`);
  return { scenario: o.scenario, seed: o.seed, flightId, baud, maxVirtualSeconds, seeds, mission, environment, drone, autopilot: { pollHz: mission.pollHz }, anomalies, timing: timing as TimingModelName,
    program, ...(sysroot === undefined ? {} : { sysroot }) };
}

// The drone's side of a spoof schedule: its stretches in ns from the phase report.
function spoofAttack(s: AnomalySchedule): SpoofAttack {
  return {
    phase: s.phase,
    windows: s.stretches.map((x) => ({ afterNs: x.start * 1_000_000, durationNs: x.duration * 1_000_000, offset: { x: x.params.dxM, y: x.params.dyM } })),
  };
}
