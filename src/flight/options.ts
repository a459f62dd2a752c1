// A flight's input: plain, serializable options (the CLI and a worker thread
// both build them), checked here once with errors that name the option.
import { isScenario, SCENARIOS, Scenario, AutopilotTuning, DEFAULT_AUTOPILOT, SCENARIO_DEFAULTS } from "./scenarios.js";
import { droneConfig, DroneConfig, DroneConfigInput, DEFAULT_DRONE_CONFIG } from "../drone/index.js";
import { TIMING_MODELS, type TimingModelName } from "../kernel/timing/model.js";

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
  timing?: string;               // the clock's model: "realistic" (default) or "ideal" (docs/timing.md)
}

export const MAX_SEED = 0xffff_ffff;
export const DEFAULT_BAUD = 115200;
export const DEFAULT_MAX_VIRTUAL_SECONDS = 120;
export const DEFAULT_TIMING: TimingModelName = "realistic";

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
  timing: TimingModelName;
}

export function parseSeed(text: string): number {
  if (!/^(0|[1-9][0-9]*)$/.test(text) || Number(text) > MAX_SEED) {
    throw new FlightInputError(`bad seed ${JSON.stringify(text)}: a seed is an integer from 0 to ${MAX_SEED}`);
  }
  return Number(text);
}

export function resolveFlight(o: FlightOptions): ResolvedFlight {
  if (!isScenario(o.scenario)) throw new FlightInputError(`unknown scenario ${JSON.stringify(o.scenario)}: use ${SCENARIOS.join(", ")}`);
  if (!Number.isSafeInteger(o.seed) || o.seed < 0 || o.seed > MAX_SEED) throw new FlightInputError(`bad seed ${String(o.seed)}: a seed is an integer from 0 to ${MAX_SEED}`);
  const baud = o.baud ?? DEFAULT_BAUD;
  if (!Number.isSafeInteger(baud) || baud < 300 || baud > 4_000_000) throw new FlightInputError(`bad baud rate ${String(baud)}: an integer from 300 to 4000000`);
  const maxVirtualSeconds = o.maxVirtualSeconds ?? DEFAULT_MAX_VIRTUAL_SECONDS;
  if (!Number.isFinite(maxVirtualSeconds) || maxVirtualSeconds <= 0 || maxVirtualSeconds > 86_400) {
    throw new FlightInputError(`bad --max-virtual-seconds ${String(maxVirtualSeconds)}: a positive number up to 86400`);
  }
  const timing = o.timing ?? DEFAULT_TIMING;
  if (!(TIMING_MODELS as readonly string[]).includes(timing)) throw new FlightInputError(`bad timing ${JSON.stringify(timing)}: use ${TIMING_MODELS.join(" or ")}`);
  const autopilot = { ...DEFAULT_AUTOPILOT, ...SCENARIO_DEFAULTS[o.scenario].autopilot, ...o.autopilot };
  if (!Number.isSafeInteger(autopilot.pollHz) || autopilot.pollHz < 1 || autopilot.pollHz > 1000) throw new FlightInputError(`bad poll rate ${String(autopilot.pollHz)}: an integer from 1 to 1000 Hz`);
  if (!Number.isSafeInteger(autopilot.busyBits) || autopilot.busyBits < 8 || autopilot.busyBits > 31) throw new FlightInputError(`bad busy bits ${String(autopilot.busyBits)}: an integer from 8 to 31`);
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
  return { scenario: o.scenario, seed: o.seed, baud, maxVirtualSeconds, drone, autopilot, timing: timing as TimingModelName };
}
