// Floating-point operand values for SSE/x87 test generators: the special
// classes (signed zeros, infinities, quiet and signaling NaNs with payloads,
// denormals, extremes of the normal range), values whose sums/products round
// differently by mode, and random bit patterns.
import { Rng } from "../../cpu/gen/rng.js";

const D = (hi: bigint) => hi;
export const F64_SPECIAL: bigint[] = [
  0x0000000000000000n, 0x8000000000000000n,             // +0 -0
  0x7ff0000000000000n, 0xfff0000000000000n,             // +inf -inf
  0x7ff8000000000000n, 0xfff8000000000000n,             // QNaN, default NaN
  0x7ff8000000001234n, 0xfffc0000deadbeefn,             // QNaNs with payloads
  0x7ff0000000000001n, 0xfff4000000000abcn,             // SNaNs
  0x0000000000000001n, 0x8000000000000001n,             // smallest denormals
  0x000fffffffffffffn, 0x800ffffffffffffen,             // largest denormals
  0x0008000000000000n,                                   // half min normal
  0x0010000000000000n, 0x8010000000000000n,             // min normal
  0x0010000000000001n,
  0x7fefffffffffffffn, 0xffefffffffffffffn,             // max
  0x3ff0000000000000n, 0xbff0000000000000n,             // ±1
  0x3ff0000000000001n, 0x3fefffffffffffffn,             // 1 ± ulp
  0x4000000000000000n, 0x3fe0000000000000n,             // 2, 0.5
  0x3ff8000000000000n, 0x4008000000000000n,             // 1.5, 3
  0x400921fb54442d18n, 0x3fb999999999999an,             // pi, 0.1
  0x3c90000000000000n, 0x3ca0000000000000n,             // 2^-54, 2^-53
  0x43e0000000000000n, 0xc3e0000000000000n,             // ±2^63
  0x41e0000000000000n, 0xc1e0000000000000n,             // ±2^31
  0x41dfffffffc00000n, 0xc1e0000000200000n,             // 2^31-1, -2^31-1
  0x43dfffffffffffffn, 0x3fe0000000000001n, 0x3ff8000000000001n,
  0x4004000000000000n, 0xc004000000000000n,             // ±2.5 (ties)
  0x7fe0000000000000n, 0x1000000000000000n, 0x0360000000000000n, 0x3ca0000000000001n,
].map(D);

export const F32_SPECIAL: number[] = [
  0x00000000, 0x80000000, 0x7f800000, 0xff800000,
  0x7fc00000, 0xffc00000, 0x7fc01234, 0xffe0beef,
  0x7f800001, 0xffa00abc,
  0x00000001, 0x80000001, 0x007fffff, 0x807ffffe, 0x00400000,
  0x00800000, 0x80800000, 0x00800001,
  0x7f7fffff, 0xff7fffff,
  0x3f800000, 0xbf800000, 0x3f800001, 0x3f7fffff,
  0x40000000, 0x3f000000, 0x3fc00000, 0x40400000,
  0x40490fdb, 0x3dcccccd, 0x33000000, 0x33800000,
  0x5f000000, 0xdf000000, 0x4f000000, 0xcf000000, 0x4effffff, 0xcf000001,
  0x40200000, 0xc0200000, 0x7f000000, 0x0d800000, 0x33800001,
];

// A binary64 value: special (40%), random with a moderate exponent (30%), a
// small-exponent or large-exponent one (to reach under/overflow), or raw bits.
export function f64(rng: Rng): bigint {
  const k = rng.int(10);
  if (k < 4) return rng.pick(F64_SPECIAL);
  const sign = rng.int(2) ? 1n << 63n : 0n;
  const mant = rng.u64() & 0xfffffffffffffn;
  if (k < 7) return sign | (BigInt(1023 - 30 + rng.int(60)) << 52n) | mant;
  if (k < 8) return sign | (BigInt(1 + rng.int(60)) << 52n) | mant;
  if (k < 9) return sign | (BigInt(2046 - rng.int(60)) << 52n) | mant;
  return rng.u64();
}

export function f32(rng: Rng): number {
  const k = rng.int(10);
  if (k < 4) return rng.pick(F32_SPECIAL);
  const sign = rng.int(2) ? 0x80000000 : 0;
  const mant = rng.int(1 << 23);
  if (k < 7) return (sign | ((127 - 15 + rng.int(30)) << 23) | mant) >>> 0;
  if (k < 8) return (sign | ((1 + rng.int(25)) << 23) | mant) >>> 0;
  if (k < 9) return (sign | ((254 - rng.int(25)) << 23) | mant) >>> 0;
  return Number(rng.u64() & 0xffffffffn);
}

// 16 bytes of lanes of the given kind.
export function lanes(rng: Rng, kind: "ps" | "pd" | "int"): Uint8Array {
  const out = new Uint8Array(16);
  const dv = new DataView(out.buffer);
  if (kind === "pd") { dv.setBigUint64(0, f64(rng), true); dv.setBigUint64(8, f64(rng), true); }
  else if (kind === "ps") for (let i = 0; i < 4; i++) dv.setUint32(i * 4, f32(rng), true);
  else {
    const k = rng.int(4);
    for (let i = 0; i < 16; i++) out[i] = k === 0 ? rng.pick([0, 0x7f, 0x80, 0xff, 1, 0xfe, 0x81]) : rng.int(256);
  }
  return out;
}

// MXCSR: any rounding mode, FTZ/DAZ, sticky flags clear or set; rarely an unmasked exception.
export function mxcsr(rng: Rng): number {
  let m = 0x1f80;
  m |= rng.int(4) << 13;
  if (rng.int(3) === 0) m |= 0x8000;      // FTZ
  if (rng.int(3) === 0) m |= 0x40;        // DAZ
  if (rng.int(2) === 0) m |= rng.int(64); // sticky flags already set
  if (rng.int(12) === 0) m &= ~(1 << (7 + rng.int(6)));
  return m;
}
