// report.html of `skytrace evaluate`: written beside report.md, the same
// bytes as `skytrace plot REPORT_DIR` makes again, self-contained, with a ROC
// curve per detector and the scores over time of a flight per anomaly cause;
// every chart draws in headless Chromium. The score reduction and the choice
// of flights are checked on small hand-made inputs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync, writeFileSync, mkdirSync, copyFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { scoreBins } from "../../src/research/plot/report-charts.js";
import { chosenFlights } from "../../src/research/plot/plot-report.js";
import type { Evaluation, FlightResult } from "../../src/research/plot/evaluation-data.js";
import { removeTempDirs, runCli, tempDir } from "../cli/helpers.js";
import { findChromium } from "./chromium.js";
import { pythonEnv, run } from "../python/venv.js";
import { expectChartsDrew, expectSelfContained } from "./page-checks.js";

const chromium = findChromium();
if (!chromium) console.log("report-plot.test: no chromium or chromium-browser on PATH (.ci/run installs Debian's chromium): the rendering checks are skipped");

let root: string, report: string;
let evaluation: Evaluation;
beforeAll(async () => {
  root = tempDir("report-plot");
  const data = path.join(root, "data");
  report = path.join(root, "report");
  const g = await runCli(["generate", "--flights", "7", "--mix", "normal=5,sockets=2", "--seed", "3", "--workers", "2", "--out", data], { timeoutMs: 240_000 });
  expect(g.status, g.stderr).toBe(0);
  const e = await runCli(["evaluate", data, "--out", report, "--training", "3", "--validation", "1", "--test-normal", "1"], { timeoutMs: 240_000 });
  expect(e.status, e.stderr).toBe(0);
  expect(e.stdout).toMatch(/report\.md, report\.html/);
  evaluation = JSON.parse(readFileSync(path.join(report, "evaluation.json"), "utf8"));
}, 300_000);
afterAll(removeTempDirs);

describe("scores over time", () => {
  it("keeps each detector's highest score per time bin and each episode's span of labelled calls", () => {
    const s = {
      enterNs: Float64Array.from([0, 10, 20, 30, 40, 100]),
      label: Int8Array.from([0, 1, 1, 0, 1, 0]),
      episode: Int32Array.from([-1, 0, 0, -1, 1, -1]),
      scores: new Map([["a", Float64Array.from([1, 5, 2, 0, 3, 7])]]),
    };
    const r = scoreBins(s, 4);   // bins of 25 ns: [0,25) [25,50) [50,75) [75,100]
    expect(r.bins.map((b) => [Math.round(b.t0 * 1e9), b.max])).toEqual([[0, 5], [25, 3], [75, 7]]);
    expect(r.episodes.map((e) => [e.episode, Math.round(e.t0 * 1e9), Math.round(e.t1 * 1e9)])).toEqual([[0, 10, 20], [1, 40, 40]]);
  });

  it("draws the first flight of each cause, then the normal flight with the most alarms", () => {
    const dir = tempDir("report-choice");
    const flight = (id: string, causes: string[], alarms: number): FlightResult => {
      mkdirSync(path.join(dir, "scores"), { recursive: true });
      writeFileSync(path.join(dir, "scores", `${id}.csv.gz`), "");
      return { id, scenario: causes.length ? "x" : "normal", rows: 1, episodes: causes.length, causes, scoresFile: `scores/${id}.csv.gz`,
        detectors: { d: { maxScore: 0, alarms, firstAlarmNs: null, episodeLatencyNs: [] } } };
    };
    const flights = [flight("n1", [], 2), flight("u1", ["udp"], 0), flight("n2", [], 5), flight("f1", ["factoring"], 1), flight("u2", ["udp"], 9), flight("n3", [], 0)];
    const e = { flights } as unknown as Evaluation;
    expect(chosenFlights(e, dir).map((f) => f.id)).toEqual(["f1", "u1", "n2"]);
  });
});

describe("report.html", () => {
  it("is written by evaluate, made again byte for byte by plot, self-contained, with the expected charts", async () => {
    const html = readFileSync(path.join(report, "report.html"), "utf8");
    const again = path.join(report, "again.html");
    const p = await runCli(["plot", report, "--out", again]);
    expect(p.status, p.stderr).toBe(0);
    expect(readFileSync(again, "utf8")).toBe(html);
    expectSelfContained(html);
    const udp = evaluation.flights.find((f) => f.causes.includes("udp"))!;
    const figures = [...html.matchAll(/<figure id="([^"]+)"/g)].map((m) => m[1]);
    expect(figures).toEqual(["roc-stide", "roc-timing", `scores-${udp.id}`]);
    // A row per detector and scope in both outcome tables, with evaluation.json's figures.
    for (const d of evaluation.detectors) for (const s of d.scopes) {
      expect(html).toContain(`<td>${d.name}</td><td>${s.scope}</td><td class="num">${s.normalFlights} / ${s.anomalousFlights}</td><td class="num">${s.lidds.detectionRate.toFixed(3)}</td>`);
    }
  });

  it("without score files (evaluate --no-scores) has the tables and ROC curves and says why there is no score chart", async () => {
    const dir = tempDir("report-noscores");
    copyFileSync(path.join(report, "evaluation.json"), path.join(dir, "evaluation.json"));
    const r = await runCli(["plot", dir]);
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(path.join(dir, "report.html"), "utf8");
    expect([...html.matchAll(/<figure id="([^"]+)"/g)].map((m) => m[1])).toEqual(["roc-stide", "roc-timing"]);
    expect(html).toContain("No score files");
  });

  it.skipIf(!chromium)("draws every chart in headless Chromium", () => {
    const figures = [...readFileSync(path.join(report, "report.html"), "utf8").matchAll(/<figure id="([^"]+)"/g)].map((m) => m[1]);
    expectChartsDrew(chromium!, path.join(report, "report.html"), figures);
  });

  it("refuses a folder whose evaluation.json is not an evaluation, or whose scores are unreadable, in one line, exit status 2", async () => {
    const bad = tempDir("report-bad");
    writeFileSync(path.join(bad, "evaluation.json"), JSON.stringify({ format: "something/1" }));
    const broken = tempDir("report-broken");
    mkdirSync(path.join(broken, "scores"));
    copyFileSync(path.join(report, "evaluation.json"), path.join(broken, "evaluation.json"));
    const udp = evaluation.flights.find((f) => f.causes.includes("udp"))!;
    writeFileSync(path.join(broken, udp.scoresFile!), gzipSync("seq,enter_ns\n0,1\n"));
    for (const [dir, want] of [[bad, /is not a skytrace evaluation/], [broken, /no column label/]] as const) {
      const r = await runCli(["plot", dir]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(want);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("docs/research.md, Loading it", () => {
  it("runs as written with pandas and DuckDB, and the training split's rows are evaluate's", async () => {
    const env = await pythonEnv(path.resolve("test/python/requirements.txt"));
    if (env.skip) { console.log(`report-plot.test: the docs' Python examples are skipped, ${env.skip}`); return; }
    const py = await run(env.python, [path.resolve("test/research/research_snippets.py"), path.resolve("docs/research.md")], { cwd: root });
    expect(py.status, py.stderr).toBe(0);
    const r = JSON.parse(py.stdout) as { by_scenario_label: Record<string, number>; duckdb: [string, string, number][]; train_ids: string[]; train_rows: number };
    // Every flight's calls, as the manifests count them, by scenario; the anomalous ones as their labels count them.
    const manifests = readdirSync(path.join(root, "data")).filter((d) => d.startsWith("flight-"))
      .map((d) => JSON.parse(readFileSync(path.join(root, "data", d, "manifest.json"), "utf8")) as { scenario: string; recording: { syscalls: number } });
    const perScenario = (s: string) => manifests.filter((m) => m.scenario === s).reduce((n, m) => n + m.recording.syscalls, 0);
    const anomalous = evaluation.detectors[0].scopes[0].syscalls.positives;
    expect(r.by_scenario_label).toEqual({ "normal/0": perScenario("normal"), "sockets/0": perScenario("sockets") - anomalous, "sockets/1": anomalous });
    expect(r.duckdb).toEqual([["normal", "", perScenario("normal")], ["sockets", "", perScenario("sockets") - anomalous], ["sockets", "udp", anomalous]]);
    expect(r.train_ids).toEqual([...evaluation.splits.training].sort());
    expect(r.train_rows).toBe(evaluation.dataset.syscalls.training);
  });
});
