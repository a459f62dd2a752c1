// What skytrace's exact labels allow on top of LID-DS's metrics: per-syscall
// precision, recall, F1 and ROC AUC, and each episode's detection latency.
import { ScoreCounts, prf, type RocPoint } from "./score-counts.js";
import { summary, type Summary } from "./lidds-metrics.js";

export interface SyscallMetrics {
  rows: number;
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
  rocAuc: number | null;
  roc: RocPoint[];
}

export interface EpisodeLatency {
  flightId: string;
  episode: number;
  cause: string;
  startNs: number;
  /** Rows the episode labels. */
  rows: number;
  /** First alarm on a row the episode labels, minus the episode's start; null: none of its rows raised an alarm. */
  latencyNs: number | null;
}

export interface EpisodeMetrics { count: number; detected: number; latencyNs: Summary }

/** Counts rows at one threshold (alarm: score > threshold) and keeps every score for the AUC. */
export class SyscallCounter {
  readonly scores = new ScoreCounts();
  private tp = 0;
  private fp = 0;
  private fn = 0;
  private tn = 0;
  constructor(private readonly threshold: number) {}

  add(score: number, positive: boolean): void {
    this.scores.add(score, positive);
    const alarm = score > this.threshold;
    if (positive) { if (alarm) this.tp++; else this.fn++; } else if (alarm) this.fp++; else this.tn++;
  }

  result(rocPoints = 200): SyscallMetrics {
    const r = prf(this.tp, this.fp, this.fn);
    return {
      rows: this.tp + this.fp + this.fn + this.tn,
      positives: this.tp + this.fn,
      negatives: this.fp + this.tn,
      truePositives: this.tp,
      falsePositives: this.fp,
      falseNegatives: this.fn,
      trueNegatives: this.tn,
      precision: r.precision,
      recall: r.recall,
      f1: r.f1,
      rocAuc: this.scores.auc(),
      roc: this.scores.roc(rocPoints),
    };
  }
}

export function episodeMetrics(list: readonly EpisodeLatency[]): EpisodeMetrics {
  const found = list.filter((e) => e.latencyNs !== null).map((e) => e.latencyNs!);
  return { count: list.length, detected: found.length, latencyNs: summary(found) };
}
