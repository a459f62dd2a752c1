// A measured distribution as the model draws from it: knots (p, ns) of its
// quantile function, joined by straight lines (a piecewise-linear inverse CDF).
// A draw is one 32-bit uniform number mapped through those lines: plain
// floating-point adds and multiplies, exact on every host, then rounded to an
// integer ns. Nothing is allocated per draw.

/** Quantile knots as the parameter table holds them: [probability, ns], p rising from 0 to 1. */
export type Knots = ReadonlyArray<readonly [number, number]>;

// Where a draw's search for its knot starts, by the top bits of u: the scan below gives the same
// knot and the same arithmetic as one from the first knot, in one or two steps instead of about half
// the knots (a flight draws some 160,000 times).
const BUCKETS = 256;

export class Quantiles {
  private readonly p: Float64Array;
  private readonly q: Float64Array;
  private readonly start = new Int32Array(BUCKETS);

  constructor(readonly name: string, knots: Knots) {
    if (knots.length < 2) throw new Error(`timing table: ${name} needs at least two knots`);
    this.p = new Float64Array(knots.length);
    this.q = new Float64Array(knots.length);
    for (let i = 0; i < knots.length; i++) {
      const [p, q] = knots[i];
      if (!(p >= 0 && p <= 1) || !(q >= 0) || !Number.isFinite(q)) throw new Error(`timing table: ${name} has a bad knot [${p}, ${q}]`);
      if (i > 0 && (p <= this.p[i - 1] || q < this.q[i - 1])) throw new Error(`timing table: ${name}'s knots must rise`);
      this.p[i] = p;
      this.q[i] = q;
    }
    if (this.p[0] !== 0 || this.p[knots.length - 1] !== 1) throw new Error(`timing table: ${name}'s knots must span p = 0 to 1`);
    // start[b]: the first knot i >= 1 with p[i] >= b / BUCKETS, so for any u in bucket b (u >= b / BUCKETS)
    // every knot before it has p < u, as the scan from 1 would have found.
    for (let b = 0, i = 1; b < BUCKETS; b++) {
      while (this.p[i] < b / BUCKETS) i++;
      this.start[b] = i;
    }
  }

  /** The value at probability u (0 ≤ u < 1), in ns, rounded. */
  at(u: number): number {
    const p = this.p, q = this.q;
    let i = this.start[Math.min(BUCKETS - 1, (u * BUCKETS) | 0)];
    while (p[i] < u) i++;
    const f = (u - p[i - 1]) / (p[i] - p[i - 1]);
    return Math.round(q[i - 1] + f * (q[i] - q[i - 1]));
  }

  get median(): number { return this.at(0.5); }
}
