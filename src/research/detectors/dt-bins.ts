// Time gaps as bins of a quarter of an octave: bin 0 holds 0 ns; a gap d ≥ 1
// with 2^e ≤ d < 2^(e+1) falls in 1 + 4e + ⌊4(d/2^e − 1)⌋. Integer arithmetic
// and exact divisions by powers of two only, so every host bins alike.
export const DT_BINS = 1 + 4 * 53;

export function dtBin(d: number): number {
  if (!(d >= 1)) return 0;
  const hi = Math.floor(d / 4294967296);
  const e = hi > 0 ? 63 - Math.clz32(hi) : 31 - Math.clz32(d);
  const frac = d / 2 ** e;   // in [1, 2)
  return 1 + 4 * e + Math.floor((frac - 1) * 4);
}
