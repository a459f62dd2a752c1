// The scenario's physical parameters: the airframe, the mission, the air it
// flies in and the sensors. Every default is explained in docs/drone.md; a
// flight draws its mission and environment (src/flight/mission.ts) and passes
// them here.
import type { SpoofAttack } from "./spoof.js";
import type { GustParams } from "./gusts.js";

export interface Vec3 { x: number; y: number; z: number }
export interface Point { x: number; y: number }

export interface DroneConfig {
  massKg: number;
  // Force of each axis at full throttle. X and Y throttles are in [-1, 1]
  // (push either way); Z is in [0, 1] (rotors only push up).
  maxThrustN: Vec3;
  // Quadratic drag F = -k |v_air| v_air on the velocity relative to the air, k in kg/m
  // (0.5 * air density * Cd * area).
  dragKgPerM: number;
  gravity: number;
  start: Vec3;
  // The waypoints to fly over, in order, on the ground plane; the last one is the destination.
  route: Point[];
  cruiseAltitudeM: number;
  cruiseSpeedMps: number;
  // Steady wind: the air's velocity over the ground, m/s (horizontal).
  wind: Point;
  // Gusts on top of the steady wind (src/drone/gusts.ts); sigma 0 for none.
  gusts: GustParams;
  // Fixed integration step, virtual nanoseconds.
  stepNs: number;
  // A touchdown faster than this (m/s, total speed) is a crash even when landing.
  crashSpeedMps: number;
  // Above this altitude the drone is lost (a crash); null for no ceiling.
  ceilingM: number | null;
  // Seconds of flight on one battery, counted from take-off: then the rotors stop and the drone
  // falls. null for a battery that never runs out. A flight's preset sets it (src/flight/mission.ts).
  enduranceS: number | null;
  // Horizontal distance to a waypoint that counts as having reached it.
  reachRadiusM: number;
  // Standard deviations of the sensor noise.
  noise: { positionM: number; velocityMps: number; altitudeM: number };
  // Seed of the sensor noise, and of the gust series (unsigned 32-bit; src/flight/seeds.ts).
  seed: number;
  gustSeed: number;
  // Telemetry row interval, virtual nanoseconds.
  telemetryIntervalNs: number;
  // A position-spoofing attack (spoof.ts), or none.
  spoof?: SpoofAttack;
}

// At most this many waypoints: the MISSION reply lists them all on one line.
export const MAX_ROUTE_POINTS = 64;

export const DEFAULT_DRONE_CONFIG: Readonly<DroneConfig> = Object.freeze({
  massKg: 1.5,
  maxThrustN: { x: 6, y: 6, z: 30 },
  dragKgPerM: 0.1,
  gravity: 9.81,
  start: { x: 0, y: 0, z: 0 },
  route: [{ x: 8, y: 6 }],
  cruiseAltitudeM: 3,
  cruiseSpeedMps: 4,
  wind: { x: 0, y: 0 },
  gusts: { sigmaMps: 0, timeConstantS: 2 },
  stepNs: 1_000_000,
  crashSpeedMps: 1.5,
  ceilingM: null,
  enduranceS: null,
  reachRadiusM: 1.5,
  noise: { positionM: 0.02, velocityMps: 0.02, altitudeM: 0.01 },
  seed: 1,
  gustSeed: 2,
  telemetryIntervalNs: 10_000_000,
});

export type DroneConfigInput = Partial<Omit<DroneConfig, "maxThrustN" | "start" | "wind" | "gusts" | "noise">> & {
  maxThrustN?: Partial<Vec3>;
  start?: Partial<Vec3>;
  // Shorthand for a route of one waypoint (not together with `route`).
  destination?: Partial<Point>;
  wind?: Partial<Point>;
  gusts?: Partial<GustParams>;
  noise?: Partial<DroneConfig["noise"]>;
};

/** The last waypoint of the route. */
export const destinationOf = (c: Pick<DroneConfig, "route">): Point => c.route[c.route.length - 1];

// Defaults overlaid with `input`, checked: a bad value throws a clear Error.
export function droneConfig(input: DroneConfigInput = {}): DroneConfig {
  const d = DEFAULT_DRONE_CONFIG;
  const { destination, ...rest } = input;
  if (destination !== undefined && input.route !== undefined) throw new Error("drone config: give either destination or route, not both");
  const route = input.route ?? [{ ...destinationOf(d), ...destination }];
  const c: DroneConfig = {
    ...d,
    ...rest,
    maxThrustN: { ...d.maxThrustN, ...input.maxThrustN },
    start: { ...d.start, ...input.start },
    route: Array.isArray(route) ? route.map((p) => ({ x: p?.x, y: p?.y }) as Point) : route,
    wind: { ...d.wind, ...input.wind },
    gusts: { ...d.gusts, ...input.gusts },
    noise: { ...d.noise, ...input.noise },
  } as DroneConfig;
  const pos = (name: string, v: unknown): void => {
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new Error(`drone config: ${name} must be a positive number (got ${String(v)})`);
  };
  const fin = (name: string, v: unknown, min = -Infinity): void => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min) throw new Error(`drone config: ${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ""} (got ${String(v)})`);
  };
  const u32 = (name: string, v: unknown): void => {
    if (!Number.isSafeInteger(v) || (v as number) < 0 || (v as number) > 0xffff_ffff) throw new Error(`drone config: ${name} must be an unsigned 32-bit integer (got ${String(v)})`);
  };
  const ns = (name: string, v: unknown): void => {
    if (!Number.isSafeInteger(v) || (v as number) <= 0) throw new Error(`drone config: ${name} must be a positive integer number of nanoseconds (got ${String(v)})`);
  };
  pos("massKg", c.massKg);
  pos("maxThrustN.x", c.maxThrustN.x); pos("maxThrustN.y", c.maxThrustN.y); pos("maxThrustN.z", c.maxThrustN.z);
  fin("dragKgPerM", c.dragKgPerM, 0);
  pos("gravity", c.gravity);
  fin("start.x", c.start.x); fin("start.y", c.start.y); fin("start.z", c.start.z, 0);
  if (!Array.isArray(c.route) || c.route.length < 1 || c.route.length > MAX_ROUTE_POINTS) {
    throw new Error(`drone config: route must be a list of 1 to ${MAX_ROUTE_POINTS} waypoints {x, y}`);
  }
  c.route.forEach((p, i) => { fin(`route[${i}].x`, p.x); fin(`route[${i}].y`, p.y); });
  pos("cruiseAltitudeM", c.cruiseAltitudeM);
  pos("cruiseSpeedMps", c.cruiseSpeedMps);
  fin("wind.x", c.wind.x); fin("wind.y", c.wind.y);
  fin("gusts.sigmaMps", c.gusts.sigmaMps, 0);
  pos("gusts.timeConstantS", c.gusts.timeConstantS);
  pos("crashSpeedMps", c.crashSpeedMps);
  if (c.ceilingM !== null) pos("ceilingM", c.ceilingM);
  if (c.enduranceS !== null) pos("enduranceS", c.enduranceS);
  pos("reachRadiusM", c.reachRadiusM);
  fin("noise.positionM", c.noise.positionM, 0); fin("noise.velocityMps", c.noise.velocityMps, 0); fin("noise.altitudeM", c.noise.altitudeM, 0);
  u32("seed", c.seed);
  u32("gustSeed", c.gustSeed);
  ns("stepNs", c.stepNs);
  ns("telemetryIntervalNs", c.telemetryIntervalNs);
  if (c.gusts.sigmaMps > 0 && c.gusts.timeConstantS * 1e9 <= c.stepNs) throw new Error("drone config: gusts.timeConstantS must exceed the step");
  if (c.spoof !== undefined) {
    const a = c.spoof;
    if (typeof a !== "object" || a === null || typeof a.phase !== "string" || !Array.isArray(a.windows)) throw new Error("drone config: spoof must be {phase, windows}");
    a.windows.forEach((w, i) => {
      if (!Number.isSafeInteger(w.afterNs) || w.afterNs < 0) throw new Error(`drone config: spoof.windows[${i}].afterNs must be a non-negative integer`);
      ns(`spoof.windows[${i}].durationNs`, w.durationNs);
      fin(`spoof.windows[${i}].offset.x`, w.offset?.x); fin(`spoof.windows[${i}].offset.y`, w.offset?.y);
    });
  }
  if (c.maxThrustN.z <= c.massKg * c.gravity) throw new Error("drone config: maxThrustN.z must exceed the weight (massKg * gravity), or the drone cannot fly");
  return c;
}
