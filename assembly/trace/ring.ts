// Trace hooks: SYSCALL and SYSRET records appended to a ring in linear memory
// that the host drains in bulk (it resets S_RING_HEAD to 0 after reading).
// Records are 10 x u64: { kind, tick, rax, rdi, rsi, rdx, r10, r8, r9, cr3 };
// a SYSRET record fills kind, tick and cr3 only.
import { STATE, S_RING_HEAD, S_TRACE_ON, S_CR3, RING, RING_RECORD, RING_CAPACITY } from "../memmap";
import { gpr, ticks, RAX, RDI, RSI, RDX, R10, R8, R9 } from "../cpu/state";

export const REC_SYSCALL: u64 = 1;
export const REC_SYSRET: u64 = 2;
// Set when a record was dropped because the host did not drain the ring.
export const REC_OVERFLOW_FLAG: u64 = 0x100;

function slot(): usize {
  const head = load<u32>(STATE + S_RING_HEAD);
  if (head >= RING_CAPACITY) {
    // Full: keep the count honest by marking the last record as overflowed.
    const last = RING + (RING_CAPACITY - 1) * RING_RECORD;
    store<u64>(last, load<u64>(last) | REC_OVERFLOW_FLAG);
    return 0;
  }
  store<u32>(STATE + S_RING_HEAD, head + 1);
  return RING + head * RING_RECORD;
}

export function traceSyscall(): void {
  if (load<u32>(STATE + S_TRACE_ON) == 0) return;
  const p = slot();
  if (p == 0) return;
  store<u64>(p, REC_SYSCALL);
  store<u64>(p, ticks, 8);
  store<u64>(p, gpr(RAX), 16);
  store<u64>(p, gpr(RDI), 24);
  store<u64>(p, gpr(RSI), 32);
  store<u64>(p, gpr(RDX), 40);
  store<u64>(p, gpr(R10), 48);
  store<u64>(p, gpr(R8), 56);
  store<u64>(p, gpr(R9), 64);
  store<u64>(p, load<u64>(STATE + S_CR3), 72);
}

export function traceSysret(): void {
  if (load<u32>(STATE + S_TRACE_ON) == 0) return;
  const p = slot();
  if (p == 0) return;
  store<u64>(p, REC_SYSRET);
  store<u64>(p, ticks, 8);
  store<u64>(p, load<u64>(STATE + S_CR3), 72);
}
