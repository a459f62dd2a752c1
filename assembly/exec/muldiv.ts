// MUL/IMUL/DIV/IDIV. Wide products and 128/64 division are built from 64-bit
// pieces. #DE (division by zero or a quotient that does not fit) leaves every
// register untouched.
import { setKeep, sizeMask, signBit, sext, CF, OF, SF, ZF, AF, PF } from "../cpu/flags";
import { gpr, setGpr, raise, RAX, RDX } from "../cpu/state";
import { EXIT_DIVIDE_ERROR } from "../cpu/exits";

// High 64 bits of the unsigned 128-bit product a*b.
export function mulhu(a: u64, b: u64): u64 {
  const a0 = a & 0xFFFFFFFF, a1 = a >> 32, b0 = b & 0xFFFFFFFF, b1 = b >> 32;
  const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);
  return p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}
// High 64 bits of the signed 128-bit product.
export function mulhs(a: u64, b: u64): u64 {
  let h = mulhu(a, b);
  if (<i64>a < 0) h -= b;
  if (<i64>b < 0) h -= a;
  return h;
}

// Flags of a multiply: CF = OF = overflow. SF/ZF/AF/PF are undefined by the
// SDM; AMD Zen keeps their old values, and so do we.
@inline function mulFlags(size: u32, lo: u64, overflow: bool): void {
  setKeep(SF | ZF | AF | PF, overflow ? (CF | OF) : 0);
}
// Flags of a division (all undefined by the SDM): AMD Zen keeps CF and OF,
// sets AF and clears SF, ZF and PF.
@inline function divFlags(): void {
  setKeep(CF | OF, AF);
}

// One-operand MUL (signed = false) / IMUL: rDX:rAX = rAX * src.
export function mul1(size: u32, src: u64, signed: bool): void {
  const a = gpr(RAX);
  if (size == 1) {
    const a8 = a & 0xFF;
    let p: u64;
    let ovf: bool;
    if (signed) { p = <u64>(sext(a8, 1) * sext(src, 1)) & 0xFFFF; ovf = sext(p, 2) != sext(p & 0xFF, 1); }
    else { p = a8 * src; ovf = (p >> 8) != 0; }
    setGpr(RAX, (a & ~<u64>0xFFFF) | p);
    mulFlags(1, p & 0xFF, ovf);
    return;
  }
  if (size == 8) {
    const lo = a * src;
    const small = signed ? ((a + 0x80000000) | (src + 0x80000000)) >> 32 == 0 : (a | src) >> 32 == 0;
    const hi = small ? (signed ? <u64>(<i64>lo >> 63) : 0) : signed ? mulhs(a, src) : mulhu(a, src);
    setGpr(RAX, lo); setGpr(RDX, hi);
    mulFlags(8, lo, signed ? hi != <u64>(<i64>lo >> 63) : hi != 0);
    return;
  }
  const bits: u64 = <u64>size << 3;
  const m = sizeMask(size);
  let p: u64, ovf: bool;
  if (signed) {
    p = <u64>(sext(a & m, size) * sext(src, size));
    ovf = <i64>p != sext(p & m, size);
  } else {
    p = (a & m) * src;
    ovf = (p >> bits) != 0;
  }
  const lo = p & m, hi = (p >> bits) & m;
  if (size == 4) { setGpr(RAX, lo); setGpr(RDX, hi); }
  else { setGpr(RAX, (a & ~m) | lo); setGpr(RDX, (gpr(RDX) & ~m) | hi); }
  mulFlags(size, lo, ovf);
}

// Two/three-operand IMUL: returns the truncated product and sets flags.
@inline export function imul2(size: u32, a: u64, b: u64): u64 {
  const m = sizeMask(size);
  let lo: u64, ovf: bool;
  if (size == 8) {
    lo = a * b;
    // both factors in i32 range (the common case): the product cannot overflow
    ovf = ((a + 0x80000000) | (b + 0x80000000)) >> 32 != 0 && mulhs(a, b) != <u64>(<i64>lo >> 63);
  } else {
    const p = sext(a, size) * sext(b, size);
    lo = <u64>p & m;
    ovf = p != sext(lo, size);
  }
  mulFlags(size, lo, ovf);
  return lo;
}

// Unsigned 128/64 division of hi:lo by v (hi < v): quotient, remainder in divRem.
let divRem: u64 = 0;
export function resetMulDiv(): void { divRem = 0; }
function udiv128(hi: u64, lo: u64, v: u64): u64 {
  if (hi == 0) { const q = lo / v; divRem = lo - q * v; return q; }
  let q: u64 = 0, r = hi;
  for (let i = 63; i >= 0; i--) {
    const top = r >> 63;
    r = (r << 1) | ((lo >> <u64>i) & 1);
    q <<= 1;
    if (top != 0 || r >= v) { r -= v; q |= 1; }
  }
  divRem = r;
  return q;
}

// DIV (signed = false) / IDIV by src.
export function div1(size: u32, src: u64, signed: bool): void {
  if (src == 0) { raise(EXIT_DIVIDE_ERROR, 0, 0); return; }
  const a = gpr(RAX);
  if (size == 8) {
    const hi = gpr(RDX);
    if (!signed) {
      if (hi >= src) { raise(EXIT_DIVIDE_ERROR, 0, 0); return; }
      const q = udiv128(hi, a, src);
      setGpr(RAX, q); setGpr(RDX, divRem);
      divFlags();
      return;
    }
    // signed: divide magnitudes
    const neg = <i64>hi < 0;
    let nlo = a, nhi = hi;
    if (neg) { nlo = ~a + 1; nhi = ~hi + (nlo == 0 ? 1 : 0); }
    const dneg = <i64>src < 0;
    const dv: u64 = dneg ? (~src + 1) : src;
    if (nhi >= dv) { raise(EXIT_DIVIDE_ERROR, 0, 0); return; }
    const q = udiv128(nhi, nlo, dv);
    const qneg = neg != dneg;
    if (qneg ? q > 0x8000000000000000 : q > 0x7FFFFFFFFFFFFFFF) { raise(EXIT_DIVIDE_ERROR, 0, 0); return; }
    setGpr(RAX, qneg ? ~q + 1 : q);
    setGpr(RDX, neg ? ~divRem + 1 : divRem);
    divFlags();
    return;
  }
  const bits: u64 = <u64>size << 3;
  const m = sizeMask(size);
  // dividend: AX for bytes, else rDX:rAX
  const dividend: u64 = size == 1 ? a & 0xFFFF : ((gpr(RDX) & m) << bits) | (a & m);
  let q: u64, r: u64;
  if (!signed) {
    q = dividend / src; r = dividend % src;
    if (q > m) { raise(EXIT_DIVIDE_ERROR, 0, 0); return; }
  } else {
    const n = sext(dividend, size << 1);
    const dd = sext(src, size);
    if (dd == -1 && n == i64.MIN_VALUE) { raise(EXIT_DIVIDE_ERROR, 0, 0); return; } // WASM would trap
    const sq = n / dd, sr = n % dd;
    if (sq > <i64>(signBit(size) - 1) || sq < -<i64>signBit(size)) { raise(EXIT_DIVIDE_ERROR, 0, 0); return; }
    q = <u64>sq & m; r = <u64>sr & m;
  }
  if (size == 1) setGpr(RAX, (a & ~<u64>0xFFFF) | (r << 8) | q);
  else if (size == 4) { setGpr(RAX, q); setGpr(RDX, r); }
  else { setGpr(RAX, (a & ~m) | q); setGpr(RDX, (gpr(RDX) & ~m) | r); }
  divFlags();
}
