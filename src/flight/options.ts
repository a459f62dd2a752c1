// A flight's input: plain, serializable options (the CLI and a worker thread
// both build them), checked here once with errors that name the option.
import { isScenario, SCENARIOS, Scenario, AutopilotTuning, DEFAULT_AUTOPILOT, SCENARIO_DEFAULTS } from "./scenarios.js";
import { droneConfig, DroneConfig, DroneConfigInput, DEFAULT_DRONE_CONFIG } from "../drone/index.js";

// Drone overrides as JSON holds them: nanosecond fields are plain integers.
export type DroneOverrides = Omit<DroneConfigInput, "stepNs" | "telemetryIntervalNs" | "seed"> & {
  stepNs?: number;
  telemetryIntervalNs?: number;
};

export interface FlightOptions {
  scenario: string;
  seed: number;
  outDir: string;
  baud?: number;                 // serial link speed (115200)
  maxVirtualSeconds?: number;    // safety stop: the flight fails past this much virtual time (120)
  drone?: DroneOverrides;        // physics and mission overrides (docs/drone.md)
  autopilot?: Partial<AutopilotTuning>;
}

export const MAX_SEED = 0xffff_ffff;
export const DEFAULT_BAUD = 115200;
export const DEFAULT_MAX_VIRTUAL_SECONDS = 120;

// What resolveFlight allows; the command line's flags check the same ranges.
export const FLIGHT_LIMITS = {
  seed: { min: 0, max: MAX_SEED },
  baud: { min: 300, max: 4_000_000 },
  maxVirtualSeconds: { above: 0, max: 86_400 },
  pollHz: { min: 1, max: 1000 },
  busyBits: { min: 8, max: 31 },
} as const;
const L = FLIGHT_LIMITS;

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
  baud: number;
  maxVirtualSeconds: number;
  drone: DroneConfig;
  autopilot: AutopilotTuning;
}

export function resolveFlight(o: FlightOptions): ResolvedFlight {
  if (!isScenario(o.scenario)) throw new FlightInputError(`unknown scenario ${JSON.stringify(o.scenario)}: use ${SCENARIOS.join(", ")}`);
  if (!Number.isSafeInteger(o.seed) || o.seed < L.seed.min || o.seed > L.seed.max) throw new FlightInputError(`bad seed ${String(o.seed)}: a seed is an integer from ${L.seed.min} to ${L.seed.max}`);
  const baud = o.baud ?? DEFAULT_BAUD;
  if (!Number.isSafeInteger(baud) || baud < L.baud.min || baud > L.baud.max) throw new FlightInputError(`bad baud rate ${String(baud)}: an integer from ${L.baud.min} to ${L.baud.max}`);
  const maxVirtualSeconds = o.maxVirtualSeconds ?? DEFAULT_MAX_VIRTUAL_SECONDS;
  if (!Number.isFinite(maxVirtualSeconds) || maxVirtualSeconds <= L.maxVirtualSeconds.above || maxVirtualSeconds > L.maxVirtualSeconds.max) {
    throw new FlightInputError(`bad --max-virtual-seconds ${String(maxVirtualSeconds)}: a positive number up to ${L.maxVirtualSeconds.max}`);
  }
  const autopilot = { ...DEFAULT_AUTOPILOT, ...SCENARIO_DEFAULTS[o.scenario].autopilot, ...o.autopilot };
  if (!Number.isSafeInteger(autopilot.pollHz) || autopilot.pollHz < L.pollHz.min || autopilot.pollHz > L.pollHz.max) throw new FlightInputError(`bad poll rate ${String(autopilot.pollHz)}: an integer from ${L.pollHz.min} to ${L.pollHz.max} Hz`);
  if (!Number.isSafeInteger(autopilot.busyBits) || autopilot.busyBits < L.busyBits.min || autopilot.busyBits > L.busyBits.max) throw new FlightInputError(`bad busy bits ${String(autopilot.busyBits)}: an integer from ${L.busyBits.min} to ${L.busyBits.max}`);
  const d = o.drone ?? {};
  const ns = (k: "stepNs" | "telemetryIntervalNs"): bigint | undefined => {
    const v = d[k];
    if (v === undefined) return undefined;
    if (!Number.isSafeInteger(v) || v <= 0) throw new FlightInputError(`drone config: ${k} must be a positive integer number of nanoseconds`);
    return BigInt(v);
  };
  for (const k of Object.keys(d)) {
    if (!(k in DEFAULT_DRONE_CONFIG) || k === "seed") throw new FlightInputError(`drone config: unknown field ${JSON.stringify(k)} (the seed is the flight's)`);
  }
  const { stepNs: _s, telemetryIntervalNs: _t, ...rest } = d;
  const input: DroneConfigInput = { ...rest, seed: o.seed };
  const step = ns("stepNs"), tel = ns("telemetryIntervalNs");
  if (step !== undefined) input.stepNs = step;
  if (tel !== undefined) input.telemetryIntervalNs = tel;
  let drone: DroneConfig;
  try {
    drone = droneConfig(input);
  } catch (e) {
    throw new FlightInputError((e as Error).message);
  }
  return { scenario: o.scenario, seed: o.seed, baud, maxVirtualSeconds, drone, autopilot };
}
