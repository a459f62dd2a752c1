// A report folder of `skytrace evaluate` read for plotting: evaluation.json
// (docs/research.md, "Evaluate") and the test flights' score series
// (scores/<flight>.csv.gz). Only the fields the report page uses are typed
// here; the JSON is the contract, not evaluate's own types.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { PlotError } from "./flight-data.js";

export interface RocPoint { threshold: number | null; fpr: number; tpr: number }
export interface Summary { count: number; mean: number | null; median: number | null; max: number | null }

export interface ScopeMetrics {
  scope: string;
  normalFlights: number;
  anomalousFlights: number;
  lidds: { detectionRate: number; consecutiveFalseAlarms: number; precisionWithCfa: number; f1WithCfa: number; detectionTimeNs: Summary; detectedRecordings: number; exploitRecordings: number };
  syscalls: { rows: number; positives: number; negatives: number; truePositives: number; falsePositives: number; precision: number | null; recall: number | null; f1: number | null; rocAuc: number | null; roc: RocPoint[] };
  episodes: { count: number; detected: number; latencyNs: Summary };
}

export interface DetectorResult { name: string; params: Record<string, number | string | boolean>; threshold: number; thresholdFlight: string; scopes: ScopeMetrics[] }

export interface FlightResult {
  id: string;
  scenario: string;
  rows: number;
  episodes: number;
  causes: string[];
  scoresFile: string | null;
  detectors: Record<string, { maxScore: number; alarms: number; firstAlarmNs: number | null; episodeLatencyNs: (number | null)[] }>;
}

export interface Evaluation {
  format: string;
  dataset: { generate: { seed: string; mix: string } | null; flights: number; failedFlights: number; syscalls: { training: number; validation: number; test: number } };
  splits: { seed: number; training: string[]; validation: string[]; test: string[] };
  detectors: DetectorResult[];
  flights: FlightResult[];
}

export const EVALUATION_FORMAT = "skytrace-evaluation/1";

export function isReportDir(dir: string): boolean {
  return existsSync(path.join(dir, "evaluation.json"));
}

export function loadEvaluation(dir: string): Evaluation {
  const file = path.join(dir, "evaluation.json");
  let e: Evaluation;
  try { e = JSON.parse(readFileSync(file, "utf8")) as Evaluation; } catch (err) {
    throw new PlotError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "not JSON"}`);
  }
  if (e?.format !== EVALUATION_FORMAT) throw new PlotError(`${file} is not a skytrace evaluation (format ${EVALUATION_FORMAT})`);
  if (!Array.isArray(e.detectors) || !Array.isArray(e.flights)) throw new PlotError(`${file} has no detectors or flights`);
  return e;
}

/** One test flight's rows: time, label, episode, and each detector's score. */
export interface ScoreSeries { enterNs: Float64Array; label: Int8Array; episode: Int32Array; scores: Map<string, Float64Array> }

export function loadScores(dir: string, f: FlightResult): ScoreSeries {
  const file = path.join(dir, f.scoresFile!);
  let text: string;
  try { text = gunzipSync(readFileSync(file)).toString("utf8"); } catch (err) {
    throw new PlotError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "not gzip"}`);
  }
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const head = lines[0].split(",");
  const col = (name: string): number => {
    const k = head.indexOf(name);
    if (k < 0) throw new PlotError(`${file}: no column ${name}`);
    return k;
  };
  const [ct, cl, ce] = [col("enter_ns"), col("label"), col("episode")];
  const detectors = Object.keys(f.detectors).map((name) => ({ name, k: col(name) }));
  const n = lines.length - 1;
  const s: ScoreSeries = { enterNs: new Float64Array(n), label: new Int8Array(n), episode: new Int32Array(n), scores: new Map(detectors.map((d) => [d.name, new Float64Array(n)])) };
  for (let i = 0; i < n; i++) {
    const v = lines[i + 1].split(",");
    s.enterNs[i] = Number(v[ct]); s.label[i] = Number(v[cl]); s.episode[i] = Number(v[ce]);
    for (const d of detectors) s.scores.get(d.name)![i] = Number(v[d.k]);
  }
  return s;
}
