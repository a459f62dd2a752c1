// Operand access for executors: effective addresses and ModRM register/memory
// operands of a decoded instruction `d` (a pointer to its slot).
import * as S from "../decoder/slot";
import { STATE, S_FSBASE, S_GSBASE } from "../memmap";
import { gpr, readReg, writeReg, rip } from "../cpu/state";
import { readN, writeN, probeWrite } from "../mmu/access";

@inline export function dOp(d: usize): u32 { return load<u16>(d + S.D_OP); }
@inline export function dLen(d: usize): u32 { return load<u8>(d + S.D_LEN); }
@inline export function dPfx(d: usize): u32 { return load<u8>(d + S.D_PFX); }
@inline export function dRex(d: usize): u32 { return load<u8>(d + S.D_REX); }
@inline export function dModrm(d: usize): u32 { return load<u8>(d + S.D_MODRM); }
@inline export function dReg(d: usize): u32 { return load<u8>(d + S.D_REG); }
@inline export function dRm(d: usize): u32 { return load<u8>(d + S.D_RM); }
@inline export function dImm(d: usize): u64 { return load<u64>(d + S.D_IMM); }
@inline export function dImm2(d: usize): u32 { return load<u8>(d + S.D_IMM2); }
@inline export function dOsz(d: usize): u32 { return load<u8>(d + S.D_OSZ); }
@inline export function dIsMem(d: usize): bool { return (load<u8>(d + S.D_PFX) & S.P_MEM) != 0; }
// ModRM.reg field without REX.R (group opcodes use it as an opcode extension)
@inline export function dExt(d: usize): u32 { return (load<u8>(d + S.D_MODRM) >> 3) & 7; }
@inline export function hasPfx(d: usize, p: u8): bool { return (load<u8>(d + S.D_PFX) & p) != 0; }

// Effective (linear) address of the memory operand. `rip` already points past the
// instruction, which is what RIP-relative addressing wants.
export function ea(d: usize): u64 {
  const base = <u32>load<u8>(d + S.D_BASE);
  const index = <u32>load<u8>(d + S.D_INDEX);
  let a: u64 = <u64><i64>load<i32>(d + S.D_DISP);
  if (base < 16) a += gpr(base);
  else if (base == S.R_RIP) a += rip;
  if (index < 16) a += gpr(index) << load<u8>(d + S.D_SCALE);
  if (load<u8>(d + S.D_ASZ) == 4) a &= 0xFFFFFFFF;
  const seg = load<u8>(d + S.D_SEG);
  if (seg != 0) a += load<u64>(STATE + (seg == S.SEG_FS ? S_FSBASE : S_GSBASE));
  return a;
}

// r/m operand of `size` bytes: a register when mod == 3, memory otherwise.
export function readRM(d: usize, size: u32): u64 {
  if (dIsMem(d)) return readN(ea(d), size);
  return readReg(dRm(d), size, dRex(d));
}
export function writeRM(d: usize, size: u32, v: u64): void {
  if (dIsMem(d)) writeN(ea(d), size, v);
  else writeReg(dRm(d), size, dRex(d), v);
}
// The ModRM.reg register operand.
@inline export function readR(d: usize, size: u32): u64 { return readReg(dReg(d), size, dRex(d)); }
@inline export function writeR(d: usize, size: u32, v: u64): void { writeReg(dReg(d), size, dRex(d), v); }

// Read-modify-write of the r/m operand. readRMW checks first that a memory
// destination is writable, so a faulting RMW reports a write (#PF W=1) before
// anything changes, and remembers the address; writeRMW stores the result there.
// One instruction's pair runs with nothing in between that could reuse them.
let rmwMem: bool = false;
let rmwAddr: u64 = 0;
export function resetOperand(): void { rmwMem = false; rmwAddr = 0; }
export function readRMW(d: usize, size: u32): u64 {
  rmwMem = dIsMem(d);
  if (!rmwMem) return readReg(dRm(d), size, dRex(d));
  rmwAddr = ea(d);
  if (!probeWrite(rmwAddr, size)) return 0;
  return readN(rmwAddr, size);
}
export function writeRMW(d: usize, size: u32, v: u64): void {
  if (rmwMem) writeN(rmwAddr, size, v);
  else writeReg(dRm(d), size, dRex(d), v);
}
