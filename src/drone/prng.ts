// Seeded randomness for the sensor noise: a pure function of the seed, the same
// on every machine (integer ops only; no Math.random, no transcendental calls).

export class Prng {
  private s: number;
  constructor(seed: number) {
    // Mix the seed so that neighbouring seeds start far apart.
    this.s = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.floor(seed / 0x100000000)) >>> 0;
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

  // Approximately standard normal: the sum of 12 uniforms minus 6 (Irwin-Hall),
  // exact to the bit everywhere because it only adds.
  normal(): number {
    let s = 0;
    for (let i = 0; i < 12; i++) s += this.uniform();
    return s - 6;
  }
}
