// ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD: each element rounded to an integral
// value in its own format, by imm8[1:0] or (imm8[2] set) by MXCSR.RC. Only an
// SNaN (IE, returned quieted) and an inexact result (PE, unless imm8[3]
// suppresses it) raise flags; a denormal input is no DE, and with DAZ it is
// the signed zero it stands for. The sign survives: -0.3 rounds to -0.0.
import { fpBegin, fpCommit, mxcsr } from "./mxcsr";
import { F32, F64, quiet } from "./fp/format";
import { fpRaise, FE_INVALID, FE_INEXACT, RC_NEAR, RC_DOWN, RC_UP } from "./fp/env";
import { unpackA, aSign, aExp, aSig, aCls, CL_ZERO, CL_INF, CL_SNAN, isNaNCls } from "./fp/unpack";
import { normRoundPack } from "./fp/round";
import { regX, src128, srcLow, RES_TMP } from "./operand";
import { dOp, dImm } from "../exec/operand";
import { exc } from "../cpu/state";
import { R_ALIGNED } from "./rows";

function roundElement(a: u64, fmt: u32, rc: u32, quietPE: bool): u64 {
  unpackA(a, fmt);
  const signBit: u64 = fmt == F64 ? 0x8000000000000000 : 0x80000000;
  if (isNaNCls(aCls)) { if (aCls == CL_SNAN) fpRaise(FE_INVALID); return quiet(a, fmt); }
  if (aCls == CL_INF) return a;
  if (aCls == CL_ZERO) return a & signBit; // (a denormal under DAZ too)
  const s: u64 = aSign != 0 ? signBit : 0;
  if (aExp >= (fmt == F64 ? 52 : 23)) return a; // already integral
  // integer part and the fraction: 1 below half, 2 half, 3 above half, 0 none
  let ip: u64, frac: u32;
  if (aExp >= 0) {
    const sh = <u64>(62 - aExp);
    ip = aSig >> sh;
    const f = aSig & ((<u64>1 << sh) - 1), h = <u64>1 << (sh - 1);
    frac = f == 0 ? 0 : (f < h ? 1 : (f == h ? 2 : 3));
  } else {
    ip = 0;
    frac = aExp == -1 ? (aSig == (<u64>1 << 62) ? 2 : 3) : 1;
  }
  if (frac == 0) return a;
  if (!quietPE) fpRaise(FE_INEXACT);
  let up = false;
  if (rc == RC_NEAR) up = frac == 3 || (frac == 2 && (ip & 1) != 0);
  else if (rc == RC_DOWN) up = aSign != 0;
  else if (rc == RC_UP) up = aSign == 0;
  if (up) ip++;
  if (ip == 0) return s;
  return normRoundPack(aSign, 62, ip, fmt); // exact: fewer bits than the format holds
}

export function round(d: usize, info: u32): void {
  const op = dOp(d) & 0xFF;
  const n = <u32>dImm(d);
  const dst = regX(d);
  const dbl = (op & 1) != 0;           // 09 ROUNDPD, 0B ROUNDSD
  const fmt = dbl ? F64 : F32;
  const scalar = op >= 0x0A;
  let src: usize = 0, low: u64 = 0;
  if (scalar) { low = srcLow(d, dbl ? 8 : 4); if (exc != 0) return; }
  else { src = src128(d, (info & R_ALIGNED) != 0); if (src == 0) return; }
  fpBegin();
  const rc = (n & 4) != 0 ? (mxcsr() >> 13) & 3 : n & 3;
  const quietPE = (n & 8) != 0;
  if (scalar) {
    const r = roundElement(low, fmt, rc, quietPE);
    if (!fpCommit()) return;
    if (dbl) store<u64>(dst, r); else store<u32>(dst, <u32>r);
    return;
  }
  if (dbl) for (let i: usize = 0; i < 16; i += 8) store<u64>(RES_TMP + i, roundElement(load<u64>(src + i), fmt, rc, quietPE));
  else for (let i: usize = 0; i < 16; i += 4) store<u32>(RES_TMP + i, <u32>roundElement(<u64>load<u32>(src + i), fmt, rc, quietPE));
  if (!fpCommit()) return;
  memory.copy(dst, RES_TMP, 16);
}
