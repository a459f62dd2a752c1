// The sections bench/lidds-export.ts and bench/evaluate.ts write into docs/research.md (--doc):
// each is there once and replacing it leaves the rest of the file alone; each writer's text
// from a fixed result (the benches' own runs are minutes, not for npm test).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { replaceSection } from "../../bench/doc-section.js";
import { liddsExportSection, type LiddsExportBench } from "../../bench/lidds-export.js";
import { evaluateSection, type EvaluateBench } from "../../bench/evaluate.js";

const DOC = readFileSync(new URL("../../docs/research.md", import.meta.url), "utf8");
const WHEN = new Date("2026-12-05T12:34:56Z");

describe("docs/research.md's benchmark sections", () => {
  for (const name of ["lidds-export", "evaluate"]) {
    it(`has one ${name} section, and writing it leaves the rest of the file alone`, () => {
      const b = DOC.indexOf(`<!-- bench:${name}:begin`), e = DOC.indexOf(`<!-- bench:${name}:end -->`);
      const after = replaceSection(DOC, name, "NEW");
      expect(after).toBe(DOC.slice(0, DOC.indexOf("\n", b) + 1) + "NEW\n" + DOC.slice(e));
    });
  }
  it("lidds-export: the command, time and tier above the table, the CPU per syscall below", () => {
    const b: LiddsExportBench = {
      flights: 100, mix: "normal=4,sockets=1", syscalls: 10_000_000, lines: 20_000_000, datasetMB: 80.25, zipMB: 173.3, wallSec: 60, cpuSec: 32,
      syscallsPerSec: 10_000_000 / 60, syscallsPerCpuSec: 312_500, peakHeapMB: 44, peakRssMB: 500, rssBeforeMB: 270, rssTenthMB: 390, load1: [1.5, 2.25],
    };
    const s = liddsExportSection(b, "node dist/bench/lidds-export.js --doc", WHEN, true);
    expect(s).toMatch(/^One run of `node dist\/bench\/lidds-export\.js --doc`, 2026-12-05 12:34 UTC \(this machine's 2 cores, the JIT on\): 100 flights \(normal=4,sockets=1\)/);
    expect(s).toContain("| 100 (normal=4,sockets=1) | 10000000 | 20000000 | 80.3 | 173.3 | 60.00 | 32.00 | 166667 | 312500 | 44.0 | 270.0 / 390.0 / 500.0 | 1.5 / 2.3 |");
    expect(s).toMatch(/\n3\.2 µs of CPU per syscall; the largest RSS 110 MB above what it was after the first tenth of the flights\.$/);
  });
  it("evaluate: the command, time and tier above the table; the reading and score files' shares below, when measured", () => {
    const b: EvaluateBench = {
      flights: 100, mix: "normal=4,sockets=1", missions: "drawn (short preset)", syscalls: 11_000_000, wallSec: 20, cpuSec: 12,
      syscallsPerSec: 550_000, syscallsPerCpuSec: 11_000_000 / 12, readCpuSec: 4.8, noScoresCpuSec: 9, load1: 1.5,
    };
    const s = evaluateSection(b, "node dist/bench/evaluate.js --doc", WHEN, true);
    expect(s).toMatch(/^One run of `node dist\/bench\/evaluate\.js --doc`, 2026-12-05 12:34 UTC \(this machine's 2 cores, the JIT on\): a dataset of 100 flights \(missions: drawn \(short preset\); `--mix normal=4,sockets=1 --seed 11`\)/);
    expect(s).toContain("| 100 | normal=4,sockets=1 | 11000000 | 20.00 | 12.00 | 550000 | 916667 | 4.80 | 1.5 |");
    expect(s).toContain("Reading the 100 tables alone (parquet-wasm into typed arrays, timed apart before the evaluation) took 4.80 s of CPU, 40 % of what the evaluation took.");
    expect(s).toMatch(/\nWithout the score files \(`--no-scores`\) the same evaluation took 9\.00 s of CPU: the score files are 25 % of it\.$/);
    const { noScoresCpuSec: _, ...without } = b;
    expect(evaluateSection(without, "c", WHEN, false)).toMatch(/the JIT off[^]*of what the evaluation took\.$/);
  });
});
