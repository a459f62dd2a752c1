// Trace hooks: SYSCALL and SYSRET records appended to a ring in linear memory
// that the host drains in bulk (it resets S_RING_HEAD to 0 after reading).
// A record is RING_RECORD bytes at the RING_* offsets of memmap.ts:
// { kind: u32, tid: u32, tick, RAX RDI RSI RDX R10 R8 R9, cr3 } for SYSCALL;
// a SYSRET record has kind, tid, tick, ret (RAX as the guest gets it) and cr3.
import {
  STATE, S_RING_HEAD, S_TRACE_ON, S_CR3, S_TID, RING, RING_RECORD, RING_CAPACITY,
  RING_KIND, RING_TICK, RING_REGS, RING_RET, RING_CR3,
} from "../memmap";
import { gpr, ticks, RAX, RDI, RSI, RDX, R10, R8, R9 } from "../cpu/state";

export const REC_SYSCALL: u32 = 1;
export const REC_SYSRET: u32 = 2;
// Set on the last record when one was dropped because the host did not drain the ring.
export const REC_OVERFLOW: u32 = 0x100;

function slot(): usize {
  const head = load<u32>(STATE + S_RING_HEAD);
  if (head >= RING_CAPACITY) {
    // Full: keep the count honest by marking the last record as overflowed.
    const last = RING + (RING_CAPACITY - 1) * RING_RECORD + RING_KIND;
    store<u32>(last, load<u32>(last) | REC_OVERFLOW);
    return 0;
  }
  store<u32>(STATE + S_RING_HEAD, head + 1);
  return RING + head * RING_RECORD;
}

// kind and tid in one store (RING_TID is RING_KIND + 4).
@inline function kindAndTid(kind: u32): u64 { return <u64>kind | (<u64>load<u32>(STATE + S_TID) << 32); }

export function traceSyscall(): void {
  if (load<u32>(STATE + S_TRACE_ON) == 0) return;
  const p = slot();
  if (p == 0) return;
  store<u64>(p, kindAndTid(REC_SYSCALL), RING_KIND);
  store<u64>(p, ticks, RING_TICK);
  store<u64>(p, gpr(RAX), RING_REGS);
  store<u64>(p, gpr(RDI), RING_REGS + 8);
  store<u64>(p, gpr(RSI), RING_REGS + 16);
  store<u64>(p, gpr(RDX), RING_REGS + 24);
  store<u64>(p, gpr(R10), RING_REGS + 32);
  store<u64>(p, gpr(R8), RING_REGS + 40);
  store<u64>(p, gpr(R9), RING_REGS + 48);
  store<u64>(p, load<u64>(STATE + S_CR3), RING_CR3);
}

export function traceSysret(): void {
  if (load<u32>(STATE + S_TRACE_ON) == 0) return;
  const p = slot();
  if (p == 0) return;
  store<u64>(p, kindAndTid(REC_SYSRET), RING_KIND);
  store<u64>(p, ticks, RING_TICK);
  store<u64>(p, gpr(RAX), RING_RET);
  store<u64>(p, load<u64>(STATE + S_CR3), RING_CR3);
}
