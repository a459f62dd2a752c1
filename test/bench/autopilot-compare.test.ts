// bench/autopilot-compare.ts: what it reads off a raw trace (the autopilot's stalls, select's
// arguments, busydelay's candidates) and the section it writes into docs/dataset.md (--doc),
// from fixed rows; the section is there once and replacing it leaves the rest of the file alone.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { replaceSection } from "../../bench/doc-section.js";
import { compareSection, factoringCandidates, shapeOf, stallsOf, PUBLISHED, type CompareRow, type Comparison } from "../../bench/autopilot-compare.js";

const DOC = readFileSync(new URL("../../docs/dataset.md", import.meta.url), "utf8");
const WHEN = new Date("2026-12-05T12:34:56Z");

const row = (program: "c" | "python", scenario: string, cpuS: number, stallsMs: number[] = []): CompareRow => ({
  program, scenario, seed: 1, outcome: "landed at destination", seconds: 9.5, syscalls: 100_000, selectReadShare: 0.984, cr3s: 6, images: 6, loaded: 3,
  top: [["read", 0.492], ["select", 0.492]],
  selects: [[{ call: program === "c" ? "select" : "pselect6", nfds: program === "c" ? 4 : 5, read: true, write: false, except: false, timeout: true, ...(program === "c" ? {} : { sigmask: false }) }, 52_000]],
  stallsMs, factoring: program === "c" && stallsMs.length ? [{ instructions: 8_000_000, candidates: 1_000_000 }, { instructions: 16_000_000, candidates: 2_000_000 }] : [],
  wallS: cpuS + 1, cpuS,
});

describe("bench/autopilot-compare.ts", () => {
  it("docs/dataset.md has one autopilot-compare section, and --doc replaces only it", () => {
    const after = replaceSection(DOC, "autopilot-compare", "NEW");
    const begin = DOC.indexOf("<!-- bench:autopilot-compare:begin"), end = DOC.indexOf("<!-- bench:autopilot-compare:end -->");
    const lineEnd = DOC.indexOf("\n", begin) + 1;
    expect(after).toBe(DOC.slice(0, lineEnd) + "NEW\n" + DOC.slice(end));
  });
  it("a stall is a gap of more than 25 ms between the autopilot's (the busiest CR3's) return and its next call", () => {
    const raw = [
      "1000, SYSCALL,0x17,0x4,0x1,0x0,0x0,0x1,0x0,0xa000", "2000, SYSRET,0xa000",
      "3000, SYSCALL,0x0,0x3,0x1,0x1,0x0,0x0,0x0,0xa000", "4000, SYSRET,0xa000",
      "20004000, SYSCALL,0x3d,0x0,0x0,0x0,0x0,0x0,0x0,0xb000", "20005000, SYSRET,0xb000", // another process: not the autopilot
      "30004000, SYSCALL,0x17,0x4,0x1,0x0,0x0,0x1,0x0,0xa000", "30005000, SYSRET,0xa000", // 30 ms after the read returned
      "30010000, SYSCALL,0x0,0x3,0x1,0x1,0x0,0x0,0x0,0xa000", "",
    ].join("\n");
    expect(stallsOf(raw)).toEqual([30]);
  });
  it("reads select's arguments and counts busy_factor's candidates", () => {
    expect(shapeOf(PUBLISHED.split(","))).toEqual({ call: "select", nfds: 6, read: true, write: true, except: true, timeout: false });
    expect(shapeOf("1, SYSCALL,0x10e,0x5,0x1,0x0,0x0,0x1,0x0,0xa000".split(","))).toEqual({ call: "pselect6", nfds: 5, read: true, write: false, except: false, timeout: true, sigmask: false });
    // smallest_factor(101·103) tries 3, 5, …, 101 (50); random_prime's tests of 101 and 103 try 3, 5, 7, 9 (4 each).
    expect(factoringCandidates([103, 101])).toBe(58);
  });
  it("the section: the command, time, machine and load above; the stalls, candidate costs and CPU ratios from the rows", () => {
    const t: Comparison = {
      rows: [row("c", "normal", 0.5), row("python", "normal", 5), row("c", "busydelay", 0.8, [70, 80, 130]), row("python", "busydelay", 4, [80, 100, 120])],
      python: { numbers: ["26590026019", "86867259341"], instructions: [96_000_000, 184_000_000], candidates: [71_709, 137_244], perCandidate: 1340 },
      extra: {}, cpuModel: "AMD EPYC", load: [0.5, 1.25],
    };
    const s = compareSection(t, "node dist/bench/autopilot-compare.js --doc", WHEN, true);
    expect(s).toMatch(/^One run of `node dist\/bench\/autopilot-compare\.js --doc`, 2026-12-05 12:34 UTC, on AMD EPYC \(the JIT on\), load average 0\.50 before and 1\.25 after;/);
    expect(s).toContain("| normal 1 | python | landed at destination | 9.50 s | 100,000 | 10,526 | 98.4 % | 6 (6) | 3 | 6.0 s / 5.0 s |");
    expect(s).toContain("- busydelay 1, c: 3 stalls, 70–130 (80), over 9.50 s of recording");
    expect(s).toContain("- busydelay 1: Python's median stall 1.25× C's");
    expect(s).toMatch(/Instructions per candidate of the trial division: C 8\.00 \(the C busydelay flights' 2 factoring episodes[^]*Python 1340 [^]*: 168×/);
    expect(s).toContain("Python's CPU over C's, flight by flight: normal 1 10.0×, busydelay 1 5.0×.");
    expect(s).toContain("| published (the quoted line) | `select` (23) | 6 | given | given | given | NULL |");
    expect(s).toContain("| Python autopilot, seed 1 | `pselect6` (270) | 5 | given | NULL | NULL | given |");
    expect(compareSection({ skipped: "python3 is missing" }, "c", WHEN, true)).toBe("Skipped: python3 is missing.");
  });
});
