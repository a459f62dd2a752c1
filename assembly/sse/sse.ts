// SIMD dispatch for the 0F map (what exec/map1 does not handle) and the 0F 38
// and 0F 3A maps: the row of sse/table.ts for the opcode, the mandatory
// prefix (F3 and F2 win over 66; the decoder keeps the last of F2/F3), the
// /digit and the register or memory form; no row is #UD, as on a CPU without
// the instruction. A row that names an MMX register takes a pending x87
// exception first and makes the x87-to-MMX transition once it completes.
import { raiseOpcode, exc } from "../cpu/state";
import { EXIT_INVALID_OPCODE } from "../cpu/exits";
import { dPfx, dIsMem, dExt, dOsz } from "../exec/operand";
import { P_OPSIZE, P_REP, P_REPNE, P_LOCK, D_ROW } from "../decoder/slot";
import * as R from "./rows";
import { fpArith, fpComis, fpLogic } from "./fparith";
import { cvtsi2s, cvts2si, cvt5a, cvt5b, cvte6, cvtpi2p, cvtp2pi } from "./convert";
import { vec, shiftImm } from "./integer";
import {
  load128, store128From, movScalarLoad, movScalarStore, movHalfLoad, movHalfStore, movdToXmm, movdFromXmm,
  movqLoad, movqStore, movnti, movmsk,
} from "./move";
import { movdToMm, movdFromMm, load64, store64, pshufw, pinsrwMm, pextrwMm, pmovmskbMm, maskmov, movq2dq, movdq2q } from "./mmxmove";
import { pshuf, shufp, unpckp, pinsrw, pextrw } from "./shuffle";
import { addsub, horiz, movsdup, movddup } from "./sse3";
import { blendv, ptest, pextr, pinsr, insertps } from "./sse41";
import { vecimm } from "./vecimm";
import { round } from "./round";
import { dpps, dppd } from "./dot";
import { pcmpstr } from "./pcmpstr";
import { approx } from "./approx";
import { crc32 } from "./crc32";
import { popCount } from "../exec/bits";
import { group15 } from "./group15";
import { mmxEnter } from "./mmx";
import { emms } from "../x87/stack";
import { pendingFault } from "../x87/env";

// Mandatory-prefix class: 0 none, 1 = 66, 2 = F2, 3 = F3.
@inline function prefixClass(d: usize): u32 {
  const p = dPfx(d);
  if ((p & P_REP) != 0) return 3;
  if ((p & P_REPNE) != 0) return 2;
  return (p & P_OPSIZE) != 0 ? 1 : 0;
}

@inline function ud(op: u32): void { raiseOpcode(EXIT_INVALID_OPCODE, op); }

export function execSse(d: usize, op: u32): void {
  if ((dPfx(d) & P_LOCK) != 0) { ud(op); return; }
  const pf = prefixClass(d);
  const mem = dIsMem(d);
  // the row, looked up once per decoded instruction
  let row = <i32>load<u16>(d + D_ROW) - 1;
  if (row < 0) {
    row = R.findRow(op, pf, dExt(d), mem);
    if (row < 0) { ud(op); return; }
    store<u16>(d + D_ROW, <u16>(row + 1));
  }
  const info = R.infoOf(row);
  const mmx = (info & R.R_MMX) != 0 && ((info & R.R_MMX_REG_ONLY) == 0 || !mem);
  if (mmx && pendingFault()) return;
  const aligned = (info & R.R_ALIGNED) != 0;
  const mm = R.regKind(info) == R.K_MM;
  const b = op & 0xFF;
  switch (R.execOf(row)) {
    case R.X_LOAD128: load128(d, aligned); break;
    case R.X_STORE128: store128From(d, aligned); break;
    case R.X_MOVSLOAD: movScalarLoad(d, pf == 2 ? 8 : 4); break;
    case R.X_MOVSSTORE: movScalarStore(d, pf == 2 ? 8 : 4); break;
    case R.X_MOVLO: movHalfLoad(d, false); break;
    case R.X_MOVHI: movHalfLoad(d, true); break;
    case R.X_MOVLOST: movHalfStore(d, false); break;
    case R.X_MOVHIST: movHalfStore(d, true); break;
    case R.X_UNPCKL: unpckp(d, pf, false); break;
    case R.X_UNPCKH: unpckp(d, pf, true); break;
    case R.X_MOVSLDUP: movsdup(d, info, false); break;
    case R.X_MOVSHDUP: movsdup(d, info, true); break;
    case R.X_MOVDDUP: movddup(d); break;
    case R.X_CVTPI2PS: cvtpi2p(d, false); break;
    case R.X_CVTPI2PD: cvtpi2p(d, true); break;
    case R.X_CVTSI2S: cvtsi2s(d, pf == 2); break;
    case R.X_CVTPS2PI: cvtp2pi(d, false, aligned); break;
    case R.X_CVTPD2PI: cvtp2pi(d, true, aligned); break;
    case R.X_CVTS2SI: cvts2si(d, pf == 2, b == 0x2C); break;
    case R.X_COMIS: fpComis(d, pf == 1, b == 0x2F); break;
    case R.X_MOVMSK: movmsk(d, pf == 1 ? 8 : 4); break;
    case R.X_FPARITH: fpArith(d, b, pf); break;
    case R.X_APPROX: approx(d, pf == 0, b == 0x52, aligned); break; // RCPPS RCPSS RSQRTPS RSQRTSS
    case R.X_FPLOGIC: fpLogic(d, b); break;
    case R.X_CVT5A: cvt5a(d, pf); break;
    case R.X_CVT5B: cvt5b(d, pf); break;
    case R.X_VEC: vec(d, info); break;
    case R.X_MOVDTO: if (mm) movdToMm(d); else movdToXmm(d); break;
    case R.X_LOAD64: load64(d); break;
    case R.X_PSHUFW: pshufw(d); break;
    case R.X_PSHUF: pshuf(d, pf); break;
    case R.X_SHIFTIMM: shiftImm(d, b, R.rmKind(info) == R.K_MM); break;
    case R.X_EMMS: if (!pendingFault()) emms(); break;
    case R.X_HORIZ: horiz(d, info); break;
    case R.X_MOVDFROM: if (mm) movdFromMm(d); else movdFromXmm(d); break;
    case R.X_MOVQLOAD: movqLoad(d); break;
    case R.X_STORE64: store64(d); break;
    case R.X_GROUP15: group15(d); break;
    case R.X_POPCNT: popCount(d, dOsz(d)); break;
    case R.X_MOVNTI: movnti(d); break;
    case R.X_PINSRW: if (mm) pinsrwMm(d); else pinsrw(d); break;
    case R.X_PEXTRW: if (R.rmKind(info) == R.K_MM) pextrwMm(d); else pextrw(d); break;
    case R.X_SHUFP: shufp(d, pf); break;
    case R.X_ADDSUB: addsub(d, info); break;
    case R.X_MOVQSTORE: movqStore(d); break;
    case R.X_MOVQ2DQ: movq2dq(d); break;
    case R.X_MOVDQ2Q: movdq2q(d); break;
    case R.X_PMOVMSKB: if (R.rmKind(info) == R.K_MM) pmovmskbMm(d); else movmsk(d, 1); break;
    case R.X_CVTE6: cvte6(d, pf); break;
    case R.X_MASKMOV: maskmov(d, info); break;
    case R.X_BLENDV: blendv(d, info); break;
    case R.X_PTEST: ptest(d, info); break;
    case R.X_CRC32: crc32(d); break;
    case R.X_ROUND: round(d, info); break;
    case R.X_VECIMM: vecimm(d, info); break;
    case R.X_PEXTR: pextr(d); break;
    case R.X_PINSR: pinsr(d); break;
    case R.X_INSERTPS: insertps(d); break;
    case R.X_DPPS: dpps(d, info); break;
    case R.X_DPPD: dppd(d, info); break;
    case R.X_PCMPSTR: pcmpstr(d); break;
    default: ud(op); return;
  }
  if (mmx && exc == 0) mmxEnter();
}
