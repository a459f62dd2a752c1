// scripts/flight-ranges.mjs, the script that writes docs/dataset.md's outcome ranges: its table
// code on real flights and on made-up ones (crashes, failures, a scenario without some syscall),
// the marker replacement, its options, and one end-to-end run into a scratch document.
import { describe, it, expect } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { runFlight, SCENARIO_INTENT } from "../../src/flight/index.js";
// @ts-expect-error: a plain .mjs module without types
import { summarize, failure, outcomeLabel } from "../../scripts/flight-ranges/summary.mjs";
// @ts-expect-error: a plain .mjs module without types
import { intentTable, outcomeTable, missionTable, syscallTable, costTable, seedsLine } from "../../scripts/flight-ranges/table.mjs";
// @ts-expect-error: a plain .mjs module without types
import { replaceBetweenMarkers } from "../../scripts/flight-ranges/doc.mjs";
// @ts-expect-error: a plain .mjs module without types
import { parseOptions, jobsOf } from "../../scripts/flight-ranges.mjs";

const ROOT = path.resolve(__dirname, "../..");
const SCRIPT = path.join(ROOT, "scripts/flight-ranges.mjs");

function fly(scenario: string, seed: number) {
  const dir = mkdtempSync(path.join(tmpdir(), "ranges-test-"));
  try {
    return runFlight({ scenario, seed, outDir: dir }).manifest;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A crash summary as a busydelay flight would give it, without flying one (they take seconds).
const crash = (seed: number, speed: string, alt: number, reached = false) => ({
  ...summarize({
    scenario: "busydelay", seed,
    outcome: { reachedDestination: reached, landed: false, crashed: true, crashReason: `ground contact at ${speed} m/s while CRUISE`,
      distanceToDestinationM: 9.4, maxAltitudeM: alt, touchdownNs: 2_680_000_000, touchdownSpeedMps: Number(speed) },
    recording: { durationNs: 4_517_706_480, syscalls: 16_700, lines: 33_400 },
    events: { read: 8192, select: 8192, write: 140 },
  }, { cpuS: 5, wallS: 6 }, SCENARIO_INTENT.busydelay),
});

describe("flight-ranges: the tables", () => {
  const manifests = [fly("normal", 1), fly("normal", 2), fly("sockets", 1)];
  const flights = manifests.map((m, i) => summarize(m, { cpuS: 0.2 + i / 10, wallS: 1, firstInWorker: i === 0 }, SCENARIO_INTENT[m.scenario as "normal"]));
  const all = [...flights, crash(1, "8.11", 5.52), crash(2, "10.31", 9.5), failure("busydelay", 3, "the flight did not finish within 120 s\nmore", SCENARIO_INTENT.busydelay)];

  it("labels outcomes without their per-seed figures", () => {
    expect(outcomeLabel({ crashed: true, reachedDestination: false, crashReason: "ground contact at 8.11 m/s while CRUISE" })).toBe("crashed (ground contact while CRUISE)");
    expect(outcomeLabel({ crashed: true, reachedDestination: true, crashReason: "touchdown at 2.10 m/s > 1.5 m/s" })).toBe("reached the destination, then crashed (touchdown above 1.5 m/s)");
    expect(outcomeLabel({ crashed: false, landed: true, reachedDestination: true })).toBe("reached the destination and landed");
    expect(outcomeLabel({ crashed: false, landed: true, reachedDestination: false })).toBe("landed short of the destination");
  });

  it("has one row per scenario and outcome, with min–max ranges of the real flights' figures", () => {
    const t: string = outcomeTable(all);
    const rows = t.split("\n").slice(2);
    expect(rows).toHaveLength(4);
    const [a, b] = [flights[0], flights[1]];
    const lo = Math.min(a.syscalls, b.syscalls), hi = Math.max(a.syscalls, b.syscalls);
    expect(lo).toBeLessThan(hi); // two seeds, two different flights
    expect(rows[0]).toContain(`| normal | reached the destination and landed | 2 of 2 |`);
    expect(rows[0]).toContain(`| ${lo.toLocaleString("en-US")}–${hi.toLocaleString("en-US")} |`);
    // Two seeds may land at the same distance to 2 decimals: the table then shows one value.
    const [dLo, dHi] = [Math.min(a.distanceM, b.distanceM).toFixed(2), Math.max(a.distanceM, b.distanceM).toFixed(2)];
    expect(rows[0]).toContain(`| ${dLo === dHi ? dLo : `${dLo}–${dHi}`} |`);
    expect(rows[1]).toMatch(/^\| sockets \| reached the destination and landed \| 1 of 1 \|/);
    // Two crashes at different speeds are one outcome; the failed flight is a row of its own.
    expect(rows[2]).toBe("| busydelay | crashed (ground contact while CRUISE) | 2 of 3 | 9.40 | 5.52–9.50 | 2.68 | 8.11–10.31 | 4.52 | 16,700 | 33,400 |");
    expect(rows[3]).toBe("| busydelay | failed: the flight did not finish within 120 s | 1 of 3 | – | – | – | – | – | – | – |");
  });

  it("tells how often each scenario did what it is meant to, and which seeds did not", () => {
    // A busydelay flight that reached its destination before crashing is not what busydelay means.
    const t: string = intentTable([...all, crash(4, "9.00", 6, true)]);
    const rows = t.split("\n").slice(2);
    expect(rows).toEqual([
      "| normal | reach the destination and land | 2 of 2 | 100.0 % | none |",
      "| sockets | reach the destination and land | 1 of 1 | 100.0 % | none |",
      "| busydelay | crash short of the destination | 2 of 4 | 50.0 % | 3: failed (the flight did not finish within 120 s); 4: reached the destination, then crashed (ground contact while CRUISE) |",
    ]);
    // Summaries without an intent (an older build) make no row.
    expect(intentTable([summarize(manifests[0])]).split("\n")).toHaveLength(2);
  });

  it("gives the ranges of what the flights flew, from their manifests", () => {
    const t: string = missionTable(all);
    const rows = t.split("\n").slice(2);
    expect(rows).toHaveLength(2); // the made-up crashes carry no mission
    const [a, b] = [manifests[0].mission, manifests[1].mission];
    expect(a.distanceM).not.toBe(b.distanceM); // two seeds, two missions
    const lo = Math.min(a.distanceM, b.distanceM).toFixed(1), hi = Math.max(a.distanceM, b.distanceM).toFixed(1);
    expect(rows[0]).toContain(`| normal | ${Math.min(a.legs, b.legs) === Math.max(a.legs, b.legs) ? a.legs : `${Math.min(a.legs, b.legs)}–${Math.max(a.legs, b.legs)}`} | ${lo}–${hi} |`);
    expect(rows[1]).toContain(`| sockets | ${manifests[2].mission.legs} | ${manifests[2].mission.distanceM.toFixed(1)} |`);
  });

  it("counts syscalls by name per scenario, – where a scenario never made one", () => {
    const t: string = syscallTable(all);
    expect(t.split("\n")[0]).toBe("| syscall | normal | sockets | busydelay |");
    const row = (name: string) => t.split("\n").find((l) => l.startsWith(`| ${name} |`));
    expect(row("sendto")).toMatch(/^\| sendto \| – \| \d+ \| – \|$/);
    expect(row("read")).toContain("| 8,192 |");
    expect(row("select")).toBe(row("read")!.replace("read", "select")); // one select per read, every flight
  });

  it("leaves each worker's first flight out of the cost, and says which seeds flew", () => {
    const t: string = costTable(all);
    expect(t).toContain("| normal | 1 | 0.30 | 0.30 |");
    expect(t).toContain("| busydelay | 2 | 5.00 | 5.00 |");
    expect(seedsLine(all)).toBe("normal 1–2; sockets 1; busydelay 1–3");
  });
});

describe("flight-ranges: the document's markers", () => {
  const doc = "# T\n\nbefore\n<!-- flight-ranges:begin (generated) -->\nold\nrows\n<!-- flight-ranges:end -->\nafter\n";
  it("replaces what lies between them, and again on a rerun", () => {
    const once = replaceBetweenMarkers(doc, "new\n\n");
    expect(once).toBe("# T\n\nbefore\n<!-- flight-ranges:begin (generated) -->\nnew\n<!-- flight-ranges:end -->\nafter\n");
    expect(replaceBetweenMarkers(once, "new")).toBe(once);
  });
  it("keeps named sections apart: --section long writes between its own markers only", () => {
    const two = doc + "<!-- flight-ranges:long:begin -->\nlong\n<!-- flight-ranges:long:end -->\n";
    const once = replaceBetweenMarkers(two, "L\n", "long");
    expect(once).toBe(doc + "<!-- flight-ranges:long:begin -->\nL\n<!-- flight-ranges:long:end -->\n");
    expect(replaceBetweenMarkers(once, "new\n")).toBe(once.replace("old\nrows\n", "new\n"));
    expect(() => replaceBetweenMarkers(doc, "x", "long")).toThrow(/flight-ranges:long:begin/);
  });

  it("refuses a document without them, or with two", () => {
    expect(() => replaceBetweenMarkers("# T\n", "x")).toThrow(/exactly one/);
    expect(() => replaceBetweenMarkers(doc + doc, "x")).toThrow(/exactly one/);
    expect(() => replaceBetweenMarkers("<!-- flight-ranges:end -->\n<!-- flight-ranges:begin -->\n", "x")).toThrow(/exactly one/);
  });
});

describe("flight-ranges: options and the command", () => {
  const known = ["normal", "busydelay", "sockets"];
  it("takes seeds, scenarios, workers and flight options, and refuses bad ones", () => {
    const o = parseOptions(["--seeds", "2", "--first-seed", "5", "--scenarios", "sockets,normal", "--workers", "3", "--flight-options", '{"baud":9600}', "--no-doc", "--section", "long"], known);
    expect(o).toMatchObject({ seeds: 2, firstSeed: 5, scenarios: ["sockets", "normal"], workers: 3, flightOptions: { baud: 9600 }, doc: null, section: "long" });
    expect(parseOptions([], known).section).toBe("");
    expect(jobsOf(o).map((j: { scenario: string; seed: number }) => `${j.scenario}${j.seed}`)).toEqual(["sockets5", "normal5", "sockets6", "normal6"]);
    expect(parseOptions([], known).scenarios).toEqual(known);
    for (const bad of [["--seeds", "0"], ["--seeds", "1.5"], ["--workers", "x"], ["--scenarios", "nope"], ["--flight-options", "[1]"], ["--flight-options", '{"seed":1}'], ["--first-seed", "4294967295", "--seeds", "2"], ["--what"], ["--section", "Long!"]]) {
      expect(() => parseOptions(bad, known), bad.join(" ")).toThrow();
    }
  });

  it("says what is wrong in one line, exit status 2", () => {
    const r = spawnSync(process.execPath, [SCRIPT, "--seeds", "0"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('flight-ranges: --seeds "0": an integer, at least 1\n');
  });

  it("flies, prints the tables and writes them between the markers", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ranges-doc-"));
    try {
      const doc = path.join(dir, "doc.md");
      writeFileSync(doc, "top\n<!-- flight-ranges:begin -->\n<!-- flight-ranges:end -->\nbottom\n");
      const r = spawnSync(process.execPath, [SCRIPT, "--seeds", "1", "--first-seed", "7", "--scenarios", "normal", "--workers", "1", "--doc", doc], { encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
      const text = readFileSync(doc, "utf8");
      expect(text.startsWith("top\n<!-- flight-ranges:begin -->\nMade by `node scripts/flight-ranges.mjs --seeds 1 --first-seed 7 --scenarios normal --workers 1`")).toBe(true);
      expect(text).toMatch(/\| normal \| reached the destination and landed \| 1 of 1 \|/);
      expect(text).toMatch(/\| normal \| reach the destination and land \| 1 of 1 \| 100\.0 % \| none \|/);
      expect(text.endsWith("<!-- flight-ranges:end -->\nbottom\n")).toBe(true);
      expect(r.stdout.trim()).toBe(text.slice(text.indexOf("Made by"), text.indexOf("<!-- flight-ranges:end")).trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
