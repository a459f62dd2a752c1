// Wind gusts: each horizontal component a first-order Gauss-Markov process
// (a discrete Ornstein-Uhlenbeck process), stepped with the physics:
//
//     g[n+1] = a g[n] + b N(0,1),   a = 1 - dt/τ,   b = σ sqrt(1 - a²)
//
// so the gust has standard deviation σ and forgets itself over τ seconds.
// Only +, -, *, / and sqrt (no exp): IEEE 754 makes them exact to the bit, so
// the series is the same on every machine. It depends on the seed, σ, τ and
// the step alone: one draw per component per step, whatever the drone does.
import { Prng } from "./prng.js";

export interface GustParams {
  sigmaMps: number;      // standard deviation of each horizontal component, m/s
  timeConstantS: number; // correlation time τ, s
}

export class Gusts {
  x = 0;
  y = 0;
  private readonly a: number;
  private readonly b: number;
  private readonly rng: Prng;

  constructor(p: GustParams, stepS: number, seed: number) {
    this.rng = new Prng(seed);
    if (p.sigmaMps === 0) { this.a = 0; this.b = 0; return; }
    if (!(p.timeConstantS > stepS)) throw new RangeError(`gust time constant ${p.timeConstantS} s must exceed the step (${stepS} s)`);
    this.a = 1 - stepS / p.timeConstantS;
    this.b = p.sigmaMps * Math.sqrt(1 - this.a * this.a);
    // Start in the stationary distribution: no warm-up transient.
    this.x = p.sigmaMps * this.rng.normal();
    this.y = p.sigmaMps * this.rng.normal();
  }

  // One physics step on.
  step(): void {
    if (this.b === 0) return;
    this.x = this.a * this.x + this.b * this.rng.normal();
    this.y = this.a * this.y + this.b * this.rng.normal();
  }
}
