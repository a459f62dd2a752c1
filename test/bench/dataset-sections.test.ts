// The tables that bench/research-cost.ts, bench/autopilot.ts and bench/ground-truth.ts write into docs/dataset.md (--doc):
// each section is there once, and what is written says when, at what load and in which tier.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { replaceSection } from "../../bench/doc-section.js";
import { researchCostSection, type ResearchCost } from "../../bench/research-cost.js";
import { autopilotSection, type AutopilotCost } from "../../bench/autopilot.js";
import { groundTruthSection, type GroundTruthCost } from "../../bench/ground-truth.js";

const DOC = readFileSync(new URL("../../docs/dataset.md", import.meta.url), "utf8");
const WHEN = new Date("2026-12-05T12:34:56Z");

describe("docs/dataset.md's benchmark sections", () => {
  for (const name of ["research-cost", "autopilot", "ground-truth"]) {
    it(`has one ${name} section for --doc to rewrite`, () => {
      expect(() => replaceSection(DOC, name, "x")).not.toThrow();
    });
  }
  it("research-cost: the run's time, load and tier above the table, and the target's verdict from the figures", () => {
    const row = (timing: "ideal" | "realistic", table: boolean, ms: number) => ({ timing, table, flights: 8, syscalls: 100, medianCpuMs: ms, medianWallMs: ms, cpuUsPerSyscall: ms * 10 });
    const t: ResearchCost = {
      scenario: "normal", seed: 1, rounds: 8,
      rows: [row("ideal", false, 200), row("ideal", true, 220), row("realistic", false, 205), row("realistic", true, 226)],
      wallRatio: 1.13, cpuRatio: 1.12, pairedWallRatio: 1.14, pairedCpuRatio: 1.11,
    };
    const s = researchCostSection(t, [0.5, 1.25], WHEN, true);
    expect(s).toMatch(/^One run, 2026-12-05 12:34 UTC, load average 0\.50 before and 1\.25 after \(this machine's 2 cores, the JIT on;/);
    expect(s).toContain("| **realistic + table / ideal, no table** | | | | **1.120×** | **1.130×** | | target ≤ 1.15× wall: met |");
    expect(researchCostSection({ ...t, wallRatio: 1.2 }, [0.5, 1.25], WHEN, false)).toMatch(/the JIT off;[^]*target ≤ 1\.15× wall: not met/);
    expect(s).not.toContain("main thread's own CPU");
    // With the main thread's own CPU: its ratio, and what the other threads took beside it.
    const own = { ...t, rows: t.rows.map((r, k) => ({ ...r, medianThreadMs: [180, 0, 0, 207][k] })), threadRatio: 207 / 180 };
    expect(researchCostSection(own, [0.5, 1.25], WHEN, true)).toMatch(/\nThe main thread's own CPU \(Linux schedstat\), median: bare 180 ms, everything 207 ms, 1\.150×; the process's other threads [^\n]* about 20 and 19 ms of CPU beside it\.$/);
  });
  it("autopilot: the run's time and tier above the table; a skipped run says why", () => {
    const r = (autopilot: "c" | "python", ms: number) => ({ autopilot, flights: 3, syscalls: 100, virtualS: 9.4, outcome: "landed at destination", medianWallMs: ms, medianCpuMs: ms });
    const t: AutopilotCost = { scenario: "normal", seed: 1, rounds: 3, rows: [r("c", 300), r("python", 4500)], wallRatio: 15, cpuRatio: 15, load: [1, 2] };
    const s = autopilotSection(t, WHEN, true);
    expect(s).toMatch(/^One run, 2026-12-05 12:34 UTC \(this machine's 2 cores, the JIT on\)/);
    expect(s).toContain("| **python / c** | | | | | **15.00×** | 15.00× |");
    expect(s).toContain("Load average 1.00 before, 2.00 after.");
    expect(autopilotSection({ skipped: "python3 is missing" }, WHEN, true)).toBe("Skipped: python3 is missing.");
  });
  it("ground-truth: the run's time, load and tier above the table; parquet-wasm's failure said, not fatal", () => {
    const t: GroundTruthCost = {
      scenario: "normal", seed: 1, rounds: 9, syscalls: 1000, episodes: 0, tableBytes: 2048,
      rows: [{ table: false, medianCpuMs: 300, medianWallMs: 290, cpuUsPerSyscall: 300 }, { table: true, medianCpuMs: 339, medianWallMs: 330, cpuUsPerSyscall: 339 }],
      cpuRatio: 1.13, wallRatio: 330 / 290, encodeMs: 17.25, generalMs: 116.6, generalBytes: 4096, generalError: null,
    };
    const s = groundTruthSection([t, { ...t, scenario: "sockets", generalError: "failed to fill whole buffer" }], [0.5, 1.25], WHEN, true);
    expect(s).toMatch(/^One run, 2026-12-05 12:34 UTC, load average 0\.50 before and 1\.25 after \(this machine's 2 cores, the JIT on;[^]*seed 1 of each scenario, 9 rounds/);
    expect(s).toContain("| normal | **on / off** | | | **1.130×** | 1.138× | |");
    expect(s).toContain("normal: 0 episodes; the table is 2.0 KB, written in 17.3 ms of CPU (the same columns through parquet-wasm with ZSTD: 116.6 ms, 4.0 KB).");
    expect(s).toContain("sockets: 0 episodes; the table is 2.0 KB, written in 17.3 ms of CPU (parquet-wasm failed on the same columns: failed to fill whole buffer).");
  });
});
