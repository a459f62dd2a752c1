// bench/readme-table.ts: README's benchmark table from bench/results.json, each figure computed
// from the run's numbers (a fixture here, shaped as `npm run bench` writes it).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { readmeTable, readmeRunLine, type BenchResults } from "../../bench/readme-table.js";
import { replaceSection } from "../../bench/doc-section.js";

const run = (wallSec: number, compileSec: number) => ({ wallSec, cpuSec: wallSec, compileSec, emitSec: 0, moduleSec: 0, regions: 1, modules: 1, bytes: 1, traces: 1, distinct: 1 });
const R: BenchResults = {
  date: "2026-12-05T10:58:08.076Z",
  startup: { program: "empty", runs: 10, skytraceSec: 0.2452, nodeSec: 0.0482, nativeSec: 0.0013, qemuSec: 0.0105 },
  mips: [
    { name: "factor", args: ["32"], instructions: 252e6, emulatedSec: 0.8, nativeSec: 0.035, qemuSec: 0.09, outputsMatch: true, jit: false },
    { name: "factor", args: ["32"], instructions: 252e6, emulatedSec: 0.06, nativeSec: 0.035, qemuSec: 0.09, outputsMatch: true, jit: true },
  ],
  programs: [
    { name: "lua", what: "", args: ["10"], qemuSec: 0.1, jitSec: 0.3, interpSec: 0.7 },
    { name: "sqlite", what: "", args: ["10"], skipped: "not built" },
  ],
  jitCost: [
    { name: "factor", label: "factor 32", jit: [run(0.1, 0.005), run(0.2, 0.02)], interpreter: [] },
    { name: "lua", label: "lua 10", jit: [run(0.5, 0.1), run(0.5, 0.06)], interpreter: [] },
    { name: "normal", label: "normal flight", jit: [run(1, 0.02), run(1, 0.04)], interpreter: [] },
  ],
  researchCost: { scenario: "normal", seed: 1, rounds: 8, rows: [], wallRatio: 1.149, cpuRatio: 1.2, pairedWallRatio: 1, pairedCpuRatio: 1 },
  autopilots: { skipped: "python3 is missing" },
};

// A run with the generate rows and what two separate processes got.
const WITH_SCALING: BenchResults = {
  ...R,
  throughput: {
    cores: 2, loadavgBefore: [1, 1, 1], loadavgAfter: [1, 1, 1], options: {},
    rows: [{ scenario: "normal", workers: 1, flights: 96, load1: [1.2, 1.5], othersCores: 0.02, cpuSecPerFlight: 0.39, workerCpuSecPerFlight: 0.36 }],
    scaling: [{ scenario: "normal", one: 165, all: 301, workers: 2, ratio: 1.824, warmOne: 167, warmAll: 322, warmRatio: 1.93, cpuBound: 1.84 }],
  } as unknown as BenchResults["throughput"],
  machineScaling: [
    { job: "skytrace exec factor 2000", aloneSec: 3, pairSec: 3.2, ratio: 1.875 },
    { job: "factor 2000 (native)", aloneSec: 2, pairSec: 2.02, ratio: 1.98 },
  ],
};

describe("bench/readme-table.ts", () => {
  const t = readmeTable(R);
  it("computes each row from the run's numbers", () => {
    expect(t).toContain("| `skytrace exec` of an empty static program | 245 ms (`node -e 0` alone: 48 ms; qemu-x86_64: 11 ms) |");
    expect(t).toContain("| factoring program (252 M instructions) | JIT 4200 MIPS, interpreter 315 MIPS; native 7200, qemu-x86_64 2800 |");
    expect(t).toContain("| mixed program | not measured |");
    expect(t).toContain("| Lua on Debian's static libraries, JIT time against qemu-x86_64's | 3.0× (`--no-jit`: 7.0×) |");
    expect(t).toContain("| JIT compile time, first run in a fresh process | 5 % of the factoring run, 2–4 % of a flight, 12–20 % of the library programs' runs (issue 14's target: 10 %) |");
    expect(t).toContain("(medians of 8 rounds; target 1.15× wall: met) |");
    expect(readmeTable({ ...R, researchCost: { ...R.researchCost!, wallRatio: 1.151 } })).toContain("target 1.15× wall: not met");
    expect(t).toContain("| the Python autopilot against the C one | skipped: python3 is missing |");
    const ts = readmeTable(WITH_SCALING);
    expect(ts).toContain("| generate, flights per minute, 1 worker → 2 workers (flights a run: normal 96) | normal 165 → 301 (**1.82×**); target 1.7× |");
    expect(ts).toContain("| the machine alone: one job against two at once as separate processes, no pool (`bench/machine-scaling.ts`) | skytrace exec factor 2000 1.88×, factor 2000 (native) 1.98× |");
  });
  it("says when the run started; README has the section once", () => {
    expect(readmeRunLine(R)).toMatch(/started 2026-12-05 10:58 UTC \(/);
    expect(() => replaceSection(readFileSync(new URL("../../README.md", import.meta.url), "utf8"), "readme", "x")).not.toThrow();
  });
});
