// `skytrace bench` smoke run (short missions, one scenario, no MIPS): the
// throughput tables and results file come out with consistent figures.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

describe("skytrace bench --quick", () => {
  it("measures flights per minute with 1 worker and every core, and writes the results file", () => {
    const out = path.join(tempDir("bench"), "results.json");
    const r = spawnSync(process.execPath, ["bin/skytrace.js", "bench", "--quick", "--no-mips", "--flights", "2", "--scenarios", "sockets", "--out", out],
      { encoding: "utf8", timeout: 240_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\| sockets \| 1 \| 2 \|/);
    expect(r.stdout).toMatch(/scaling \(target/);
    const res = JSON.parse(readFileSync(out, "utf8"));
    const [one, all] = res.throughput.rows;
    expect([one.workers, all.workers]).toEqual([1, res.throughput.cores]);
    for (const row of [one, all]) {
      expect(row).toMatchObject({ scenario: "sockets", flights: 2, failed: 0 });
      expect(row.flightsPerMin).toBeCloseTo((2 / row.wallSec) * 60, 6);
      expect(row.virtualSec).toBeGreaterThan(2 * 3);   // two short missions of ~4 s of virtual time
      expect(row.peakHeapMB).toBeGreaterThan(1);
      // CPU accounting: the process's CPU covers its workers' own.
      expect(row.cpuSecPerFlight).toBeGreaterThan(0);
      if (row.workerCpuSecPerFlight >= 0) expect(row.workerCpuSecPerFlight).toBeLessThanOrEqual(row.cpuSecPerFlight);
    }
    expect(res.throughput.scaling[0].ratio).toBeCloseTo(all.flightsPerMin / one.flightsPerMin, 6);
    // Two flights a run: too few to tell a warm rate (it needs flights after every worker's second).
    expect(res.throughput.scaling[0].warmRatio).toBe(-1);
    expect(res.throughput.export.events).toBeGreaterThan(1000);
    // The machine's own scaling: the emulator and native, each alone and two at once.
    expect(res.machineScaling.map((m: { job: string }) => m.job)).toEqual([expect.stringMatching(/^skytrace exec factor/), expect.stringMatching(/native/)]);
    for (const m of res.machineScaling) expect(m.ratio).toBeCloseTo((2 * m.aloneSec) / m.pairSec, 6);
    // A research-grade recording's cost: the same flight bare (ideal clock, no table), with each half, with
    // both; the ratios of medians printed (the halves alone, with their side figures, only in the full run).
    const rc = res.researchCost;
    expect(rc).toMatchObject({ scenario: "normal", rounds: 2 });
    expect(rc.rows.map((x: { timing: string; table: boolean }) => [x.timing, x.table])).toEqual([["ideal", false], ["ideal", true], ["realistic", false], ["realistic", true]]);
    expect(rc.wallRatio).toBeCloseTo(rc.rows[3].medianWallMs / rc.rows[0].medianWallMs, 6);
    expect(rc.cpuRatio).toBeCloseTo(rc.rows[3].medianCpuMs / rc.rows[0].medianCpuMs, 6);
    for (const row of rc.rows) expect(row.syscalls).toBeGreaterThan(1000);
    expect(r.stdout).toMatch(/\| \*\*realistic \+ table \/ ideal, no table\*\* \|/);
    expect(res.groundTruth).toBeUndefined();
    // The LID-DS export: its own row, syscalls per second from its own counts.
    expect(r.stdout).toMatch(/## Export to LID-DS/);
    const lidds = res.liddsExport;
    expect(lidds.flights).toBe(5);
    expect(lidds.lines).toBeGreaterThan(lidds.syscalls);
    expect(lidds.syscallsPerSec).toBeCloseTo(lidds.syscalls / lidds.wallSec, 6);
    expect(lidds.zipMB).toBeGreaterThan(0);
    // skytrace evaluate's throughput over a quick dataset: every flight's syscalls, per second.
    expect(res.evaluate).toMatchObject({ flights: 5, mix: "normal=4,sockets=1" });
    expect(res.evaluate.syscalls).toBeGreaterThan(5 * 10_000);
    expect(res.evaluate.syscallsPerSec).toBeCloseTo(res.evaluate.syscalls / res.evaluate.wallSec, 6);
    expect(res.evaluate.readCpuSec).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/## Evaluation throughput/);
  }, 240_000);
});
