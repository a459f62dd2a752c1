// The flight benchmarks that say they fly on one reused host (as a generate worker does: one
// Machine for every flight) hand runFlight the same Machine every time. runFlight is replaced here
// by one that notes the host it was given and answers at once (the benches' figures are not the
// point, which host they fly on is): a bench that left `machine` out would have every flight make
// a new instance, whose setup hides part of the ratio it measures.
import { describe, it, expect, vi, beforeEach } from "vitest";
import type { FlightHost } from "../../src/flight/run-flight.js";
import { newTraceSinks } from "../../src/flight/recorder.js";
import { RECORD_WORDS } from "../../src/machine/trace-ring.js";

const seen = vi.hoisted(() => ({ machines: [] as unknown[] }));

vi.mock("../../src/flight/run-flight.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/flight/run-flight.js")>();
  return {
    ...real,
    runFlight: (_options: unknown, host: FlightHost = {}) => {
      seen.machines.push(host.machine);
      // ground-truth.ts encodes the last table's rows again: a few rows in the host's sinks.
      host.sinks ??= newTraceSinks();
      const rows = host.sinks.syscalls!;
      rows.clear();
      for (let i = 0; i < 3; i++) rows.call(new Uint32Array(RECORD_WORDS), 0, 1, 0, "autopilot");
      return {
        manifest: {
          recording: { syscalls: 3, durationNs: 1e9 },
          outcome: { crashed: false, landed: true, reachedDestination: true, autopilotState: "LANDED" },
          episodes: [],
        },
        checksums: { syscalls: { bytes: 1, sha256: "x" } },
      };
    },
  };
});
// The Python autopilot's row needs no python3 here: no flight runs.
vi.mock("../../src/flight/autopilots.js", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../src/flight/autopilots.js")>()), pythonMissing: () => null,
}));

const { measureTimingCost } = await import("../../bench/timing.js");
const { measureGroundTruthCost } = await import("../../bench/ground-truth.js");
const { measureResearchCost } = await import("../../bench/research-cost.js");
const { measureAutopilots } = await import("../../bench/autopilot.js");

function oneMachine(): void {
  expect(seen.machines.length).toBeGreaterThan(2);
  expect(seen.machines[0]).toBeDefined();
  expect(seen.machines.every((m) => m === seen.machines[0])).toBe(true);
}

describe("the flight benchmarks fly every flight on one reused Machine", () => {
  beforeEach(() => { seen.machines.length = 0; });
  it("timing.ts", () => { measureTimingCost(2); oneMachine(); });
  it("ground-truth.ts", () => { measureGroundTruthCost(2, "normal"); oneMachine(); });
  it("research-cost.ts", () => { measureResearchCost(2); oneMachine(); });
  it("autopilot.ts", () => { measureAutopilots(2); oneMachine(); });
});
