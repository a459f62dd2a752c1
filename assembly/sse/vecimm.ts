// Packed operations with an immediate control (the table's "vecimm" rows):
// BLENDPS, BLENDPD, PBLENDW (elements of the source where the immediate's bit
// is set), PALIGNR (MMX and XMM: the concatenation dst:src shifted right by
// imm8 bytes) and MPSADBW (eight sums of absolute differences of 4-byte
// groups, the groups picked by imm8).
import { regX, srcVec, RES_TMP } from "./operand";
import { dOp, dImm } from "../exec/operand";
import { exc } from "../cpu/state";
import { regKind, memSizeCode, K_MM, R_ALIGNED } from "./rows";
import { mmRead, mmWrite, mmReg, mmSrc } from "./mmx";

export function vecimm(d: usize, info: u32): void {
  const op = dOp(d) & 0xFF;
  const n = <u32>dImm(d) & 0xFF;
  if (regKind(info) == K_MM) { // PALIGNR mm, mm/m64
    const b = mmSrc(d, 8);
    if (exc != 0) return;
    const a = mmRead(mmReg(d));
    const s = <u64>n << 3; // bits
    let r: u64;
    if (n >= 16) r = 0;
    else if (n >= 8) r = a >> (s - 64);
    else r = n == 0 ? b : (b >> s) | (a << (64 - s));
    mmWrite(mmReg(d), r);
    return;
  }
  const src = srcVec(d, memSizeCode(info), (info & R_ALIGNED) != 0);
  if (src == 0) return;
  const dst = regX(d);
  switch (op) {
    case 0x0C: for (let i: u32 = 0; i < 4; i++) if ((n & (1 << i)) != 0) store<u32>(dst + (i << 2), load<u32>(src + (i << 2))); return;
    case 0x0D: for (let i: u32 = 0; i < 2; i++) if ((n & (1 << i)) != 0) store<u64>(dst + (i << 3), load<u64>(src + (i << 3))); return;
    case 0x0E: for (let i: u32 = 0; i < 8; i++) if ((n & (1 << i)) != 0) store<u16>(dst + (i << 1), load<u16>(src + (i << 1))); return;
    case 0x0F: { // PALIGNR: bytes n.. of src (low) : dst (high), zeros beyond
      for (let i: u32 = 0; i < 16; i++) {
        const k = i + n;
        store<u8>(RES_TMP + i, k < 16 ? load<u8>(src + k) : k < 32 ? load<u8>(dst + k - 16) : 0);
      }
      memory.copy(dst, RES_TMP, 16);
      return;
    }
    default: { // 0x42 MPSADBW
      const o1: u32 = ((n >> 2) & 1) << 2, o2: u32 = (n & 3) << 2;
      for (let i: u32 = 0; i < 8; i++) {
        let sum: u32 = 0;
        for (let k: u32 = 0; k < 4; k++) {
          const x = <i32>load<u8>(dst + o1 + i + k), y = <i32>load<u8>(src + o2 + k);
          sum += <u32>(x > y ? x - y : y - x);
        }
        store<u16>(RES_TMP + (i << 1), <u16>sum);
      }
      memory.copy(dst, RES_TMP, 16);
    }
  }
}
