// The drone: a point mass pushed by three throttled thrusters, pulled by gravity
// and quadratic drag, integrated at a fixed step in virtual time. It only moves
// when asked (advanceTo), so a flight is a pure function of the commands it gets
// and the virtual times they arrive at.
import { DroneConfig, Vec3 } from "./config.js";
import { Prng } from "./prng.js";
import { TruthPhaseTracker } from "./truth-phase.js";

// GROUNDED: on the ground before take-off. FLYING: airborne. LANDED and CRASHED
// are final: the flight is over and throttles no longer act.
export type DroneStatus = "GROUNDED" | "FLYING" | "LANDED" | "CRASHED";

export interface Throttles { x: number; y: number; z: number }

export interface SensorReading {
  position: Vec3;
  velocity: Vec3;
  altitude: number;
  status: DroneStatus;
}

export interface TelemetryRow {
  timeNs: bigint;
  position: Vec3;
  velocity: Vec3;
  throttles: Throttles;
  status: DroneStatus;
  autopilotState: string;
}

export interface Outcome {
  reachedDestination: boolean;
  landed: boolean;
  crashed: boolean;
  crashReason: string | null;
  status: DroneStatus;
  timeNs: bigint;
  position: Vec3;
  speedMps: number;
  distanceToDestinationM: number;
  maxAltitudeM: number;
  autopilotState: string;
}

// The autopilot state the drone treats as "landing": a soft touchdown then is a landing.
export const LANDING_STATE = "LANDING";

export class Drone {
  readonly config: DroneConfig;
  private t = 0n;
  private p: Vec3;
  private v: Vec3 = { x: 0, y: 0, z: 0 };
  private u: Throttles = { x: 0, y: 0, z: 0 };
  private st: DroneStatus;
  private apState = "NONE";
  private reached = false;
  private crashWhy: string | null = null;
  private maxAlt: number;
  private nextTelemetryNs = 0n;
  private readonly rows: TelemetryRow[] = [];
  private readonly noise: Prng;
  private readonly dt: number;
  // The physical phase at every step (ground truth for the recordings, truth-phase.ts).
  readonly truth = new TruthPhaseTracker();

  constructor(config: DroneConfig) {
    this.config = config;
    this.p = { ...config.start };
    this.st = config.start.z > 0 ? "FLYING" : "GROUNDED";
    this.maxAlt = this.p.z;
    this.noise = new Prng(config.seed);
    this.dt = Number(config.stepNs) / 1e9;
    this.checkReached();
    this.record();
    this.truth.observe(0, this.st, this.v.z);
  }

  get timeNs(): bigint { return this.t; }
  get status(): DroneStatus { return this.st; }
  get autopilotState(): string { return this.apState; }
  get throttles(): Throttles { return { ...this.u }; }
  get position(): Vec3 { return { ...this.p }; }
  get velocity(): Vec3 { return { ...this.v }; }
  get finished(): boolean { return this.st === "LANDED" || this.st === "CRASHED"; }
  get telemetry(): readonly TelemetryRow[] { return this.rows; }

  // Integrate up to virtual time `ns` (whole steps; a time in the past is a no-op).
  advanceTo(ns: bigint): void {
    const step = this.config.stepNs;
    while (this.t + step <= ns) {
      this.step();
      this.t += step;
      this.truth.observe(Number(this.t), this.st, this.v.z);
      if (this.t >= this.nextTelemetryNs) this.record();
    }
  }

  // Throttles act from virtual time `atNs` on. Values must be in range
  // (x, y in [-1, 1], z in [0, 1]); the protocol rejects others before this.
  setThrottles(u: Throttles, atNs: bigint): void {
    this.advanceTo(atNs);
    if (!throttlesInRange(u)) throw new RangeError("throttles out of range");
    this.u = { ...u };
  }

  setAutopilotState(name: string, atNs: bigint): void {
    this.advanceTo(atNs);
    this.apState = name;
  }

  // What the sensors read at `atNs`: the true state plus seeded Gaussian noise.
  sense(atNs: bigint): SensorReading {
    this.advanceTo(atNs);
    const n = this.config.noise;
    const g = (sd: number): number => (sd === 0 ? 0 : sd * this.noise.normal());
    return {
      position: { x: this.p.x + g(n.positionM), y: this.p.y + g(n.positionM), z: this.p.z + g(n.positionM) },
      velocity: { x: this.v.x + g(n.velocityMps), y: this.v.y + g(n.velocityMps), z: this.v.z + g(n.velocityMps) },
      altitude: Math.max(0, this.p.z + g(n.altitudeM)),
      status: this.st,
    };
  }

  outcome(): Outcome {
    return {
      reachedDestination: this.reached,
      landed: this.st === "LANDED",
      crashed: this.st === "CRASHED",
      crashReason: this.crashWhy,
      status: this.st,
      timeNs: this.t,
      position: { ...this.p },
      speedMps: Math.hypot(this.v.x, this.v.y, this.v.z),
      distanceToDestinationM: this.horizontalDistance(),
      maxAltitudeM: this.maxAlt,
      autopilotState: this.apState,
    };
  }

  private step(): void {
    if (this.finished) return;
    const c = this.config;
    const m = c.massKg;
    const fz = this.u.z * c.maxThrustN.z;
    if (this.st === "GROUNDED") {
      // The ground holds the drone until the rotors out-push its weight.
      if (fz <= m * c.gravity) return;
      this.st = "FLYING";
    }
    const dt = this.dt;
    const v = this.v;
    const speed = Math.hypot(v.x, v.y, v.z);
    const k = c.dragKgPerM * speed;
    const ax = (this.u.x * c.maxThrustN.x - k * v.x) / m;
    const ay = (this.u.y * c.maxThrustN.y - k * v.y) / m;
    const az = (fz - k * v.z) / m - c.gravity;
    // Semi-implicit Euler: velocity first, then position with the new velocity.
    v.x += ax * dt; v.y += ay * dt; v.z += az * dt;
    this.p.x += v.x * dt; this.p.y += v.y * dt; this.p.z += v.z * dt;
    if (this.p.z > this.maxAlt) this.maxAlt = this.p.z;
    if (this.p.z <= 0) this.touchdown();
    else if (c.ceilingM !== null && this.p.z > c.ceilingM) this.crash(`above the ceiling of ${c.ceilingM} m`);
    if (this.st !== "CRASHED") this.checkReached();
  }

  private touchdown(): void {
    const speed = Math.hypot(this.v.x, this.v.y, this.v.z);
    this.p.z = 0;
    if (this.apState !== LANDING_STATE) this.crash(`ground contact at ${speed.toFixed(2)} m/s while ${this.apState}`);
    else if (speed > this.config.crashSpeedMps) this.crash(`touchdown at ${speed.toFixed(2)} m/s > ${this.config.crashSpeedMps} m/s`);
    else this.st = "LANDED";
    this.v = { x: 0, y: 0, z: 0 };
  }

  private crash(why: string): void {
    this.st = "CRASHED";
    this.crashWhy = why;
    this.v = { x: 0, y: 0, z: 0 };
  }

  private horizontalDistance(): number {
    return Math.hypot(this.p.x - this.config.destination.x, this.p.y - this.config.destination.y);
  }

  private checkReached(): void {
    if (!this.reached && this.horizontalDistance() <= this.config.reachRadiusM) this.reached = true;
  }

  private record(): void {
    this.rows.push({
      timeNs: this.t,
      position: { ...this.p },
      velocity: { ...this.v },
      throttles: { ...this.u },
      status: this.st,
      autopilotState: this.apState,
    });
    const iv = this.config.telemetryIntervalNs;
    this.nextTelemetryNs = (this.t / iv + 1n) * iv;
  }
}

export function throttlesInRange(u: Throttles): boolean {
  const ok = (a: number, lo: number): boolean => Number.isFinite(a) && a >= lo && a <= 1;
  return ok(u.x, -1) && ok(u.y, -1) && ok(u.z, 0);
}
