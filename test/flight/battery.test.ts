// The battery (the preset's enduranceS): a drone that is still in the air when it is spent falls
// and crashes, and the flight is recorded as that crash instead of running into the safety stop.
// A normal flight on a 2 s battery shows it; the preset's own battery reaches every flight.
import { afterAll, describe, expect, it } from "vitest";
import { fly, removeTempDirs } from "./helpers.js";
import { PRESETS, PRESET_NAMES } from "../../src/flight/mission.js";
import { resolveFlight } from "../../src/flight/options.js";

afterAll(removeTempDirs);

describe("the battery", () => {
  it("a flight whose battery is spent in the air ends in a recorded crash", () => {
    const f = fly("normal", 5, undefined, { drone: { enduranceS: 2 } });
    const o = f.manifest.outcome;
    expect(o.crashed).toBe(true);
    expect(o.crashReason).toMatch(/^ground contact at [\d.]+ m\/s while (TAKEOFF|CRUISE), the battery spent after 2 s of flight$/);
    expect(f.manifest.options.drone.enduranceS).toBe(2);
    expect(f.raw.length).toBeGreaterThan(0);
  });

  it("every flight carries its preset's battery, well short of the safety stop", () => {
    for (const mission of PRESET_NAMES) {
      const p = PRESETS[mission];
      expect(resolveFlight({ scenario: "busydelay", seed: 80, outDir: ".", mission }).drone.enduranceS).toBe(p.enduranceS);
      expect(p.enduranceS).toBeLessThan(p.maxVirtualSeconds - 10);
    }
    expect(resolveFlight({ scenario: "normal", seed: 1, outDir: ".", drone: { enduranceS: null } }).drone.enduranceS).toBe(null);
  });
});
