// The timing model's seed, derived from the flight's (its own stream: the same flight with the
// other timing model draws nothing else differently).
export function timingSeed(seed: number): number {
  let z = (Math.imul(seed ^ 0x54494d45 /* "TIME" */, 0x9e3779b1) + 0x7f4a7c15) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
