// x87 floating point (D8-DF escapes): the subset static glibc and gcc output
// use — loads/stores of m32/m64/m80 and integers, arithmetic, compares
// (FCOM/FUCOM/FCOMI/FUCOMI and their pops), FXCH, FCHS/FABS, constants,
// FXAM/FTST, FRNDINT/FSCALE/FSQRT/FPREM/FPREM1/FXTRACT, FCMOVcc, control and
// environment (FNSTCW/FLDCW/FNSTSW/FNSTENV/FLDENV/FNSAVE/FRSTOR/FNINIT/FNCLEX).
//
// Precision limit: registers hold binary64, not the 80-bit extended format.
// Every result is rounded to 53 bits (with the control word's rounding mode;
// precision control is ignored) and to binary64's exponent range; m80 loads
// round to binary64 (exact when representable), m80 stores are exact. So code
// that relies on the 64-bit significand (long double) gets double results.
// Not implemented (EXIT_UNIMPLEMENTED): the transcendentals F2XM1 FYL2X
// FYL2XP1 FPTAN FPATAN FSIN FCOS FSINCOS, and FBLD/FBSTP. FISTTP (SSE3) is #UD.
import { raiseOpcode, exc, setGpr, gpr, RAX } from "../cpu/state";
import { EXIT_UNIMPLEMENTED, EXIT_INVALID_OPCODE } from "../cpu/exits";
import { dExt, dIsMem, dRm, ea, dPfx } from "../exec/operand";
import { read16, read32, read64, write16, write32, write64, probeWrite } from "../mmu/access";
import { setArith, cond, CF, ZF, PF } from "../cpu/flags";
import { F32, F64, isSNaN, isNaN, isDenormal, quiet, defaultNaN } from "../sse/fp/format";
import { fpRaise, fpRc, FE_INVALID, FE_DENORMAL, FE_INEXACT, FE_DIVZERO, RC_NEAR, RC_DOWN, RC_UP, setRoundedUp } from "../sse/fp/env";
import { fadd, fmul, fdiv, fsqrt, propagateNaN } from "../sse/fp/arith";
import { fcompare, CMP_LT, CMP_EQ, CMP_UN } from "../sse/fp/compare";
import { fconvert, fromInt, toInt } from "../sse/fp/convert";
import { unpackA, unpackB, aCls, aSign, aExp, aSig, bCls, bSign, bExp, bSig, CL_ZERO, CL_INF, CL_FINITE, CL_SNAN, isNaNCls } from "../sse/fp/unpack";
import { roundPack } from "../sse/fp/round";
import {
  st, setSt, isEmpty, push, pop, phys, tagOf, setTag, fpuCw, setFpuCw, fpuSw, setFpuSw, fpuTw, setFpuTw, fpuTop, setFpuTop,
  fninit, physValue, setPhys, tagFor, TAG_EMPTY,
} from "./stack";
import { x87Begin, x87Commit, stackFault, pendingFault, clearExceptions, setCc, setMemDenormal, noteEmptyRead, clearMemDenormal, updateErrorSummary } from "./env";
import { toExt80, fromExt80, extHi, extLo } from "./ext80";
import { fnstenv, fldenv, fnsave, frstor } from "./env-image";

const INDEF: u64 = 0xFFF8000000000000; // QNaN floating-point indefinite

@inline function ud(op: u32): void { raiseOpcode(EXIT_INVALID_OPCODE, op); }
@inline function unimplemented(op: u32): void { raiseOpcode(EXIT_UNIMPLEMENTED, op); }

// Read ST(i), or report a stack underflow (then masked IE gives the indefinite).
let underflowed = false;
export function resetX87(): void { underflowed = false; }
function get(i: u32): u64 {
  if (isEmpty(i)) { underflowed = true; noteEmptyRead(); return INDEF; }
  return st(i);
}
// After an operation that read registers: a masked underflow still writes the
// indefinite; an unmasked one writes nothing.
function underflowMasked(): bool {
  if (!underflowed) return true;
  stackFault(false);
  return (fpuCw() & 1) != 0;
}

function pushValue(v: u64): void {
  if (!isEmpty(7)) {
    stackFault(true);
    if ((fpuCw() & 1) == 0) return;
    v = INDEF;
  }
  push(v);
}

// x87's NaN choice (unlike SSE's "first operand"): a QNaN beats an SNaN, and
// between two of a kind the larger significand wins (the positive one on a tie).
function x87NaN(a: u64, b: u64): u64 {
  const an = isNaN(a, F64), bn = isNaN(b, F64);
  if (isSNaN(a, F64) || isSNaN(b, F64)) fpRaise(FE_INVALID);
  if (an && bn) {
    const as = isSNaN(a, F64), bs = isSNaN(b, F64);
    if (as != bs) return as ? b : a;
    const fa = a & 0x000FFFFFFFFFFFFF, fb = b & 0x000FFFFFFFFFFFFF;
    if (fa != fb) return quiet(fa > fb ? a : b, F64);
    return quiet((a >> 63) == 0 ? a : b, F64);
  }
  return quiet(an ? a : b, F64);
}
@inline function eitherNaN(a: u64, b: u64): bool { return isNaN(a, F64) || isNaN(b, F64); }

// binary64 arithmetic: 0 add 1 mul 4 sub 5 subr 6 div 7 divr (the /reg numbering).
function arith(kind: u32, a: u64, b: u64): u64 {
  if (eitherNaN(a, b)) { clearMemDenormal(); return x87NaN(a, b); }
  switch (kind) {
    case 0: return fadd(a, b, F64, false);
    case 1: return fmul(a, b, F64);
    case 4: return fadd(a, b, F64, true);
    case 5: return fadd(b, a, F64, true);
    case 6: return fdiv(a, b, F64);
    default: return fdiv(b, a, F64);
  }
}

// Memory operand as binary64: m32/m64 reals (SNaN quieted with IE, denormal DE), integers exact or rounded.
// (x87 register values are extended-precision numbers, where a binary64
// denormal is normal: DE only comes from memory operands, see x87Commit.)
// keepSNaN: an arithmetic operand keeps its signaling bit for x87NaN to judge.
function loadReal(a: u64, size: u32, keepSNaN: bool = false): u64 {
  if (size == 4) {
    const v = <u64>read32(a);
    if (isDenormal(v, F32)) setMemDenormal();
    if (keepSNaN && isSNaN(v, F32)) return ((v & 0x80000000) << 32) | 0x7FF0000000000000 | ((v & 0x7FFFFF) << 29);
    return fconvert(v, F32, F64);
  }
  const v = read64(a);
  if (isSNaN(v, F64) && !keepSNaN) { fpRaise(FE_INVALID); return quiet(v, F64); }
  if (isDenormal(v, F64)) setMemDenormal();
  return v;
}
function loadInt(a: u64, size: u32): u64 {
  let x: i64;
  if (size == 2) x = <i64><i16>read16(a);
  else if (size == 4) x = <i64><i32>read32(a);
  else x = <i64>read64(a);
  return fromInt(x, F64);
}

// Compare ST(0) with b and set C3 C2 C0 (FCOM family) or ZF PF CF (FCOMI family).
function compare(a: u64, b: u64, signaling: bool, toEflags: bool): void {
  if (eitherNaN(a, b)) clearMemDenormal();
  const c = fcompare(a, b, F64, signaling);
  if (toEflags) setArith(c == CMP_UN ? ZF | PF | CF : (c == CMP_LT ? CF : (c == CMP_EQ ? ZF : 0)));
  else setCc(c == CMP_LT || c == CMP_UN ? 1 : 0, 0, c == CMP_UN ? 1 : 0, c == CMP_EQ || c == CMP_UN ? 1 : 0);
}


export function fwait(): void { pendingFault(); }

export function execX87(d: usize, op: u32): void {
  const ext = dExt(d);
  const mem = dIsMem(d);
  const modrm = load<u8>(d + 5);
  // Control instructions that do not wait: FNSTENV FNSTCW FNSTSW FNCLEX FNINIT FNSAVE (and FLDCW/FLDENV/FRSTOR load state).
  const noWait = mem
    ? ((op == 0xD9 && ext >= 4) || (op == 0xDD && (ext == 4 || ext == 6 || ext == 7)))
    : ((op == 0xDB && (modrm == 0xE2 || modrm == 0xE3)) || (op == 0xDF && modrm == 0xE0));
  if (!noWait && pendingFault()) return;
  x87Begin();
  underflowed = false;
  if (mem) execMem(d, op, ext);
  else execReg(d, op, ext, dRm(d) & 7, modrm);
}

function execMem(d: usize, op: u32, ext: u32): void {
  const a = ea(d);
  switch (op) {
    case 0xD8: case 0xDC: case 0xDA: case 0xDE: {
      const b = op == 0xD8 ? loadReal(a, 4, true) : op == 0xDC ? loadReal(a, 8, true) : loadInt(a, op == 0xDA ? 4 : 2);
      if (exc != 0) return;
      const x = get(0);
      if (ext == 2 || ext == 3) {
        compare(x, b, true, false);
        if (!underflowMasked()) return;
        x87Commit(0);
        if (ext == 3) pop();
        return;
      }
      const r = arith(ext, x, b);
      if (!underflowMasked()) return;
      setSt(0, underflowed ? INDEF : r);
      x87Commit(0);
      return;
    }
    case 0xD9:
      switch (ext) {
        case 0: { const v = loadReal(a, 4); if (exc != 0) return; pushValue(v); x87Commit(0); return; }
        case 2: case 3: {
          const x = get(0);
          if (!underflowMasked()) return;
          const v = fconvert(x, F64, F32);
          write32(a, <u32>v);
          if (exc != 0) return;
          x87Commit(0);
          if (ext == 3) pop();
          return;
        }
        case 4: fldenv(a); return;
        case 5: { const v = read16(a); if (exc == 0) { setFpuCw(v); updateErrorSummary(); } return; }
        case 6: fnstenv(a); return;
        case 7: write16(a, fpuCw()); return;
      }
      ud(0xD9); return;
    case 0xDB:
      switch (ext) {
        case 0: { const v = loadInt(a, 4); if (exc != 0) return; pushValue(v); x87Commit(0); return; }
        case 2: case 3: storeInt(a, 4, ext == 3); return;
        case 5: {
          const lo = read64(a), hi = read16(a + 8);
          if (exc != 0) return;
          const v = fromExt80(lo, hi);
          x87Begin(); // the narrowing to binary64 is this core's, not an x87 exception
          pushValue(v);
          x87Commit(0);
          return;
        }
        case 7: {
          const x = get(0);
          if (!underflowMasked()) return;
          toExt80(x);
          if (!probeWrite(a, 10)) return;
          write64(a, extLo); write16(a + 8, extHi);
          pop();
          return;
        }
      }
      ud(0xDB); return; // includes FISTTP (SSE3)
    case 0xDD:
      switch (ext) {
        case 0: { const v = loadReal(a, 8); if (exc != 0) return; pushValue(v); x87Commit(0); return; }
        case 2: case 3: {
          let x = get(0);
          if (!underflowMasked()) return;
          if (isSNaN(x, F64)) { fpRaise(FE_INVALID); x = quiet(x, F64); }
          write64(a, x);
          if (exc != 0) return;
          x87Commit(0);
          if (ext == 3) pop();
          return;
        }
        case 4: frstor(a); return;
        case 6: fnsave(a); return;
        case 7: write16(a, fpuSw()); return;
      }
      ud(0xDD); return;
    case 0xDF:
      switch (ext) {
        case 0: case 5: { const v = loadInt(a, ext == 0 ? 2 : 8); if (exc != 0) return; pushValue(v); x87Commit(0); return; }
        case 2: case 3: storeInt(a, 2, ext == 3); return;
        case 7: storeInt(a, 8, true); return;
        case 4: case 6: unimplemented(0xDF); return; // FBLD / FBSTP
      }
      ud(0xDF); return;
  }
}

// FIST/FISTP m16/m32/m64 with the control word's rounding.
function storeInt(a: u64, size: u32, doPop: bool): void {
  const x = get(0);
  if (!underflowMasked()) return;
  let v: u64;
  if (size == 2) {
    const r = toInt(x, F64, 32, false);
    const s = <i32><u32>r;
    if ((fpFlagsInvalid() || s < -32768 || s > 32767)) { clearInexact(); fpRaise(FE_INVALID); setRoundedUp(false); v = 0x8000; }
    else v = <u64>(<u32>s & 0xFFFF);
  } else v = toInt(x, F64, size == 8 ? 64 : 32, false);
  if ((fpuCw() & 1) == 0 && fpFlagsInvalid()) { x87Commit(0); return; }
  if (size == 2) write16(a, <u32>v); else if (size == 4) write32(a, <u32>v); else write64(a, v);
  if (exc != 0) return;
  x87Commit(0);
  if (doPop) pop();
}

import { fpFlags, clearFpFlags } from "../sse/fp/env";
@inline function fpFlagsInvalid(): bool { return (fpFlags & FE_INVALID) != 0; }
function clearInexact(): void { const f = fpFlags & ~FE_INEXACT; clearFpFlags(); fpRaise(f); }

function execReg(d: usize, op: u32, ext: u32, i: u32, modrm: u32): void {
  switch (op) {
    case 0xD8: {
      const x = get(0), y = get(i);
      if (ext == 2 || ext == 3) {
        compare(x, y, true, false);
        if (!underflowMasked()) return;
        x87Commit(0);
        if (ext == 3) pop();
        return;
      }
      const r = arith(ext, x, y);
      if (!underflowMasked()) return;
      setSt(0, underflowed ? INDEF : r);
      x87Commit(0);
      return;
    }
    case 0xDC: case 0xDE: {
      // ST(i) = ST(i) op ST(0); note the SUB/SUBR and DIV/DIVR swap of this form.
      if (op == 0xDE && ext == 3) {
        if (modrm != 0xD9) { ud(op); return; }
        const x = get(0), y = get(1);
        compare(x, y, true, false);
        if (!underflowMasked()) return;
        x87Commit(0); pop(); pop();
        return;
      }
      if (ext == 2 || ext == 3) {
        if (op == 0xDE) { ud(op); return; }
        // DC D0/D8 aliases of FCOM/FCOMP
        const x = get(0), y = get(i);
        compare(x, y, true, false);
        if (!underflowMasked()) return;
        x87Commit(0);
        if (ext == 3) pop();
        return;
      }
      const y = get(i), x = get(0);
      let kind = ext;
      if (ext == 4) kind = 5; else if (ext == 5) kind = 4; else if (ext == 6) kind = 7; else if (ext == 7) kind = 6;
      const r = arith(kind, y, x);
      if (!underflowMasked()) return;
      setSt(i, underflowed ? INDEF : r);
      x87Commit(0);
      if (op == 0xDE) pop();
      return;
    }
    case 0xD9: execD9(modrm, i); return;
    case 0xDA:
      if (ext < 4) { fcmov(ext, false, i); return; }
      if (modrm == 0xE9) { // FUCOMPP
        const x = get(0), y = get(1);
        compare(x, y, false, false);
        if (!underflowMasked()) return;
        x87Commit(0); pop(); pop();
        return;
      }
      ud(op); return;
    case 0xDB:
      if (ext < 4) { fcmov(ext, true, i); return; }
      if (modrm == 0xE2) { clearExceptions(); return; }
      if (modrm == 0xE3) { fninit(); return; }
      if (modrm == 0xE0 || modrm == 0xE1 || modrm == 0xE4) return; // FENI/FDISI/FSETPM: no-ops
      if (ext == 5 || ext == 6) { fcomi(i, ext == 6, false); return; }
      ud(op); return;
    case 0xDD:
      switch (ext) {
        case 0: setTag(phys(i), TAG_EMPTY); return;           // FFREE
        case 2: case 3: {                                     // FST/FSTP ST(i)
          const x = get(0);
          if (!underflowMasked()) return;
          setSt(i, x);
          if (ext == 3) pop();
          return;
        }
        case 4: case 5: {                                     // FUCOM/FUCOMP
          const x = get(0), y = get(i);
          compare(x, y, false, false);
          if (!underflowMasked()) return;
          x87Commit(0);
          if (ext == 5) pop();
          return;
        }
      }
      ud(op); return;
    case 0xDF:
      if (modrm == 0xE0) { setGpr(RAX, (gpr(RAX) & ~<u64>0xFFFF) | <u64>fpuSw()); return; }
      if (ext == 0) { setTag(phys(i), TAG_EMPTY); pop(); return; } // FFREEP
      if (ext == 5 || ext == 6) { fcomi(i, ext == 6, true); return; }
      ud(op); return;
  }
}

function fcomi(i: u32, signaling: bool, doPop: bool): void {
  const x = get(0), y = get(i);
  compare(x, y, signaling, true);
  if (!underflowMasked()) return;
  x87Commit(0);
  if (doPop) pop();
}

// FCMOVcc: B E BE U (DA), NB NE NBE NU (DB)
function fcmov(ext: u32, negate: bool, i: u32): void {
  const cc: u32 = ext == 0 ? 2 : ext == 1 ? 4 : ext == 2 ? 6 : 10; // B, E, BE, P in Jcc numbering
  get(0);
  const y = get(i);
  if (!underflowMasked()) return;
  if (underflowed) { setSt(0, INDEF); return; } // either operand empty: the indefinite, whatever the condition
  if (cond(cc | (negate ? 1 : 0))) setSt(0, y);
  clearC1();
}

function execD9(modrm: u32, i: u32): void {
  if (modrm < 0xC8) { const v = get(i); if (!underflowMasked()) return; pushValue(v); return; } // FLD ST(i)
  if (modrm < 0xD0) { // FXCH
    const x = get(0), y = get(i);
    if (!underflowMasked()) return;
    setSt(0, y); setSt(i, x);
    clearC1();
    return;
  }
  switch (modrm) {
    case 0xD0: return; // FNOP
    case 0xE0: case 0xE1: { // FCHS FABS
      const x = get(0);
      if (!underflowMasked()) return;
      setSt(0, underflowed ? INDEF : (modrm == 0xE0 ? x ^ 0x8000000000000000 : x & 0x7FFFFFFFFFFFFFFF));
      clearC1();
      return;
    }
    case 0xE4: { // FTST
      const x = get(0);
      compare(x, 0, true, false);
      if (!underflowMasked()) return;
      x87Commit(0);
      return;
    }
    case 0xE5: fxam(); return;
    case 0xE8: pushValue(0x3FF0000000000000); return;              // FLD1
    case 0xE9: pushValue(constant(0x400A934F0979A371, 0x400A934F0979A372)); return; // L2T
    case 0xEA: pushValue(constant(0x3FF71547652B82FE, 0x3FF71547652B82FF)); return; // L2E
    case 0xEB: pushValue(constant(0x400921FB54442D18, 0x400921FB54442D19)); return; // PI
    case 0xEC: pushValue(constant(0x3FD34413509F79FF, 0x3FD34413509F79FF)); return; // LG2
    case 0xED: pushValue(constant(0x3FE62E42FEFA39EF, 0x3FE62E42FEFA39F0)); return; // LN2
    case 0xEE: pushValue(0); return;                               // FLDZ
    case 0xF4: fxtract(); return;
    case 0xF5: fprem(true); return;
    case 0xF6: setFpuTop(fpuTop() - 1); clearC1(); return;         // FDECSTP
    case 0xF7: setFpuTop(fpuTop() + 1); clearC1(); return;         // FINCSTP
    case 0xF8: fprem(false); return;
    case 0xFA: {                                                   // FSQRT
      const x = get(0);
      const r = fsqrt(x, F64);
      if (!underflowMasked()) return;
      setSt(0, underflowed ? INDEF : r);
      x87Commit(0);
      return;
    }
    case 0xFC: frndint(); return;
    case 0xFD: fscale(); return;
    case 0xF0: case 0xF1: case 0xF2: case 0xF3: case 0xF9: case 0xFB: case 0xFE: case 0xFF:
      unimplemented(0xD9); return; // transcendentals
  }
  ud(0xD9);
}

function clearC1(): void { setFpuSw(fpuSw() & ~0x200); }

// The 64-bit-significand constants, rounded to binary64 by the rounding mode
// (lo = rounded down, hi = rounded up; the nearest is lo except where noted).
function constant(lo: u64, hi: u64): u64 {
  if (fpRc == RC_UP) return hi;
  if (fpRc == RC_NEAR) return nearestConst(lo, hi);
  return lo;
}
function nearestConst(lo: u64, hi: u64): u64 {
  // pi, e-based and log constants: nearest binary64 values
  if (lo == 0x400A934F0979A371) return 0x400A934F0979A371; // log2(10)
  if (lo == 0x3FF71547652B82FE) return 0x3FF71547652B82FE; // log2(e)
  if (lo == 0x400921FB54442D18) return 0x400921FB54442D18; // pi
  if (lo == 0x3FE62E42FEFA39EF) return 0x3FE62E42FEFA39EF; // ln 2
  return lo;
}

function fxam(): void {
  const p = phys(0);
  const x = physValue(p);
  const sign: u32 = <u32>(x >> 63);
  if (tagOf(p) == TAG_EMPTY) { setCc(1, 0, 0, 1); return; } // (the host reports C1 = 0 for empty)
  const e = <u32>(x >> 52) & 0x7FF;
  const m = x & 0x000FFFFFFFFFFFFF;
  if (e == 0x7FF) { if (m != 0) setCc(1, sign, 0, 0); else setCc(1, sign, 1, 0); return; }
  if (e == 0 && m == 0) { setCc(0, sign, 0, 1); return; }
  setCc(0, sign, 1, 0); // normal (binary64 denormals are normal in extended format)
}

function frndint(): void {
  const x = get(0);
  if (!underflowMasked()) return;
  let r = x;
  const e = <u32>(x >> 52) & 0x7FF;
  if (e == 0x7FF) { if (isSNaN(x, F64)) { fpRaise(FE_INVALID); r = quiet(x, F64); } }
  else if (e < 1075) {
    const f = reinterpret<f64>(x);
    let y: f64;
    if (fpRc == RC_NEAR) y = nearest(f); else if (fpRc == RC_DOWN) y = floor(f); else if (fpRc == RC_UP) y = ceil(f); else y = trunc(f);
    r = reinterpret<u64>(y);
    if (y != f) { fpRaise(FE_INEXACT); setRoundedUp(abs(y) > abs(f)); }
  }
  setSt(0, underflowed ? INDEF : r);
  x87Commit(0);
}

// FSCALE: ST0 * 2^trunc(ST1)
function fscale(): void {
  const x = get(0), y = get(1);
  if (!underflowMasked()) return;
  unpackA(x, F64); unpackB(y, F64);
  let r: u64;
  if (isNaNCls(aCls) || isNaNCls(bCls)) r = x87NaN(x, y);
  else if (bCls == CL_INF) {
    if (bSign == 0) r = aCls == CL_ZERO ? (fpRaise(FE_INVALID), INDEF) : (x & 0x8000000000000000) | 0x7FF0000000000000;
    else r = aCls == CL_INF ? (fpRaise(FE_INVALID), INDEF) : x & 0x8000000000000000;
  } else if (aCls != CL_FINITE) r = x;
  else {
    let n: i64 = 0;
    if (bCls == CL_FINITE) {
      if (bExp >= 20) n = bSign != 0 ? -(1 << 20) : (1 << 20);
      else if (bExp >= 0) { n = <i64>(bSig >> <u64>(62 - bExp)); if (bSign != 0) n = -n; }
    }
    r = roundPack(aSign, aExp + <i32>n, aSig, F64);
  }
  setSt(0, underflowed ? INDEF : r);
  x87Commit(0);
}

// FXTRACT: ST0 -> significand (ST0) and exponent (ST1).
function fxtract(): void {
  const x = get(0);
  if (!underflowMasked()) return;
  unpackA(x, F64);
  let sig: u64, ex: u64;
  if (isNaNCls(aCls)) { if (aCls == CL_SNAN) fpRaise(FE_INVALID); sig = quiet(x, F64); ex = sig; }
  else if (aCls == CL_ZERO) { fpRaise(FE_DIVZERO); ex = 0xFFF0000000000000; sig = x; }
  else if (aCls == CL_INF) { ex = 0x7FF0000000000000; sig = x; }
  else { sig = (<u64>aSign << 63) | 0x3FF0000000000000 | ((aSig >> 10) & 0x000FFFFFFFFFFFFF); ex = reinterpret<u64>(<f64>aExp); }
  setSt(0, ex);
  pushValue(sig);
  x87Commit(0);
}

// FPREM (truncated quotient) / FPREM1 (nearest): exact when the exponents
// differ by less than 64; otherwise a partial step with C2 = 1.
function fprem(ieee: bool): void {
  const x = get(0), y = get(1);
  if (!underflowMasked()) return;
  unpackA(x, F64); unpackB(y, F64);
  let r: u64 = x;
  let q: u64 = 0, partial = false;
  if (isNaNCls(aCls) || isNaNCls(bCls)) r = x87NaN(x, y);
  else if (aCls == CL_INF || bCls == CL_ZERO) { fpRaise(FE_INVALID); r = INDEF; }
  else if (aCls == CL_ZERO || bCls == CL_INF) r = x;
  else {
    let d = aExp - bExp;
    if (d >= 64) {
      // Reduce by 32..63 bits, as the hardware's partial remainder does.
      partial = true;
      const n = 32 + ((d - 32) & 31);
      d = n;
    }
    if (d < 0) {
      if (ieee && d == -1 && aSig > bSig) { r = fadd(x, (y & 0x7FFFFFFFFFFFFFFF) | (x & 0x8000000000000000), F64, true); q = 1; }
    } else {
      // remainder of (aSig * 2^d) / bSig, keeping the quotient's low bits
      let rem = aSig;
      for (let k = 0; k <= d; k++) {
        q <<= 1;
        if (rem >= bSig) { rem -= bSig; q |= 1; }
        if (k < d) rem <<= 1;
      }
      let sign = aSign;
      if (ieee && !partial) {
        // round the quotient to nearest: compare 2*rem with bSig
        const twice = rem << 1;
        if (twice > bSig || (twice == bSig && (q & 1) != 0)) { rem = bSig - rem; q += 1; sign ^= 1; }
      }
      const bexp = partial ? aExp - d : bExp;
      if (rem == 0) r = <u64>aSign << 63;
      else {
        const lz = <i32>clz(rem) - 1;
        r = roundPack(sign, bexp - lz, rem << <u64>lz, F64);
      }
    }
  }
  setSt(0, underflowed ? INDEF : r);
  x87Commit(0);
  if (underflowed) setCc(0, 0, 0, 0);
  else if (partial) setCc(0, 0, 1, 0);
  else setCc(<u32>(q >> 2) & 1, <u32>q & 1, 0, <u32>(q >> 1) & 1);
}
