// Shuffles with an immediate selector (PSHUFD, PSHUFLW, PSHUFHW, SHUFPS,
// SHUFPD), the float unpacks (UNPCKL/HPS/PD), PINSRW and PEXTRW.
import { regX, rmX, src128, RES_TMP } from "./operand";
import { dImm, dIsMem, readRM, dReg } from "../exec/operand";
import { exc, setGpr, raiseOpcode } from "../cpu/state";
import { EXIT_INVALID_OPCODE } from "../cpu/exits";

// 0F 70: 66 PSHUFD, F2 PSHUFLW, F3 PSHUFHW
export function pshuf(d: usize, pf: u32): void {
  const src = src128(d, true);
  if (src == 0) return;
  const n = <u32>dImm(d);
  if (pf == 1) {
    for (let i: u32 = 0; i < 4; i++) store<u32>(RES_TMP + (i << 2), load<u32>(src + (((n >> (i << 1)) & 3) << 2)));
  } else {
    const half: u32 = pf == 2 ? 0 : 8; // the half that is shuffled
    const keep: u32 = 8 - half;
    store<u64>(RES_TMP + keep, load<u64>(src + keep));
    for (let i: u32 = 0; i < 4; i++) store<u16>(RES_TMP + half + (i << 1), load<u16>(src + half + (((n >> (i << 1)) & 3) << 1)));
  }
  memory.copy(regX(d), RES_TMP, 16);
}

// 0F C6: SHUFPS (pf 0) / SHUFPD (pf 1)
export function shufp(d: usize, pf: u32): void {
  const src = src128(d, true);
  if (src == 0) return;
  const dst = regX(d);
  const n = <u32>dImm(d);
  if (pf == 0) {
    store<u32>(RES_TMP, load<u32>(dst + ((n & 3) << 2)));
    store<u32>(RES_TMP + 4, load<u32>(dst + (((n >> 2) & 3) << 2)));
    store<u32>(RES_TMP + 8, load<u32>(src + (((n >> 4) & 3) << 2)));
    store<u32>(RES_TMP + 12, load<u32>(src + (((n >> 6) & 3) << 2)));
  } else {
    store<u64>(RES_TMP, load<u64>(dst + ((n & 1) << 3)));
    store<u64>(RES_TMP + 8, load<u64>(src + (((n >> 1) & 1) << 3)));
  }
  memory.copy(dst, RES_TMP, 16);
}

// 0F 14/15: UNPCKLPS/UNPCKHPS (pf 0), UNPCKLPD/UNPCKHPD (pf 1)
export function unpckp(d: usize, pf: u32, high: bool): void {
  const src = src128(d, true);
  if (src == 0) return;
  const dst = regX(d);
  const a = v128.load(dst), b = v128.load(src);
  let r: v128;
  if (pf == 0) r = high ? i32x4.shuffle(a, b, 2, 6, 3, 7) : i32x4.shuffle(a, b, 0, 4, 1, 5);
  else r = high ? i64x2.shuffle(a, b, 1, 3) : i64x2.shuffle(a, b, 0, 2);
  v128.store(dst, r);
}

// 66 0F C4: PINSRW xmm, r32/m16, imm8
export function pinsrw(d: usize): void {
  const v = readRM(d, 2);
  if (exc != 0) return;
  store<u16>(regX(d) + ((<u32>dImm(d) & 7) << 1), <u16>v);
}

// 66 0F C5: PEXTRW r32, xmm, imm8 (register source only)
export function pextrw(d: usize): void {
  if (dIsMem(d)) { raiseOpcode(EXIT_INVALID_OPCODE, 0x1C5); return; }
  setGpr(dReg(d), <u64>load<u16>(rmX(d) + ((<u32>dImm(d) & 7) << 1)));
}
