// Binary floating point of any precision on BigInt, for reference values:
// a number is m * 2^e (m a signed BigInt, 0n for zero). Every operation
// truncates its exact result to p significant bits, so it is off by less than
// 2^(1-p) of itself; the callers (functions.ts) bound how that accumulates.
export interface BF { m: bigint; e: number }

export const ZERO: BF = { m: 0n, e: 0 };
export const bf = (m: bigint | number, e = 0): BF => ({ m: BigInt(m), e });

const abs = (x: bigint): bigint => (x < 0n ? -x : x);
// Number of bits of |x| (0 for 0).
export function bitLength(x: bigint): number {
  x = abs(x);
  if (x === 0n) return 0;
  const h = x.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0], 16)));
}
// The exponent of the leading bit: |x| in [2^k, 2^(k+1)).
export const magnitude = (x: BF): number => (x.m === 0n ? -Infinity : x.e + bitLength(x.m) - 1);

// Truncate to p bits (toward zero).
export function trunc(x: BF, p: number): BF {
  const n = bitLength(x.m);
  if (n <= p) return x;
  const s = n - p;
  return { m: x.m < 0n ? -(-x.m >> BigInt(s)) : x.m >> BigInt(s), e: x.e + s };
}

export const neg = (x: BF): BF => ({ m: -x.m, e: x.e });
export const absBF = (x: BF): BF => ({ m: abs(x.m), e: x.e });
export const sign = (x: BF): number => (x.m === 0n ? 0 : x.m < 0n ? -1 : 1);
export const mulPow2 = (x: BF, k: number): BF => ({ m: x.m, e: x.e + k });

export function add(a: BF, b: BF, p: number): BF {
  if (a.m === 0n) return trunc(b, p);
  if (b.m === 0n) return trunc(a, p);
  // a term far below the other's last bit only moves it by less than 2^-p of itself
  const ma = magnitude(a), mb = magnitude(b);
  if (ma - mb > p + 8) return trunc(a, p);
  if (mb - ma > p + 8) return trunc(b, p);
  const e = Math.min(a.e, b.e);
  return trunc({ m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e }, p);
}
export const sub = (a: BF, b: BF, p: number): BF => add(a, neg(b), p);
export const mul = (a: BF, b: BF, p: number): BF => trunc({ m: a.m * b.m, e: a.e + b.e }, p);

export function div(a: BF, b: BF, p: number): BF {
  if (b.m === 0n) throw new Error("division by zero");
  if (a.m === 0n) return ZERO;
  const k = Math.max(0, p + bitLength(b.m) - bitLength(a.m) + 1);
  return trunc({ m: (a.m << BigInt(k)) / b.m, e: a.e - b.e - k }, p);
}

// Square root of a >= 0 (Newton on integers, floor).
export function sqrt(a: BF, p: number): BF {
  if (a.m < 0n) throw new Error("sqrt of a negative number");
  if (a.m === 0n) return ZERO;
  let k = Math.max(0, 2 * p - bitLength(a.m) + 2);
  if ((a.e - k) % 2 !== 0) k++;
  const n = a.m << BigInt(k);
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return trunc({ m: x, e: (a.e - k) / 2 }, p);
}

export function cmp(a: BF, b: BF): number {
  const d = sub(a, b, Math.max(bitLength(a.m), bitLength(b.m)) + Math.abs(a.e - b.e) + 2);
  return sign(d);
}

// For messages and rough checks only.
export function toNumber(x: BF): number {
  if (x.m === 0n) return 0;
  const t = trunc(x, 60);
  return Number(t.m) * 2 ** t.e;
}
