// The drone: a point mass pushed by three throttled thrusters, pulled by gravity
// and quadratic drag through the moving air (steady wind plus gusts), integrated
// at a fixed step in virtual time. It only moves when asked (advanceTo), so a
// flight is a pure function of the commands it gets and the virtual times they
// arrive at. Time is integer nanoseconds as plain numbers (exact below 2^53, as
// the kernel's clock). The physics uses only +, -, *, / and sqrt, which IEEE 754
// makes exact to the bit: a flight is the same on every machine.
import { Spoofer } from "./spoof.js";
import { DroneConfig, Vec3, Point, destinationOf } from "./config.js";
import { Prng } from "./prng.js";
import { TruthPhaseTracker } from "./truth-phase.js";
import { Gusts } from "./gusts.js";

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
  timeNs: number;
  position: Vec3;
  velocity: Vec3;
  throttles: Throttles;
  wind: Point;          // the air's velocity over the ground: steady wind plus gust
  status: DroneStatus;
  autopilotState: string;
}

export interface Outcome {
  reachedDestination: boolean;  // every waypoint reached, in order, the destination last
  waypointsReached: number;     // how many of the route's waypoints, in order
  landed: boolean;
  crashed: boolean;
  crashReason: string | null;
  status: DroneStatus;
  timeNs: number;
  position: Vec3;
  speedMps: number;
  distanceToDestinationM: number;
  maxAltitudeM: number;
  autopilotState: string;
}

// The autopilot state the drone treats as "landing": a soft touchdown then is a landing.
export const LANDING_STATE = "LANDING";

const norm3 = (v: Vec3): number => Math.sqrt(v.x * v.x + v.y * v.y + v.z * v.z);

const STOPPED: Throttles = Object.freeze({ x: 0, y: 0, z: 0 });

export class Drone {
  readonly config: DroneConfig;
  private t = 0;
  private p: Vec3;
  private v: Vec3 = { x: 0, y: 0, z: 0 };
  private u: Throttles = { x: 0, y: 0, z: 0 };
  private st: DroneStatus;
  private apState = "NONE";
  private nextWaypoint = 0;
  private crashWhy: string | null = null;
  private maxAlt: number;
  // When the battery runs out (virtual ns, from the take-off), and whether it has.
  private batteryEndNs: number | null = null;
  private batteryEmpty = false;
  private nextTelemetryNs = 0;
  private readonly rows: TelemetryRow[] = [];
  private readonly noise: Prng;
  private readonly gusts: Gusts;
  private readonly dt: number;
  // The spoofing attack, if any (spoof.ts).
  readonly spoofer: Spoofer | null;
  // The physical phase at every step (ground truth for the recordings, truth-phase.ts).
  readonly truth = new TruthPhaseTracker();

  constructor(config: DroneConfig) {
    this.config = config;
    this.p = { ...config.start };
    this.st = config.start.z > 0 ? "FLYING" : "GROUNDED";
    if (this.st === "FLYING") this.takeOff();
    this.maxAlt = this.p.z;
    this.noise = new Prng(config.seed);
    this.dt = config.stepNs / 1e9;
    this.gusts = new Gusts(config.gusts, this.dt, config.gustSeed);
    this.spoofer = config.spoof ? new Spoofer(config.spoof) : null;
    this.checkReached();
    this.record();
    this.truth.observe(0, this.st, this.v.z);
  }

  get timeNs(): number { return this.t; }
  get status(): DroneStatus { return this.st; }
  get autopilotState(): string { return this.apState; }
  get throttles(): Throttles { return { ...this.u }; }
  get position(): Vec3 { return { ...this.p }; }
  get velocity(): Vec3 { return { ...this.v }; }
  // The air's velocity over the ground now: steady wind plus the current gust.
  get wind(): Point { return { x: this.config.wind.x + this.gusts.x, y: this.config.wind.y + this.gusts.y }; }
  get finished(): boolean { return this.st === "LANDED" || this.st === "CRASHED"; }
  get telemetry(): readonly TelemetryRow[] { return this.rows; }

  // Integrate up to virtual time `ns` (whole steps; a time in the past is a no-op).
  advanceTo(ns: number): void {
    const step = this.config.stepNs;
    while (this.t + step <= ns) {
      this.step();
      this.t += step;
      this.truth.observe(this.t, this.st, this.v.z);
      if (this.t >= this.nextTelemetryNs) this.record();
    }
  }

  // Throttles act from virtual time `atNs` on. Values must be in range
  // (x, y in [-1, 1], z in [0, 1]); the protocol rejects others before this.
  setThrottles(u: Throttles, atNs: number): void {
    this.advanceTo(atNs);
    if (!throttlesInRange(u)) throw new RangeError("throttles out of range");
    this.u = { ...u };
  }

  setAutopilotState(name: string, atNs: number): void {
    this.advanceTo(atNs);
    this.apState = name;
    this.spoofer?.report(name, atNs);
  }

  // What the sensors read at `atNs`: the true state plus seeded Gaussian noise.
  sense(atNs: number): SensorReading {
    this.advanceTo(atNs);
    const n = this.config.noise;
    const g = (sd: number): number => (sd === 0 ? 0 : sd * this.noise.normal());
    const position = { x: this.p.x + g(n.positionM), y: this.p.y + g(n.positionM), z: this.p.z + g(n.positionM) };
    const off = this.spoofer?.offsetAt(atNs);
    if (off) { position.x += off.x; position.y += off.y; }
    return {
      position,
      velocity: { x: this.v.x + g(n.velocityMps), y: this.v.y + g(n.velocityMps), z: this.v.z + g(n.velocityMps) },
      altitude: Math.max(0, this.p.z + g(n.altitudeM)),
      status: this.st,
    };
  }

  outcome(): Outcome {
    return {
      reachedDestination: this.nextWaypoint === this.config.route.length,
      waypointsReached: this.nextWaypoint,
      landed: this.st === "LANDED",
      crashed: this.st === "CRASHED",
      crashReason: this.crashWhy,
      status: this.st,
      timeNs: this.t,
      position: { ...this.p },
      speedMps: norm3(this.v),
      distanceToDestinationM: this.horizontalDistance(destinationOf(this.config)),
      maxAltitudeM: this.maxAlt,
      autopilotState: this.apState,
    };
  }

  private step(): void {
    // The air moves whatever the drone does: the gust series is a function of time alone.
    this.gusts.step();
    if (this.finished) return;
    const c = this.config;
    const m = c.massKg;
    if (this.batteryEndNs !== null && this.t >= this.batteryEndNs) this.batteryEmpty = true;
    // A spent battery turns no rotor, whatever the autopilot asks.
    const u = this.batteryEmpty ? STOPPED : this.u;
    const fz = u.z * c.maxThrustN.z;
    if (this.st === "GROUNDED") {
      // The ground holds the drone until the rotors out-push its weight.
      if (fz <= m * c.gravity) return;
      this.st = "FLYING";
      this.takeOff();
    }
    const dt = this.dt;
    const v = this.v;
    // Drag acts on the velocity through the air.
    const rx = v.x - (c.wind.x + this.gusts.x);
    const ry = v.y - (c.wind.y + this.gusts.y);
    const rz = v.z;
    const k = c.dragKgPerM * Math.sqrt(rx * rx + ry * ry + rz * rz);
    const ax = (u.x * c.maxThrustN.x - k * rx) / m;
    const ay = (u.y * c.maxThrustN.y - k * ry) / m;
    const az = (fz - k * rz) / m - c.gravity;
    // Semi-implicit Euler: velocity first, then position with the new velocity.
    v.x += ax * dt; v.y += ay * dt; v.z += az * dt;
    this.p.x += v.x * dt; this.p.y += v.y * dt; this.p.z += v.z * dt;
    if (this.p.z > this.maxAlt) this.maxAlt = this.p.z;
    if (this.p.z <= 0) this.touchdown();
    else if (c.ceilingM !== null && this.p.z > c.ceilingM) this.crash(`above the ceiling of ${c.ceilingM} m`);
    if (this.st !== "CRASHED") this.checkReached();
  }

  private takeOff(): void {
    const e = this.config.enduranceS;
    if (e !== null && this.batteryEndNs === null) this.batteryEndNs = this.t + Math.round(e * 1e9);
  }

  private touchdown(): void {
    const speed = norm3(this.v);
    this.p.z = 0;
    const battery = this.batteryEmpty ? `, the battery spent after ${this.config.enduranceS} s of flight` : "";
    if (this.apState !== LANDING_STATE) this.crash(`ground contact at ${speed.toFixed(2)} m/s while ${this.apState}${battery}`);
    else if (speed > this.config.crashSpeedMps) this.crash(`touchdown at ${speed.toFixed(2)} m/s > ${this.config.crashSpeedMps} m/s${battery}`);
    else this.st = "LANDED";
    this.v = { x: 0, y: 0, z: 0 };
  }

  private crash(why: string): void {
    this.st = "CRASHED";
    this.crashWhy = why;
    this.v = { x: 0, y: 0, z: 0 };
  }

  private horizontalDistance(to: Point): number {
    const dx = this.p.x - to.x, dy = this.p.y - to.y;
    return Math.sqrt(dx * dx + dy * dy);
  }

  // Waypoints count in order: the next one is reached within the reach radius.
  private checkReached(): void {
    const route = this.config.route;
    while (this.nextWaypoint < route.length && this.horizontalDistance(route[this.nextWaypoint]) <= this.config.reachRadiusM) this.nextWaypoint++;
  }

  private record(): void {
    this.rows.push({
      timeNs: this.t,
      position: { ...this.p },
      velocity: { ...this.v },
      throttles: { ...this.u },
      wind: this.wind,
      status: this.st,
      autopilotState: this.apState,
    });
    const iv = this.config.telemetryIntervalNs;
    this.nextTelemetryNs = (Math.floor(this.t / iv) + 1) * iv;
  }
}

export function throttlesInRange(u: Throttles): boolean {
  const ok = (a: number, lo: number): boolean => Number.isFinite(a) && a >= lo && a <= 1;
  return ok(u.x, -1) && ok(u.y, -1) && ok(u.z, 0);
}
