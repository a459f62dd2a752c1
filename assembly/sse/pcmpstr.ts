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
import { regX, srcVec } from "./operand";
import { dOp, dImm, dRex } from "../exec/operand";
import { gpr, setGpr, xmmAddr, RAX, RCX, RDX } from "../cpu/state";
import { setArith, CF, ZF, SF, OF } from "../cpu/flags";
import { REX_W } from "../decoder/slot";

let words = false;
let signedElems = false;
export function resetPcmpstr(): void { words = false; signedElems = false; }

@inline function elem(p: usize, i: i32): i32 {
  if (words) return signedElems ? <i32>load<i16>(p + (i << 1)) : <i32>load<u16>(p + (i << 1));
  return signedElems ? <i32>load<i8>(p + i) : <i32>load<u8>(p + i);
}

function explicitLen(r: u32, wide: bool, n: i32): i32 {
  const v: i64 = wide ? <i64>gpr(r) : <i64><i32>gpr(r);
  if (v >= <i64>n || v <= -<i64>n) return n;
  return <i32>(v < 0 ? -v : v);
}
function implicitLen(p: usize, n: i32): i32 {
  for (let i = 0; i < n; i++) if (elem(p, i) == 0) return i;
  return n;
}

export function pcmpstr(d: usize): void {
  const src = srcVec(d, 16, false);
  if (src == 0) return;
  const a = regX(d);
  const op = dOp(d) & 0xFF;
  const imm = <u32>dImm(d) & 0xFF;
  words = (imm & 1) != 0;
  signedElems = (imm & 2) != 0;
  const n: i32 = words ? 8 : 16;
  let la: i32, lb: i32;
  if (op <= 0x61) {
    const wide = (dRex(d) & REX_W) != 0;
    la = explicitLen(RAX, wide, n);
    lb = explicitLen(RDX, wide, n);
  } else {
    la = implicitLen(a, n);
    lb = implicitLen(src, n);
  }
  const agg = (imm >> 2) & 3;
  let res: u32 = 0;
  for (let j = 0; j < n; j++) {
    let bit = false;
    if (agg == 0) { // equal any: b[j] is one of a's valid elements
      if (j < lb) for (let i = 0; i < la; i++) if (elem(a, i) == elem(src, j)) { bit = true; break; }
    } else if (agg == 1) { // ranges: a[2k] <= b[j] <= a[2k+1] for a valid pair
      if (j < lb) {
        const v = elem(src, j);
        for (let i = 0; i + 1 < la; i += 2) if (v >= elem(a, i) && v <= elem(a, i + 1)) { bit = true; break; }
      }
    } else if (agg == 2) { // equal each: both valid and equal, or both invalid
      bit = j < la && j < lb ? elem(a, j) == elem(src, j) : j >= la && j >= lb;
    } else { // equal ordered: a (up to its length) matches b from j on, b's end only failing a valid a element
      bit = true;
      for (let k = 0; k < n - j; k++) {
        if (k >= la) break;                 // a invalid: true
        if (j + k >= lb || elem(a, k) != elem(src, j + k)) { bit = false; break; }
      }
    }
    if (bit) res |= 1 << j;
  }
  const all: u32 = (1 << n) - 1;
  const pol = (imm >> 4) & 3;
  if (pol == 1) res ^= all;
  else if (pol == 3) res ^= (1 << lb) - 1;
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
