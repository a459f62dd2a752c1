// A timing-aware baseline: each thread's syscalls as a Markov chain of names
// whose every step also carries its Δt (this call's enter time minus the same
// thread's previous call's). Trained on normal flights, it scores a call by its
// surprise in bits:
//
//   score = −log2 P(name | previous name)  +  tail surprise of Δt for that pair
//
// P(name | prev) = (c(prev, name) + 1) / (c(prev) + V), V = the names seen in
// training plus one for any other. For the Δt of a pair seen c > 0 times, in
// quarter-octave bins (dt-bins.ts): with L and U the training gaps in bins at
// or below, and at or above, the gap's bin, the tail surprise is
// −log2((min(L, U) + 1) / (c + 2)) — about 1 bit at the pair's usual gap, more
// in its tails — plus, for a gap outside every bin seen for the pair, a
// quarter of a bit per bin beyond the nearest one (one bit per octave), so a
// stall of seconds scores far above a timer interrupt's few extra microseconds.
// A pair never seen adds 1 bit. A thread's first call follows a start token
// with a gap of 0.
import type { Detector } from "./detector.js";
import type { FlightRows } from "../evaluate/flight-rows.js";
import { DT_BINS, dtBin } from "./dt-bins.js";

const START = -1;
const pairKey = (prev: number, name: number) => (prev + 1) * 65536 + name;

interface PairGaps {
  count: number;
  bins: Float64Array;
  /** After fit: bins[b] summed over bins ≤ b. */
  below: Float64Array;
  lo: number;
  hi: number;
}

export class TimingMarkov implements Detector {
  readonly name = "timing";
  readonly params: Record<string, number | string> = { dtBinsPerOctave: 4, smoothing: "add-one" };
  private readonly pairs = new Map<number, PairGaps>();
  private readonly fromCount = new Map<number, number>();
  private readonly names = new Set<number>();
  private fitted = false;
  private v = 1;
  private trainingCalls = 0;

  private walk(f: FlightRows, step: (i: number, prev: number, name: number, bin: number) => void): void {
    const prevName = new Map<number, number>(), prevNs = new Map<number, number>();
    for (let i = 0; i < f.n; i++) {
      const t = f.tid[i], name = f.name[i], at = f.enterNs[i];
      const p = prevName.get(t);
      step(i, p ?? START, name, p === undefined ? 0 : dtBin(at - prevNs.get(t)!));
      prevName.set(t, name);
      prevNs.set(t, at);
    }
  }

  train(f: FlightRows): void {
    if (this.fitted) throw new Error("timing: train after fit");
    this.walk(f, (_i, prev, name, bin) => {
      const k = pairKey(prev, name);
      let g = this.pairs.get(k);
      if (!g) { g = { count: 0, bins: new Float64Array(DT_BINS), below: new Float64Array(0), lo: bin, hi: bin }; this.pairs.set(k, g); }
      g.count++;
      g.bins[bin]++;
      if (bin < g.lo) g.lo = bin;
      if (bin > g.hi) g.hi = bin;
      this.fromCount.set(prev, (this.fromCount.get(prev) ?? 0) + 1);
      this.names.add(name);
      this.trainingCalls++;
    });
  }

  fit(): void {
    for (const g of this.pairs.values()) {
      g.below = new Float64Array(DT_BINS);
      let s = 0;
      for (let b = 0; b < DT_BINS; b++) { s += g.bins[b]; g.below[b] = s; }
    }
    this.v = this.names.size + 1;
    this.fitted = true;
  }

  /** The surprise of one step (exported for the tests' hand-computed cases). */
  surprise(prev: number, name: number, bin: number): number {
    const g = this.pairs.get(pairKey(prev, name));
    const transition = -Math.log2(((g?.count ?? 0) + 1) / ((this.fromCount.get(prev) ?? 0) + this.v));
    if (!g) return transition + 1;
    const atOrBelow = g.below[bin], atOrAbove = g.count - (bin > 0 ? g.below[bin - 1] : 0);
    const beyond = bin < g.lo ? g.lo - bin : bin > g.hi ? bin - g.hi : 0;
    return transition - Math.log2((Math.min(atOrBelow, atOrAbove) + 1) / (g.count + 2)) + beyond / 4;
  }

  score(f: FlightRows): Float64Array {
    if (!this.fitted) throw new Error("timing: score before fit");
    const out = new Float64Array(f.n);
    this.walk(f, (i, prev, name, bin) => { out[i] = this.surprise(prev, name, bin); });
    return out;
  }

  model(): Record<string, number> {
    return { pairs: this.pairs.size, names: this.names.size, trainingCalls: this.trainingCalls };
  }
}
