// SYSCALL and SYSRET with their architectural register effects. The kernel runs
// on the host: SYSCALL exits to it, and it calls sysret() to resume the guest.
import { STATE, S_LSTAR, S_FMASK, S_CPL } from "../memmap";
import { gpr, setGpr, rip, setRip, raise, RCX, R11 } from "../cpu/state";
import { getFlags, setFlagsValue } from "../cpu/flags";
import { EXIT_SYSCALL } from "../cpu/exits";
import { traceSyscall, traceSysret } from "../trace/ring";

export function syscall(): void {
  setGpr(RCX, rip);
  const f = getFlags();
  setGpr(R11, f);
  setFlagsValue(f & ~load<u64>(STATE + S_FMASK));
  setRip(load<u64>(STATE + S_LSTAR));
  store<u32>(STATE + S_CPL, 0);
  traceSyscall();
  raise(EXIT_SYSCALL, 0, 0);
}

// SYSRET to 64-bit user mode: RIP <- RCX, RFLAGS <- R11 (RF and VM cleared).
export function sysret(): void {
  setRip(gpr(RCX));
  setFlagsValue(gpr(R11) & ~<u64>0x30000);
  store<u32>(STATE + S_CPL, 3);
  traceSysret();
}
