// SSE3 floating point: ADDSUBPS/PD (subtract in the even elements, add in the
// odd), HADDPS/PD and HSUBPS/PD (adjacent pairs of the destination, then of
// the source), every element rounded by MXCSR with its flags; and the
// duplicating moves MOVSLDUP, MOVSHDUP, MOVDDUP.
import { fpBegin, fpCommit } from "./mxcsr";
import { F32, F64 } from "./fp/format";
import { fadd } from "./fp/arith";
import { regX, src128, srcLow, RES_TMP } from "./operand";
import { dOp, dPfx } from "../exec/operand";
import { exc } from "../cpu/state";
import { P_REPNE } from "../decoder/slot";
import { R_ALIGNED } from "./rows";

// F2 forms are the single-precision ones, 66 the double.
@inline function single(d: usize): bool { return (dPfx(d) & P_REPNE) != 0; }

export function addsub(d: usize, info: u32): void {
  const src = src128(d, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const dst = regX(d);
  fpBegin();
  if (single(d)) {
    for (let i: u32 = 0; i < 4; i++) {
      const o = i << 2;
      store<u32>(RES_TMP + o, <u32>fadd(<u64>load<u32>(dst + o), <u64>load<u32>(src + o), F32, (i & 1) == 0));
    }
  } else {
    store<u64>(RES_TMP, fadd(load<u64>(dst), load<u64>(src), F64, true));
    store<u64>(RES_TMP + 8, fadd(load<u64>(dst + 8), load<u64>(src + 8), F64, false));
  }
  if (!fpCommit()) return;
  memory.copy(dst, RES_TMP, 16);
}

// HADDPS/HADDPD (0F 7C) and HSUBPS/HSUBPD (0F 7D).
export function horiz(d: usize, info: u32): void {
  const src = src128(d, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const dst = regX(d);
  const sub = (dOp(d) & 0xFF) == 0x7D;
  fpBegin();
  if (single(d)) {
    for (let i: u32 = 0; i < 4; i++) {
      const from = i < 2 ? dst : src;
      const o = (i & 1) << 3;
      store<u32>(RES_TMP + (i << 2), <u32>fadd(<u64>load<u32>(from + o), <u64>load<u32>(from + o + 4), F32, sub));
    }
  } else {
    store<u64>(RES_TMP, fadd(load<u64>(dst), load<u64>(dst + 8), F64, sub));
    store<u64>(RES_TMP + 8, fadd(load<u64>(src), load<u64>(src + 8), F64, sub));
  }
  if (!fpCommit()) return;
  memory.copy(dst, RES_TMP, 16);
}

// MOVSLDUP (F3 0F 12) and MOVSHDUP (F3 0F 16): the even or odd elements, each twice.
export function movsdup(d: usize, info: u32, odd: bool): void {
  const src = src128(d, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const o: usize = odd ? 4 : 0;
  const e0 = load<u32>(src + o), e1 = load<u32>(src + 8 + o);
  const dst = regX(d);
  store<u32>(dst, e0); store<u32>(dst + 4, e0); store<u32>(dst + 8, e1); store<u32>(dst + 12, e1);
}

// MOVDDUP (F2 0F 12): the low double (m64, no alignment) in both halves.
export function movddup(d: usize): void {
  const v = srcLow(d, 8);
  if (exc != 0) return;
  const dst = regX(d);
  store<u64>(dst, v); store<u64>(dst + 8, v);
}
