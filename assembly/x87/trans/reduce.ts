// Argument reduction for FSIN/FCOS/FSINCOS/FPTAN as the host does it: by
// pi/2 rounded to 66 bits (P = K * 2^-65, K = 0x3243F6A8885A308D3), not by
// the true pi/2. |x| = q * P + r with q = round(|x| / P) and r = |x| - q*P
// computed exactly (a long division of the 64-bit significand by K), so
// |r| <= P/2. Near multiples of pi/2 the results therefore differ from the
// true function, exactly as on the hardware (Intel documents the same
// 66-bit constant).
import { wSet } from "./wide";

const K_HI: u64 = 0x3;
const K_LO: u64 = 0x243F6A8885A308D3;

export let redQ: u32 = 0; // quadrant (q mod 4)
export function resetReduce(): void { redQ = 0; }

// Slot d = r for |x| = sig * 2^(e-63) (sig normalized, e <= 62); sets redQ.
export function reduceHalfPi(d: u32, e: i32, sig: u64): void {
  if (e < -2) { wSet(d, 0, e, sig, 0); redQ = 0; return; } // |x| < 1/4
  // N = sig * 2^(e+2); |x| = N * 2^-65. Divide N by K bit by bit.
  let rh: u64 = 0, rl: u64 = 0, q: u64 = 0;
  const n = 64 + e + 2;
  for (let i = 0; i < n; i++) {
    const bit: u64 = i < 64 ? (sig >> <u64>(63 - i)) & 1 : 0;
    rh = (rh << 1) | (rl >> 63); rl = (rl << 1) | bit;
    q <<= 1;
    if (rh > K_HI || (rh == K_HI && rl >= K_LO)) {
      const bor: u64 = rl < K_LO ? 1 : 0;
      rl -= K_LO; rh = rh - K_HI - bor;
      q |= 1;
    }
  }
  // round the quotient to nearest: 2*rem > K
  let neg: u32 = 0;
  const th = (rh << 1) | (rl >> 63), tl = rl << 1;
  if (th > K_HI || (th == K_HI && tl > K_LO)) {
    // r = rem - K (negative): |r| = K - rem
    const bor: u64 = K_LO < rl ? 1 : 0;
    rl = K_LO - rl; rh = K_HI - rh - bor;
    q += 1; neg = 1;
  }
  redQ = <u32>q & 3;
  wSet(d, neg, 127 - 65, rh, rl); // r = rem * 2^-65
}
