// Packed and scalar floating-point arithmetic (ADD SUB MUL DIV MIN MAX SQRT),
// comparisons (CMPxx, COMIS, UCOMIS) and the bitwise logic ops on PS/PD.
// Every lane goes through the exact soft-float routines unless the fast path
// applies: default MXCSR with PE already set and normal inputs and output, where
// the host's round-to-nearest result is the x86 result and no flag can change.
import { fpBegin, fpCommit, mxcsr } from "./mxcsr";
import { F32, F64 } from "./fp/format";
import { fadd, fmul, fdiv, fsqrt } from "./fp/arith";
import { fminmax, cmpPredicate, fcompare, CMP_LT, CMP_EQ, CMP_UN } from "./fp/compare";
import { regX, src128, srcLow, RES_TMP } from "./operand";
import { exc } from "../cpu/state";
import { dImm } from "../exec/operand";
import { setArith, CF, ZF, PF } from "../cpu/flags";

export const OP_ADD: u32 = 0x58;
export const OP_MUL: u32 = 0x59;
export const OP_SUB: u32 = 0x5C;
export const OP_MIN: u32 = 0x5D;
export const OP_DIV: u32 = 0x5E;
export const OP_MAX: u32 = 0x5F;
export const OP_SQRT: u32 = 0x51;
export const OP_CMP: u32 = 0xC2;

let fast = false;
let pred: u32 = 0;
export function resetFpArith(): void { fast = false; pred = 0; }

@inline function normal64(x: u64): bool { const e = <u32>(x >> 52) & 0x7FF; return e != 0 && e != 0x7FF; }
@inline function normal32(x: u64): bool { const e = <u32>(x >> 23) & 0xFF; return e != 0 && e != 0xFF; }

function lane64(op: u32, a: u64, b: u64): u64 {
  if (fast && normal64(a) && normal64(b)) {
    const x = reinterpret<f64>(a), y = reinterpret<f64>(b);
    let r: f64 = 0; let ok = true;
    switch (op) {
      case OP_ADD: r = x + y; break;
      case OP_SUB: r = x - y; break;
      case OP_MUL: r = x * y; break;
      case OP_DIV: r = x / y; break;
      case OP_SQRT: ok = y > 0; r = Math.sqrt(y); break;
      default: ok = false;
    }
    const rb = reinterpret<u64>(r);
    if (ok && normal64(rb)) return rb;
  }
  switch (op) {
    case OP_ADD: return fadd(a, b, F64, false);
    case OP_SUB: return fadd(a, b, F64, true);
    case OP_MUL: return fmul(a, b, F64);
    case OP_DIV: return fdiv(a, b, F64);
    case OP_MIN: return fminmax(a, b, F64, false);
    case OP_MAX: return fminmax(a, b, F64, true);
    case OP_SQRT: return fsqrt(b, F64);
    default: return cmpPredicate(a, b, F64, pred) ? 0xFFFFFFFFFFFFFFFF : 0;
  }
}

function lane32(op: u32, a: u64, b: u64): u64 {
  if (fast && normal32(a) && normal32(b)) {
    const x = reinterpret<f32>(<u32>a), y = reinterpret<f32>(<u32>b);
    let r: f32 = 0; let ok = true;
    switch (op) {
      case OP_ADD: r = x + y; break;
      case OP_SUB: r = x - y; break;
      case OP_MUL: r = x * y; break;
      case OP_DIV: r = x / y; break;
      case OP_SQRT: ok = y > 0; r = Mathf.sqrt(y); break;
      default: ok = false;
    }
    const rb = <u64>reinterpret<u32>(r);
    if (ok && normal32(rb)) return rb;
  }
  switch (op) {
    case OP_ADD: return fadd(a, b, F32, false);
    case OP_SUB: return fadd(a, b, F32, true);
    case OP_MUL: return fmul(a, b, F32);
    case OP_DIV: return fdiv(a, b, F32);
    case OP_MIN: return fminmax(a, b, F32, false);
    case OP_MAX: return fminmax(a, b, F32, true);
    case OP_SQRT: return fsqrt(b, F32);
    default: return cmpPredicate(a, b, F32, pred) ? 0xFFFFFFFF : 0;
  }
}

function begin(op: u32, d: usize): void {
  fpBegin();
  fast = (mxcsr() & 0xFFE0) == 0x1FA0;
  if (op == OP_CMP) pred = <u32>dImm(d) & 7;
}

// pf: 0 = PS, 1 = PD (66), 2 = SD (F2), 3 = SS (F3)
export function fpArith(d: usize, op: u32, pf: u32): void {
  const dst = regX(d);
  begin(op, d);
  if (pf >= 2) {
    const dbl = pf == 2;
    const b = srcLow(d, dbl ? 8 : 4);
    if (exc != 0) return;
    const a = dbl ? load<u64>(dst) : <u64>load<u32>(dst);
    const r = dbl ? lane64(op, a, b) : lane32(op, a, b);
    if (!fpCommit()) return;
    if (dbl) store<u64>(dst, r); else store<u32>(dst, <u32>r);
    return;
  }
  const src = src128(d, true);
  if (src == 0) return;
  if (pf == 1) {
    for (let i: usize = 0; i < 16; i += 8) store<u64>(RES_TMP + i, lane64(op, load<u64>(dst + i), load<u64>(src + i)));
  } else {
    for (let i: usize = 0; i < 16; i += 4) store<u32>(RES_TMP + i, <u32>lane32(op, <u64>load<u32>(dst + i), <u64>load<u32>(src + i)));
  }
  if (!fpCommit()) return;
  memory.copy(dst, RES_TMP, 16);
}

// COMISS/COMISD (signaling) and UCOMISS/UCOMISD: ZF PF CF from the order, OF SF AF cleared.
export function fpComis(d: usize, dbl: bool, signaling: bool): void {
  const b = srcLow(d, dbl ? 8 : 4);
  if (exc != 0) return;
  const dst = regX(d);
  fpBegin();
  const a = dbl ? load<u64>(dst) : <u64>load<u32>(dst);
  const c = fcompare(a, b, dbl ? F64 : F32, signaling);
  if (!fpCommit()) return;
  setArith(c == CMP_UN ? ZF | PF | CF : (c == CMP_LT ? CF : (c == CMP_EQ ? ZF : 0)));
}

// ANDPS ANDNPS ORPS XORPS (and PD): plain bitwise, no FP exceptions.
export function fpLogic(d: usize, op: u32): void {
  const src = src128(d, true);
  if (src == 0) return;
  const dst = regX(d);
  const a = v128.load(dst), b = v128.load(src);
  let r: v128;
  switch (op) {
    case 0x54: r = v128.and(a, b); break;
    case 0x55: r = v128.andnot(b, a); break;
    case 0x56: r = v128.or(a, b); break;
    default: r = v128.xor(a, b);
  }
  v128.store(dst, r);
}
