// The scenario's physical parameters: the drone, the mission and the sensors.
// Every default is explained in docs/drone.md.

export interface Vec3 { x: number; y: number; z: number }

export interface DroneConfig {
  massKg: number;
  // Force of each axis at full throttle. X and Y throttles are in [-1, 1]
  // (push either way); Z is in [0, 1] (rotors only push up).
  maxThrustN: Vec3;
  // Quadratic drag F = -k |v| v, k in kg/m (0.5 * air density * Cd * area).
  dragKgPerM: number;
  gravity: number;
  start: Vec3;
  destination: { x: number; y: number };
  cruiseAltitudeM: number;
  // Fixed integration step, virtual nanoseconds.
  stepNs: bigint;
  // A touchdown faster than this (m/s, total speed) is a crash even when landing.
  crashSpeedMps: number;
  // Above this altitude the drone is lost (a crash); null for no ceiling.
  ceilingM: number | null;
  // Horizontal distance to the destination that counts as having reached it.
  reachRadiusM: number;
  // Standard deviations of the sensor noise.
  noise: { positionM: number; velocityMps: number; altitudeM: number };
  // Seed of the sensor noise.
  seed: number;
  // Telemetry row interval, virtual nanoseconds.
  telemetryIntervalNs: bigint;
}

export const DEFAULT_DRONE_CONFIG: Readonly<DroneConfig> = Object.freeze({
  massKg: 1.5,
  maxThrustN: { x: 6, y: 6, z: 30 },
  dragKgPerM: 0.1,
  gravity: 9.81,
  start: { x: 0, y: 0, z: 0 },
  destination: { x: 8, y: 6 },
  cruiseAltitudeM: 3,
  stepNs: 1_000_000n,
  crashSpeedMps: 1.5,
  ceilingM: null,
  reachRadiusM: 1.5,
  noise: { positionM: 0.02, velocityMps: 0.02, altitudeM: 0.01 },
  seed: 1,
  telemetryIntervalNs: 10_000_000n,
});

export type DroneConfigInput = Partial<Omit<DroneConfig, "maxThrustN" | "start" | "destination" | "noise">> & {
  maxThrustN?: Partial<Vec3>;
  start?: Partial<Vec3>;
  destination?: Partial<{ x: number; y: number }>;
  noise?: Partial<DroneConfig["noise"]>;
};

// Defaults overlaid with `input`, checked: a bad value throws a clear Error.
export function droneConfig(input: DroneConfigInput = {}): DroneConfig {
  const d = DEFAULT_DRONE_CONFIG;
  const c: DroneConfig = {
    ...d,
    ...input,
    maxThrustN: { ...d.maxThrustN, ...input.maxThrustN },
    start: { ...d.start, ...input.start },
    destination: { ...d.destination, ...input.destination },
    noise: { ...d.noise, ...input.noise },
  } as DroneConfig;
  const pos = (name: string, v: unknown): void => {
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) throw new Error(`drone config: ${name} must be a positive number (got ${String(v)})`);
  };
  const fin = (name: string, v: unknown, min = -Infinity): void => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min) throw new Error(`drone config: ${name} must be a finite number${min > -Infinity ? ` >= ${min}` : ""} (got ${String(v)})`);
  };
  pos("massKg", c.massKg);
  pos("maxThrustN.x", c.maxThrustN.x); pos("maxThrustN.y", c.maxThrustN.y); pos("maxThrustN.z", c.maxThrustN.z);
  fin("dragKgPerM", c.dragKgPerM, 0);
  pos("gravity", c.gravity);
  fin("start.x", c.start.x); fin("start.y", c.start.y); fin("start.z", c.start.z, 0);
  fin("destination.x", c.destination.x); fin("destination.y", c.destination.y);
  pos("cruiseAltitudeM", c.cruiseAltitudeM);
  pos("crashSpeedMps", c.crashSpeedMps);
  if (c.ceilingM !== null) pos("ceilingM", c.ceilingM);
  pos("reachRadiusM", c.reachRadiusM);
  fin("noise.positionM", c.noise.positionM, 0); fin("noise.velocityMps", c.noise.velocityMps, 0); fin("noise.altitudeM", c.noise.altitudeM, 0);
  if (!Number.isSafeInteger(c.seed)) throw new Error(`drone config: seed must be an integer (got ${String(c.seed)})`);
  if (typeof c.stepNs !== "bigint" || c.stepNs <= 0n) throw new Error("drone config: stepNs must be a positive bigint");
  if (typeof c.telemetryIntervalNs !== "bigint" || c.telemetryIntervalNs <= 0n) throw new Error("drone config: telemetryIntervalNs must be a positive bigint");
  if (c.maxThrustN.z <= c.massKg * c.gravity) throw new Error("drone config: maxThrustN.z must exceed the weight (massKg * gravity), or the drone cannot fly");
  return c;
}
