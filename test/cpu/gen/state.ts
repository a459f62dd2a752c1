// Standard initial state for generated cases: random GPRs, RSP in the middle of
// the data block, RBX pointing into it (the base of memory operands).
import { Rng } from "./rng.js";
import { BLOCK_VA, BLOCK_LEN } from "../harness.js";

export const RSP = 4, RBX = 3;
export const STACK_TOP = BigInt(BLOCK_VA + 0x100);
export const MEM_BASE = BigInt(BLOCK_VA + 0x80);  // [rbx+0]
// Registers free for operands (not RSP, not RBX).
export const FREE_REGS = [0, 1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

export function stdRegs(rng: Rng): bigint[] {
  const r = Array.from({ length: 16 }, () => rng.u64());
  r[RSP] = STACK_TOP;
  r[RBX] = MEM_BASE;
  return r;
}

export function stdBlock(rng: Rng): Uint8Array { return rng.bytes(BLOCK_LEN); }

// Put `size` bytes of v little-endian at [rbx + disp].
export function poke(block: Uint8Array, disp: number, v: bigint, size: number): void {
  const off = Number(MEM_BASE) - BLOCK_VA + disp;
  let x = BigInt.asUintN(64, v);
  for (let i = 0; i < size; i++) { block[off + i] = Number(x & 0xffn); x >>= 8n; }
}

// Edge values for an operand of `size` bytes, with random upper bits where the size leaves room.
export function edges(size: number): bigint[] {
  const bits = BigInt(size * 8);
  const max = (1n << bits) - 1n;
  const smin = 1n << (bits - 1n);
  return [0n, 1n, 2n, max, max - 1n, smin, smin - 1n, smin + 1n, 0x55n * (max / 0xffn), 0xaan * (max / 0xffn), 0x7fn, 0x80n, 0xffn, 0x100n & max, 0x7fffn & max, 0x8000n & max, 0xffffn & max];
}

export function randFlags(rng: Rng): bigint { return rng.u64() & 0x8d5n; }
