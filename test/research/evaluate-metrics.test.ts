// The evaluation's metrics and detectors on tiny hand-made cases, every
// expected figure worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { ScoreCounts, prf } from "../../src/research/evaluate/score-counts.js";
import { LiddsCounter, summary } from "../../src/research/evaluate/lidds-metrics.js";
import { SyscallCounter } from "../../src/research/evaluate/label-metrics.js";
import { episodeLatencies } from "../../src/research/evaluate/evaluate.js";
import { Stide } from "../../src/research/detectors/stide.js";
import { TimingMarkov } from "../../src/research/detectors/timing.js";
import { dtBin } from "../../src/research/detectors/dt-bins.js";
import type { Episode, FlightRows } from "../../src/research/evaluate/flight-rows.js";

function counts(pos: number[], neg: number[]): ScoreCounts {
  const c = new ScoreCounts();
  for (const s of pos) c.add(s, true);
  for (const s of neg) c.add(s, false);
  return c;
}

// A flight from (tid, name id, enter ns[, label, episode]) rows.
function flight(rows: [number, number, number, number?, number?][], episodes: Episode[] = []): FlightRows {
  const n = rows.length;
  return {
    id: "f", scenario: "normal", n,
    tid: Int32Array.from(rows, (r) => r[0]), name: Int32Array.from(rows, (r) => r[1]), enterNs: Float64Array.from(rows, (r) => r[2]),
    label: Int8Array.from(rows, (r) => r[3] ?? 0), cause: Int32Array.from(rows, (r) => (r[3] ? 1 : 0)), causes: ["", "udp"],
    episode: Int32Array.from(rows, (r) => r[4] ?? -1), episodes,
  };
}

describe("ROC AUC", () => {
  it("separated scores: 1; reversed: 0", () => {
    expect(counts([3, 4], [1, 2]).auc()).toBe(1);
    expect(counts([1, 2], [3, 4]).auc()).toBe(0);
  });
  it("ties count one half", () => {
    // pairs (p, n): (2,1) 1, (2,2) ½, (2,3) 0, (3,1) 1, (3,2) 1, (3,3) ½ → 4 of 6
    expect(counts([2, 3], [1, 2, 3]).auc()).toBeCloseTo(4 / 6, 15);
    // every score equal: ½
    expect(counts([5, 5, 5], [5, 5]).auc()).toBe(0.5);
    // p = 1 against n = {0, 1, 1, 2}: 1 + ½ + ½ + 0 = 2 of 4
    expect(counts([1], [0, 1, 1, 2]).auc()).toBe(0.5);
  });
  it("undefined without positives or negatives", () => {
    expect(counts([], [1]).auc()).toBeNull();
    expect(counts([1], []).auc()).toBeNull();
  });
  it("the ROC curve runs from (0,0) to (1,1) through each distinct score, descending", () => {
    const roc = counts([2, 3], [1, 2, 3]).roc();
    expect(roc.map((p) => [p.threshold, p.fpr, p.tpr])).toEqual([[null, 0, 0], [3, 1 / 3, 1 / 2], [2, 2 / 3, 1], [1, 1, 1]]);
    const many = counts(Array.from({ length: 500 }, (_, i) => i), Array.from({ length: 500 }, (_, i) => i + 0.5)).roc(50);
    expect(many).toHaveLength(50);
    expect([many[0].fpr, many[0].tpr, many[49].fpr, many[49].tpr]).toEqual([0, 0, 1, 1]);
  });
});

describe("per-syscall precision, recall, F1", () => {
  it("at the threshold (alarm: score > threshold)", () => {
    const c = new SyscallCounter(0.5);
    // positives 0.9 (TP), 0.5 (FN: not above), 0.2 (FN); negatives 0.6 (FP), 0.1 (TN), 0.5 (TN)
    for (const [s, p] of [[0.9, true], [0.5, true], [0.2, true], [0.6, false], [0.1, false], [0.5, false]] as const) c.add(s, p);
    const r = c.result();
    expect([r.truePositives, r.falseNegatives, r.falsePositives, r.trueNegatives]).toEqual([1, 2, 1, 2]);
    expect(r.precision).toBe(0.5);
    expect(r.recall).toBeCloseTo(1 / 3, 15);
    expect(r.f1).toBeCloseTo((2 * 0.5 * (1 / 3)) / (0.5 + 1 / 3), 15);
    // AUC: 0.9 beats all 3; 0.5 beats 0.1, ties 0.5, loses to 0.6: 1.5; 0.2 beats 0.1: 1 → 5.5 / 9
    expect(r.rocAuc).toBeCloseTo(5.5 / 9, 15);
  });
  it("null where a denominator is 0", () => {
    expect(prf(0, 0, 3)).toEqual({ precision: null, recall: 0, f1: null });
    expect(prf(0, 2, 0)).toEqual({ precision: 0, recall: null, f1: null });
    expect(prf(0, 2, 3)).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});

describe("LID-DS's metrics", () => {
  it("counts CFAs as runs, one correct alarm per exploit recording, and the detection time", () => {
    const c = new LiddsCounter(0.5);
    // normal recording: scores 1 1 0 1 0 1 → runs [1 1], [1], [1 at the end] = 3 CFAs, 4 FPs, 2 TNs
    c.begin(null);
    [1, 1, 0, 1, 0, 1].forEach((s, i) => c.add(i * 10, s));
    c.end();
    // exploit at t = 30: t 0..20 before (alarm at 10: one CFA run, closed by the alarm at 30), 30..50 after
    c.begin(30);
    [[0, 0], [10, 1], [20, 1], [30, 1], [40, 0], [50, 1]].forEach(([t, s]) => c.add(t, s));
    c.end();
    // exploit at t = 100, never alarmed: FN after, TN before
    c.begin(100);
    [[90, 0], [100, 0], [110, 0.5]].forEach(([t, s]) => c.add(t, s));
    c.end();
    const r = c.result();
    expect(r).toMatchObject({
      exploitRecordings: 2, normalRecordings: 1, detectedRecordings: 1, detectionRate: 0.5,
      consecutiveFalseAlarmsNormal: 3, consecutiveFalseAlarmsExploits: 1, consecutiveFalseAlarms: 4,
      truePositives: 2, falsePositives: 6, trueNegatives: 4, falseNegatives: 3,
    });
    // precision with CFA = 1 / (1 + 4); F1 = 2·0.2·0.5 / 0.7
    expect(r.precisionWithCfa).toBeCloseTo(0.2, 15);
    expect(r.f1WithCfa).toBeCloseTo(0.2 / 0.7, 15);
    // the first correct alarm at 30, the exploit at 30: detected at once
    expect(r.detectionTimeNs).toEqual({ count: 1, mean: 0, median: 0, max: 0 });
  });
  it("gives 0, as LID-DS does, where nothing was detected", () => {
    const c = new LiddsCounter(1);
    c.begin(null); c.add(0, 0); c.end();
    expect(c.result()).toMatchObject({ detectionRate: 0, precisionWithCfa: 0, f1WithCfa: 0, consecutiveFalseAlarms: 0 });
  });
  it("summaries: mean, median (even count: the middle two's mean), max", () => {
    expect(summary([4, 1, 3, 2])).toEqual({ count: 4, mean: 2.5, median: 2.5, max: 4 });
    expect(summary([])).toEqual({ count: 0, mean: null, median: null, max: null });
  });
});

describe("episode latency", () => {
  it("from the episode's start to its first labelled row with an alarm", () => {
    const eps: Episode[] = [{ episode: 0, cause: "udp", startNs: 100, endNs: 200 }, { episode: 1, cause: "udp", startNs: 500, endNs: 600 }];
    // an alarm at 90 (before, unlabelled) does not count; episode 0's rows at 110 (no alarm) and 150 (alarm); episode 1 never alarms
    const f = flight([[1, 0, 90], [1, 0, 110, 1, 0], [1, 0, 150, 1, 0], [1, 0, 510, 1, 1]], eps);
    const l = episodeLatencies(f, Float64Array.from([1, 0, 1, 0]), 0.5);
    expect(l.map((e) => [e.episode, e.rows, e.latencyNs])).toEqual([[0, 2, 50], [1, 1, null]]);
  });
});

describe("STIDE", () => {
  it("thread-aware n-grams, one window per recording, mismatches / window", () => {
    const s = new Stide({ n: 2, window: 4 });
    // training: thread 1 runs a b a b; 2-grams ab, ba
    s.train(flight([[1, 0, 0], [1, 1, 1], [1, 0, 2], [1, 1, 3]]));
    s.fit();
    expect(s.model()).toEqual({ distinctNgrams: 2, trainingNgrams: 3 });
    // threads 1 and 2 interleaved: each alone is a b a …; across threads the rows would pair a-a (unknown) if the streams were one
    const mixed = flight([[1, 0, 0], [2, 0, 1], [1, 1, 2], [2, 1, 3], [1, 0, 4], [2, 0, 5]]);
    expect(Array.from(s.score(mixed))).toEqual([0, 0, 0, 0, 0, 0]);
    // thread 1: a b c a b: 2-grams ab ✓, bc ✗, ca ✗, ab ✓ → window of 4: 0, 1/4, 2/4, 2/4; the first row has no 2-gram yet
    const odd = flight([[1, 0, 0], [1, 1, 1], [1, 2, 2], [1, 0, 3], [1, 1, 4], [1, 1, 5], [1, 1, 6], [1, 1, 7]]);
    // then b b (✗), b b (✗), b b (✗): the window's oldest slide out: [bc ca ab bb] 3/4, [ca ab bb bb] 3/4, [ab bb bb bb] 3/4
    expect(Array.from(s.score(odd))).toEqual([0, 0, 0.25, 0.5, 0.5, 0.75, 0.75, 0.75]);
  });
});

describe("the timing model", () => {
  it("bins gaps in quarter octaves with integer arithmetic", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map(dtBin)).toEqual([0, 1, 5, 7, 9, 10, 11, 12, 13]);
    expect(dtBin(2 ** 32)).toBe(1 + 4 * 32);
    expect(dtBin(2 ** 40 + 2 ** 39)).toBe(1 + 4 * 40 + 2);
    expect(dtBin(2 ** 53 - 1)).toBe(1 + 4 * 52 + 3);
  });
  it("scores a step's transition and its gap's tail surprise in bits", () => {
    const m = new TimingMarkov();
    // thread 1: a, then b after 4 ns, a after 4, b after 8 → pairs (start,a) gap 0, (a,b) gaps 4 and 8, (b,a) gap 4
    m.train(flight([[1, 0, 0], [1, 1, 4], [1, 0, 8], [1, 1, 16]]));
    m.fit();
    const [A, B] = [0, 1], start = -1;
    // V = 2 names + 1. P(b | a) = (2 + 1) / (2 + 3) = 3/5; gap 4 (bin 9): at or below 1, at or above 2 → min 1: (1 + 1) / (2 + 2) = 1/2
    expect(m.surprise(A, B, dtBin(4))).toBeCloseTo(-Math.log2(3 / 5) + 1, 12);
    // gap 64 (bin 25), beyond the pair's highest bin (13) by 12 bins: tail 0 → 1/4, plus 12/4 bits
    expect(m.surprise(A, B, dtBin(64))).toBeCloseTo(-Math.log2(3 / 5) - Math.log2(1 / 4) + 3, 12);
    // a pair never seen (a → a): P = (0 + 1) / (2 + 3), plus 1 bit
    expect(m.surprise(A, A, dtBin(4))).toBeCloseTo(-Math.log2(1 / 5) + 1, 12);
    // the start token: one step seen, (start, a) at gap 0; P(a | start) = 2/4; gap 0: min(1, 1) → 2/3
    expect(m.surprise(start, A, 0)).toBeCloseTo(-Math.log2(2 / 4) - Math.log2(2 / 3), 12);
    // score() walks each thread: the same flight scores its own steps
    const s = m.score(flight([[1, 0, 0], [1, 1, 4]]));
    expect(Array.from(s)).toEqual([m.surprise(start, A, 0), m.surprise(A, B, dtBin(4))]);
  });
});
