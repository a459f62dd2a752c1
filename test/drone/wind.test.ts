// Wind and gusts: the drone's drag acts on its velocity through the air, the
// steady wind carries a drone that does not push back, and the gust series is
// a pure function of its seed, bit for bit.
import { describe, expect, it } from "vitest";
import { Drone, droneConfig, telemetryCsv } from "../../src/drone/index.js";
import { Gusts } from "../../src/drone/gusts.js";

const S = 1_000_000_000; // one virtual second
const quiet = { noise: { positionM: 0, velocityMps: 0, altitudeM: 0 } };

describe("wind", () => {
  it("a steady wind carries a hovering drone along the exact quadratic-drag drift", () => {
    // Horizontally m dv/dt = k (w - v)^2, so v(t) = w - w / (1 + w k t / m) and
    // x(t) = w t - (m / k) ln(1 + w k t / m).
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 50 }, wind: { x: 3, y: 0 } });
    const d = new Drone(c);
    d.setThrottles({ x: 0, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    d.advanceTo(10 * S);
    const { massKg: m, dragKgPerM: k } = c;
    const w = 3, t = 10, r = 1 + (w * k * t) / m;
    expect(d.velocity.x).toBeCloseTo(w - w / r, 2);        // 2 m/s
    expect(d.position.x).toBeCloseTo(w * t - (m / k) * Math.log(r), 1); // 13.5 m
    expect(Math.abs(d.position.y)).toBe(0);
    expect(Math.abs(d.position.z - 50)).toBeLessThan(1e-6);
    // Much later the drone moves with the air.
    d.advanceTo(600 * S);
    expect(d.velocity.x).toBeCloseTo(w, 1);
  });

  it("holding position against the wind takes a throttle of k w^2 / T", () => {
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 20 }, wind: { x: 0, y: -2.5 } });
    const d = new Drone(c);
    d.setThrottles({ x: 0, y: (c.dragKgPerM * 2.5 * 2.5) / c.maxThrustN.y, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    d.advanceTo(20 * S);
    expect(Math.abs(d.position.y)).toBeLessThan(1e-9);
    expect(d.wind).toEqual({ x: 0, y: -2.5 });
  });

  it("the ground holds a grounded drone whatever the wind", () => {
    const d = new Drone(droneConfig({ ...quiet, wind: { x: 5, y: 5 }, gusts: { sigmaMps: 2, timeConstantS: 1 } }));
    d.advanceTo(5 * S);
    expect(d.position).toEqual({ x: 0, y: 0, z: 0 });
    expect(d.status).toBe("GROUNDED");
  });
});

describe("gusts", () => {
  const series = (seed: number, n: number, sigma = 0.5, tau = 2): Float64Array => {
    const g = new Gusts({ sigmaMps: sigma, timeConstantS: tau }, 0.001, seed);
    const out = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) { out[2 * i] = g.x; out[2 * i + 1] = g.y; g.step(); }
    return out;
  };

  it("the same seed gives the bit-identical series; another seed another one", () => {
    const a = series(7, 20_000), b = series(7, 20_000), c = series(8, 20_000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(c.buffer).equals(Buffer.from(a.buffer))).toBe(false);
  });

  it("a fixed seed gives this exact series on every machine (only +, -, *, / and sqrt)", () => {
    const g = series(12345, 1001);
    // Hex of the IEEE doubles after 0 and 1000 steps: any change of the model or of its arithmetic shows here.
    const hex = (v: number): string => Buffer.from(new Float64Array([v]).buffer).toString("hex");
    expect([hex(g[0]), hex(g[1]), hex(g[2000]), hex(g[2001])]).toEqual(["000080800be9b73f", "0000003fa61ea6bf", "67fe1e9c1836b73f", "e253922fbea3e63f"]);
  });

  it("has the configured deviation and forgets itself over the time constant", () => {
    const n = 2_000_000, tau = 0.5, sigma = 0.8; // 2000 s of 1 ms steps: 4000 time constants
    const s = series(99, n, sigma, tau);
    let sum = 0, sq = 0, lag = 0;
    const L = tau * 1000;
    for (let i = 0; i < n; i++) { const x = s[2 * i]; sum += x; sq += x * x; if (i >= L) lag += x * s[2 * (i - L)]; }
    const mean = sum / n, varx = sq / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.sqrt(varx)).toBeGreaterThan(0.95 * sigma);
    expect(Math.sqrt(varx)).toBeLessThan(1.05 * sigma);
    // Correlation after one time constant: (1 - dt/τ)^(τ/dt) ≈ e^-1.
    expect(lag / (n - L) / varx).toBeGreaterThan(0.3);
    expect(lag / (n - L) / varx).toBeLessThan(0.44);
  });

  it("sigma 0 is still air; the series does not depend on what the drone does", () => {
    const still = new Gusts({ sigmaMps: 0, timeConstantS: 2 }, 0.001, 5);
    still.step();
    expect([still.x, still.y]).toEqual([0, 0]);
    const fly = (throttle: number): string => {
      const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 30 }, wind: { x: 1, y: 2 }, gusts: { sigmaMps: 0.6, timeConstantS: 1.5 }, gustSeed: 77 });
      const d = new Drone(c);
      d.setThrottles({ x: throttle, y: -throttle, z: 0.5 }, 0);
      d.advanceTo(3 * S);
      return telemetryCsv(d.telemetry).trimEnd().split("\n").map((l) => l.split(",").slice(-2).join(",")).join("\n");
    };
    const a = fly(0), b = fly(0.7);
    expect(a).toBe(b);
    expect(new Set(a.split("\n").slice(1)).size).toBeGreaterThan(250); // it varies row to row
  });

  it("a gusty flight is bit-identical run to run", () => {
    const run = (): string => {
      const d = new Drone(droneConfig({ start: { x: 0, y: 0, z: 5 }, wind: { x: -2, y: 1 }, gusts: { sigmaMps: 0.5, timeConstantS: 2 }, seed: 3, gustSeed: 4 }));
      d.setThrottles({ x: 0.3, y: 0.2, z: 0.5 }, 0);
      const reads: string[] = [];
      for (let i = 1; i <= 200; i++) reads.push(JSON.stringify(d.sense(i * 20_000_000)));
      return reads.join("\n") + telemetryCsv(d.telemetry);
    };
    expect(run()).toBe(run());
  });
});

describe("route", () => {
  it("waypoints count in order: passing the second before the first counts neither", () => {
    const c = droneConfig({ ...quiet, start: { x: 0, y: 0, z: 5 }, route: [{ x: -10, y: 0 }, { x: 4, y: 0 }, { x: 8, y: 0 }] });
    const d = new Drone(c);
    d.setThrottles({ x: 0.4, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 0);
    d.advanceTo(8 * S); // flies east past (4, 0) and (8, 0)
    expect(d.position.x).toBeGreaterThan(10);
    expect(d.outcome()).toMatchObject({ waypointsReached: 0, reachedDestination: false });
    d.setThrottles({ x: -1, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 8 * S);
    d.advanceTo(20 * S); // back west past (8, 0), (4, 0) to (-10, 0)
    expect(d.outcome()).toMatchObject({ waypointsReached: 1, reachedDestination: false });
    d.setThrottles({ x: 1, y: 0, z: (c.massKg * c.gravity) / c.maxThrustN.z }, 20 * S);
    d.advanceTo(40 * S);
    expect(d.outcome()).toMatchObject({ waypointsReached: 3, reachedDestination: true });
  });
});
