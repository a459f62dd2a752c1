// Per-syscall scores of labelled rows, kept as counts per distinct score (the
// detectors' scores take few distinct values: k/window for STIDE, sums of a
// few table entries for the timing model), so ROC AUC and the ROC curve are
// exact over millions of rows without keeping them.
/** threshold: the lowest score that raises an alarm at this point; null for the first point (no alarm at all). */
export interface RocPoint { threshold: number | null; fpr: number; tpr: number }

export class ScoreCounts {
  private readonly pos = new Map<number, number>();
  private readonly neg = new Map<number, number>();
  positives = 0;
  negatives = 0;

  add(score: number, positive: boolean): void {
    const m = positive ? this.pos : this.neg;
    m.set(score, (m.get(score) ?? 0) + 1);
    if (positive) this.positives++; else this.negatives++;
  }

  /**
   * ROC AUC: the probability that a random positive row scores above a random
   * negative one, ties counting one half (the Mann-Whitney statistic over P·N).
   * null without positives or without negatives.
   */
  auc(): number | null {
    if (this.positives === 0 || this.negatives === 0) return null;
    const scores = [...new Set([...this.pos.keys(), ...this.neg.keys()])].sort((a, b) => a - b);
    let negBelow = 0, sum = 0;
    for (const s of scores) {
      const p = this.pos.get(s) ?? 0, n = this.neg.get(s) ?? 0;
      sum += p * (negBelow + n / 2);
      negBelow += n;
    }
    return sum / (this.positives * this.negatives);
  }

  /**
   * The ROC curve: for each distinct score s, descending, the rates of "score ≥ s"
   * (the alarm rule `score > threshold` with the threshold just below s), from
   * (0, 0) to (1, 1); at most maxPoints points, evenly spaced in the list, the
   * first and last kept.
   */
  roc(maxPoints = 200): RocPoint[] {
    if (this.positives === 0 || this.negatives === 0) return [];
    const scores = [...new Set([...this.pos.keys(), ...this.neg.keys()])].sort((a, b) => b - a);
    const pts: RocPoint[] = [{ threshold: null, fpr: 0, tpr: 0 }];
    let tp = 0, fp = 0;
    for (const s of scores) {
      tp += this.pos.get(s) ?? 0;
      fp += this.neg.get(s) ?? 0;
      pts.push({ threshold: s, fpr: fp / this.negatives, tpr: tp / this.positives });
    }
    if (pts.length <= maxPoints) return pts;
    const out: RocPoint[] = [];
    for (let k = 0; k < maxPoints; k++) out.push(pts[Math.round((k * (pts.length - 1)) / (maxPoints - 1))]);
    return out;
  }
}

/** Precision, recall and F1 from counts; null where the denominator is 0. */
export function prf(tp: number, fp: number, fn: number): { precision: number | null; recall: number | null; f1: number | null } {
  const precision = tp + fp > 0 ? tp / (tp + fp) : null;
  const recall = tp + fn > 0 ? tp / (tp + fn) : null;
  const f1 = precision !== null && recall !== null && precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : precision === null || recall === null ? null : 0;
  return { precision, recall, f1 };
}
