// SSE4.2 string compares PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM. imm8:
// [1:0] elements (unsigned bytes, unsigned words, signed bytes, signed
// words), [3:2] aggregation (equal any, ranges, equal each, equal ordered),
// [5:4] polarity (+, -, masked +, masked -), [6] the output (the most instead
// of the least significant index; a byte/word mask instead of a bit mask).
// The lengths are explicit (|EAX|, |EDX|, or RAX/RDX with REX.W, saturated to
// the element count) or implicit (up to the first zero element). Elements
// past a length are invalid and force each comparison as the SDM's table
// says. CF: the result is not zero; ZF/SF: the source/first operand is
// shorter than a full register; OF: bit 0 of the result; AF PF: cleared.
//
// Computed on bit masks: element k of the first operand compared with every
// element of the second at once (a WASM SIMD compare and bitmask), so each
// aggregation is a few mask operations per element of the first operand.
import { regX, srcVec } from "./operand";
import { dOp, dImm, dRex } from "../exec/operand";
import { gpr, setGpr, xmmAddr, RAX, RCX, RDX } from "../cpu/state";
import { setArith, CF, ZF, SF, OF } from "../cpu/flags";
import { REX_W } from "../decoder/slot";

function explicitLen(r: u32, wide: bool, n: i32): i32 {
  const v: i64 = wide ? <i64>gpr(r) : <i64><i32>gpr(r);
  if (v >= <i64>n || v <= -<i64>n) return n;
  return <i32>(v < 0 ? -v : v);
}

// The elements of v equal to zero, as a bit mask.
@inline function zeros(v: v128, words: bool): u32 {
  return words ? i16x8.bitmask(i16x8.eq(v, i16x8.splat(0))) : i8x16.bitmask(i8x16.eq(v, i8x16.splat(0)));
}
@inline function implicitLen(v: v128, words: bool, n: i32): i32 {
  const z = zeros(v, words);
  return z == 0 ? n : <i32>ctz(z);
}

// Element k of a, in every lane.
@inline function splatElem(a: v128, k: i32, words: bool): v128 {
  const x = v128.swizzle(a, words ? i8x16.add(i8x16.splat(<i8>(k << 1)), i16x8.splat(0x0100)) : i8x16.splat(<i8>k));
  return x;
}
// The lanes of b equal to x / at least x / at most x, as bit masks.
@inline function eqMask(b: v128, x: v128, words: bool): u32 { return words ? i16x8.bitmask(i16x8.eq(b, x)) : i8x16.bitmask(i8x16.eq(b, x)); }
function geMask(b: v128, x: v128, words: bool, signed: bool): u32 {
  if (words) return i16x8.bitmask(signed ? i16x8.ge_s(b, x) : i16x8.ge_u(b, x));
  return i8x16.bitmask(signed ? i8x16.ge_s(b, x) : i8x16.ge_u(b, x));
}
function leMask(b: v128, x: v128, words: bool, signed: bool): u32 {
  if (words) return i16x8.bitmask(signed ? i16x8.le_s(b, x) : i16x8.le_u(b, x));
  return i8x16.bitmask(signed ? i8x16.le_s(b, x) : i8x16.le_u(b, x));
}

export function pcmpstr(d: usize): void {
  const src = srcVec(d, 16, false);
  if (src == 0) return;
  const a = v128.load(regX(d)), b = v128.load(src);
  const op = dOp(d) & 0xFF;
  const imm = <u32>dImm(d) & 0xFF;
  const words = (imm & 1) != 0;
  const signed = (imm & 2) != 0;
  const n: i32 = words ? 8 : 16;
  const all: u32 = (1 << n) - 1;
  let la: i32, lb: i32;
  if (op <= 0x61) {
    const wide = (dRex(d) & REX_W) != 0;
    la = explicitLen(RAX, wide, n);
    lb = explicitLen(RDX, wide, n);
  } else {
    la = implicitLen(a, words, n);
    lb = implicitLen(b, words, n);
  }
  const validB: u32 = (1 << lb) - 1;
  let res: u32 = 0;
  switch ((imm >> 2) & 3) {
    case 0: // equal any: b[j] is one of a's valid elements
      for (let k = 0; k < la; k++) res |= eqMask(b, splatElem(a, k, words), words);
      res &= validB;
      break;
    case 1: // ranges: a[2k] <= b[j] <= a[2k+1], for the pairs a holds whole
      for (let k = 0; k + 1 < la; k += 2) {
        res |= geMask(b, splatElem(a, k, words), words, signed) & leMask(b, splatElem(a, k + 1, words), words, signed);
      }
      res &= validB;
      break;
    case 2: { // equal each: both valid and equal, or both invalid
      const validA: u32 = (1 << la) - 1;
      res = (eqMask(b, a, words) & validA & validB) | (all & ~validA & ~validB);
      break;
    }
    default: // equal ordered: a's valid elements match b from j on; past b's end only a's end matches
      res = all;
      for (let k = 0; k < la; k++) {
        // bit j: a[k] == b[j + k] with j + k valid; and true where j + k runs past the register
        const m = ((eqMask(b, splatElem(a, k, words), words) & validB) >> k) | (all & ~(all >> k));
        res &= m;
      }
  }
  const pol = (imm >> 4) & 3;
  if (pol == 1) res ^= all;
  else if (pol == 3) res ^= validB;
  if ((op & 1) != 0) { // PCMPxSTRI: an index in ECX
    let idx: u32 = <u32>n;
    if (res != 0) idx = (imm & 0x40) != 0 ? 31 - clz(res) : ctz(res);
    setGpr(RCX, <u64>idx);
  } else {             // PCMPxSTRM: a mask in XMM0
    const x0 = xmmAddr(0);
    if ((imm & 0x40) == 0) { store<u64>(x0, <u64>res); store<u64>(x0, 0, 8); }
    else if (words) for (let i = 0; i < 8; i++) store<u16>(x0 + (i << 1), (res & (1 << i)) != 0 ? 0xFFFF : 0);
    else for (let i = 0; i < 16; i++) store<u8>(x0 + i, (res & (1 << i)) != 0 ? 0xFF : 0);
  }
  let f: u64 = 0;
  if (res != 0) f |= CF;
  if (lb < n) f |= ZF;
  if (la < n) f |= SF;
  if ((res & 1) != 0) f |= OF;
  setArith(f);
}
