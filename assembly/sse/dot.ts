// DPPS and DPPD: the products of the elements imm8[7:4] selects (the others
// are +0.0, not computed), summed in pairs as the SDM's pseudo-code does
// (DPPS: (p0 + p1) + (p2 + p3)), each multiply and add rounded by MXCSR with
// its own flags; the sum goes to the elements imm8[3:0] selects, +0.0 to the others.
import { fpBegin, fpCommit } from "./mxcsr";
import { F32, F64 } from "./fp/format";
import { fadd, fmul } from "./fp/arith";
import { regX, src128, RES_TMP } from "./operand";
import { dImm } from "../exec/operand";
import { R_ALIGNED } from "./rows";

export function dpps(d: usize, info: u32): void {
  const src = src128(d, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const dst = regX(d);
  const n = <u32>dImm(d);
  fpBegin();
  const p0 = (n & 0x10) != 0 ? fmul(<u64>load<u32>(dst), <u64>load<u32>(src), F32) : 0;
  const p1 = (n & 0x20) != 0 ? fmul(<u64>load<u32>(dst + 4), <u64>load<u32>(src + 4), F32) : 0;
  const p2 = (n & 0x40) != 0 ? fmul(<u64>load<u32>(dst + 8), <u64>load<u32>(src + 8), F32) : 0;
  const p3 = (n & 0x80) != 0 ? fmul(<u64>load<u32>(dst + 12), <u64>load<u32>(src + 12), F32) : 0;
  const s = fadd(fadd(p0, p1, F32, false), fadd(p2, p3, F32, false), F32, false);
  if (!fpCommit()) return;
  for (let i: u32 = 0; i < 4; i++) store<u32>(RES_TMP + (i << 2), (n & (1 << i)) != 0 ? <u32>s : 0);
  memory.copy(dst, RES_TMP, 16);
}

export function dppd(d: usize, info: u32): void {
  const src = src128(d, (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const dst = regX(d);
  const n = <u32>dImm(d);
  fpBegin();
  const p0 = (n & 0x10) != 0 ? fmul(load<u64>(dst), load<u64>(src), F64) : 0;
  const p1 = (n & 0x20) != 0 ? fmul(load<u64>(dst + 8), load<u64>(src + 8), F64) : 0;
  const s = fadd(p0, p1, F64, false);
  if (!fpCommit()) return;
  store<u64>(dst, (n & 1) != 0 ? s : 0);
  store<u64>(dst + 8, (n & 2) != 0 ? s : 0);
}
