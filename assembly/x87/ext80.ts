// Conversions between binary64 (how this core keeps x87 values) and the
// 80-bit extended format of memory operands, FXSAVE and FSAVE images.
// binary64 -> extended is exact; extended -> binary64 rounds to nearest
// (exact whenever the value is representable in binary64).
import { F64 } from "../sse/fp/format";
import { roundPack } from "../sse/fp/round";

export let extHi: u32 = 0; // sign and exponent (16 bits)
export let extLo: u64 = 0; // significand with explicit integer bit
export function resetExt80(): void { extHi = 0; extLo = 0; }

export function toExt80(v: u64): void {
  const sign: u32 = <u32>(v >> 63) << 15;
  const e = <u32>(v >> 52) & 0x7FF;
  const m = v & 0x000FFFFFFFFFFFFF;
  if (e == 0x7FF) { extHi = sign | 0x7FFF; extLo = 0x8000000000000000 | (m << 11); return; }
  if (e == 0) {
    if (m == 0) { extHi = sign; extLo = 0; return; }
    const lz = <u32>clz(m);                     // denormal double: normal in extended
    extLo = m << <u64>lz;
    extHi = sign | (<u32>(-1074 + 63 - <i32>lz + 16383));
    return;
  }
  extHi = sign | (e - 1023 + 16383);
  extLo = 0x8000000000000000 | (m << 11);
}

export function fromExt80(lo: u64, hi: u32): u64 {
  const sign = (hi >> 15) & 1;
  const e = hi & 0x7FFF;
  const s: u64 = <u64>sign << 63;
  if (e == 0x7FFF) {
    const frac = lo & 0x7FFFFFFFFFFFFFFF;
    if (frac == 0) return s | 0x7FF0000000000000;
    return s | 0x7FF0000000000000 | (frac >> 11) | (((frac >> 11) == 0) ? 1 : 0); // keep it a NaN
  }
  if (lo == 0) return s;
  // value = lo * 2^(e - 16383 - 63); normalize the (possibly unnormal) significand.
  const lz = <i32>clz(lo);
  const sig = lo << <u64>lz;
  const exp = <i32>(e == 0 ? 1 : e) - 16383 - lz;
  return roundPack(sign, exp, (sig >> 1) | (sig & 1), F64);
}
