// The tables that bench/scaling.ts, bench/machine-scaling.ts and bench/export.ts write into docs/bulk.md (--doc):
// each section is there once, and what is written says when, the command, the load, and the
// target's verdict computed from the runs (fixtures here, shaped as the benches make them).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { replaceSection } from "../../bench/doc-section.js";
import { scalingSection, scalingSummary, scalingCommand, type ScalingRun } from "../../bench/scaling.js";
import { machineScalingSection } from "../../bench/machine-scaling.js";
import { exportSection } from "../../bench/export.js";

const DOC = readFileSync(new URL("../../docs/bulk.md", import.meta.url), "utf8");
const WHEN = new Date("2026-12-05T12:34:56Z");

const run = (workers: number, flightsPerMin: number, warm: number): ScalingRun => ({
  workers, flights: 96, wallSec: (96 / flightsPerMin) * 60, flightsPerMin, warmFlightsPerMin: warm, cpuSec: 40 * workers, workerCpuSec: 36 * workers,
  busy: 0.9, perFlightMs: { job: 300, export: 60, files: 1 }, startMs: 900, load1: [1.5, 2.25], othersCores: 0.03,
});

describe("docs/bulk.md's benchmark sections", () => {
  for (const name of ["scaling-normal", "scaling-sockets", "scaling-busydelay", "machine-scaling", "export"]) {
    it(`has one ${name} section for --doc to rewrite`, () => {
      expect(() => replaceSection(DOC, name, "x")).not.toThrow();
    });
  }
  it("scaling: the command and time above the run-by-run table, the means and the target's verdict below", () => {
    const runs = [run(1, 160, 165), run(2, 300, 320), run(2, 290, 310), run(1, 170, 175)];
    const s = scalingSummary(runs);
    expect(s.one).toBe(165);
    expect(s.all).toBe(295);
    expect(s.warmRatio).toBeCloseTo(315 / 170, 10);
    const text = scalingSection(runs, scalingCommand("normal", 96, 2, false), WHEN, "v20.20.2");
    expect(text).toMatch(/^One run, 2026-12-05 12:34 UTC, `node dist\/bench\/scaling\.js --scenario normal --flights 96 --rounds 2 --doc` \(Node v20\.20\.2,/);
    expect(text).toContain("| 2 | 96 | 19.9 | 290.0 | 310.0 | 80.0 | 72.0 | 0.83 | 0.90 | 300 | 60 | 1 | 900 | 0.03 | 1.50 / 2.25 |");
    expect(text).toMatch(/\nScaling 1\.79× \(mean flights\/min 165\.0 → 295\.0\), once warm 1\.85×; process CPU per flight 0\.42 s → 0\.83 s\. Issue 4's target, 1\.7× with 2 workers: met in this run\.\nOther processes used at most 0\.03 core meanwhile\.$/);
    const slow = [run(1, 160, 165), run(2, 250, 260)];
    expect(scalingSection(slow, scalingCommand("sockets", 96, 1, true), WHEN, "v20")).toMatch(/--rounds 1 --quick --doc`[^]*1\.56×[^]*: not met in this run\.\n/);
    const busy = [run(1, 160, 165), { ...run(2, 200, 210), othersCores: 1.4 }];
    expect(scalingSection(busy, "c", WHEN, "v20")).toMatch(/\nOther processes used at most 1\.40 core meanwhile: the ratio measures the neighbours as much as the pool; rerun on a quiet machine for a figure to quote\.$/);
    // A run too short to tell the warm rate says so rather than print NaN.
    expect(scalingSection([run(1, 160, -1), run(2, 300, -1)], "c", WHEN, "v20")).toContain("once warm: too few flights to tell");
  });
  it("machine-scaling: the time and load above the table", () => {
    const text = machineScalingSection([{ job: "skytrace exec factor 2000", aloneSec: 3, pairSec: 3.2, ratio: 1.875 }], [0.5, 1.25], WHEN);
    expect(text).toMatch(/^One run, 2026-12-05 12:34 UTC, load average 0\.50 before and 1\.25 after /);
    expect(text).toContain("| skytrace exec factor 2000 | 3.00 | 3.20 | 1.88× |");
  });
  it("export: the command, time and load above the table, the means below", () => {
    const row = (seed: number, medianMs: number) => ({ seed, events: 109000, medianMs, fastestMs: medianMs - 5, medianCpuMs: medianMs + 1, bytes: 23500 });
    const text = exportSection([row(1, 40), row(2, 50)], "node dist/bench/export.js --flights 2 --doc", 40, [0.5, 0.75], WHEN);
    expect(text).toMatch(/^One run of `node dist\/bench\/export\.js --flights 2 --doc`, 2026-12-05 12:34 UTC, load average 0\.50 before and 0\.75 after [^]*seeds 1 to 2\./);
    expect(text).toContain("| 2 | 109000 | 50.0 | 45.0 | 51.0 | 23500 |");
    expect(text).toMatch(/\nmean of the medians: 45\.0 ms wall, 46\.0 ms CPU per normal flight \(40 exports each, after 10 warm-up\)$/);
  });
});
