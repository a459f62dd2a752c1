// What a flight flies and in what air: its mission (start, route, cruise
// altitude and speed, the autopilot's poll rate) drawn from the flight's
// mission sub-seed, and its environment (steady wind, gusts, sensor noise
// levels) from the environment sub-seed, within the ranges of a named preset.
// Any parameter can be pinned; the others are drawn as if it were not (every
// scalar takes exactly one draw, always, in a fixed order, before the draws
// whose count varies), so pinning one parameter changes no other.
//
// Only +, -, *, / and sqrt: the same draws on every machine. Drawn lengths and
// speeds are rounded to the millimetre (the protocol's three decimals).
// docs/drone.md gives the ranges and why.
import { Prng } from "../drone/prng.js";
import { DEFAULT_DRONE_CONFIG, type Point } from "../drone/config.js";

export interface Range { min: number; max: number }

export interface MissionRanges {
  startM: number;             // start x and y uniform in [-startM, startM]
  legs: Range;                // straight legs of the route (integers): waypoints = legs
  distanceM: Range;           // route length, start to destination along the legs
  maxTurnCos: number;         // cos of the largest heading change between two legs
  cruiseAltitudeM: Range;
  cruiseSpeedMps: Range;
  pollHz: Range;              // integers
}

export interface EnvironmentRanges {
  windMps: Range;             // steady wind speed; its direction is uniform
  gustMps: Range;             // gust standard deviation per horizontal axis
  gustTimeConstantS: Range;
  noiseScale: Range;          // factor on the default sensor noise deviations
}

// enduranceS: the battery (seconds of flight from take-off), well past the longest flight the preset
// meant to arrive makes (docs/drone.md), and below the safety stop, so a drone that neither arrives
// nor crashes on its own (a busydelay autopilot circling on stale sensor lines) comes down as a real
// one would: a crash, recorded, instead of a flight that never ends.
export interface Preset { mission: MissionRanges; environment: EnvironmentRanges; enduranceS: number; maxVirtualSeconds: number }

const ENVIRONMENT: EnvironmentRanges = {
  windMps: { min: 0, max: 3 },
  gustMps: { min: 0, max: 0.6 },
  gustTimeConstantS: { min: 1, max: 4 },
  noiseScale: { min: 0.5, max: 2 },
};

export const PRESETS = {
  // The default: a varied short mission, 8-40 m over 1-3 legs.
  short: {
    mission: {
      startM: 20,
      legs: { min: 1, max: 3 },
      distanceM: { min: 8, max: 40 },
      maxTurnCos: 0, // up to 90 degrees
      cruiseAltitudeM: { min: 2, max: 4.5 },
      cruiseSpeedMps: { min: 2.5, max: 5 },
      pollHz: { min: 25, max: 100 },
    },
    environment: ENVIRONMENT,
    enduranceS: 90,
    maxVirtualSeconds: 120,
  },
  // The published trace's scale: a route of 6-10 legs, 300-340 m, at least 400 000 syscalls.
  long: {
    mission: {
      startM: 20,
      legs: { min: 6, max: 10 },
      distanceM: { min: 300, max: 340 },
      maxTurnCos: 0,
      cruiseAltitudeM: { min: 3, max: 6 },
      cruiseSpeedMps: { min: 4, max: 5 },
      pollHz: { min: 50, max: 60 },
    },
    environment: ENVIRONMENT,
    enduranceS: 400,
    maxVirtualSeconds: 600,
  },
} as const satisfies Record<string, Preset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
export const DEFAULT_PRESET: PresetName = "short";
export const isPreset = (s: unknown): s is PresetName => typeof s === "string" && s in PRESETS;

/** Values that fix a parameter instead of drawing it (all optional). */
export interface MissionPins {
  start?: Point;               // the start (with a pinned route: (0, 0) unless given)
  route?: Point[];             // the whole route; the last point is the destination
  legs?: number;
  distanceM?: number;
  cruiseAltitudeM?: number;
  cruiseSpeedMps?: number;
  pollHz?: number;
}

export interface EnvironmentPins {
  wind?: Point;                // the steady wind as a vector
  windMps?: number;            // its speed only (direction drawn)
  gustMps?: number;
  gustTimeConstantS?: number;
  noiseScale?: number;
  noise?: Partial<NoiseLevels>;
}

export interface NoiseLevels { positionM: number; velocityMps: number; altitudeM: number }

/** What a flight flies: recorded in manifest.json (`mission`). */
export interface Mission {
  preset: PresetName;
  start: Point;
  route: Point[];
  legs: number;
  distanceM: number;
  cruiseAltitudeM: number;
  cruiseSpeedMps: number;
  pollHz: number;
}

/** The air and the sensors: recorded in manifest.json (`environment`). */
export interface Environment {
  windMps: number;
  wind: Point;
  gustMps: number;
  gustTimeConstantS: number;
  noiseScale: number;
  noise: NoiseLevels;
}

const mm = (v: number): number => Math.round(v * 1000) / 1000 + 0; // + 0: no -0
const draw = (rng: Prng, r: Range): number => mm(rng.between(r.min, r.max));

/** The route's length from the start, along its legs. */
export function routeLength(start: Point, route: readonly Point[]): number {
  let d = 0, p = start;
  for (const q of route) {
    const dx = q.x - p.x, dy = q.y - p.y;
    d += Math.sqrt(dx * dx + dy * dy);
    p = q;
  }
  return d;
}

// A route of `legs` straight legs adding up to `distance`: the first heading uniform,
// each next one turned by at most acos(maxTurnCos) either way, leg lengths in
// proportion to 0.5 + U(0, 1). Rounded to the millimetre.
function drawRoute(rng: Prng, start: Point, legs: number, distance: number, maxTurnCos: number): Point[] {
  const weights: number[] = [];
  for (let i = 0; i < legs; i++) weights.push(0.5 + rng.uniform());
  const total = weights.reduce((a, b) => a + b, 0);
  let dir = rng.direction();
  let p = start;
  const route: Point[] = [];
  for (let i = 0; i < legs; i++) {
    if (i > 0) {
      let t = rng.direction();
      while (t.x < maxTurnCos) t = rng.direction();
      dir = { x: dir.x * t.x - dir.y * t.y, y: dir.x * t.y + dir.y * t.x };
    }
    const len = (distance * weights[i]) / total;
    p = { x: p.x + len * dir.x, y: p.y + len * dir.y };
    route.push({ x: mm(p.x), y: mm(p.y) });
  }
  return route;
}

/** The mission of a flight: drawn from `seed` (the mission sub-seed) within the preset's ranges, pins kept. */
export function drawMission(preset: PresetName, seed: number, pins: MissionPins = {}): Mission {
  const r = PRESETS[preset].mission;
  const rng = new Prng(seed);
  // Scalars first, one draw each whether pinned or not (the arguments are evaluated first).
  const pick = <T>(pin: T | undefined, drawn: T): T => (pin === undefined ? drawn : pin);
  const sx = draw(rng, { min: -r.startM, max: r.startM });
  const sy = draw(rng, { min: -r.startM, max: r.startM });
  const legs = pick(pins.legs, rng.int(r.legs.min, r.legs.max));
  const distance = pick(pins.distanceM, draw(rng, r.distanceM));
  const cruiseAltitudeM = pick(pins.cruiseAltitudeM, draw(rng, r.cruiseAltitudeM));
  const cruiseSpeedMps = pick(pins.cruiseSpeedMps, draw(rng, r.cruiseSpeedMps));
  const pollHz = pick(pins.pollHz, rng.int(r.pollHz.min, r.pollHz.max));
  // A pinned route is in absolute coordinates: it starts at the origin unless the start is pinned too.
  const start = pins.start ?? (pins.route ? { x: 0, y: 0 } : { x: sx, y: sy });
  const route = pins.route ?? drawRoute(rng, start, legs, distance, r.maxTurnCos);
  return {
    preset,
    start,
    route,
    legs: route.length,
    distanceM: mm(routeLength(start, route)),
    cruiseAltitudeM,
    cruiseSpeedMps,
    pollHz,
  };
}

/** The environment of a flight: drawn from `seed` (the environment sub-seed) within the preset's ranges, pins kept. */
export function drawEnvironment(preset: PresetName, seed: number, pins: EnvironmentPins = {}): Environment {
  const r = PRESETS[preset].environment;
  const rng = new Prng(seed);
  const pick = (pin: number | undefined, range: Range): number => {
    const drawn = draw(rng, range); // drawn whether pinned or not
    return pin === undefined ? drawn : pin;
  };
  const windMps = pick(pins.windMps, r.windMps);
  const gustMps = pick(pins.gustMps, r.gustMps);
  const gustTimeConstantS = pick(pins.gustTimeConstantS, r.gustTimeConstantS);
  const noiseScale = pick(pins.noiseScale, r.noiseScale);
  const dir = rng.direction();
  const wind = pins.wind ?? { x: mm(windMps * dir.x), y: mm(windMps * dir.y) };
  const base = DEFAULT_DRONE_CONFIG.noise;
  const level = (v: number): number => Math.round(v * noiseScale * 1e5) / 1e5;
  const noise = {
    positionM: pins.noise?.positionM ?? level(base.positionM),
    velocityMps: pins.noise?.velocityMps ?? level(base.velocityMps),
    altitudeM: pins.noise?.altitudeM ?? level(base.altitudeM),
  };
  return {
    windMps: pins.wind ? mm(Math.sqrt(pins.wind.x * pins.wind.x + pins.wind.y * pins.wind.y)) : windMps,
    wind,
    gustMps,
    gustTimeConstantS,
    noiseScale,
    noise,
  };
}
