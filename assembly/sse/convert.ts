// CVT* instructions: integer <-> binary32/binary64 and binary32 <-> binary64,
// scalar and packed, from and to XMM, general and MMX registers. Packed results are built in RES_TMP and committed only
// when no unmasked exception occurred.
import { fpBegin, fpCommit } from "./mxcsr";
import { F32, F64 } from "./fp/format";
import { fconvert, fromInt, toInt } from "./fp/convert";
import { regX, src128, srcLow, RES_TMP } from "./operand";
import { exc, raiseOpcode } from "../cpu/state";
import { EXIT_INVALID_OPCODE } from "../cpu/exits";
import { dRex, dOp, readRM, writeR } from "../exec/operand";
import { mmSrc, mmWrite, mmReg } from "./mmx";
import { REX_W } from "../decoder/slot";

@inline function wide(d: usize): bool { return (dRex(d) & REX_W) != 0; }

// F3/F2 0F 2A: CVTSI2SS / CVTSI2SD xmm, r/m32|64
export function cvtsi2s(d: usize, dbl: bool): void {
  const w = wide(d);
  const v = readRM(d, w ? 8 : 4);
  if (exc != 0) return;
  fpBegin();
  const x: i64 = w ? <i64>v : <i64><i32>v;
  const r = fromInt(x, dbl ? F64 : F32);
  if (!fpCommit()) return;
  const dst = regX(d);
  if (dbl) store<u64>(dst, r); else store<u32>(dst, <u32>r);
}

// F3/F2 0F 2C/2D: CVT(T)SS2SI / CVT(T)SD2SI r32|64, xmm/m
export function cvts2si(d: usize, dbl: bool, truncate: bool): void {
  const a = srcLow(d, dbl ? 8 : 4);
  if (exc != 0) return;
  fpBegin();
  const w = wide(d);
  const r = toInt(a, dbl ? F64 : F32, w ? 64 : 32, truncate);
  if (!fpCommit()) return;
  writeR(d, w ? 8 : 4, r);
}

// 0F 5A: CVTPS2PD / CVTPD2PS / CVTSS2SD / CVTSD2SS
export function cvt5a(d: usize, pf: u32): void {
  const dst = regX(d);
  if (pf >= 2) {
    const dbl = pf == 2; // F2: source is a double
    const a = srcLow(d, dbl ? 8 : 4);
    if (exc != 0) return;
    fpBegin();
    const r = dbl ? fconvert(a, F64, F32) : fconvert(a, F32, F64);
    if (!fpCommit()) return;
    if (dbl) store<u32>(dst, <u32>r); else store<u64>(dst, r);
    return;
  }
  if (pf == 0) {
    // CVTPS2PD xmm, xmm/m64
    const lo = srcLow(d, 8);
    if (exc != 0) return;
    fpBegin();
    store<u64>(RES_TMP, fconvert(lo & 0xFFFFFFFF, F32, F64));
    store<u64>(RES_TMP + 8, fconvert(lo >> 32, F32, F64));
  } else {
    const src = src128(d, true);
    if (src == 0) return;
    fpBegin();
    store<u32>(RES_TMP, <u32>fconvert(load<u64>(src), F64, F32));
    store<u32>(RES_TMP + 4, <u32>fconvert(load<u64>(src + 8), F64, F32));
    store<u64>(RES_TMP + 8, 0);
  }
  if (!fpCommit()) return;
  memory.copy(dst, RES_TMP, 16);
}

// 0F 5B: CVTDQ2PS / 66 CVTPS2DQ / F3 CVTTPS2DQ
export function cvt5b(d: usize, pf: u32): void {
  if (pf == 2) { raiseOpcode(EXIT_INVALID_OPCODE, 0x15B); return; }
  const src = src128(d, true);
  if (src == 0) return;
  fpBegin();
  for (let i: usize = 0; i < 16; i += 4) {
    const v = load<u32>(src + i);
    const r = pf == 0 ? fromInt(<i64><i32>v, F32) : toInt(<u64>v, F32, 32, pf == 3);
    store<u32>(RES_TMP + i, <u32>r);
  }
  if (!fpCommit()) return;
  memory.copy(regX(d), RES_TMP, 16);
}

// 0F E6: 66 CVTTPD2DQ / F3 CVTDQ2PD / F2 CVTPD2DQ
export function cvte6(d: usize, pf: u32): void {
  if (pf == 0) { raiseOpcode(EXIT_INVALID_OPCODE, 0x1E6); return; }
  if (pf == 3) {
    const lo = srcLow(d, 8);
    if (exc != 0) return;
    fpBegin();
    store<u64>(RES_TMP, fromInt(<i64><i32><u32>lo, F64));
    store<u64>(RES_TMP + 8, fromInt(<i64><i32><u32>(lo >> 32), F64));
  } else {
    const src = src128(d, true);
    if (src == 0) return;
    fpBegin();
    store<u32>(RES_TMP, <u32>toInt(load<u64>(src), F64, 32, pf == 1));
    store<u32>(RES_TMP + 4, <u32>toInt(load<u64>(src + 8), F64, 32, pf == 1));
    store<u64>(RES_TMP + 8, 0);
  }
  if (!fpCommit()) return;
  memory.copy(regX(d), RES_TMP, 16);
}

// The MMX-register conversions. 0F 2A: CVTPI2PS xmm, mm/m64 (the upper half
// of xmm kept); 66 0F 2A: CVTPI2PD xmm, mm/m64 (exact, no flags).
export function cvtpi2p(d: usize, dbl: bool): void {
  const v = mmSrc(d, 8);
  if (exc != 0) return;
  const dst = regX(d);
  if (dbl) {
    store<u64>(dst, fromInt(<i64><i32><u32>v, F64));
    store<u64>(dst + 8, fromInt(<i64><i32><u32>(v >> 32), F64));
    return;
  }
  fpBegin();
  const lo = fromInt(<i64><i32><u32>v, F32), hi = fromInt(<i64><i32><u32>(v >> 32), F32);
  if (!fpCommit()) return;
  store<u32>(dst, <u32>lo); store<u32>(dst + 4, <u32>hi);
}

// 0F 2C/2D: CVTTPS2PI/CVTPS2PI mm, xmm/m64; 66 0F 2C/2D: CVTTPD2PI/CVTPD2PI mm, xmm/m128.
export function cvtp2pi(d: usize, dbl: bool, aligned: bool): void {
  const truncate = (dOp(d) & 0xFF) == 0x2C;
  let a: u64, b: u64;
  if (dbl) {
    const src = src128(d, aligned);
    if (src == 0) return;
    a = load<u64>(src); b = load<u64>(src + 8);
  } else {
    const v = srcLow(d, 8);
    if (exc != 0) return;
    a = v & 0xFFFFFFFF; b = v >> 32;
  }
  fpBegin();
  const fmt = dbl ? F64 : F32;
  const lo = toInt(a, fmt, 32, truncate), hi = toInt(b, fmt, 32, truncate);
  if (!fpCommit()) return;
  mmWrite(mmReg(d), (lo & 0xFFFFFFFF) | (hi << 32));
}
