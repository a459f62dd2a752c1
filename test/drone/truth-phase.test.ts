// The drone's physical phase (src/drone/truth-phase.ts) from its true state at
// every step: a lift-off is climbing from the first airborne step, small
// vertical speeds around the cruise altitude stay cruising (hysteresis), and
// the final statuses end it. Then a real drone flown by a simple controller.
import { describe, expect, it } from "vitest";
import { TruthPhaseTracker } from "../../src/drone/truth-phase.js";
import { Drone, droneConfig } from "../../src/drone/index.js";
import type { DroneStatus } from "../../src/drone/index.js";

function track(steps: Array<[DroneStatus, number]>): Array<[string, number]> {
  const t = new TruthPhaseTracker();
  steps.forEach(([s, vz], i) => t.observe(i * 1_000_000, s, vz));
  return t.transitions.map((x) => [x.phase, x.ns / 1_000_000]);
}

describe("truth phases", () => {
  it("on the ground, lift-off, climb, level, descent, landing", () => {
    const vz = [0, 0, 0.01, 0.1, 0.3, 0.6, 1.2, 0.4, 0.2, 0.05, -0.2, 0.2, 0.3, 0.45, -0.3, -0.6, -1.0, -0.3, -0.2, -0.6, 0];
    const status: DroneStatus[] = vz.map((_, i) => (i < 2 ? "GROUNDED" : i === vz.length - 1 ? "LANDED" : "FLYING"));
    expect(track(vz.map((v, i) => [status[i], v]))).toEqual([
      ["on_ground", 0],
      ["climbing", 2],       // the first airborne step, though vz is still small
      ["cruising", 8],       // below 0.25 m/s once it had passed 0.5
      ["descending", 15],    // below -0.5
      ["cruising", 18],      // back above -0.25
      ["descending", 19],
      ["landed", 20],
    ]);
  });

  it("keeps a phase between the thresholds (0.25 to 0.5 m/s either way) and ends at a crash", () => {
    expect(track([["FLYING", 0], ["FLYING", 0.49], ["FLYING", -0.49], ["FLYING", 0.51], ["FLYING", 0.26], ["FLYING", 0.24], ["CRASHED", 0], ["CRASHED", 3]]))
      .toEqual([["cruising", 0], ["climbing", 3], ["cruising", 5], ["crashed", 6]]);
  });

  it("a drone taken up and down by its throttle: transitions at its 1 ms steps, in order", () => {
    const d = new Drone(droneConfig({ seed: 1 }));
    const cfg = d.config;
    const hover = (cfg.massKg * cfg.gravity) / cfg.maxThrustN.z;
    d.setAutopilotState("TAKEOFF", 0n);
    d.setThrottles({ x: 0, y: 0, z: hover + 0.3 }, 100_000_000n);
    d.setThrottles({ x: 0, y: 0, z: hover }, 1_500_000_000n);
    d.setAutopilotState("LANDING", 4_000_000_000n);
    d.setThrottles({ x: 0, y: 0, z: hover - 0.05 }, 4_000_000_000n);
    d.advanceTo(30_000_000_000n);
    const phases = d.truth.transitions.map((t) => t.phase);
    expect(phases[0]).toBe("on_ground");
    expect(phases[1]).toBe("climbing");
    expect(phases).toContain("cruising");
    expect(phases).toContain("descending");
    expect(["landed", "crashed"]).toContain(phases[phases.length - 1]);
    for (const t of d.truth.transitions) expect(t.ns % 1_000_000).toBe(0);
    expect(d.truth.transitions[1].ns).toBeGreaterThan(100_000_000);   // lift-off after the throttle went up
  });
});
