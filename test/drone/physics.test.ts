import { describe, expect, it } from "vitest";
import { Drone, droneConfig, telemetryCsv, DEFAULT_DRONE_CONFIG } from "../../src/drone/index.js";

const S = 1_000_000_000; // one virtual second
const quiet = { noise: { positionM: 0, velocityMps: 0, altitudeM: 0 } };

describe("drone physics", () => {
  it("falls freely as z = z0 - g t^2 / 2 within the step error, without drag", () => {
    const d = new Drone(droneConfig({ ...quiet, dragKgPerM: 0, start: { x: 0, y: 0, z: 100 } }));
    d.advanceTo(2 * S);
    const t = 2, g = 9.81, dt = 1e-3;
    // Semi-implicit Euler lands g*t*dt/2 below the exact curve.
    expect(d.position.z).toBeCloseTo(100 - (g * t * t) / 2 - (g * t * dt) / 2, 9);
    expect(Math.abs(d.position.z - (100 - (g * t * t) / 2))).toBeLessThan(g * t * dt);
    expect(d.velocity.z).toBeCloseTo(-g * t, 9);
    expect(d.status).toBe("FLYING");
  });

  it("holds altitude at the hover throttle m g / Tz", () => {
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 5 } });
    const d = new Drone(c);
    d.setThrottles({ x: 0, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    d.advanceTo(10 * S);
    expect(Math.abs(d.position.z - 5)).toBeLessThan(1e-6);
    expect(d.status).toBe("FLYING");
  });

  it("drag limits the fall at the terminal velocity sqrt(m g / k)", () => {
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 5000 } });
    const d = new Drone(c);
    d.advanceTo(30 * S);
    const vt = Math.sqrt((c.massKg * c.gravity) / c.dragKgPerM);
    expect(vt).toBeCloseTo(12.13, 2);
    expect(-d.velocity.z).toBeCloseTo(vt, 6);
  });

  it("drag limits level flight at sqrt(Tx / k) under full X throttle", () => {
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 10 } });
    const d = new Drone(c);
    d.setThrottles({ x: 1, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    d.advanceTo(60 * S);
    expect(d.velocity.x).toBeCloseTo(Math.sqrt(c.maxThrustN.x / c.dragKgPerM), 6);
  });

  it("stays on the ground until the thrust exceeds the weight", () => {
    const d = new Drone(droneConfig(quiet));
    d.setThrottles({ x: 1, y: 1, z: 0.4 }, 0); // 12 N < 14.7 N
    d.advanceTo(3 * S);
    expect(d.status).toBe("GROUNDED");
    expect(d.position).toEqual({ x: 0, y: 0, z: 0 });
    d.setThrottles({ x: 0, y: 0, z: 0.6 }, 3 * S);
    d.advanceTo(4 * S);
    expect(d.status).toBe("FLYING");
    expect(d.position.z).toBeGreaterThan(0.5);
  });

  it("a ground contact outside LANDING is a crash, however soft", () => {
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 0.01 } });
    const d = new Drone(c);
    d.setAutopilotState("CRUISE", 0);
    d.advanceTo(S);
    expect(d.status).toBe("CRASHED");
    expect(d.outcome().crashReason).toMatch(/ground contact .* while CRUISE/);
    expect(d.outcome()).toMatchObject({ crashed: true, landed: false, speedMps: 0 });
  });

  it("a touchdown in LANDING is a landing below the speed limit and a crash above it", () => {
    const soft = new Drone(droneConfig({ ...quiet, start: { x: 0, y: 0, z: 0.05 } })); // ~1 m/s at contact
    soft.setAutopilotState("LANDING", 0);
    soft.advanceTo(S);
    expect(soft.outcome()).toMatchObject({ landed: true, crashed: false, status: "LANDED" });

    const hard = new Drone(droneConfig({ ...quiet, start: { x: 0, y: 0, z: 2 } })); // ~5.9 m/s with drag
    hard.setAutopilotState("LANDING", 0);
    hard.advanceTo(2 * S);
    expect(hard.outcome()).toMatchObject({ landed: false, crashed: true });
    expect(hard.outcome().crashReason).toMatch(/touchdown at 5\.\d\d m\/s > 1.5 m\/s/);
  });

  it("LANDED and CRASHED are final: throttles no longer move the drone", () => {
    const d = new Drone(droneConfig({ ...quiet, start: { x: 0, y: 0, z: 0.05 } }));
    d.setAutopilotState("LANDING", 0);
    d.advanceTo(S);
    d.setThrottles({ x: 1, y: 1, z: 1 }, S);
    d.advanceTo(3 * S);
    expect(d.status).toBe("LANDED");
    expect(d.position.z).toBe(0);
  });

  it("crashes above the ceiling when one is set", () => {
    const d = new Drone(droneConfig({ ...quiet, ceilingM: 2 }));
    d.setThrottles({ x: 0, y: 0, z: 1 }, 0);
    d.advanceTo(3 * S);
    expect(d.outcome().crashReason).toMatch(/ceiling/);
  });

  it("a spent battery stops the rotors: counted from take-off, the drone falls and crashes", () => {
    const c = droneConfig({ ...quiet, enduranceS: 2 });
    const hover = (c.massKg * c.gravity) / c.maxThrustN.z;
    const d = new Drone(c);
    d.advanceTo(S); // one second on the ground: not counted
    d.setThrottles({ x: 0, y: 0, z: 1 }, S);
    d.advanceTo(1.5 * S);
    d.setThrottles({ x: 0, y: 0, z: hover }, 1.5 * S);
    d.advanceTo(2.9 * S);
    expect(d.status).toBe("FLYING");
    const vz = d.velocity.z; // hovering: drag only slows the climb
    d.advanceTo(3.2 * S); // take-off at 1 s + 2 s of battery: 0.2 s without thrust
    expect(d.velocity.z).toBeLessThan(vz - 0.15 * c.gravity);
    d.setThrottles({ x: 0, y: 0, z: 1 }, 3.2 * S); // asked for, not given
    d.advanceTo(10 * S);
    expect(d.status).toBe("CRASHED");
    expect(d.outcome().crashReason).toMatch(/ground contact at [\d.]+ m\/s while NONE, the battery spent after 2 s of flight/);
  });

  it("without a battery limit (null) the same drone hovers on", () => {
    const c = droneConfig({ ...quiet, enduranceS: null, start: { x: 0, y: 0, z: 5 } });
    const d = new Drone(c);
    d.setThrottles({ x: 0, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    d.advanceTo(600 * S);
    expect(d.status).toBe("FLYING");
    expect(() => droneConfig({ ...quiet, enduranceS: 0 })).toThrow(/enduranceS must be a positive number/);
  });

  it("marks the destination reached within the radius", () => {
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 3 }, destination: { x: 3, y: 0 } });
    const d = new Drone(c);
    expect(d.outcome().reachedDestination).toBe(false);
    d.setThrottles({ x: 0.3, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    d.advanceTo(3 * S);
    expect(d.outcome().reachedDestination).toBe(true);
  });

  it("advances in whole steps and ignores times in the past", () => {
    const d = new Drone(droneConfig(quiet));
    d.advanceTo(2_500_000);
    expect(d.timeNs).toBe(2_000_000);
    d.advanceTo(1);
    expect(d.timeNs).toBe(2_000_000);
  });

  it("rejects out-of-range throttles", () => {
    const d = new Drone(droneConfig(quiet));
    expect(() => d.setThrottles({ x: 0, y: 0, z: -0.1 }, 0)).toThrow(RangeError);
    expect(() => d.setThrottles({ x: 1.5, y: 0, z: 0 }, 0)).toThrow(RangeError);
    expect(() => d.setThrottles({ x: NaN, y: 0, z: 0 }, 0)).toThrow(RangeError);
  });

  it("is deterministic: the same seed gives identical sensors and telemetry, another seed other noise", () => {
    const fly = (seed: number) => {
      const d = new Drone(droneConfig({ seed }));
      const reads: string[] = [];
      d.setThrottles({ x: 0.2, y: -0.1, z: 0.7 }, 0);
      for (let i = 1; i <= 100; i++) reads.push(JSON.stringify(d.sense(i * 20_000_000)));
      return { reads: reads.join("\n"), csv: telemetryCsv(d.telemetry) };
    };
    const a = fly(7), b = fly(7), c = fly(8);
    expect(a.reads).toBe(b.reads);
    expect(a.csv).toBe(b.csv);
    expect(c.reads).not.toBe(a.reads);
    expect(c.csv).toBe(a.csv); // the physics itself has no noise
    expect(a.csv.split("\n")[0]).toBe("time_ns,x,y,z,vx,vy,vz,throttle_x,throttle_y,throttle_z,status,autopilot_state,wind_x,wind_y");
    expect(a.csv.split("\n").length).toBe(2 + 201); // header, rows at 0..2 s every 10 ms, final newline
  });

  it("sensor noise has the configured spread", () => {
    const d = new Drone(droneConfig({ start: { x: 0, y: 0, z: 10 }, dragKgPerM: 0 }));
    const c = d.config;
    d.setThrottles({ x: 0, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    const xs: number[] = [];
    for (let i = 0; i < 4000; i++) xs.push(d.sense(0).position.x);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.003);
    expect(sd).toBeGreaterThan(0.018);
    expect(sd).toBeLessThan(0.022);
  });

  it("validates the scenario config with clear errors", () => {
    expect(() => droneConfig({ massKg: -1 })).toThrow(/massKg must be a positive number/);
    expect(() => droneConfig({ maxThrustN: { z: 10 } })).toThrow(/must exceed the weight/);
    expect(() => droneConfig({ seed: 1.5 })).toThrow(/seed must be an unsigned 32-bit integer/);
    expect(() => droneConfig({ seed: 2 ** 32 })).toThrow(/seed must be an unsigned 32-bit integer/);
    expect(() => droneConfig({ stepNs: 0 })).toThrow(/stepNs/);
    expect(() => droneConfig({ stepNs: 1.5 })).toThrow(/stepNs must be a positive integer number of nanoseconds/);
    expect(() => droneConfig({ route: [] })).toThrow(/route must be a list of 1 to 64 waypoints/);
    expect(() => droneConfig({ route: Array.from({ length: 65 }, (_, i) => ({ x: i, y: 0 })) })).toThrow(/1 to 64/);
    expect(() => droneConfig({ route: [{ x: 1, y: NaN }] })).toThrow(/route\[0\]\.y must be a finite number/);
    expect(() => droneConfig({ route: [{ x: 1, y: 1 }], destination: { x: 2 } })).toThrow(/either destination or route/);
    expect(() => droneConfig({ cruiseSpeedMps: 0 })).toThrow(/cruiseSpeedMps must be a positive number/);
    expect(() => droneConfig({ wind: { x: Infinity } })).toThrow(/wind\.x must be a finite number/);
    expect(() => droneConfig({ gusts: { sigmaMps: -1 } })).toThrow(/gusts\.sigmaMps must be a finite number >= 0/);
    expect(() => droneConfig({ gusts: { sigmaMps: 1, timeConstantS: 0.0005 } })).toThrow(/timeConstantS must exceed the step/);
    expect(droneConfig().route).toEqual(DEFAULT_DRONE_CONFIG.route);
    // `destination` is a route of one waypoint, merged with the default one.
    expect(droneConfig({ destination: { x: 2 } }).route).toEqual([{ x: 2, y: 6 }]);
  });
});
