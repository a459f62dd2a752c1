// Missions and environments drawn per flight: within the preset's ranges, a
// function of the sub-seeds alone, every parameter pinnable without moving
// the others, and bad pins refused with one clear message.
import { describe, expect, it } from "vitest";
import { drawMission, drawEnvironment, routeLength, PRESETS, PRESET_NAMES, type PresetName } from "../../src/flight/mission.js";
import { resolveFlight, FlightInputError, type FlightOptions } from "../../src/flight/options.js";
import { flightSeeds } from "../../src/flight/seeds.js";
import { DEFAULT_DRONE_CONFIG } from "../../src/drone/config.js";

const within = (v: number, r: { min: number; max: number }): boolean => v >= r.min && v <= r.max;
const resolve = (extra: Partial<FlightOptions> = {}, seed = 5) => resolveFlight({ scenario: "normal", seed, outDir: ".", ...extra });

describe("mission and environment draws", () => {
  for (const preset of PRESET_NAMES) {
    it(`${preset}: every draw within the preset's ranges over 2000 seeds, the route as long as it says`, () => {
      const R = PRESETS[preset as PresetName];
      const seen = { legs: new Set<number>(), poll: new Set<number>() };
      for (let seed = 0; seed < 2000; seed++) {
        const s = flightSeeds(seed);
        const m = drawMission(preset, s.mission), e = drawEnvironment(preset, s.environment);
        expect(within(m.start.x, { min: -R.mission.startM, max: R.mission.startM }) && within(m.start.y, { min: -R.mission.startM, max: R.mission.startM })).toBe(true);
        expect(within(m.legs, R.mission.legs) && m.route.length === m.legs && Number.isInteger(m.legs)).toBe(true);
        // The route's length is the drawn distance, up to the millimetre rounding of each waypoint.
        expect(within(m.distanceM, { min: R.mission.distanceM.min - 0.002 * m.legs, max: R.mission.distanceM.max + 0.002 * m.legs })).toBe(true);
        expect(Math.abs(routeLength(m.start, m.route) - m.distanceM)).toBeLessThan(0.0006);
        // No turn sharper than the preset allows (90 degrees): consecutive legs never point backwards.
        let p = m.start, prev: { x: number; y: number } | null = null;
        for (const q of m.route) {
          const d = { x: q.x - p.x, y: q.y - p.y };
          if (prev) expect((prev.x * d.x + prev.y * d.y) / Math.sqrt((prev.x ** 2 + prev.y ** 2) * (d.x ** 2 + d.y ** 2))).toBeGreaterThan(R.mission.maxTurnCos - 1e-3);
          prev = d; p = q;
        }
        expect(within(m.cruiseAltitudeM, R.mission.cruiseAltitudeM) && within(m.cruiseSpeedMps, R.mission.cruiseSpeedMps)).toBe(true);
        expect(within(m.pollHz, R.mission.pollHz) && Number.isInteger(m.pollHz)).toBe(true);
        expect(within(e.windMps, R.environment.windMps) && within(e.gustMps, R.environment.gustMps)).toBe(true);
        expect(within(e.gustTimeConstantS, R.environment.gustTimeConstantS) && within(e.noiseScale, R.environment.noiseScale)).toBe(true);
        expect(Math.abs(Math.hypot(e.wind.x, e.wind.y) - e.windMps)).toBeLessThan(0.002);
        expect(e.noise.positionM).toBeCloseTo(DEFAULT_DRONE_CONFIG.noise.positionM * e.noiseScale, 5);
        expect(e.noise.altitudeM).toBeCloseTo(DEFAULT_DRONE_CONFIG.noise.altitudeM * e.noiseScale, 5);
        seen.legs.add(m.legs); seen.poll.add(m.pollHz);
      }
      // Every leg count and nearly every poll rate occurs.
      expect(seen.legs.size).toBe(R.mission.legs.max - R.mission.legs.min + 1);
      expect(seen.poll.size).toBeGreaterThan(0.9 * (R.mission.pollHz.max - R.mission.pollHz.min + 1));
    });
  }

  it("different seeds fly different missions in different air; the same seed the same", () => {
    const flights = Array.from({ length: 100 }, (_, seed) => resolve({}, seed));
    for (const key of ["distanceM", "cruiseAltitudeM", "cruiseSpeedMps", "pollHz"] as const) {
      expect(new Set(flights.map((f) => f.mission[key])).size, key).toBeGreaterThan(key === "pollHz" ? 40 : 90);
    }
    expect(new Set(flights.map((f) => JSON.stringify(f.mission.route))).size).toBe(100);
    expect(new Set(flights.map((f) => f.environment.windMps)).size).toBeGreaterThan(90);
    expect(resolve({}, 42)).toEqual(resolve({}, 42));
    // The mission reaches the drone and the autopilot.
    const f = flights[7];
    expect(f.drone.route).toEqual(f.mission.route);
    expect(f.drone.start).toEqual({ ...f.mission.start, z: 0 });
    expect([f.drone.cruiseAltitudeM, f.drone.cruiseSpeedMps, f.autopilot.pollHz]).toEqual([f.mission.cruiseAltitudeM, f.mission.cruiseSpeedMps, f.mission.pollHz]);
    expect(f.drone.wind).toEqual(f.environment.wind);
    expect(f.drone.gusts).toEqual({ sigmaMps: f.environment.gustMps, timeConstantS: f.environment.gustTimeConstantS });
    expect(f.drone.noise).toEqual(f.environment.noise);
  });

  it("a pin fixes its parameter and moves no other", () => {
    for (let seed = 0; seed < 50; seed++) {
      const free = resolve({}, seed);
      const pinned = resolve({ drone: { cruiseAltitudeM: 7.25, cruiseSpeedMps: 1.5, windMps: 0.5, gustMps: 0, noiseScale: 3 }, autopilot: { pollHz: 33 } }, seed);
      expect(pinned.mission).toEqual({ ...free.mission, cruiseAltitudeM: 7.25, cruiseSpeedMps: 1.5, pollHz: 33 });
      expect(pinned.environment.gustMps).toBe(0);
      expect(pinned.environment.noise).toEqual({ positionM: 0.06, velocityMps: 0.06, altitudeM: 0.03 });
      expect(pinned.environment.gustTimeConstantS).toBe(free.environment.gustTimeConstantS);
      // The wind keeps its drawn direction at the pinned speed.
      const w = pinned.environment.wind, v = free.environment.wind;
      expect(pinned.environment.windMps).toBe(0.5);
      if (free.environment.windMps > 0.1) expect(Math.abs(w.x * v.y - w.y * v.x)).toBeLessThan(0.01);
      // Legs and distance reshape the route from the same start; altitude, speed and poll rate stay.
      const legs = resolve({ drone: { legs: 4, distanceM: 55 } }, seed);
      expect(legs.mission).toMatchObject({ start: free.mission.start, legs: 4, cruiseAltitudeM: free.mission.cruiseAltitudeM, cruiseSpeedMps: free.mission.cruiseSpeedMps, pollHz: free.mission.pollHz });
      expect(Math.abs(legs.mission.distanceM - 55)).toBeLessThan(0.003);
      expect(legs.environment).toEqual(free.environment);
    }
  });

  it("a pinned route or destination is flown as given, from the origin unless the start is pinned", () => {
    const d = resolve({ drone: { destination: { x: 0.5, y: 0 } } });
    expect(d.mission).toMatchObject({ start: { x: 0, y: 0 }, route: [{ x: 0.5, y: 0 }], legs: 1, distanceM: 0.5 });
    const r = resolve({ drone: { start: { x: 1, y: 1 }, route: [{ x: 4, y: 5 }, { x: 4, y: 9 }] } });
    expect(r.mission).toMatchObject({ start: { x: 1, y: 1 }, route: [{ x: 4, y: 5 }, { x: 4, y: 9 }], legs: 2, distanceM: 9 });
    expect(r.drone.route).toEqual([{ x: 4, y: 5 }, { x: 4, y: 9 }]);
    const w = resolve({ drone: { wind: { x: 3, y: -4 } } });
    expect(w.environment).toMatchObject({ wind: { x: 3, y: -4 }, windMps: 5 });
    expect(resolve({ mission: "long" }).maxVirtualSeconds).toBe(600);
    expect(resolve().maxVirtualSeconds).toBe(120);
    expect(resolve({ drone: { mission: "long" } }).mission.preset).toBe("long");
    expect(resolve({ mission: "short", drone: { mission: "long" } }).mission.preset).toBe("short");
  });

  it("refuses bad pins with one line naming the field and its flag", () => {
    const bad: Array<[Partial<FlightOptions>, RegExp]> = [
      [{ mission: "medium" }, /^bad mission \(--mission\) "medium": use short, long$/],
      [{ drone: { distanceM: 0 } }, /^bad distanceM \(--distance\) 0: a number above 0 and at most 10000 \(metres\)$/],
      [{ drone: { distanceM: NaN } }, /^bad distanceM \(--distance\) NaN:/],
      [{ drone: { legs: 2.5 } }, /^bad legs \(--legs\) 2\.5: an integer from 1 to 64$/],
      [{ drone: { cruiseAltitudeM: -1 } }, /^bad cruiseAltitudeM \(--cruise-altitude\) -1:/],
      [{ drone: { cruiseSpeedMps: 21 } }, /^bad cruiseSpeedMps \(--speed\) 21:/],
      [{ drone: { windMps: 31 } }, /^bad windMps \(--wind\) 31: a number from 0 to 30 \(m\/s\)$/],
      [{ drone: { gustMps: -0.1 } }, /^bad gustMps \(--gusts\) -0\.1:/],
      [{ drone: { noiseScale: "x" as never } }, /^bad noiseScale \(--noise\) "x":/],
      [{ autopilot: { pollHz: 201 } }, /^bad pollHz \(--poll-hz\) 201: an integer from 1 to 200 \(Hz\)$/],
      [{ drone: { pollHz: 0 } }, /^bad pollHz \(--poll-hz\) 0:/],
      [{ autopilot: { busyBits: 40 } }, /^bad busyBits \(--busy-bits\) 40:/],
      [{ drone: { route: [] } }, /^bad route: a list of 1 to 64 waypoints/],
      [{ drone: { route: [{ x: 1, y: "2" as never }] } }, /^bad route\[0\]/],
      [{ drone: { destination: { x: 1, y: 1 }, route: [{ x: 1, y: 1 }] } }, /either route or destination/],
      [{ drone: { destination: { x: 1, y: 1 }, distanceM: 5 } }, /a pinned route .* fixes legs and distanceM/],
      [{ drone: { wind: { x: 1, y: 1 }, windMps: 2 } }, /either wind .* or windMps/],
      [{ drone: { noise: { positionM: 0.1, gpsM: 1 } as never } }, /bad noise: unknown field "gpsM"/],
      [{ drone: { seed: 3 } as never }, /unknown field "seed" \(the seeds are the flight's: --seed\)/],
      [{ drone: { destinaton: { x: 1, y: 1 } } as never }, /unknown field "destinaton"; fields: massKg, /],
      [{ drone: { massKg: -2 } }, /drone config: massKg must be a positive number/],
      [{ drone: { stepNs: 0.5 } }, /stepNs must be a positive integer number of nanoseconds/],
    ];
    for (const [o, msg] of bad) {
      let err: unknown;
      try { resolve(o); } catch (e) { err = e; }
      expect(err, JSON.stringify(o)).toBeInstanceOf(FlightInputError);
      expect((err as Error).message, JSON.stringify(o)).toMatch(msg);
      expect((err as Error).message).not.toMatch(/\n/);
    }
  });
});
