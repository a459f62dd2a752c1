// The x87 transcendentals' exact results, correctly rounded to the extended
// format: the reference the core's results are checked against (diff-x87).
// FSIN/FCOS/FSINCOS/FPTAN are taken of the argument as the documented
// reduction defines it: |x| = q*P + r with P = K * 2^-65 (pi/2 rounded to 66
// bits, the constant Intel documents and both vendors' hosts use, see
// assembly/x87/trans/reduce.ts), q = round(|x| / P) and r exact; the result is
// f(r + q*pi/2) with the true pi. For |x| < P/2 (q = 0) that is f(x) itself.
import { BF, bf, ZERO, add, sub, mul, div, neg, magnitude, mulPow2, sign, absBF, cmp, bitLength } from "./bigfloat.js";
import * as fn from "./functions.js";

export interface Ext80 { sig: bigint; se: number }
export const INT_BIT = 1n << 63n;
export const K_PIO2 = 0x3243F6A8885A308D3n; // P = K * 2^-65

// A finite non-zero number: a normal (integer bit set), a denormal (exponent 0)
// or a pseudo-denormal (exponent 0, integer bit set, read as a denormal is, with
// the exponent of 1); anything else (zero, unnormal, infinity, NaN) is left to
// the special-case tables: null.
export function extValue(v: Ext80): BF | null {
  const e = v.se & 0x7fff, neg = (v.se & 0x8000) !== 0;
  if (v.sig === 0n || e === 0x7fff) return null;
  if (e !== 0 && (v.sig & INT_BIT) === 0n) return null;
  return { m: neg ? -v.sig : v.sig, e: (e === 0 ? 1 : e) - 16383 - 63 };
}

// RC field of the control word: 0 nearest even, 1 down, 2 up, 3 toward zero.
export interface Rounded { ext: Ext80; inexact: boolean; roundedUp: boolean }

// Round an exact value to 64 significant bits and the extended exponent range
// (denormals below 2^-16382, and a signed zero below those); null when it overflows.
export function roundExt(x: BF, rc: number): Rounded | null {
  if (x.m === 0n) return null;
  const s = x.m < 0n ? 1 : 0, m = x.m < 0n ? -x.m : x.m;
  const top = x.e + bitLength(m) - 1;             // |x| in [2^top, 2^(top+1))
  const quantum = Math.max(top - 63, -16382 - 63); // value of the last kept bit
  const shift = quantum - x.e;
  let kept: bigint, rest: bigint, half: bigint;
  if (shift <= 0) { kept = m << BigInt(-shift); rest = 0n; half = 1n; }
  else { kept = m >> BigInt(shift); rest = m & ((1n << BigInt(shift)) - 1n); half = 1n << BigInt(shift - 1); }
  const inexact = rest !== 0n;
  let up = false;
  if (inexact) {
    if (rc === 0) up = rest > half || (rest === half && (kept & 1n) === 1n);
    else if (rc === 1) up = s === 1;
    else if (rc === 2) up = s === 0;
  }
  if (up) kept += 1n;
  let q = quantum;
  if (kept === 1n << 64n) { kept >>= 1n; q++; }
  // exponent field: normal when the integer bit is set (a zero or a denormal has 0)
  let field: number;
  if (kept >= INT_BIT) field = q + 63 + 16383; else field = 0;
  if (field >= 0x7fff) return null;
  return { ext: { sig: kept, se: (s << 15) | field }, inexact, roundedUp: up };
}

// The position of a finite extended value on the number line, counted in
// representable steps from zero (so neighbours differ by one).
export function ordinal(v: Ext80): bigint {
  const e = BigInt(v.se & 0x7fff);
  const o = e === 0n ? v.sig : (e - 1n) * INT_BIT + v.sig;
  return v.se & 0x8000 ? -o : o;
}

// The argument reduction as documented: quadrant q mod 4 and the exact r (|x|'s).
export function reduce(x: BF): { q: number; r: BF } {
  const a = absBF(x);
  if (magnitude(a) < -2) return { q: 0, r: a };
  // N = |x| * 2^65 is an integer here (|x| has 64 bits and |x| >= 1/4)
  const N = a.m << BigInt(a.e + 65);
  let q = N / K_PIO2, rem = N - q * K_PIO2;
  if (2n * rem > K_PIO2) { q += 1n; rem -= K_PIO2; } // K is odd: never a tie
  return { q: Number(q & 3n), r: { m: rem, e: -65 } };
}

// A result the reference knows: exactly (a rational) or to any precision p.
export type Exact = { exact: BF } | { approx: (p: number) => BF };

// Round `v` correctly: an exact value at once, an approximate one (off by less
// than 2^-p of itself) at growing p until both ends of its error interval round
// the same way (Ziv). `value` is the approximation used, for C1 checks.
export function correctlyRounded(v: Exact, rc: number): { r: Rounded | null; value: BF; tolerance: number } {
  if ("exact" in v) return { r: roundExt(v.exact, rc), value: v.exact, tolerance: Infinity };
  for (let p = 192; p <= 1 << 17; p *= 2) {
    const x = v.approx(p);
    const eps = mulPow2(absBF(x), -p);
    const lo = roundExt(sub(x, mulPow2(eps, sign(x)), p + 64), rc), hi = roundExt(add(x, mulPow2(eps, sign(x)), p + 64), rc);
    if (lo && hi && lo.ext.sig === hi.ext.sig && lo.ext.se === hi.ext.se) return { r: hi, value: x, tolerance: p };
    if (!lo && !hi) return { r: null, value: x, tolerance: p };
  }
  throw new Error("no precision decides this rounding");
}

// Whether the extended value e is above |exact| in magnitude (C1, "rounded up"):
// true/false, or undefined when the reference cannot tell (within its error).
export function roundsUp(e: Ext80, v: ReturnType<typeof correctlyRounded>): boolean | undefined {
  const x = extValue(e);
  if (!x) return undefined;
  const d = cmp(absBF(x), absBF(v.value));
  if (d === 0) return v.tolerance === Infinity ? false : undefined;
  if (v.tolerance !== Infinity) {
    const gap = absBF(sub(absBF(x), absBF(v.value), v.tolerance + 64));
    if (magnitude(gap) <= magnitude(v.value) - v.tolerance + 1) return undefined;
  }
  return d > 0;
}

// --- the instructions ---

// F2XM1: 2^x - 1, for |x| <= 1 (the SDM's domain)
export function f2xm1(x: BF): Exact | null {
  if (cmp(absBF(x), bf(1)) > 0) return null;
  if (cmp(x, bf(1)) === 0) return { exact: bf(1) };
  if (cmp(x, bf(-1)) === 0) return { exact: bf(-1, -1) };
  return { approx: (p) => fn.expm1(mul(x, fn.ln2(p + 40), p + 40), p) };
}

// log2 of a power of two, or null
function log2Exact(x: BF): number | null {
  if (sign(x) <= 0) return null;
  let m = x.m, e = x.e;
  while ((m & 1n) === 0n) { m >>= 1n; e++; }
  return m === 1n ? e : null;
}

// FYL2X: y * log2 x, for x > 0, x != 1
export function fyl2x(x: BF, y: BF): Exact | null {
  if (sign(x) <= 0) return null;
  const k = log2Exact(x);
  if (k !== null) return k === 0 ? null : { exact: mul(y, bf(k), 200) };
  return { approx: (p) => mul(y, div(fn.ln(x, p + 40), fn.ln2(p + 40), p + 40), p + 40) };
}

// FYL2XP1: y * log2(1 + x), for x > -1, x != 0 (the core computes it beyond the SDM's domain too)
export function fyl2xp1(x: BF, y: BF): Exact | null {
  if (cmp(x, bf(-1)) <= 0) return null;
  const onePlus = add(bf(1), x, Math.max(0, magnitude(x)) - Math.min(0, x.e) + 2);
  const k = log2Exact(onePlus);
  if (k !== null) return k === 0 ? null : { exact: mul(y, bf(k), 200) };
  return { approx: (p) => mul(y, div(fn.ln1p(x, p + 40), fn.ln2(p + 40), p + 40), p + 40) };
}

// FPATAN: atan2(y, x), both finite and non-zero
export function fpatan(y: BF, x: BF): Exact {
  return {
    approx: (p) => {
      const w = p + 40, ay = absBF(y), ax = absBF(x);
      const swap = cmp(ay, ax) > 0;
      let a = fn.atan(swap ? div(ax, ay, w) : div(ay, ax, w), w);
      if (swap) a = sub(mulPow2(fn.pi(w), -1), a, w);
      if (sign(x) < 0) a = sub(fn.pi(w), a, w);
      return sign(y) < 0 ? neg(a) : a;
    },
  };
}

// FSIN, FCOS, FSINCOS, FPTAN of x (|x| < 2^63, non-zero): sin or cos of r + q pi/2, tan
type Trig = "sin" | "cos" | "tan";
export function trig(x: BF, f: Trig): Exact {
  const { q, r } = reduce(x);
  const odd = (q & 1) === 1;
  return {
    approx: (p) => {
      const w = p + 40;
      let v: BF;
      if (f === "tan") v = odd ? neg(div(fn.cos(r, w), fn.sin(r, w), w)) : div(fn.sin(r, w), fn.cos(r, w), w);
      else {
        // sin(r + q pi/2) = sin r, cos r, -sin r, -cos r; cos(r + q pi/2) = cos r, -sin r, -cos r, sin r
        const useCos = odd !== (f === "cos");
        v = useCos ? fn.cos(r, w) : fn.sin(r, w);
        const negate = f === "sin" ? q >= 2 : q === 1 || q === 2;
        if (negate) v = neg(v);
      }
      return f !== "cos" && sign(x) < 0 ? neg(v) : v;
    },
  };
}

export { ZERO };
