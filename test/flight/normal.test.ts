// NORMAL flights: the outcome on several seeds, the files' grammar and
// consistency, determinism across runs and differences across seeds.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fly, checkFiles, count, Flown, removeTempDirs } from "./helpers.js";

afterAll(removeTempDirs);

const flights = new Map<number, Flown>();
const flown = (seed: number): Flown => {
  if (!flights.has(seed)) flights.set(seed, fly("normal", seed));
  return flights.get(seed)!;
};

describe("skytrace fly: normal", () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: reaches the destination and lands softly; files strict and consistent; no sockets`, () => {
      const f = flown(seed);
      checkFiles(f, "normal");
      const o = f.manifest.outcome;
      expect(o).toMatchObject({ reachedDestination: true, landed: true, crashed: false, autopilotState: "LANDED", autopilotExitStatus: 0 });
      expect(o.touchdownSpeedMps).toBeGreaterThan(0);
      expect(o.touchdownSpeedMps).toBeLessThan(0.8); // the autopilot sinks at 0.4 m/s; a crash is > 1.5
      expect(o.distanceToDestinationM).toBeLessThan(f.manifest.options.drone.reachRadiusM as number);
      expect(o.maxAltitudeM).toBeLessThan(1.2 * (f.manifest.options.drone.cruiseAltitudeM as number));
      expect(f.manifest.phases.map((p) => p.state)).toEqual(["TAKEOFF", "CRUISE", "LANDING", "LANDED"]);
      expect(count(f, "socket") + count(f, "sendto")).toBe(0);
      expect(f.manifest.protocolErrors).toBe(0);
      // The published trace is ~97 % select/read pairs.
      expect((count(f, "select") + count(f, "read")) / f.processed.length).toBeGreaterThan(0.95);
      // Ground truth: the anomaly probes were armed and saw nothing; the drone's true phases.
      expect(f.manifest.episodes).toEqual([]);
      expect(f.manifest.unlabeled).toBeUndefined(); // only a Python flight's manifest has it
      expect(f.table.label.filter((l) => l !== 0)).toEqual([]);
      expect(new Set(f.table.cause)).toEqual(new Set([""]));
      expect(f.manifest.truthPhases.map((p) => p.phase)).toEqual(["on_ground", "climbing", "cruising", "descending", "landed"]);
    });
  }

  it("the same seed gives byte-identical files; different seeds give different traces", () => {
    const a = flown(1);
    const again = fly("normal", 1);
    for (const k of ["raw", "processed", "syscalls", "telemetry", "manifest"] as const) {
      expect(readFileSync(again.result.files[k]).equals(readFileSync(a.result.files[k])), k).toBe(true);
    }
    const b = flown(2), c = flown(3);
    expect(b.text.raw).not.toBe(a.text.raw);
    expect(c.text.raw).not.toBe(b.text.raw);
    expect(b.text.processed).not.toBe(a.text.processed);
    expect(b.text.telemetry).not.toBe(a.text.telemetry);
  });
});
