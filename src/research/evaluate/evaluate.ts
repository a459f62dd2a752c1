// `skytrace evaluate DATASET --out REPORT_DIR`: baseline detectors trained on
// a dataset's normal training flights, thresholded on its validation flights
// (the highest score seen there, as LID-DS's MaxScoreThreshold), scored on its
// test flights, with LID-DS's metrics and the exact labels' (docs/research.md,
// "Evaluate"). Every flight is read once; nothing but counts is kept across
// flights, so memory does not grow with the dataset.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { assignSplits, proportionalCounts, SplitError, type SplitCounts } from "../splits.js";
import type { Detector } from "../detectors/detector.js";
import { Stide, STIDE_DEFAULTS, type StideOptions } from "../detectors/stide.js";
import { TimingMarkov } from "../detectors/timing.js";
import { episodesOf, FlightReadError, readFlightRows, Vocabulary, type FlightRows } from "./flight-rows.js";
import { EvaluateError, readDataset, type DatasetFlight } from "./dataset.js";
import { LiddsCounter, type LiddsMetrics } from "./lidds-metrics.js";
import { SyscallCounter, episodeMetrics, type EpisodeLatency, type EpisodeMetrics, type SyscallMetrics } from "./label-metrics.js";
import { scoresCsv } from "./scores-file.js";
import { reportMarkdown } from "./report.js";

export { EvaluateError };

export const DETECTORS = ["stide", "timing"] as const;
export type DetectorName = (typeof DETECTORS)[number];

export interface EvaluateOptions {
  dataset: string;
  out: string;
  /** The splits' seed (src/research/splits.ts). */
  splitSeed: number;
  /** Normal flights per split (the rest are left out); default LID-DS's proportions of the normal flights. */
  counts?: SplitCounts;
  stide?: StideOptions;
  detectors?: readonly DetectorName[];
  /** Write scores/<flight>.csv.gz for every test flight (default true). */
  scores?: boolean;
  tool?: { name: string; version: string };
  log?: (line: string) => void;
}

export interface ScopeMetrics {
  /** "all", or an anomaly cause. */
  scope: string;
  normalFlights: number;
  anomalousFlights: number;
  lidds: LiddsMetrics;
  syscalls: SyscallMetrics;
  episodes: EpisodeMetrics;
}

export interface DetectorResult {
  name: string;
  params: Record<string, number | string | boolean>;
  model: Record<string, number>;
  threshold: number;
  thresholdFlight: string;
  scopes: ScopeMetrics[];
}

export interface FlightResult {
  id: string;
  scenario: string;
  split: string;
  rows: number;
  episodes: number;
  causes: string[];
  scoresFile: string | null;
  detectors: Record<string, { maxScore: number; alarms: number; firstAlarmNs: number | null; episodeLatencyNs: (number | null)[] }>;
}

export interface Evaluation {
  format: "skytrace-evaluation/1";
  tool: { name: string; version: string };
  dataset: { generate: { seed: string; mix: string } | null; flights: number; failedFlights: number; syscalls: { training: number; validation: number; test: number } };
  splits: { seed: number; counts: SplitCounts; training: string[]; validation: string[]; test: string[] };
  detectors: DetectorResult[];
  flights: FlightResult[];
}

export interface EvaluateSummary { evaluation: Evaluation; syscalls: number; wallMs: number; reportDir: string }

function makeDetectors(o: EvaluateOptions): Detector[] {
  const names = o.detectors ?? DETECTORS;
  return names.map((n) => (n === "stide" ? new Stide(o.stide ?? STIDE_DEFAULTS) : new TimingMarkov()));
}

// A scope: every test flight without episodes, plus those with episodes of the scope's cause ("all": any).
interface Scope {
  name: string;
  threshold: number;
  lidds: LiddsCounter;
  rows: SyscallCounter;
  episodes: EpisodeLatency[];
  normal: number;
  anomalous: number;
}

export async function evaluate(o: EvaluateOptions): Promise<EvaluateSummary> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const ds = readDataset(o.dataset);
  const normalCount = ds.flights.filter((f) => f.scenario === "normal").length;
  const base = proportionalCounts(normalCount);
  const counts: SplitCounts = o.counts ?? base;
  let split: Map<string, string>;
  try { split = assignSplits(ds.flights, { seed: o.splitSeed, counts }); } catch (e) {
    throw e instanceof SplitError ? new EvaluateError(e.message) : e;
  }
  if (counts.validation === 0) throw new EvaluateError(`no validation flight to set the thresholds on: the dataset has ${normalCount} normal flights (give --training, --validation and --test-normal)`);
  const of = (s: string) => ds.flights.filter((f) => split.get(f.id) === s);
  const trainingFlights = of("training"), validationFlights = of("validation"), test = of("test");

  // The report folder first (a folder that cannot be made fails before any work); a previous run's score files go.
  const writeScores = o.scores ?? true;
  const scoresDir = path.join(o.out, "scores");
  try {
    mkdirSync(o.out, { recursive: true });
    if (existsSync(scoresDir)) for (const n of readdirSync(scoresDir)) if (n.endsWith(".csv.gz")) rmSync(path.join(scoresDir, n));
    if (writeScores) mkdirSync(scoresDir, { recursive: true });
  } catch (e) {
    throw new EvaluateError(`--out ${o.out}: ${(e as Error).message.split("\n")[0]}`);
  }

  const vocab = new Vocabulary();
  const read = (f: DatasetFlight): FlightRows => {
    try { return readFlightRows(f.table, f.manifest, vocab, f.id, f.scenario); } catch (e) {
      throw e instanceof FlightReadError ? new EvaluateError(`flight ${f.id}: ${e.message}`) : e;
    }
  };
  const detectors = makeDetectors(o);
  const syscalls = { training: 0, validation: 0, test: 0 };

  log(`evaluate: training on ${trainingFlights.length} normal flights`);
  for (const f of trainingFlights) {
    const rows = read(f);
    syscalls.training += rows.n;
    for (const d of detectors) d.train(rows);
  }
  for (const d of detectors) d.fit();

  log(`evaluate: thresholds from ${validationFlights.length} validation flights`);
  const threshold = detectors.map(() => -Infinity), thresholdFlight = detectors.map(() => "");
  for (const f of validationFlights) {
    const rows = read(f);
    syscalls.validation += rows.n;
    detectors.forEach((d, k) => {
      const s = d.score(rows);
      for (let i = 0; i < s.length; i++) if (s[i] > threshold[k]) { threshold[k] = s[i]; thresholdFlight[k] = f.id; }
    });
  }
  detectors.forEach((d, k) => { if (threshold[k] === -Infinity) throw new EvaluateError(`the validation flights hold no syscall to set ${d.name}'s threshold on`); });

  // The causes of the test flights' episodes, from their manifests, so every scope exists before the first flight is tallied.
  const causes = new Set<string>();
  for (const f of test) for (const e of readEpisodes(f)) causes.add(e.cause);
  const scopeNames = ["all", ...[...causes].sort()];
  const scopes: Scope[][] = detectors.map((_, k) => scopeNames.map((name) => ({
    name, threshold: threshold[k], lidds: new LiddsCounter(threshold[k]), rows: new SyscallCounter(threshold[k]), episodes: [], normal: 0, anomalous: 0,
  })));
  const flights: FlightResult[] = [];

  log(`evaluate: scoring ${test.length} test flights`);
  for (const f of test) {
    const rows = read(f);
    syscalls.test += rows.n;
    const scores = detectors.map((d) => d.score(rows));
    const fr: FlightResult = {
      id: f.id, scenario: f.scenario, split: "test", rows: rows.n, episodes: rows.episodes.length,
      causes: [...new Set(rows.episodes.map((e) => e.cause))].sort(),
      scoresFile: writeScores ? `scores/${f.id}.csv.gz` : null, detectors: {},
    };
    detectors.forEach((d, k) => {
      const s = scores[k];
      let max = -Infinity, alarms = 0, first: number | null = null;
      for (let i = 0; i < rows.n; i++) {
        if (s[i] > max) max = s[i];
        if (s[i] > threshold[k]) { alarms++; if (first === null) first = rows.enterNs[i]; }
      }
      fr.detectors[d.name] = { maxScore: rows.n ? max : 0, alarms, firstAlarmNs: first, episodeLatencyNs: episodeLatencies(rows, s, threshold[k]).map((e) => e.latencyNs) };
      for (const sc of scopes[k]) {
        if (sc.name === "all" || rows.episodes.length === 0) tally(sc, rows, s, null);
        else if (fr.causes.includes(sc.name)) tally(sc, rows, s, sc.name);
      }
    });
    flights.push(fr);
    if (writeScores) writeAtomically(path.join(o.out, fr.scoresFile!), scoresCsv(rows, detectors.map((d) => d.name), scores));
  }

  const evaluation: Evaluation = {
    format: "skytrace-evaluation/1",
    tool: o.tool ?? { name: "skytrace", version: "" },
    dataset: { generate: ds.generate, flights: ds.flights.length, failedFlights: ds.failed, syscalls },
    splits: { seed: o.splitSeed, counts, training: trainingFlights.map((f) => f.id), validation: validationFlights.map((f) => f.id), test: test.map((f) => f.id) },
    detectors: detectors.map((d, k) => ({
      name: d.name,
      params: d.params,
      model: d.model(),
      threshold: threshold[k],
      thresholdFlight: thresholdFlight[k],
      scopes: scopes[k].map((s) => ({
        scope: s.name,
        normalFlights: s.normal,
        anomalousFlights: s.anomalous,
        lidds: s.lidds.result(),
        syscalls: s.rows.result(),
        episodes: episodeMetrics(s.episodes),
      })),
    })),
    flights,
  };
  writeAtomically(path.join(o.out, "evaluation.json"), `${JSON.stringify(evaluation, null, 2)}\n`);
  writeAtomically(path.join(o.out, "report.md"), reportMarkdown(evaluation));
  const total = syscalls.training + syscalls.validation + syscalls.test;
  return { evaluation, syscalls: total, wallMs: performance.now() - t0, reportDir: o.out };
}

function readEpisodes(f: DatasetFlight) {
  try { return episodesOf(JSON.parse(readFileSync(f.manifest, "utf8")), f.manifest); } catch (e) {
    throw new EvaluateError(`flight ${f.id}: ${(e as Error).message.split("\n")[0]}`);
  }
}

function writeAtomically(file: string, text: string | Buffer): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

/** Each episode's latency: its first labelled row with an alarm, minus its start. */
export function episodeLatencies(f: FlightRows, s: Float64Array, threshold: number, cause: string | null = null): EpisodeLatency[] {
  const first = new Map<number, number>(), rows = new Map<number, number>();
  for (let i = 0; i < f.n; i++) {
    const e = f.episode[i];
    if (e < 0) continue;
    rows.set(e, (rows.get(e) ?? 0) + 1);
    if (s[i] > threshold && !first.has(e)) first.set(e, f.enterNs[i]);
  }
  return f.episodes.filter((e) => cause === null || e.cause === cause).map((e) => ({
    flightId: f.id, episode: e.episode, cause: e.cause, startNs: e.startNs, rows: rows.get(e.episode) ?? 0,
    latencyNs: first.has(e.episode) ? first.get(e.episode)! - e.startNs : null,
  }));
}

// One test flight into one scope: LID-DS's recording, its rows, its episodes.
function tally(sc: Scope, f: FlightRows, s: Float64Array, cause: string | null): void {
  const eps = f.episodes.filter((e) => cause === null || e.cause === cause);
  const exploitNs = eps.length ? Math.min(...eps.map((e) => e.startNs)) : null;
  if (exploitNs === null) sc.normal++; else sc.anomalous++;
  sc.lidds.begin(exploitNs);
  const causeId = cause === null ? -1 : f.causes.indexOf(cause);
  for (let i = 0; i < f.n; i++) {
    sc.lidds.add(f.enterNs[i], s[i]);
    const lab = f.label[i] === 1;
    // In a cause's scope, rows of another cause are neither positive nor negative.
    if (cause !== null && lab && f.cause[i] !== causeId) continue;
    sc.rows.add(s[i], lab);
  }
  sc.lidds.end();
  sc.episodes.push(...episodeLatencies(f, s, sc.threshold, cause));
}
