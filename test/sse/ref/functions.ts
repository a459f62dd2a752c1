// Elementary functions on BigFloat (bigfloat.ts) to p bits: pi and ln 2 from
// their classic series, then expm1, sin, cos, atan, ln and ln(1+x) by Taylor
// series on small reduced arguments. Each works internally with W = p + 32 bits
// and sums until a term is below 2^-(W+4) of the sum; with a few hundred
// truncations of 2^(1-W) each and no cancellation beyond a factor of 4 (the
// arguments are reduced so that none is larger), the result is off by less
// than 2^-p of itself. Only the test reference uses these: nothing here is
// fast, all of it is plain.
import { BF, bf, ZERO, add, sub, mul, div, sqrt, neg, magnitude, mulPow2, sign, absBF, cmp, trunc } from "./bigfloat.js";

const GUARD = 32;

// sum of a series: term(k, previous) until negligible next to the sum
function series(first: BF, next: (k: number, t: BF) => BF, w: number): BF {
  let sum = first, t = first;
  for (let k = 1; ; k++) {
    t = next(k, t);
    if (t.m === 0n || magnitude(t) < magnitude(sum) - w - 4) return sum;
    sum = add(sum, t, w);
    if (k > 100000) throw new Error("series does not converge");
  }
}

// atan(1/n) for an integer n > 1 and atanh(1/n), in fixed point with w fraction bits.
function arcInv(n: bigint, w: number, hyperbolic: boolean): bigint {
  const one = 1n << BigInt(w + 8);
  let pow = one / n, sum = pow;
  const n2 = n * n;
  for (let k = 1n; pow !== 0n; k++) {
    pow /= n2;
    const t = pow / (2n * k + 1n);
    sum += hyperbolic || k % 2n === 0n ? t : -t;
  }
  return sum >> 8n;
}

const cache = new Map<string, BF>();
function cached(key: string, p: number, make: (w: number) => BF): BF {
  const k = `${key}/${p}`;
  let v = cache.get(k);
  if (!v) { v = trunc(make(p + GUARD), p + GUARD); cache.set(k, v); }
  return v;
}
// Machin: pi = 16 atan(1/5) - 4 atan(1/239)
export const pi = (p: number): BF => cached("pi", p, (w) => ({ m: 16n * arcInv(5n, w, false) - 4n * arcInv(239n, w, false), e: -w }));
// ln 2 = 2 atanh(1/3)
export const ln2 = (p: number): BF => cached("ln2", p, (w) => ({ m: 2n * arcInv(3n, w, true), e: -w }));

// e^t - 1 for |t| <= 3/4
export function expm1(t: BF, p: number): BF {
  const w = p + GUARD;
  if (t.m === 0n) return ZERO;
  return series(t, (k, prev) => div(mul(prev, t, w), bf(k + 1), w), w);
}

// sin r and cos r for |r| <= 1
export function sin(r: BF, p: number): BF {
  const w = p + GUARD, r2 = mul(r, r, w);
  if (r.m === 0n) return ZERO;
  return series(r, (k, prev) => neg(div(mul(prev, r2, w), bf((2 * k) * (2 * k + 1)), w)), w);
}
export function cos(r: BF, p: number): BF {
  const w = p + GUARD, r2 = mul(r, r, w);
  return series(bf(1), (k, prev) => neg(div(mul(prev, r2, w), bf((2 * k - 1) * (2 * k)), w)), w);
}

// sum u^(2k+1) / (2k+1), alternating for atan, for |u| <= 1/3
function oddSeries(u: BF, w: number, alternate: boolean): BF {
  const u2 = mul(u, u, w);
  let pow = u;
  return series(u, (k) => {
    pow = mul(pow, u2, w);
    const t = div(pow, bf(2 * k + 1), w);
    return alternate && k % 2 === 1 ? neg(t) : t;
  }, w);
}

// atan t for any t: halve the angle (t / (1 + sqrt(1 + t^2))) until |t| < 1/16
export function atan(t: BF, p: number): BF {
  const w = p + GUARD;
  if (t.m === 0n) return ZERO;
  let halvings = 0;
  while (magnitude(t) >= -4) {
    t = div(t, add(bf(1), sqrt(add(bf(1), mul(t, t, w), w), w), w), w);
    halvings++;
  }
  return mulPow2(oddSeries(t, w, true), halvings);
}

// ln x for x > 0: x = m 2^k with m in [sqrt(1/2), sqrt 2), ln m = 2 atanh((m-1)/(m+1))
export function ln(x: BF, p: number): BF {
  const w = p + GUARD;
  if (sign(x) <= 0) throw new Error("ln of a non-positive number");
  let k = magnitude(x);
  let m = mulPow2(x, -k);                              // [1, 2)
  if (cmp(mul(m, m, w), bf(2)) > 0) { m = mulPow2(m, -1); k++; }
  const u = div(sub(m, bf(1), w), add(m, bf(1), w), w); // |u| <= 0.172
  const lm = mulPow2(oddSeries(u, w, false), 1);
  return k === 0 ? lm : add(mul(bf(k), ln2(w), w), lm, w);
}

// ln(1 + x) for x > -1, without forming 1 + x when x is small
export function ln1p(x: BF, p: number): BF {
  const w = p + GUARD;
  if (x.m === 0n) return ZERO;
  if (magnitude(absBF(x)) < -2) return mulPow2(oddSeries(div(x, add(bf(2), x, w), w), w, false), 1); // |x| < 1/4
  return ln(add(bf(1), x, Math.max(0, magnitude(x)) - Math.min(0, x.e) + 2), p); // 1 + x exactly
}
