// Varied missions flown for real: pinned parameters reproduce the flight byte
// for byte, pinning a drawn value changes nothing, a generated flight is
// remade alone from its index entry, the autopilot follows a route with
// corners in the wind, and --mission long reaches the published trace's scale.
import { drawSchedule, autopilotArgs } from "../../src/flight/anomalies/schedule.js";
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { runFlight, type FlightOptions, type FlightResult } from "../../src/flight/index.js";
import { generate } from "../../src/generate/generate.js";
import { readJournal } from "../../src/generate/index-store.js";
import { flightSeeds } from "../../src/flight/seeds.js";
import { tmp } from "./helpers.js";

const dirs: string[] = [];
const out = (): string => { const d = tmp(); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const fly = (o: Omit<FlightOptions, "outDir">): FlightResult => runFlight({ ...o, outDir: out() });
const bytes = (r: FlightResult): Map<string, Buffer> => new Map(readdirSync(r.dir).sort().map((n) => [n, readFileSync(path.join(r.dir, n))]));
function same(a: FlightResult, b: FlightResult): void {
  const fa = bytes(a), fb = bytes(b);
  expect([...fb.keys()]).toEqual([...fa.keys()]);
  for (const [n, buf] of fa) expect(fb.get(n)!.equals(buf), `${n} byte-identical`).toBe(true);
}

// A small pinned mission: two legs, 10 m, slow polls.
const PINS = { legs: 2, distanceM: 10, cruiseAltitudeM: 2.5, cruiseSpeedMps: 4.5, windMps: 1.5, gustMps: 0.3, noiseScale: 1.5 };

describe("varied missions, flown", () => {
  it("pinned values reproduce the flight byte for byte, and the manifest records what was flown", () => {
    const o = { scenario: "sockets", seed: 9, drone: PINS, autopilot: { pollHz: 30 } };
    const a = fly(o), b = fly(o);
    same(a, b);
    const m = a.manifest;
    expect(m.mission).toMatchObject({ preset: "short", legs: 2, cruiseAltitudeM: 2.5, cruiseSpeedMps: 4.5, pollHz: 30 });
    expect(Math.abs(m.mission.distanceM - 10)).toBeLessThan(0.003);
    expect(m.environment).toMatchObject({ windMps: 1.5, gustMps: 0.3, noiseScale: 1.5, noise: { positionM: 0.03, velocityMps: 0.03, altitudeM: 0.015 } });
    expect(m.seeds).toEqual(flightSeeds(9));
    expect(m.options.guest.kernelSeed).toBe(flightSeeds(9).kernel);
    expect(m.options.autopilot).toEqual({ program: "c", pollHz: 30, seed: flightSeeds(9).autopilot });
    // The anomaly schedule drawn from the flight's anomalies sub-seed, on the autopilot's command line.
    expect(m.anomalies).toEqual(drawSchedule("udp", flightSeeds(9).anomalies));
    expect(m.options.guest.argv).toEqual(["/bin/flight-init", "sockets", String(flightSeeds(9).autopilot), "/dev/ttyS0", "poll_hz=30", ...autopilotArgs(m.anomalies)]);
    expect(m.options.guest.argv[5]).toBe("anomaly_phase=CRUISE");
    expect(m.outcome).toMatchObject({ reachedDestination: true, waypointsReached: 2, landed: true });
    // Another seed: the same pinned values on another route in other air.
    const c = fly({ ...o, seed: 10 });
    expect(c.manifest.mission).toMatchObject({ legs: 2, cruiseAltitudeM: 2.5, cruiseSpeedMps: 4.5, pollHz: 30 });
    expect(c.manifest.mission.route).not.toEqual(m.mission.route);
    expect(c.manifest.environment.wind).not.toEqual(m.environment.wind);
  });

  it("pinning the values a seed draws gives that seed's flight, byte for byte", () => {
    const free = fly({ scenario: "normal", seed: 21 });
    const m = free.manifest.mission, e = free.manifest.environment;
    const pinned = fly({
      scenario: "normal", seed: 21, autopilot: { pollHz: m.pollHz },
      drone: { start: m.start, route: m.route, cruiseAltitudeM: m.cruiseAltitudeM, cruiseSpeedMps: m.cruiseSpeedMps, wind: e.wind, gustMps: e.gustMps, gustTimeConstantS: e.gustTimeConstantS, noise: e.noise },
    });
    same(free, pinned);
  });

  it("a generated flight of the varied default is remade alone from its index entry", async () => {
    const dir = out();
    const s = await generate({ out: dir, flights: 2, mix: "normal=1,sockets=1", seed: "77", workers: 1, flightOptions: {} });
    expect(s).toMatchObject({ ran: 2, failed: 0 });
    const idx = [...readJournal(path.join(dir, "index.jsonl")).values()];
    const missions = new Set<string>();
    for (const r of idx) {
      const alone = fly({ scenario: r.scenario, seed: r.seed, flightId: r.id });   // the per-syscall table names its flight
      missions.add(JSON.stringify(alone.manifest.mission));
      // The index says what the flight flew.
      const m = alone.manifest.mission, e = alone.manifest.environment;
      expect(r.mission).toEqual({
        preset: "short", legs: m.legs, distanceM: m.distanceM, cruiseAltitudeM: m.cruiseAltitudeM, cruiseSpeedMps: m.cruiseSpeedMps, pollHz: m.pollHz, windMps: e.windMps, gustMps: e.gustMps,
        anomaly: alone.manifest.anomalies?.cause ?? "none", anomalyStretches: alone.manifest.anomalies?.stretches.length ?? 0, anomalyEpisodes: alone.manifest.episodes.length,
      });
      for (const f of r.files.filter((x) => x.role !== "events")) {
        expect(readFileSync(path.join(alone.dir, path.basename(f.name))).equals(readFileSync(path.join(dir, f.name))), `${r.id} ${f.name}`).toBe(true);
      }
    }
    expect(missions.size).toBe(2);
  }, 180_000);

  it("follows a route with a right-angle and a sharp corner in the wind, passing every waypoint in order", () => {
    const route = [{ x: 8, y: 0 }, { x: 8, y: 8 }, { x: 2, y: 3 }];
    const r = fly({ scenario: "normal", seed: 4, drone: { start: { x: 0, y: 0 }, route, cruiseAltitudeM: 3, cruiseSpeedMps: 4, windMps: 2.5, gustMps: 0.4 }, autopilot: { pollHz: 50 } });
    const o = r.manifest.outcome;
    expect(o).toMatchObject({ reachedDestination: true, waypointsReached: 3, landed: true, crashed: false });
    expect(o.distanceToDestinationM).toBeLessThan(0.5);
    // From the telemetry: the closest pass of each waypoint, in order, within a metre and a half.
    const rows = readFileSync(r.files.telemetry, "latin1").trimEnd().split("\n").slice(1).map((l) => l.split(",").map(Number));
    let from = 0;
    for (const w of route) {
      let best = Infinity, at = -1;
      for (let i = from; i < rows.length; i++) {
        const d = Math.hypot(rows[i][1] - w.x, rows[i][2] - w.y);
        if (d < best) { best = d; at = i; }
        if (best < 1.0 && d > best + 2) break; // passed it: leave later passes to the next waypoint
      }
      expect(best, `waypoint ${JSON.stringify(w)}`).toBeLessThan(1.5);
      expect(at).toBeGreaterThan(from);
      from = at;
    }
    // The wind blew: the telemetry's air velocity is 2.5 m/s on average.
    const w = rows.map((x) => Math.hypot(x[12], x[13]));
    expect(w.reduce((a, b) => a + b, 0) / w.length).toBeGreaterThan(2);
  });

  it("--mission long flies a route of waypoints to at least 400 000 syscalls, the published trace's scale", () => {
    const r = fly({ scenario: "normal", seed: 1, mission: "long" });
    const m = r.manifest;
    expect(m.mission.preset).toBe("long");
    expect(m.mission.legs).toBeGreaterThanOrEqual(6);
    expect(m.recording.syscalls).toBeGreaterThanOrEqual(400_000);
    expect(m.outcome).toMatchObject({ reachedDestination: true, landed: true, waypointsReached: m.mission.legs });
    expect(m.options.maxVirtualSeconds).toBe(600);
  }, 300_000);
});
