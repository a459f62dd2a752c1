// `skytrace plot FLIGHT_DIR`: the page of a real flight is self-contained
// (no script, no link, nothing fetched), deterministic, small, and every
// chart draws in headless Chromium: marks with a box, ink on the screenshot,
// no console error. The data reductions (raster runs, Δt bins) are checked on
// small hand-made tables.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync, writeFileSync, copyFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { runFlight } from "../../src/flight/index.js";
import { raster } from "../../src/research/plot/raster.js";
import { deltaHistogram } from "../../src/research/plot/histogram.js";
import type { Calls } from "../../src/research/plot/flight-data.js";
import { removeTempDirs, runCli, tempDir } from "../cli/helpers.js";
import { checkPage, findChromium } from "./chromium.js";
import { expectChartsDrew, expectSelfContained } from "./page-checks.js";

const FIGURES = ["path", "altitude", "phases", "raster", "delta", "delta-by-name"];
const chromium = findChromium();
if (!chromium) console.log("plot.test: no chromium or chromium-browser on PATH (.ci/run installs Debian's chromium): the rendering checks are skipped");

let sockets: string, normal: string;
beforeAll(() => {
  const root = tempDir("plot");
  sockets = path.join(root, "sockets-3");
  normal = path.join(root, "normal-3");
  runFlight({ scenario: "sockets", seed: 3, outDir: sockets });
  runFlight({ scenario: "normal", seed: 3, outDir: normal });
});
afterAll(removeTempDirs);

function calls(rows: { t: number; d?: number; name: string; proc?: string; label?: number; cause?: string }[]): Calls {
  const names = [...new Set(rows.map((r) => r.name))];
  const processes = [...new Set(rows.map((r) => r.proc ?? "p (1)"))];
  const causes = ["", ...new Set(rows.map((r) => r.cause ?? "").filter((c) => c))];
  return {
    rows: rows.length,
    enterNs: Float64Array.from(rows, (r) => r.t), deltaNs: Float64Array.from(rows, (r) => r.d ?? 0),
    names, name: Int32Array.from(rows, (r) => names.indexOf(r.name)),
    processes, process: Int32Array.from(rows, (r) => processes.indexOf(r.proc ?? "p (1)")),
    label: Int8Array.from(rows, (r) => r.label ?? 0), causes, cause: Int32Array.from(rows, (r) => causes.indexOf(r.cause ?? "")),
  };
}

describe("the raster's reduction", () => {
  it("merges consecutive bins of a name and process into one bar, keeps gaps, counts every call", () => {
    // 10 bins of 100 ns: read in bins 0-2 and 5, write in bin 9 from another process.
    const c = calls([{ t: 5, name: "read" }, { t: 150, name: "read" }, { t: 160, name: "read" }, { t: 250, name: "read" }, { t: 520, name: "read" },
      { t: 999, name: "write", proc: "q (2)" }]);
    const r = raster(c, 0, 1000, 10, 100);
    expect(r.cells).toEqual([
      { t0: 0, t1: 300e-9, name: "read", process: "p (1)", calls: 4 },
      { t0: 500e-9, t1: 600e-9, name: "read", process: "p (1)", calls: 1 },
      { t0: 900e-9, t1: 1000e-9, name: "write", process: "q (2)", calls: 1 },
    ]);
    expect(r.names).toEqual(["read", "write"]);
    expect(r.anomalous).toEqual([]);
  });
  it("draws each anomalous call at its time up to the cap, bins them past it", () => {
    const rows = [{ t: 10, name: "read" }, { t: 20, name: "socket", label: 1, cause: "udp" }, { t: 30, name: "close", label: 1, cause: "udp" }];
    const own = raster(calls(rows), 0, 100, 4, 2);
    expect(own.anomalous.map((a) => [Math.round(a.t * 1e9), a.name, a.cause])).toEqual([[20, "socket", "udp"], [30, "close", "udp"]]);
    expect(own.cells.map((x) => x.name)).toEqual(["read"]);
    const binned = raster(calls(rows), 0, 100, 4, 1);
    expect(binned.binnedAnomalous).toBe(true);
    expect(binned.anomalous).toEqual([]);
    expect(binned.cells.reduce((s, x) => s + x.calls, 0)).toBe(3);
  });
});

describe("the Δt histogram", () => {
  it("bins log10(Δt) by tenths of a decade, each group as a share of its own calls, Δt 0 left out", () => {
    const c = calls([{ t: 0, d: 0, name: "read" }, { t: 1, d: 100, name: "read" }, { t: 2, d: 100, name: "read" }, { t: 3, d: 1000, name: "select" },
      { t: 4, d: 1e6, name: "sendto", label: 1, cause: "udp" }]);
    const all = deltaHistogram(c, false);
    expect(all.map((b) => [b.group, b.name, b.lo, b.calls, b.share])).toEqual([
      ["anomalous: udp", "all", 1e6, 1, 1],
      ["normal", "all", 100, 2, 2 / 3], ["normal", "all", 1000, 1, 1 / 3],
    ]);
    expect(all[1].hi).toBeCloseTo(10 ** 2.1, 9);
    const read = deltaHistogram(c, true, new Set(["read"]));
    expect(read.map((b) => [b.group, b.name, b.calls, b.share])).toEqual([["normal", "read", 2, 1]]);
  });
});

describe("skytrace plot", () => {
  it("writes a self-contained, deterministic page with every chart", async () => {
    const out1 = path.join(sockets, "a.html"), out2 = path.join(sockets, "b.html");
    const [r1, r2] = await Promise.all([runCli(["plot", sockets, "--out", out1]), runCli(["plot", sockets, "--out", out2])]);
    expect(r1.stderr).toBe("");
    expect(r1.status).toBe(0);
    expect(r2.status).toBe(0);
    const html = readFileSync(out1, "utf8");
    expect(readFileSync(out2, "utf8")).toBe(html);
    expectSelfContained(html);
    for (const id of FIGURES) expect(html).toContain(`<figure id="${id}">`);
    // The raster marks each anomalous call (one symbol each) and keeps the rest to a few bars.
    const manifest = JSON.parse(readFileSync(path.join(sockets, "manifest.json"), "utf8"));
    const raster = /<figure id="raster">([\s\S]*?)<\/figure>/.exec(html)![1];
    const symbols = /<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(raster)![1];
    expect((symbols.match(/<path/g) ?? []).length).toBe(manifest.episodes.length * 3);   // socket, sendto, close per episode
    const bars = /<g class="mark-rect role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(raster)![1];
    expect((bars.match(/<path/g) ?? []).length).toBeLessThan(400);
    expect(html.length).toBeLessThan(600_000);   // for 122 805 calls
  });

  it("plots a flight without anomalies, saying there is nothing to compare by name", async () => {
    const r = await runCli(["plot", normal]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Wrote .*plot\.html/);
    const html = readFileSync(path.join(normal, "plot.html"), "utf8");
    expect(html).toContain("No anomalous calls in this flight");
    expect(html).not.toContain('<figure id="delta-by-name">');
  });

  it("refuses what is not a flight in one line, exit status 2", async () => {
    const bad = tempDir("plot-bad");
    const noTable = path.join(bad, "no-table");
    mkdirSync(noTable);
    for (const f of ["manifest.json", "telemetry.csv"]) copyFileSync(path.join(normal, f), path.join(noTable, f));
    const dataset = path.join(bad, "dataset");
    mkdirSync(dataset);
    writeFileSync(path.join(dataset, "index.jsonl"), "");
    const broken = path.join(bad, "broken");
    mkdirSync(broken);
    for (const f of readdirSync(normal)) copyFileSync(path.join(normal, f), path.join(broken, f));
    writeFileSync(path.join(broken, "NORMAL_Flight.syscalls.parquet"), "not parquet");
    const cases: [string[], RegExp][] = [
      [["plot", path.join(bad, "missing")], /is not a folder/],
      [["plot", bad], /no manifest\.json/],
      [["plot", dataset], /is a dataset: plot one of its flights/],
      [["plot", noTable], /no <SCENARIO>_Flight\.syscalls\.parquet/],
      [["plot", broken], /is not a readable Parquet table/],
      [["plot", normal, "--out", path.join(bad, "nowhere", "x.html")], /cannot write/],
    ];
    for (const [args, want] of cases) {
      const r = await runCli(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(want);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe.skipIf(!chromium)("in headless Chromium", () => {
  it("draws every chart of the page: marks with a box, ink on the screenshot, no console error", async () => {
    const out = path.join(sockets, "chromium.html");
    expect((await runCli(["plot", sockets, "--out", out])).status).toBe(0);
    expectChartsDrew(chromium!, out, FIGURES);
  });

  it("the check fails on a blank chart and a console error", () => {
    const dir = tempDir("plot-blank");
    const file = path.join(dir, "blank.html");
    writeFileSync(file, `<!DOCTYPE html><html><head><title>t</title></head><body>
<figure id="empty"><svg width="300" height="200"><g class="mark-rect role-mark"></g></svg></figure>
<figure id="drawn"><svg width="300" height="200"><g class="mark-rect role-mark"><path d="M0,0h300v200h-300Z" fill="#4c78a8"></path></g></svg></figure>
<script>console.error("broken")</script></body></html>`);
    const page = checkPage(chromium!, file);
    expect(page.errors).toEqual(["console.error: broken"]);
    expect(page.charts.map((c) => [c.id, c.marks, c.inked > 0.9 * c.rect[2] * c.rect[3], c.inked === 0])).toEqual([["empty", 0, false, true], ["drawn", 1, true, false]]);
  });
});
