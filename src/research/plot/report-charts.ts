// The evaluation report's charts as Vega-Lite specifications: ROC curves (one
// chart per detector, a curve per scope: all anomalies and each cause) and a
// test flight's scores over time against each detector's threshold.
import type { TopLevelSpec } from "vega-lite";
import type { DetectorResult, ScoreSeries } from "./evaluation-data.js";

export const SCORE_BINS = 600;
const WIDTH = 760;

const fixed = (x: number | null, d = 3): string => (x === null ? "–" : x.toFixed(d));

/** A detector's ROC curve per scope, the diagonal, and each scope's operating point at the threshold. */
export function rocSpec(d: DetectorResult): TopLevelSpec | null {
  const scopes = d.scopes.filter((s) => s.syscalls.roc.length > 0);
  if (!scopes.length) return null;
  const label = (s: (typeof scopes)[number]) => `${s.scope} (AUC ${fixed(s.syscalls.rocAuc)})`;
  const curves = scopes.flatMap((s) => s.syscalls.roc.map((p, k) => ({ scope: label(s), k, fpr: p.fpr, tpr: p.tpr })));
  const points = scopes.map((s) => ({ scope: label(s), fpr: s.syscalls.falsePositives / s.syscalls.negatives, tpr: s.syscalls.truePositives / s.syscalls.positives }));
  const x = { field: "fpr", type: "quantitative" as const, scale: { domain: [0, 1] }, title: "false positive rate (normal calls alarmed)" };
  const y = { field: "tpr", type: "quantitative" as const, scale: { domain: [0, 1] }, title: "true positive rate (anomalous calls alarmed)" };
  const color = { field: "scope", type: "nominal" as const, title: "anomalies", sort: scopes.map(label) };
  return {
    width: 380, height: 380,
    layer: [
      { data: { values: [{ fpr: 0, tpr: 0 }, { fpr: 1, tpr: 1 }] }, mark: { type: "line", color: "#bbb", strokeDash: [4, 4] }, encoding: { x, y } },
      { data: { values: curves }, mark: { type: "line", interpolate: "linear" }, encoding: { x, y, color, order: { field: "k", type: "quantitative" } } },
      { data: { values: points }, mark: { type: "point", filled: true, size: 60, shape: "diamond" }, encoding: { x, y, color } },
    ],
  } as TopLevelSpec;
}

export interface ScoreBins { t0: number; t1: number; detector: string; max: number }

/**
 * A flight's scores reduced to SCORE_BINS time bins, each holding the highest
 * score of each detector in it: an alarm anywhere in a bin shows as that bin
 * crossing the threshold. Episodes as [first, last] labelled row times.
 */
export function scoreBins(s: ScoreSeries, bins = SCORE_BINS): { bins: ScoreBins[]; episodes: { episode: number; t0: number; t1: number }[] } {
  const n = s.enterNs.length;
  const out: ScoreBins[] = [];
  const episodes = new Map<number, { t0: number; t1: number }>();
  for (let i = 0; i < n; i++) {
    const e = s.episode[i];
    if (e < 0) continue;
    const t = s.enterNs[i] / 1e9;
    const span = episodes.get(e);
    if (!span) episodes.set(e, { t0: t, t1: t }); else span.t1 = t;
  }
  if (n === 0) return { bins: out, episodes: [] };
  const start = s.enterNs[0], width = Math.max(1, s.enterNs[n - 1] - start) / bins;
  for (const [name, scores] of s.scores) {
    const max = new Float64Array(bins).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      const b = Math.min(bins - 1, Math.floor((s.enterNs[i] - start) / width));
      if (scores[i] > max[b]) max[b] = scores[i];
    }
    for (let b = 0; b < bins; b++) if (max[b] > -Infinity) out.push({ t0: (start + b * width) / 1e9, t1: (start + (b + 1) * width) / 1e9, detector: name, max: max[b] });
  }
  return { bins: out, episodes: [...episodes].sort((a, b) => a[0] - b[0]).map(([episode, v]) => ({ episode, ...v })) };
}

/** One row per detector: the highest score per time bin, its threshold (dashed), alarmed bins in red, episodes shaded. */
export function scoresSpec(s: ScoreSeries, detectors: DetectorResult[]): TopLevelSpec {
  const { bins, episodes } = scoreBins(s);
  const domain = bins.length ? [Math.min(...bins.map((b) => b.t0)), Math.max(...bins.map((b) => b.t1))] : [0, 1];
  const x = { field: "t0", type: "quantitative" as const, scale: { domain, nice: false }, title: "virtual time (s)" };
  const rows = detectors.filter((d) => s.scores.has(d.name)).map((d) => {
    const mine = bins.filter((b) => b.detector === d.name);
    const alarms = mine.filter((b) => b.max > d.threshold);
    const layers: unknown[] = [];
    if (episodes.length) {
      layers.push({ data: { values: episodes }, mark: { type: "rect", color: "#e45756", opacity: 0.18 }, encoding: { x, x2: { field: "t1" } } });
      layers.push({ data: { values: episodes }, mark: { type: "rule", color: "#e45756", opacity: 0.35 }, encoding: { x } });
    }
    layers.push({ data: { values: mine }, mark: { type: "line", interpolate: "step-after", color: "#4c78a8", strokeWidth: 1 },
      encoding: { x, y: { field: "max", type: "quantitative", title: `${d.name} score` } } });
    layers.push({ data: { values: [{ threshold: d.threshold }] }, mark: { type: "rule", color: "#333", strokeDash: [5, 3] }, encoding: { y: { field: "threshold", type: "quantitative" } } });
    if (alarms.length) layers.push({ data: { values: alarms }, mark: { type: "point", filled: true, size: 14, color: "#d62728" }, encoding: { x, y: { field: "max", type: "quantitative" } } });
    return { width: WIDTH, height: 120, title: { text: `${d.name}: threshold ${fixed(d.threshold, 4)}, ${alarms.length} of ${mine.length} bins alarmed`, fontSize: 11, anchor: "start" }, layer: layers };
  });
  return { vconcat: rows, spacing: 12 } as TopLevelSpec;
}
