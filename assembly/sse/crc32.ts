// SSE4.2 CRC32 r32/r64, r/m8/16/32/64: the CRC-32C (Castagnoli) of the
// source's bytes, least significant first, continuing from the destination's
// low 32 bits, bit-reflected and without the initial or final inversion
// (software does those). A 64-bit destination gets the CRC zero-extended.
// Flags are not changed.
import { dOp, dOsz, readRM, writeR, readR } from "../exec/operand";
import { exc } from "../cpu/state";

// The byte-at-a-time table (static data, filled when the module starts).
const TABLE: usize = memory.data(256 * 4, 4);
function fill(): void {
  for (let i: u32 = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
    store<u32>(TABLE + (<usize>i << 2), c);
  }
}
fill();

export function crc32(d: usize): void {
  const size: u32 = (dOp(d) & 0xFF) == 0xF0 ? 1 : dOsz(d);
  const v = readRM(d, size);
  if (exc != 0) return;
  let c = <u32>readR(d, 4);
  for (let i: u32 = 0; i < size; i++) c = load<u32>(TABLE + (<usize>((c ^ <u32>(v >> (<u64>i << 3))) & 0xFF) << 2)) ^ (c >>> 8);
  writeR(d, 4, <u64>c);
}
