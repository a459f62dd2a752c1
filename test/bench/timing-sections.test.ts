// The sections of docs/timing.md written by their scripts (--doc): bench/timing.ts (the model's
// cost), scripts/calibrate-timing.mjs (the calibration's summary) and
// scripts/timing-distributions.mjs (the Δt tables). Each is there once and replacing it leaves the
// rest of the file alone; each writer's text from fixed inputs; the calibration's summary is the
// one the committed run (docs/timing-calibration.jsonl) gives.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { replaceSection } from "../../bench/doc-section.js";
import { timingCostSection, type TimingCost } from "../../bench/timing.js";
import { quietest, summarySection } from "../../scripts/calibrate-timing/summary.mjs";
import { reduce, renderTables, distributionsSection } from "../../scripts/timing-distributions/tables.mjs";

const DOC = readFileSync(new URL("../../docs/timing.md", import.meta.url), "utf8");
const WHEN = new Date("2026-12-05T12:34:56Z");
const body = (name: string) => {
  const b = DOC.indexOf(`<!-- bench:${name}:begin`), e = DOC.indexOf(`<!-- bench:${name}:end -->`);
  return DOC.slice(DOC.indexOf("\n", b) + 1, e);
};

describe("docs/timing.md's generated sections", () => {
  for (const name of ["timing-calibration", "timing-distributions", "timing-cost"]) {
    it(`has one ${name} section, and writing it leaves the rest of the file alone`, () => {
      const after = replaceSection(DOC, name, "NEW");
      expect(after.replace("\nNEW\n", "\n" + body(name))).toBe(DOC);
      expect(after.split("\n").length).toBe(DOC.split("\n").length - body(name).split("\n").length + 2);
    });
  }
  it("timing-cost: the command, time, load and tier above the table, the ratios from the rows", () => {
    const row = (timing: "ideal" | "realistic", ms: number) => ({ timing, flights: 30, syscalls: 100_000, medianCpuMs: ms, medianWallMs: ms + 10, cpuUsPerSyscall: ms * 10 / 1000 });
    const t: TimingCost = {
      scenario: "normal", seed: 1, rounds: 30, rows: [row("ideal", 250), row("realistic", 260)],
      cpuRatio: 1.04, wallRatio: 270 / 260, perSyscallRatio: 1.04, pairedCpuRatio: 1.03, pairedCpuRange: [0.9, 1.2], drawNs: 25,
    };
    const s = timingCostSection(t, "node dist/bench/timing.js --rounds 30 --doc", [0.5, 1.25], WHEN, true);
    expect(s).toMatch(/^One run of `node dist\/bench\/timing\.js --rounds 30 --doc`, 2026-12-05 12:34 UTC, load average 0\.50 before and 1\.25 after \(this machine's 2 cores, the JIT on\): the normal flight of seed 1/);
    expect(s).toContain("| realistic | 30 | 100000 | 260 | 270 | 2.60 |");
    expect(s).toContain("| **realistic / ideal** | | | **1.040×** | 1.038× | 1.040× |");
    expect(s).toContain("The model alone: 25 ns of CPU per syscall draw (a tight loop of a million), against 2500 ns of CPU per syscall for a whole ideal flight (1.0 %).");
  });
  it("timing-calibration: the committed section is what the committed run gives", () => {
    const [head, ...lines] = readFileSync(new URL("../../docs/timing-calibration.jsonl", import.meta.url), "utf8").trim().split("\n");
    const text = summarySection(quietest(lines), JSON.parse(head), "node scripts/calibrate-timing.mjs --from docs/timing-calibration.jsonl --doc");
    expect(body("timing-calibration")).toBe(text + "\n");
    expect(text).toMatch(/^Made by `node scripts\/calibrate-timing\.mjs --from docs\/timing-calibration\.jsonl --doc` from the calibration of \d{4}-\d\d-\d\d \d\d:\d\d UTC \(/);
  });
  it("timing-calibration: a row's quantiles from the quietest run, and a run without a row's measurement refused", () => {
    const q = (m: number) => [[0.1, m - 10], [0.5, m], [0.9, m + 10], [0.99, m + 100]];
    const names = ["sys.select", "sys.read", "sys.write", "sys.clock_nanosleep", "sys.fork", "sys.execve", "sys.mkdir", "sys.getpid", "wake.pty", "wake.timer", "wake.child", "tick", "switch", "refill", "refill.wake", "fault"];
    const lines = names.flatMap((name) => [JSON.stringify({ run: 0, name, n: 10, q: q(900) }), JSON.stringify({ run: 1, name, n: 10, q: q(800) })]);
    const run = { startedAt: "2026-12-05T01:48:13Z", cpu: "AMD EPYC", cores: 2, kernel: "6.18", hz: 250, before: [4, 5, 6], after: [6, 5, 4], runs: 2 };
    const s = summarySection(quietest(lines), run, "c");
    expect(s).toMatch(/^Made by `c` from the calibration of 2026-12-05 01:48 UTC \(AMD EPYC, 2 cores, Linux 6\.18, HZ=250; load average 4 before and 6 after; the quietest of 2 runs/);
    expect(s).toContain("| `sys.read` | 1-byte read from the port | 0.79 / **0.80** / 0.81 / 0.90 |");
    expect(s).toContain("| `refill`, `refill.wake` | 16 lines on 16 pages, cold | 0.80 / 0.80 (medians) |");
    expect(() => summarySection(quietest(lines.filter((l) => !l.includes('"tick"'))), run, "c")).toThrow(/no samples for tick/);
  });
  it("timing-distributions: the tables from each flight's calls", () => {
    // select (slept 86 µs) → read → select …, and a ready select in the second source.
    const flight = (ready: boolean) => ({
      calls: Array.from({ length: 60 }, (_, i) => i % 2
        ? { name: "read", enter: i * 100_000, exit: i * 100_000 + 500 }
        : { name: "select", enter: i * 100_000 + 1_000, exit: i * 100_000 + (ready ? 2_000 : 87_000) }),
    });
    const red: [string, ReturnType<typeof reduce>][] = [["ideal", reduce(flight(false))], ["native PTY (tap)", reduce(flight(true))]];
    const text = renderTables({ seed: 1, mission: { legs: 3, distanceM: 8, cruiseAltitudeM: 4, cruiseSpeedMps: 3, pollHz: 87 }, red,
      recorded: { ideal: { syscalls: 60, distinct: 2 }, realistic: { syscalls: 61, distinct: 5 } }, load: [[1, 2, 3], [1.5, 2, 3]], min: 10 });
    expect(text).toMatch(/^NORMAL flight, seed 1 \(3 legs, 8 m at 4 m, 3 m\/s, 87 polls\/s\)[^\n]*\nLoad average 1\.00, 2\.00, 3\.00 before, 1\.50, 2\.00, 3\.00 after\.\n/);
    expect(text).toContain("| select (slept) → read | 99.00 / **99.00** / 99.00 / 99.00 (30) | – |");
    expect(text).toContain("| read | 0.500 / **0.500** / 0.500 / 0.500 (30) | 0.500 / **0.500** / 0.500 / 0.500 (30) |");
    expect(text).toContain("| autopilot calls | 60 | 60 |");
    expect(text).toMatch(/ideal 60 syscalls, 2 distinct Δt; realistic 61 syscalls, 5 distinct Δt\.$/);
    expect(distributionsSection("node scripts/timing-distributions.mjs --doc", WHEN, "T")).toBe("One run of `node scripts/timing-distributions.mjs --doc`, 2026-12-05 12:34 UTC.\n\nT");
  });
});
