// x87 floating point (D8-DF escapes) on 80-bit extended registers: loads and
// stores of m32/m64/m80 reals and m16/m32/m64 integers, arithmetic with the
// control word's precision and rounding, compares (FCOM/FUCOM/FCOMI/FUCOMI
// and their pops, FTST, FXAM), FXCH, FCHS/FABS, constants, FSQRT, FRNDINT,
// FSCALE, FXTRACT, FPREM/FPREM1, FCMOVcc, the transcendentals (trans.ts) and
// control/environment (FNSTCW/FLDCW/FNSTSW/FNSTENV/FLDENV/FNSAVE/FRSTOR/
// FNINIT/FNCLEX), and SSE3's FISTTP.
import { raiseOpcode, exc, setGpr, gpr, RAX, instRip } from "../cpu/state";
import { EXIT_INVALID_OPCODE } from "../cpu/exits";
import { dExt, dIsMem, dRm, ea } from "../exec/operand";
import { D_SEG, D_BASE, D_OSZ } from "../decoder/slot";
import { STATE, S_FSBASE, S_GSBASE } from "../memmap";
import { read16, read32, read64, write16, write32, write64, probeWrite } from "../mmu/access";
import { setArith, cond, CF, ZF, PF } from "../cpu/flags";
import { F32, F64 } from "../sse/fp/format";
import { fpRaise, fpFlags, fpMasks, clearFpFlags, FE_INVALID, FE_INEXACT } from "../sse/fp/env";
import { pop, phys, setTag, setFpuCw, fpuCw, fpuSw, setFpuSw, fpuTop, setFpuTop, fninit, setSt, TAG_EMPTY } from "./stack";
import { x87Begin, x87Commit, pendingFault, clearExceptions, setCc, setMemDenormal, clearMemDenormal, updateErrorSummary, memDenormalStops, preBlocked } from "./env";
import { fnstenv, fldenv, fnsave, frstor } from "./env-image";
import { xSe, xSig, ySe, ySig, getX, getY, setY, beginOperands, anyUnderflow, underflowMasked, writeResult, pushValue, precisionBits } from "./operand";
import { INDEF_SE, INDEF_SIG, QUIET_BIT, K_SNAN, K_BAD, classify, isNaNK, rSe, rSig } from "./ext/value";
import { extAdd, extMul, extDiv, extSqrt } from "./ext/arith";
import { extCompare, CMP_LT, CMP_EQ, CMP_UN } from "./ext/compare";
import { fromBinary, fromInt64, toBinary, toInt } from "./ext/convert";
import { fxam, frndint, fscale, fxtract, loadConstant } from "./misc";
import { fprem } from "./prem";
import { execTranscendental } from "./trans";
import { noteInstruction, USER_SS } from "./pointers";
import { SEG_FS } from "../decoder/slot";

@inline function ud(op: u32): void { raiseOpcode(EXIT_INVALID_OPCODE, op); }

// Arithmetic on X and Y: 0 add 1 mul 4 sub 5 subr 6 div 7 divr (the /reg numbering).
function arith(kind: u32): void {
  const kx = classify(xSe, xSig), ky = classify(ySe, ySig);
  if (isNaNK(kx) || isNaNK(ky) || kx == K_BAD || ky == K_BAD) clearMemDenormal();
  else if (memDenormalStops() && !anyUnderflow()) return;
  const p = precisionBits();
  switch (kind) {
    case 0: extAdd(xSe, xSig, ySe, ySig, false, p); break;
    case 1: extMul(xSe, xSig, ySe, ySig, p); break;
    case 4: extAdd(xSe, xSig, ySe, ySig, true, p); break;
    case 5: extAdd(ySe, ySig, xSe, xSig, true, p); break;
    case 6: extDiv(xSe, xSig, ySe, ySig, p); break;
    default: extDiv(ySe, ySig, xSe, xSig, p); break;
  }
}

// A real memory operand into Y: m32/m64 exact, an SNaN kept for the
// arithmetic to judge (loads quiet it with IE), a denormal noted for DE.
function loadReal(a: u64, size: u32): void {
  if (size == 4) {
    const v = <u64>read32(a);
    if ((v & 0x7F800000) == 0 && (v & 0x7FFFFF) != 0) setMemDenormal();
    fromBinary(v, F32);
  } else {
    const v = read64(a);
    if ((v & 0x7FF0000000000000) == 0 && (v & 0x000FFFFFFFFFFFFF) != 0) setMemDenormal();
    fromBinary(v, F64);
  }
  setY(rSe, rSig);
}
function loadInt(a: u64, size: u32): void {
  let x: i64;
  if (size == 2) x = <i64><i16>read16(a);
  else if (size == 4) x = <i64><i32>read32(a);
  else x = <i64>read64(a);
  fromInt64(x);
  setY(rSe, rSig);
}

// Compare X with Y and set C3 C2 C0 (FCOM family) or ZF PF CF (FCOMI family).
function compare(signaling: bool, toEflags: bool): void {
  const kx = classify(xSe, xSig), ky = classify(ySe, ySig);
  if (isNaNK(kx) || isNaNK(ky) || kx == K_BAD || ky == K_BAD) clearMemDenormal();
  const c = extCompare(xSe, xSig, ySe, ySig, signaling);
  if (toEflags) setArith(c == CMP_UN ? ZF | PF | CF : (c == CMP_LT ? CF : (c == CMP_EQ ? ZF : 0)));
  else setCc(c == CMP_LT || c == CMP_UN ? 1 : 0, 0, c == CMP_UN ? 1 : 0, c == CMP_EQ || c == CMP_UN ? 1 : 0);
}

// (nothing was stored, so nothing was rounded)
function dropInexact(): void { const f = fpFlags & ~FE_INEXACT; clearFpFlags(); fpRaise(f); }

// Unmasked IE, OE, UE or DE keep a store from writing memory (PE does not).
@inline function storeBlocked(): bool { return (fpFlags & 0x1B & ~fpMasks) != 0; }

export function fwait(): void { pendingFault(); }

export function execX87(d: usize, op: u32): void {
  const ext = dExt(d);
  const mem = dIsMem(d);
  const modrm = load<u8>(d + 5);
  // Control instructions that do not wait: FNSTENV FNSTCW FNSTSW FNCLEX FNINIT FNSAVE
  // (FLDCW, FLDENV and FRSTOR do: a pending exception is delivered first).
  const noWait = mem
    ? ((op == 0xD9 && ext >= 6) || (op == 0xDD && (ext == 6 || ext == 7)))
    : ((op == 0xDB && (modrm == 0xE2 || modrm == 0xE3)) || (op == 0xDF && modrm == 0xE0));
  if (!noWait && pendingFault()) return;
  x87Begin();
  beginOperands();
  const a = mem ? ea(d) : 0;
  if (mem) execMem(d, a, op, ext);
  else execReg(op, ext, dRm(d) & 7, modrm);
  // FIP, FOP and (with a memory operand) FDP name the last non-control
  // instruction that completed (x87/pointers.ts).
  if (exc != 0) return;
  const control = mem
    ? ((op == 0xD9 && ext >= 4) || (op == 0xDD && (ext == 4 || ext >= 6)))
    : ((op == 0xDB && modrm >= 0xE0 && modrm <= 0xE4) || (op == 0xDF && modrm == 0xE0));
  if (control) return;
  let dp: u64 = 0, ds: u32 = 0;
  if (mem) {
    const seg = load<u8>(d + D_SEG);
    const base = load<u8>(d + D_BASE);
    dp = seg == 0 ? a : a - load<u64>(STATE + (seg == SEG_FS ? S_FSBASE : S_GSBASE)); // the offset, not the linear address
    ds = seg == 0 && (base == 4 || base == 5) ? USER_SS : 0;
  }
  noteInstruction(instRip, op, modrm, mem, dp, ds);
}

// ST0 op memory (D8 m32, DC m64, DA m32int, DE m16int).
function arithMem(a: u64, op: u32, ext: u32): void {
  if (op == 0xD8 || op == 0xDC) loadReal(a, op == 0xD8 ? 4 : 8); else loadInt(a, op == 0xDA ? 4 : 2);
  if (exc != 0) return;
  getX(0);
  if (ext == 2 || ext == 3) { fcom(true, ext == 3, false); return; }
  arith(ext);
  if (!underflowMasked()) return;
  writeResult(0);
  x87Commit(0);
}

function execMem(d: usize, a: u64, op: u32, ext: u32): void {
  const small = load<u8>(d + D_OSZ) == 2; // an operand-size prefix: the 16-bit environment images
  switch (op) {
    case 0xD8: case 0xDC: case 0xDA: case 0xDE: arithMem(a, op, ext); return;
    case 0xD9:
      switch (ext) {
        case 0: fldReal(a, 4); return;
        case 2: case 3: fstReal(a, 4, ext == 3); return;
        case 4: fldenv(a, small); return;
        case 5: { const v = read16(a); if (exc == 0) { setFpuCw(v); updateErrorSummary(); } return; }
        case 6: fnstenv(a, small); return;
        case 7: write16(a, fpuCw()); return;
      }
      ud(0xD9); return;
    case 0xDB:
      switch (ext) {
        case 0: fild(a, 4); return;
        case 1: storeInt(a, 4, true, true); return; // FISTTP m32 (SSE3)
        case 2: case 3: storeInt(a, 4, ext == 3, false); return;
        case 5: { // FLD m80: the bits as they are, no exceptions
          const lo = read64(a), hi = read16(a + 8);
          if (exc != 0) return;
          pushValue(hi, lo);
          x87Commit(0);
          return;
        }
        case 7: { // FSTP m80: the bits as they are
          getX(0);
          if (!underflowMasked()) return;
          if (!probeWrite(a, 10)) return;
          write64(a, xSig); write16(a + 8, xSe);
          x87Commit(0);
          pop();
          return;
        }
      }
      ud(0xDB); return;
    case 0xDD:
      switch (ext) {
        case 0: fldReal(a, 8); return;
        case 1: storeInt(a, 8, true, true); return; // FISTTP m64 (SSE3)
        case 2: case 3: fstReal(a, 8, ext == 3); return;
        case 4: frstor(a, small); return;
        case 6: fnsave(a, small); return;
        case 7: write16(a, fpuSw()); return;
      }
      ud(0xDD); return;
    case 0xDF:
      switch (ext) {
        case 0: fild(a, 2); return;
        case 5: fild(a, 8); return;
        case 1: storeInt(a, 2, true, true); return; // FISTTP m16 (SSE3)
        case 2: case 3: storeInt(a, 2, ext == 3, false); return;
        case 7: storeInt(a, 8, true, false); return;
        case 4: fbld(a); return;
        case 6: fbstp(a); return;
      }
      ud(0xDF); return;
  }
}

// FLD m32/m64: SNaN quieted with IE, DE for a denormal.
function fldReal(a: u64, size: u32): void {
  loadReal(a, size);
  if (exc != 0) return;
  let se = ySe, sig = ySig;
  if (classify(se, sig) == K_SNAN) { fpRaise(FE_INVALID); sig |= QUIET_BIT; clearMemDenormal(); }
  if ((fpFlags & FE_INVALID & ~fpMasks) != 0) { x87Commit(0); return; }
  pushValue(se, sig);
  x87Commit(0);
}
function fild(a: u64, size: u32): void {
  loadInt(a, size);
  if (exc != 0) return;
  pushValue(ySe, ySig);
  x87Commit(0);
}

// FST/FSTP m32/m64, rounded by RC.
function fstReal(a: u64, size: u32, doPop: bool): void {
  getX(0);
  if (!underflowMasked()) return;
  const v = anyUnderflow() ? (size == 4 ? <u64>0xFFC00000 : 0xFFF8000000000000) : toBinary(xSe, xSig, size == 4 ? F32 : F64);
  if (storeBlocked()) { dropInexact(); x87Commit(0); return; }
  if (size == 4) write32(a, <u32>v); else write64(a, v);
  if (exc != 0) return;
  x87Commit(0);
  if (doPop) pop();
}

// FIST/FISTP m16/m32/m64 with the control word's rounding.
// FIST/FISTP (rounding by RC) and FISTTP (truncating).
function storeInt(a: u64, size: u32, doPop: bool, truncate: bool): void {
  getX(0);
  if (!underflowMasked()) return;
  const bits = size << 3;
  const v = anyUnderflow() ? <u64>1 << <u64>(bits - 1) : toInt(xSe, xSig, bits, truncate);
  if (storeBlocked()) { x87Commit(0); return; }
  if (size == 2) write16(a, <u32>v); else if (size == 4) write32(a, <u32>v); else write64(a, v);
  if (exc != 0) return;
  x87Commit(0);
  if (doPop) pop();
}

// FBLD: 18 packed BCD digits and a sign byte, exact (invalid digits are not checked, as on hardware they are undefined).
function fbld(a: u64): void {
  const lo = read64(a), hi = read16(a + 8);
  if (exc != 0) return;
  let v: u64 = 0;
  for (let i: i32 = 1; i >= 0; i--) { const b = (hi >> (i << 3)) & 0xFF; if (i == 1) continue; v = v * 10 + ((b >> 4) & 15); v = v * 10 + (b & 15); }
  for (let i: i32 = 7; i >= 0; i--) { const b = <u32>(lo >> (<u64>i << 3)) & 0xFF; v = v * 10 + ((b >> 4) & 15); v = v * 10 + (b & 15); }
  fromInt64(<i64>v);
  let se = rSe;
  if ((hi & 0x8000) != 0) se |= 0x8000;
  pushValue(se, rSig);
  x87Commit(0);
}
// FBSTP: round by RC to an integer of at most 18 digits; otherwise IE and the BCD indefinite.
function fbstp(a: u64): void {
  getX(0);
  if (!underflowMasked()) return;
  if (!probeWrite(a, 10)) return;
  let lo: u64 = 0, hi: u32 = 0;
  const v = anyUnderflow() ? <u64>0x8000000000000000 : toInt(xSe, xSig, 64, false);
  const neg = (xSe & 0x8000) != 0;
  let mag: u64 = (fpFlags & FE_INVALID) != 0 ? 0 : (neg ? 0 - v : v);
  if ((fpFlags & FE_INVALID) != 0 || anyUnderflow() || mag > 999999999999999999) {
    if ((fpFlags & FE_INVALID) == 0) { fpRaise(FE_INVALID); }
    const f = fpFlags & ~FE_INEXACT; // the indefinite replaces a rounded value
    x87Begin(); fpRaise(f);
    if ((fpMasks & FE_INVALID) == 0) { x87Commit(0); return; }
    lo = 0xC000000000000000; hi = 0xFFFF;
  } else {
    for (let i: u64 = 0; i < 16; i++) { lo |= (mag % 10) << (i << 2); mag /= 10; }
    hi = <u32>((mag % 10) | ((mag / 10 % 10) << 4));
    if (neg) hi |= 0x8000;
  }
  write64(a, lo); write16(a + 8, hi);
  x87Commit(0);
  pop();
}

function execReg(op: u32, ext: u32, i: u32, modrm: u32): void {
  switch (op) {
    case 0xD8: {
      getX(0); getY(i);
      if (ext == 2 || ext == 3) { fcom(true, ext == 3, false); return; }
      arith(ext);
      if (!underflowMasked()) return;
      writeResult(0);
      x87Commit(0);
      return;
    }
    case 0xDC: case 0xDE: {
      // ST(i) = ST(i) op ST(0); note the SUB/SUBR and DIV/DIVR swap of this form.
      if (op == 0xDE && ext == 3) {
        if (modrm != 0xD9) { ud(op); return; }
        getX(0); getY(1);
        fcom(true, true, true);
        return;
      }
      if (ext == 2 || ext == 3) {
        if (op == 0xDE) { ud(op); return; }
        getX(0); getY(i); // DC D0/D8 aliases of FCOM/FCOMP
        fcom(true, ext == 3, false);
        return;
      }
      getX(0); getY(i);
      arith(ext); // (with X = ST0, Y = ST(i), /4 is X-Y, /5 Y-X, /6 X/Y, /7 Y/X, as in D8)
      if (!underflowMasked()) return;
      const written = writeResult(i);
      x87Commit(0);
      if (op == 0xDE && written) pop();
      return;
    }
    case 0xD9: execD9(modrm, i); return;
    case 0xDA:
      if (ext < 4) { fcmov(ext, false, i); return; }
      if (modrm == 0xE9) { getX(0); getY(1); fcom(false, true, true); return; } // FUCOMPP
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
        case 2: case 3: {                                     // FST/FSTP ST(i): the bits as they are
          getX(0);
          if (!underflowMasked()) return;
          setSt(i, xSe, xSig);
          if (ext == 3) pop();
          return;
        }
        case 4: case 5: getX(0); getY(i); fcom(false, ext == 5, false); return; // FUCOM/FUCOMP
      }
      ud(op); return;
    case 0xDF:
      if (modrm == 0xE0) { setGpr(RAX, (gpr(RAX) & ~<u64>0xFFFF) | <u64>fpuSw()); return; }
      if (ext == 0) { setTag(phys(i), TAG_EMPTY); pop(); return; } // FFREEP
      if (ext == 5 || ext == 6) { fcomi(i, ext == 6, true); return; }
      ud(op); return;
  }
}

// (an unmasked invalid operand still sets the condition codes, but does not pop)
function fcom(signaling: bool, pop1: bool, pop2: bool): void {
  compare(signaling, false);
  if (!underflowMasked()) return;
  const blocked = preBlocked();
  x87Commit(0);
  if (blocked) return;
  if (pop1) pop();
  if (pop2) pop();
}

function fcomi(i: u32, signaling: bool, doPop: bool): void {
  getX(0); getY(i);
  compare(signaling, true);
  if (!underflowMasked()) return;
  const blocked = preBlocked();
  x87Commit(0);
  if (doPop && !blocked) pop();
}

// FCMOVcc: B E BE U (DA), NB NE NBE NU (DB)
function fcmov(ext: u32, negate: bool, i: u32): void {
  const cc: u32 = ext == 0 ? 2 : ext == 1 ? 4 : ext == 2 ? 6 : 10; // B, E, BE, P in Jcc numbering
  getX(0); getY(i);
  if (!underflowMasked()) return;
  if (anyUnderflow()) { setSt(0, INDEF_SE, INDEF_SIG); return; } // either operand empty: the indefinite, whatever the condition
  if (cond(cc | (negate ? 1 : 0))) setSt(0, ySe, ySig);
  clearC1();
}

function execD9(modrm: u32, i: u32): void {
  if (modrm < 0xC8) { getX(i); if (!underflowMasked()) return; pushValue(xSe, xSig); return; } // FLD ST(i)
  if (modrm < 0xD0) { // FXCH
    getX(0); getY(i);
    if (!underflowMasked()) return;
    setSt(0, ySe, ySig); setSt(i, xSe, xSig);
    clearC1();
    return;
  }
  switch (modrm) {
    case 0xD0: return; // FNOP
    case 0xE0: case 0xE1: { // FCHS FABS: sign bit only, no exceptions
      getX(0);
      if (!underflowMasked()) return;
      if (anyUnderflow()) setSt(0, INDEF_SE, INDEF_SIG);
      else setSt(0, modrm == 0xE0 ? xSe ^ 0x8000 : xSe & 0x7FFF, xSig);
      clearC1();
      return;
    }
    case 0xE4: getX(0); setY(0, 0); fcom(true, false, false); return; // FTST
    case 0xE5: fxam(); return;
    case 0xE8: case 0xE9: case 0xEA: case 0xEB: case 0xEC: case 0xED: case 0xEE:
      loadConstant(modrm - 0xE8); x87Commit(0); return;
    case 0xF4: fxtract(); return;
    case 0xF5: fprem(true); return;
    case 0xF6: setFpuTop(fpuTop() - 1); clearC1(); return;         // FDECSTP
    case 0xF7: setFpuTop(fpuTop() + 1); clearC1(); return;         // FINCSTP
    case 0xF8: fprem(false); return;
    case 0xFA:                                                     // FSQRT
      getX(0);
      if (isNaNK(classify(xSe, xSig))) clearMemDenormal();
      extSqrt(xSe, xSig, precisionBits());
      if (!underflowMasked()) return;
      writeResult(0);
      x87Commit(0);
      return;
    case 0xFC: frndint(); return;
    case 0xFD: fscale(); return;
    case 0xF0: case 0xF1: case 0xF2: case 0xF3: case 0xF9: case 0xFB: case 0xFE: case 0xFF:
      execTranscendental(modrm); return;
  }
  ud(0xD9);
}

function clearC1(): void { setFpuSw(fpuSw() & ~0x200); }
