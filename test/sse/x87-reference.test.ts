// The high-precision reference of the x87 transcendental test (ref/), checked
// against published constants, exact identities and exactly known roundings.
import { describe, it, expect } from "vitest";
import { BF, bf, add, sub, mul, div, sqrt, mulPow2, magnitude, absBF, trunc } from "./ref/bigfloat.js";
import * as fn from "./ref/functions.js";
import { roundExt, reduce, correctlyRounded, ordinal, extValue, f2xm1, fyl2x, fyl2xp1, fpatan, trig, INT_BIT, K_PIO2, Ext80 } from "./ref/x87.js";

const P = 400; // bits the checks ask for

// |a - b| < 2^-bits * max(|a|, 2^-lowest)
function close(a: BF, b: BF, bits: number): boolean {
  const d = sub(a, b, 4 * P);
  return d.m === 0n || magnitude(d) < Math.max(magnitude(absBF(a)), magnitude(absBF(b))) - bits;
}
// digits: the decimal expansion "3.1415..."; the BF agrees with it to its last digit
function matchesDecimal(x: BF, digits: string): boolean {
  const [i, f] = digits.split(".");
  const D = BigInt(i + f), scale = 10n ** BigInt(f.length);
  const t = trunc(x, 4 * P);
  const v = t.e >= 0 ? (t.m << BigInt(t.e)) * scale : (t.m * scale) >> BigInt(-t.e); // floor(x * 10^n)
  return v - D >= -1n && v - D <= 1n;
}

describe("reference constants", () => {
  it("pi: the 576 fraction bits of the Blowfish P-array", () => {
    const hex = "3243F6A8885A308D313198A2E03707344A4093822299F31D0082EFA98EC4E6C89452821E638D01377BE5466CF34E90C6CC0AC29B7C97C50DD3F84D5B5B54709179216D5D98979FB1B";
    const ref: BF = { m: BigInt("0x" + hex), e: -576 };
    expect(close(fn.pi(600), ref, 575)).toBe(true);
    expect(close(fn.pi(600), add(ref, bf(1, -570), 700), 575)).toBe(false); // the check can fail
  });
  it("ln 2, e, sin 1 and atan(1/2) to their published digits", () => {
    expect(matchesDecimal(fn.ln2(P), "0.6931471805599453094172321214581765680755001343602552541206800094933936219696947156058633269964186875")).toBe(true);
    expect(matchesDecimal(add(fn.expm1(bf(1, -1), P), bf(1), P), "1.648721270700128146848650787814163571653776100710148011575079")).toBe(true); // sqrt(e)
    expect(matchesDecimal(fn.sin(bf(1), P), "0.841470984807896506652502321630298999622563060798371065672752")).toBe(true);
    expect(matchesDecimal(fn.atan(bf(1, -1), P), "0.463647609000806116214256231461214402028537054286120263810933")).toBe(true);
    expect(matchesDecimal(fn.sin(bf(1), P), "0.841470984807896506652502321630298999622563060798371065672753")).toBe(false);
  });
});

describe("reference functions: exact identities at 400 bits", () => {
  const xs = [bf(1, -60), bf(3, -7), bf(5, -3), bf(-7, -4), bf(0x1234567n, -26), bf(-1, 0), bf(7, -3)];
  it("sin^2 + cos^2 = 1, and tan from sin and cos", () => {
    for (const x of xs) {
      const s = fn.sin(x, P), c = fn.cos(x, P);
      expect(close(add(mul(s, s, P), mul(c, c, P), P), bf(1), P - 8)).toBe(true);
    }
  });
  it("sin(pi/6) = 1/2, cos(pi/3) = 1/2, atan(1) = pi/4, atan(1/2) + atan(1/3) = pi/4", () => {
    const pi = fn.pi(P + 20);
    expect(close(fn.sin(div(pi, bf(6), P + 20), P), bf(1, -1), P - 8)).toBe(true);
    expect(close(fn.cos(div(pi, bf(3), P + 20), P), bf(1, -1), P - 8)).toBe(true);
    expect(close(fn.atan(bf(1), P), mulPow2(pi, -2), P - 8)).toBe(true);
    expect(close(add(fn.atan(bf(1, -1), P), fn.atan(div(bf(1), bf(3), P + 20), P), P), mulPow2(pi, -2), P - 8)).toBe(true);
    expect(close(fn.atan(sqrt(bf(3), P + 20), P), div(pi, bf(3), P), P - 8)).toBe(true); // atan(sqrt 3) = pi/3
  });
  it("ln and expm1 invert each other; ln1p agrees with ln(1 + x)", () => {
    for (const x of xs) {
      const e = fn.expm1(x, P);
      expect(close(fn.ln1p(e, P), x, P - 8)).toBe(true);
      if (x.m > 0n) expect(close(fn.ln(add(bf(1), x, P), P), fn.ln1p(x, P), P - 8)).toBe(true);
    }
    expect(close(fn.ln(bf(8), P), mul(bf(3), fn.ln2(P), P), P - 8)).toBe(true);
    expect(close(fn.expm1(fn.ln2(P + 20), P), bf(1), P - 8)).toBe(true);
    const tiny = bf(3, -16000); // relative accuracy however small the argument
    expect(close(fn.ln1p(tiny, P), tiny, 15990)).toBe(true);
    expect(close(fn.sin(tiny, P), tiny, 15990)).toBe(true);
  });
});

describe("rounding to the extended format", () => {
  const ext = (sig: bigint, se: number): Ext80 => ({ sig, se });
  it("nearest-even, down, up, toward zero at 64 bits", () => {
    const x: BF = { m: (INT_BIT << 2n) | 0b10n, e: -65 }; // 1 + exactly half an ulp
    expect(roundExt(x, 0)!.ext).toEqual(ext(INT_BIT, 16383));                       // tie, even stays
    expect(roundExt({ m: x.m | 4n, e: x.e }, 0)!.ext).toEqual(ext(INT_BIT | 2n, 16383)); // tie, odd goes up
    expect(roundExt({ m: x.m + 1n, e: x.e }, 0)).toMatchObject({ ext: ext(INT_BIT | 1n, 16383), roundedUp: true });
    expect(roundExt({ m: -x.m, e: x.e }, 1)).toMatchObject({ ext: ext(INT_BIT | 1n, 0xbfff), roundedUp: true });
    expect(roundExt({ m: -x.m, e: x.e }, 2)).toMatchObject({ ext: ext(INT_BIT, 0xbfff), roundedUp: false, inexact: true });
    expect(roundExt(x, 3)!.ext).toEqual(ext(INT_BIT, 16383));
    expect(roundExt({ m: (1n << 66n) - 1n, e: -66 }, 2)!.ext).toEqual(ext(INT_BIT, 16383)); // carry into the exponent
  });
  it("denormals, zeros, and what the reference declines (overflow)", () => {
    expect(roundExt(bf(3, -16446), 0)!.ext).toEqual(ext(2n, 0));       // 1.5 quanta: tie to even
    expect(roundExt(bf(1, -16382), 0)!.ext).toEqual(ext(INT_BIT, 1));   // the smallest normal
    expect(roundExt(bf(1, -16450), 0)).toMatchObject({ ext: ext(0n, 0), inexact: true });     // rounds to zero
    expect(roundExt(bf(-1, -16450), 2)).toMatchObject({ ext: ext(0n, 0x8000), roundedUp: false }); // -0, toward +inf
    expect(roundExt(bf(-1, -16450), 1)!.ext).toEqual(ext(1n, 0x8000));                        // the smallest denormal
    expect(roundExt(bf(1, 16384), 0)).toBeNull();                       // overflows
    expect(ordinal(ext(INT_BIT, 1)) - ordinal(ext(INT_BIT - 1n, 0))).toBe(1n);
    expect(ordinal(ext(INT_BIT, 16384)) - ordinal(ext((1n << 64n) - 1n, 16383))).toBe(1n);
    expect(extValue(ext(INT_BIT, 0))).toEqual(bf(INT_BIT, -16382 - 63)); // pseudo-denormal: 2^-16382
    expect(extValue(ext(1n, 5))).toBeNull();       // unnormal
  });
});

describe("the x87 reference", () => {
  const x87 = (v: number) => { const d = new DataView(new ArrayBuffer(8)); d.setFloat64(0, v); return d.getBigUint64(0); };
  const fromNum = (v: number): BF => { const b = x87(v); const e = Number((b >> 52n) & 0x7ffn); const m = (b & ((1n << 52n) - 1n)) | (1n << 52n); return { m: v < 0 ? -m : m, e: e - 1075 }; };
  it("reduces by the 66-bit pi/2: quadrant and exact remainder", () => {
    expect(reduce(bf(1, -3))).toEqual({ q: 0, r: bf(1, -3) });
    const r = reduce(bf(3));                                   // 3 - 2P
    expect(r.q).toBe(2);
    expect(r.r).toEqual({ m: (3n << 65n) - 2n * K_PIO2, e: -65 });
    const big = reduce({ m: 0xC90FDAA22168C234n, e: 62 - 63 });   // pi/2 * 2^62 truncated to 64 bits
    expect(big.q).toBe(Number((((0xC90FDAA22168C234n << 64n) + K_PIO2 / 2n) / K_PIO2) & 3n));
  });
  it("known results: f2xm1(1) = 1, fyl2x(8, y) = 3y exactly, sin and atan2 against doubles", () => {
    expect(correctlyRounded(f2xm1(bf(1))!, 0).r!.ext).toEqual({ sig: INT_BIT, se: 16383 });
    expect(correctlyRounded(fyl2x(bf(8), bf(5))!, 0).r!.ext).toEqual({ sig: 15n << 60n, se: 16383 + 3 });
    expect(fyl2x(bf(1), bf(5))).toBeNull();          // log2 1 = 0: a zero, from the special tables
    expect(fyl2xp1(bf(-1), bf(5))).toBeNull();
    for (const [got, want] of [
      [trig(fromNum(0.5), "sin"), Math.sin(0.5)], [trig(fromNum(-2.5), "cos"), Math.cos(-2.5)], [trig(fromNum(1e6), "tan"), Math.tan(1e6)],
      [fpatan(fromNum(-3), fromNum(-4)), Math.atan2(-3, -4)], [f2xm1(fromNum(0.3))!, 2 ** 0.3 - 1], [fyl2xp1(fromNum(0.25), fromNum(3))!, 3 * Math.log2(1.25)],
    ] as const) {
      const v = correctlyRounded(got, 0).value;
      expect(Math.abs(Number(trunc(v, 60).m) * 2 ** trunc(v, 60).e - want)).toBeLessThan(Math.abs(want) * 1e-6);
    }
  });
});
