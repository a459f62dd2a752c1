// The anomaly schedules (src/flight/anomalies/schedule.ts): drawn from the
// anomalies sub-seed alone, within each kind's ranges, every pin changing only
// what it pins, and the autopilot's arguments that carry them out.
import { describe, expect, it } from "vitest";
import { drawSchedule, autopilotArgs, checkPins, ANOMALY_KINDS, KINDS, MAX_STRETCHES, kindOf, type AnomalyKind } from "../../src/flight/anomalies/schedule.js";
import { resolveFlight, FlightInputError } from "../../src/flight/options.js";
import { flightSeeds } from "../../src/flight/seeds.js";
import { initArgv } from "../../src/flight/run-flight.js";
import { SCENARIOS, SCENARIO_INTENT } from "../../src/flight/scenarios.js";
import { CAUSES } from "../../src/flight/ground-truth/causes.js";
import { parseMix } from "../../src/generate/plan.js";

const inRange = (v: number, r: { min: number; max: number }): boolean => v >= r.min && v <= r.max;

describe("anomaly schedules", () => {
  it("stay within each kind's ranges, alternate normal and anomalous stretches, and vary with the seed", () => {
    for (const kind of ANOMALY_KINDS) {
      const spec = KINDS[kind];
      const seen = new Set<string>();
      for (let seed = 0; seed < 200; seed++) {
        const s = drawSchedule(kind, seed);
        expect(s).toEqual(drawSchedule(kind, seed));
        seen.add(JSON.stringify(s));
        expect([s.cause, s.unit, s.phase]).toEqual([spec.cause, spec.unit, spec.phase]);
        expect(inRange(s.stretches.length, spec.episodes)).toBe(true);
        let end = 0;
        for (const [i, x] of s.stretches.entries()) {
          expect(x.stretch).toBe(i);
          expect(inRange(x.after, i === 0 ? spec.onset : spec.gap)).toBe(true);
          expect(x.start).toBe(end + x.after);
          expect(inRange(x.duration, spec.duration)).toBe(true);
          end = x.start + x.duration;
          expect(Object.keys(x.params)).toEqual(spec.params.map((p) => p.name));
          for (const p of spec.params) expect(inRange(x.params[p.name], p.range)).toBe(true);
        }
      }
      expect(seen.size).toBeGreaterThan(190);
    }
  });

  it("a pin changes what it pins and nothing else", () => {
    const base = drawSchedule("udp", 77);
    const pinned = drawSchedule("udp", 77, { episodes: MAX_STRETCHES, params: { bytes: 100 } });
    expect(pinned.stretches).toHaveLength(MAX_STRETCHES);
    for (const [i, x] of base.stretches.entries()) {
      expect(pinned.stretches[i]).toEqual({ ...x, params: { ...x.params, bytes: 100 } });
    }
    const timed = drawSchedule("udp", 77, { onset: 3, gap: 4, duration: 5, phase: "LANDING" });
    expect(timed.phase).toBe("LANDING");
    expect(timed.stretches.map((x) => [x.after, x.start, x.duration])).toEqual(base.stretches.map((_, i) => [i ? 4 : 3, 3 + 9 * i, 5]));
    expect(timed.stretches.map((x) => x.params)).toEqual(base.stretches.map((x) => x.params));
    // A pinned first port leaves only the ports there are.
    for (const x of drawSchedule("udp", 5, { episodes: 8, params: { port: 65000 } }).stretches) expect(x.params.port + x.params.ports).toBeLessThanOrEqual(65536);
  });

  it("is the flight's: drawn from its anomalies sub-seed, in the resolved flight, on the autopilot's command line", () => {
    const f = resolveFlight({ scenario: "busydelay", seed: 12, outDir: "." });
    expect(f.anomalies).toEqual(drawSchedule("factoring", flightSeeds(12).anomalies));
    const argv = initArgv(f);
    expect(argv.slice(0, 5)).toEqual(["/bin/flight-init", "busydelay", String(flightSeeds(12).autopilot), "/dev/ttyS0", `poll_hz=${f.autopilot.pollHz}`]);
    expect(argv.slice(5)).toEqual(autopilotArgs(f.anomalies));
    expect(argv[5]).toBe("anomaly_phase=TAKEOFF");
    const x = f.anomalies!.stretches[0];
    expect(argv[6]).toBe(`anomaly=${x.after}:${x.duration}:${x.params.bits}:${x.params.every}:0:0`);
    expect(resolveFlight({ scenario: "normal", seed: 12, outDir: "." }).anomalies).toBeNull();
    // spoof is the drone's: nothing for the autopilot, the windows in the drone's configuration.
    const sp = resolveFlight({ scenario: "spoof", seed: 12, outDir: "." });
    expect(initArgv(sp)).toHaveLength(5);
    expect(sp.drone.spoof).toEqual({ phase: "CRUISE", windows: sp.anomalies!.stretches.map((s) => ({ afterNs: s.start * 1e6, durationNs: s.duration * 1e6, offset: { x: s.params.dxM, y: s.params.dyM } })) });
    // busyBits (--busy-bits) pins every stretch's bits; the flags' pins win over --config's.
    const pinned = resolveFlight({ scenario: "busydelay", seed: 12, outDir: ".", autopilot: { busyBits: 20 }, drone: { anomaly: { every: 3, episodes: 1 } }, anomaly: { episodes: 2 } });
    expect(pinned.anomalies!.stretches.map((s) => s.params)).toEqual([{ bits: 20, every: 3 }, { bits: 20, every: 3 }]);
    for (const k of ANOMALY_KINDS) expect(kindOf(k === "factoring" ? "busydelay" : k === "udp" ? "sockets" : k)).toBe(k as AnomalyKind);
  });

  it("every kind is a scenario that --mix accepts", () => {
    expect(parseMix("normal=2,busydelay=1,sockets=1,shell=1,hog=1,spoof=1", SCENARIOS).entries.map((e) => e.scenario)).toEqual([...SCENARIOS]);
    expect(SCENARIOS.filter((s) => kindOf(s) !== null).map((s) => KINDS[kindOf(s)!].cause)).toEqual(["factoring", "udp", "shell", "hog", "spoof"]);
    expect(CAUSES.map((c) => c.name)).toEqual(["factoring", "udp", "shell", "hog", "spoof"]);
    for (const s of SCENARIOS) expect(SCENARIO_INTENT[s].meantTo).toMatch(/\w/);
  });

  it("rejects a bad pin with one line naming it", () => {
    expect(() => checkPins({ bits: 40 })).toThrow(/^bad anomaly bits 40: an integer from 8 to 31$/);
    expect(() => checkPins({ phase: "LANDED" })).toThrow(/^bad anomaly phase "LANDED"/);
    expect(() => checkPins({ nope: 1 })).toThrow(/^unknown anomaly field "nope"/);
    expect(() => checkPins({ port: 65000, ports: 1000 })).toThrow(/port \+ ports is at most 65536/);
    expect(() => resolveFlight({ scenario: "hog", seed: 1, outDir: ".", drone: { anomaly: { mib: 100 } } })).toThrow(FlightInputError);
    expect(() => resolveFlight({ scenario: "hog", seed: 1, outDir: ".", anomaly: { episodes: 9 } })).toThrow(/^bad anomaly episodes 9/);
  });
});
