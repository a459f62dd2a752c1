// `skytrace evaluate` on a small generated dataset: normal flights and every
// anomalous scenario but busydelay (seconds of CPU a flight; its timing-only
// anomaly is the unit tests' and the benchmark's), short missions.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { copyFileSync, cpSync, readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import path from "node:path";
import { BIN, mapLimit, removeTempDirs, runCli, tempDir } from "../cli/helpers.js";
import { tree, treeDiff } from "../generate/helpers.js";
import { SCENARIOS } from "../../src/flight/scenarios.js";
import { readFlightRows, Vocabulary } from "../../src/research/evaluate/flight-rows.js";
import type { Evaluation } from "../../src/research/evaluate/evaluate.js";
import { assignSplits } from "../../src/research/splits.js";

afterAll(removeTempDirs);

// Scenarios whose anomaly is syscalls the normal flight never makes (in n-grams STIDE has never seen).
const ADDS_SYSCALLS = ["sockets", "shell", "hog"];
const anomalous = SCENARIOS.filter((s) => s !== "normal" && s !== "busydelay");
const mix = ["normal=3", ...anomalous.map((s) => `${s}=1`)].join(",");
const flights = 2 * (3 + anomalous.length);

let data = "", out = "";
let ev: Evaluation;
const split = ["--training", "3", "--validation", "1", "--test-normal", "2"];

beforeAll(() => {
  data = path.join(tempDir("eval-data"), "data");
  const g = spawnSync(process.execPath, [BIN, "generate", "--flights", String(flights), "--mix", mix, "--seed", "5", "--workers", "2",
    "--legs", "1", "--distance", "8", "--progress", "none", "--out", data], { encoding: "utf8", timeout: 300_000 });
  expect(g.status, g.stderr).toBe(0);
  out = path.join(tempDir("eval-out"), "report");
  const r = spawnSync(process.execPath, [BIN, "evaluate", data, "--out", out, ...split], { encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toMatch(/^evaluate: \d+ syscalls of \d+ flights in [\d.]+ s \(\d+ syscalls\/s\)/);
  ev = JSON.parse(readFileSync(path.join(out, "evaluation.json"), "utf8"));
}, 480_000);

describe("skytrace evaluate", () => {
  it("splits as src/research/splits.ts: normal flights train and validate, every anomalous flight is tested", () => {
    expect(ev.splits.counts).toEqual({ training: 3, validation: 1, testNormal: 2 });
    expect([ev.splits.training.length, ev.splits.validation.length, ev.splits.test.length]).toEqual([3, 1, 2 + 2 * anomalous.length]);
    const scenarioOf = new Map(ev.flights.map((f) => [f.id, f.scenario]));
    expect(ev.flights.map((f) => f.id)).toEqual(ev.splits.test);
    for (const s of anomalous) expect(ev.flights.filter((f) => f.scenario === s)).toHaveLength(2);
    expect([...scenarioOf.values()].filter((s) => s === "normal")).toHaveLength(2);
  });

  it("STIDE flags every flight whose anomaly adds syscalls, at each of its episodes", () => {
    const stide = ev.detectors.find((d) => d.name === "stide")!;
    expect(stide.params).toEqual({ n: 7, window: 100 });
    for (const f of ev.flights.filter((x) => ADDS_SYSCALLS.includes(x.scenario))) {
      expect(f.episodes, f.id).toBeGreaterThan(0);
      const r = f.detectors.stide;
      expect(r.alarms, f.id).toBeGreaterThan(0);
      expect(r.maxScore).toBeGreaterThan(stide.threshold);
      for (const l of r.episodeLatencyNs) { expect(l, f.id).not.toBeNull(); expect(l!).toBeGreaterThanOrEqual(0); }
    }
    for (const cause of new Set(ev.flights.filter((x) => ADDS_SYSCALLS.includes(x.scenario)).flatMap((f) => f.causes))) {
      const sc = stide.scopes.find((s) => s.scope === cause)!;
      expect(sc.lidds.detectionRate, cause).toBe(1);
      expect(sc.episodes.detected).toBe(sc.episodes.count);
      expect(sc.syscalls.recall).toBeGreaterThan(0);
    }
  });

  it("has a scope for every cause of the test flights, with every anomalous flight in 'all'", () => {
    for (const d of ev.detectors) {
      const causes = [...new Set(ev.flights.flatMap((f) => f.causes))].sort();
      expect(d.scopes.map((s) => s.scope)).toEqual(["all", ...causes]);
      const all = d.scopes[0];
      expect(all.anomalousFlights).toBe(ev.flights.filter((f) => f.episodes > 0).length);
      expect(all.normalFlights + all.anomalousFlights).toBe(ev.flights.length);
      expect(all.lidds.exploitRecordings).toBe(all.anomalousFlights);
      expect(all.syscalls.rows).toBe(ev.dataset.syscalls.test);
      // the lidds counts cover every row too
      const l = all.lidds;
      expect(l.truePositives + l.falsePositives + l.trueNegatives + l.falseNegatives).toBe(ev.dataset.syscalls.test);
    }
  });

  it("the score files hold every row, its labels, and scores whose alarms are the evaluation's", () => {
    for (const f of ev.flights) {
      const text = gunzipSync(readFileSync(path.join(out, f.scoresFile!))).toString("utf8").trimEnd().split("\n");
      expect(text[0]).toBe("seq,enter_ns,tid,label,cause,episode,stide,timing");
      const rows = text.slice(1).map((l) => l.split(","));
      expect(rows).toHaveLength(f.rows);
      const ix = path.join(data, f.id);
      const table = readFileSync(path.join(data, "index.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((r) => r.id === f.id);
      const t = readFlightRows(path.join(data, table.files.find((x: { role: string }) => x.role === "syscalls").name), path.join(ix, "manifest.json"), new Vocabulary(), f.id, f.scenario);
      expect(rows.map((r) => r.slice(0, 6).join(","))).toEqual(Array.from({ length: t.n }, (_, i) => `${i},${t.enterNs[i]},${t.tid[i]},${t.label[i]},${t.causes[t.cause[i]]},${t.episode[i]}`));
      ev.detectors.forEach((d, k) => {
        const s = rows.map((r) => Number(r[6 + k]));
        expect(s.filter((x) => x > d.threshold).length).toBe(f.detectors[d.name].alarms);
        expect(Math.max(...s)).toBe(f.detectors[d.name].maxScore);
      });
    }
  });

  it("is deterministic: the same dataset and options give byte-identical reports", async () => {
    const again = path.join(tempDir("eval-again"), "report");
    const r = await runCli(["evaluate", data, "--out", again, ...split], { timeoutMs: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const a = tree(out), b = tree(again);
    // evaluation.json, report.md, report.html (src/research/plot) and a score file per test flight
    expect([...a.keys()].filter((k) => !k.startsWith("scores/")).sort()).toEqual(["evaluation.json", "report.html", "report.md"]);
    expect(a.size).toBe(3 + ev.flights.length);
    expect(treeDiff(a, b)).toEqual([]);
    // another split seed is another split
    const other = path.join(tempDir("eval-seed"), "report");
    expect((await runCli(["evaluate", data, "--out", other, "--seed", "9", ...split, "--no-scores", "--detectors", "stide"], { timeoutMs: 120_000 })).status).toBe(0);
    const e2: Evaluation = JSON.parse(readFileSync(path.join(other, "evaluation.json"), "utf8"));
    const index = readFileSync(path.join(data, "index.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
    const want = assignSplits(index.map((r) => ({ id: r.id, scenario: r.scenario })), { seed: 9, counts: e2.splits.counts });
    for (const sp of ["training", "validation", "test"] as const) expect(e2.splits[sp], sp).toEqual(index.map((r) => r.id).filter((id) => want.get(id) === sp));
    expect(e2.detectors.map((d) => d.name)).toEqual(["stide"]);
    expect(tree(other).size).toBe(3);
    // a run into a used folder leaves none of the previous run's score files
    expect((await runCli(["evaluate", data, "--out", again, ...split, "--no-scores"], { timeoutMs: 120_000 })).status).toBe(0);
    expect([...tree(again).keys()].sort()).toEqual(["evaluation.json", "report.html", "report.md"]);
  }, 240_000);

  it("writes report.md with both tables", () => {
    const md = readFileSync(path.join(out, "report.md"), "utf8");
    expect(md).toMatch(/## LID-DS's metrics/);
    expect(md).toMatch(/\| stide \| all \|/);
    expect(md).toMatch(/\| timing \| udp \|/);
  });
});

describe("skytrace evaluate: bad input", () => {
  it("one line and exit status 2", async () => {
    // Each case its own output folder: the cases run at once, and one that gets as far as making its folder must not make another's.
    const bad = tempDir("eval-bad");
    const nowhere = path.join(bad, "none");
    const to = (i: number) => path.join(bad, `out-${i}`);
    const broken = path.join(tempDir("eval-broken"), "data");
    cpSync(data, broken, { recursive: true });
    const victim = JSON.parse(readFileSync(path.join(broken, "index.jsonl"), "utf8").split("\n")[0]).files.find((x: { role: string }) => x.role === "syscalls").name;
    writeFileSync(path.join(broken, victim), "not parquet");
    const noIndex = tempDir("eval-noindex");
    copyFileSync(path.join(data, "generate.json"), path.join(noIndex, "generate.json"));
    const cases: [string[], RegExp][] = [
      [["evaluate", nowhere, "--out", to(0)], /not a folder/],
      [["evaluate", noIndex, "--out", to(1)], /no index\.jsonl/],
      [["evaluate", data, "--out", to(2), "--training", "50", "--validation", "1", "--test-normal", "0"], /the splits ask for .* normal flights/],
      [["evaluate", data, "--out", to(3), "--training", "3"], /go together: give all three or none/],
      [["evaluate", data, "--out", to(4), "--stide-n", "0"], /--stide-n must be an integer from 1/],
      [["evaluate", data, "--out", to(5), "--detectors", "lstm"], /unknown detector "lstm"/],
      [["evaluate", broken, "--out", to(6), ...split], /not a readable Parquet file/],
      [["evaluate", data], /Missing required argument: out/],
      [["evaluate", data, "--out", path.join(data, "index.csv", "x"), ...split], /^skytrace: --out .*not a directory/],
    ];
    // Three at a time: nine Node processes at once overran their time on a loaded 2-core host.
    const runs = await mapLimit(cases, 3, ([args]) => runCli(args, { timeoutMs: 60_000 }));
    runs.forEach((r, i) => {
      expect(r.status, r.args.join(" ")).toBe(2);
      const last = r.stderr.trimEnd().split("\n").pop()!;
      expect(last, r.stderr).toMatch(cases[i][1]);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }, 120_000);

  it("--help names every option", async () => {
    const r = await runCli(["evaluate", "--help"]);
    expect(r.status).toBe(0);
    for (const o of ["--out", "--seed", "--training", "--validation", "--test-normal", "--stide-n", "--stide-window", "--detectors", "--scores"]) expect(r.stdout).toContain(o);
  });
});
