// The x87 instruction and data pointers and the last opcode (FIP, FCS, FDP,
// FDS, FOP), kept as the AMD host keeps them (docs/cpu-model.md): every
// non-control x87 instruction that completes (an unmasked exception pending
// after it included) records its address, its code selector and the low
// 11 bits of its opcode (ESC's low 3 bits, then ModRM); one with a memory
// operand also records the operand's offset (the effective address without a
// segment base) and its data selector (SS with an RSP or RBP base, else DS;
// FS and GS are 0 on Linux). Control instructions (FLDCW, FNSTCW, FNSTSW,
// FNSTENV, FLDENV, FNSAVE, FRSTOR, FNCLEX, FENI/FDISI/FSETPM), FWAIT, MMX and
// EMMS change none of them; FNINIT clears them all.
import { STATE, S_FPU_FOP, S_FPU_FCS, S_FPU_FDS, S_FPU_FIP, S_FPU_FDP } from "../memmap";

export const USER_CS: u32 = 0x33; // Linux's 64-bit user code selector (MOV r/m, CS reads the same)
export const USER_SS: u32 = 0x2B; // and its stack selector; DS, ES, FS, GS are 0

@inline export function fip(): u64 { return load<u64>(STATE + S_FPU_FIP); }
@inline export function fdp(): u64 { return load<u64>(STATE + S_FPU_FDP); }
@inline export function fcs(): u32 { return load<u16>(STATE + S_FPU_FCS); }
@inline export function fds(): u32 { return load<u16>(STATE + S_FPU_FDS); }
@inline export function fop(): u32 { return load<u16>(STATE + S_FPU_FOP); }

export function setPointers(ip: u64, cs: u32, op: u32, dp: u64, ds: u32): void {
  store<u64>(STATE + S_FPU_FIP, ip);
  store<u16>(STATE + S_FPU_FCS, <u16>cs);
  store<u16>(STATE + S_FPU_FOP, <u16>(op & 0x7FF));
  store<u64>(STATE + S_FPU_FDP, dp);
  store<u16>(STATE + S_FPU_FDS, <u16>ds);
}

// After a non-control instruction: `dp`/`ds` only when it had a memory operand.
export function noteInstruction(ip: u64, op: u32, modrm: u32, mem: bool, dp: u64, ds: u32): void {
  store<u64>(STATE + S_FPU_FIP, ip);
  store<u16>(STATE + S_FPU_FCS, <u16>USER_CS);
  store<u16>(STATE + S_FPU_FOP, <u16>(((op & 7) << 8) | modrm));
  if (mem) {
    store<u64>(STATE + S_FPU_FDP, dp);
    store<u16>(STATE + S_FPU_FDS, <u16>ds);
  }
}

export function clearPointers(): void { setPointers(0, 0, 0, 0, 0); }
