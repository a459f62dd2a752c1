// Seeded randomness for a flight's streams on the host (sensor noise, gusts,
// the mission and environment draws): a pure function of the seed, the same on
// every machine (integer ops only; no Math.random, no transcendental calls).
// The seed is a sub-seed from src/flight/seeds.ts, already mixed: it is the
// generator's state as it is.

export class Prng {
  private s: number;
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new RangeError(`PRNG seed ${seed} is not an unsigned 32-bit integer`);
    this.s = seed >>> 0;
  }

  // SplitMix32-style: next uniform 32-bit integer.
  nextU32(): number {
    this.s = (this.s + 0x9e3779b9) >>> 0;
    let z = this.s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  // Uniform in [0, 1).
  uniform(): number { return this.nextU32() / 0x100000000; }

  // Uniform in [lo, hi).
  between(lo: number, hi: number): number { return lo + (hi - lo) * this.uniform(); }

  // Uniform integer in [lo, hi] (the bias of a modulo over 2^32 is below 1e-7 here).
  int(lo: number, hi: number): number { return lo + (this.nextU32() % (hi - lo + 1)); }

  // Approximately standard normal: the sum of 12 uniforms minus 6 (Irwin-Hall),
  // exact to the bit everywhere because it only adds.
  normal(): number {
    let s = 0;
    for (let i = 0; i < 12; i++) s += this.uniform();
    return s - 6;
  }

  // A uniformly random direction in the plane as a unit vector: a point drawn in the
  // unit disc (rejection), scaled to length 1. No trigonometry: only +, -, *, / and sqrt.
  direction(): { x: number; y: number } {
    for (;;) {
      const x = 2 * this.uniform() - 1, y = 2 * this.uniform() - 1;
      const r2 = x * x + y * y;
      if (r2 > 1 || r2 < 1e-6) continue;
      const r = Math.sqrt(r2);
      return { x: x / r, y: y / r };
    }
  }
}
