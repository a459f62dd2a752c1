// CPU registers. GPRs and XMM live in the state block so they can be indexed by
// register number; RIP, the clock and the pending exception are globals because
// the hot loop touches them on every instruction.
import { STATE, S_GPR, S_XMM, S_EXIT_REASON, S_EXIT_ERROR, S_EXIT_ADDR, S_CR2, S_EXIT_OPCODE, S_EXIT_VECTOR } from "../memmap";

export let rip: u64 = 0;          // next RIP once an instruction has started executing
export let instRip: u64 = 0;      // RIP of the instruction being executed
export let ticks: u64 = 0;
export let exc: u32 = 0;          // non-zero: an exit is pending; the current instruction aborts

// Register numbers in encoding order.
export const RAX: u32 = 0; export const RCX: u32 = 1; export const RDX: u32 = 2; export const RBX: u32 = 3;
export const RSP: u32 = 4; export const RBP: u32 = 5; export const RSI: u32 = 6; export const RDI: u32 = 7;
export const R8: u32 = 8; export const R9: u32 = 9; export const R10: u32 = 10; export const R11: u32 = 11;

@inline export function setRip(v: u64): void { rip = v; }
@inline export function setInstRip(v: u64): void { instRip = v; }
@inline export function setTicks(v: u64): void { ticks = v; }
@inline export function addTick(): void { ticks++; }
@inline export function clearExc(): void { exc = 0; }

@inline export function gpr(r: u32): u64 { return load<u64>(STATE + S_GPR + (r << 3)); }
@inline export function setGpr(r: u32, v: u64): void { store<u64>(STATE + S_GPR + (r << 3), v); }

// Read a register operand of the given size. With no REX prefix, byte registers
// 4..7 are AH, CH, DH, BH.
@inline export function readReg(r: u32, size: u32, rex: u32): u64 {
  if (size == 8) return gpr(r);
  if (size == 4) return gpr(r) & 0xFFFFFFFF;
  if (size == 2) return gpr(r) & 0xFFFF;
  if (rex == 0 && r >= 4 && r < 8) return (gpr(r - 4) >> 8) & 0xFF;
  return gpr(r) & 0xFF;
}

// Write a register operand: 32-bit writes zero the upper half, 8/16-bit writes merge.
@inline export function writeReg(r: u32, size: u32, rex: u32, v: u64): void {
  if (size == 8) { setGpr(r, v); return; }
  if (size == 4) { setGpr(r, v & 0xFFFFFFFF); return; }
  if (size == 2) { setGpr(r, (gpr(r) & ~<u64>0xFFFF) | (v & 0xFFFF)); return; }
  if (rex == 0 && r >= 4 && r < 8) {
    const q = r - 4;
    setGpr(q, (gpr(q) & ~<u64>0xFF00) | ((v & 0xFF) << 8));
    return;
  }
  setGpr(r, (gpr(r) & ~<u64>0xFF) | (v & 0xFF));
}

@inline export function xmmAddr(r: u32): u32 { return STATE + S_XMM + (r << 4); }

// Raise an exit. The run loop sees exc, rewinds RIP to the instruction start
// (faults) and returns to the host. The first exception of an instruction wins.
// The exit's vector is the reason's own (cpu/exits.ts vectorOf, filled in when
// run() returns, so that raise stays as small as the hot paths inline it) or
// the one raiseVector names.
export function raise(reason: u32, error: u32, addr: u64): void {
  if (exc != 0) return;
  exc = reason;
  store<u32>(STATE + S_EXIT_REASON, reason);
  store<u32>(STATE + S_EXIT_ERROR, error);
  store<u64>(STATE + S_EXIT_ADDR, addr);
}
export function raiseVector(reason: u32, vector: u32, error: u32, addr: u64): void {
  if (exc != 0) return;
  store<u32>(STATE + S_EXIT_VECTOR, vector);
  raise(reason, error, addr);
}

// Replace the pending exit's reason (exec/stackfault.ts: a #GP that is an #SS).
export function reraise(reason: u32): void {
  exc = reason;
  store<u32>(STATE + S_EXIT_REASON, reason);
}

export function raisePageFault(addr: u64, error: u32): void {
  if (exc != 0) return;
  store<u64>(STATE + S_CR2, addr);
  raise(2, error, addr);
}

export function raiseOpcode(reason: u32, op: u32): void {
  if (exc != 0) return;
  store<u32>(STATE + S_EXIT_OPCODE, op);
  raise(reason, 0, 0);
}

// Instructions left in the current run() slice. REP loops and other long
// instructions consume it too and yield (RIP left at the instruction) when it runs out.
export let budget: i64 = 0;
export function resetState(): void { rip = 0; instRip = 0; ticks = 0; exc = 0; budget = 0; }
@inline export function setBudget(v: i64): void { budget = v; }
@inline export function addTicks(n: u64): void { ticks += n; }
