// Code probes: (CR3, virtual address) pairs the host registers (memmap.ts
// PROBES). They cost nothing while code runs: a probe is looked for only when
// a trace is built, and becomes a decoded slot of its own form (F_PROBE, length
// 0) that makes run() exit before the instruction at that address
// (exec/probe.ts). Traces are keyed by virtual RIP and address space
// (cacheflush.ts) and dropped whenever the probes change, so a trace holds
// exactly the probes of the address space it was built in.
import { STATE, S_CR3, PROBES, PROBE_ENTRY, PROBE_MAX, DC_SLOT_SIZE } from "../memmap";
import { D_FAST, D_IMM } from "./slot";
import { F_PROBE } from "./insns";

// Entries in use at PROBES (0: probes cost one compare per decoded instruction).
export let probeCount: u32 = 0;
// The table itself lives in the fixed area, which reset() zeroes.
export function resetProbes(): void { probeCount = 0; }

export function setProbeCount(n: u32): void { probeCount = n < PROBE_MAX ? n : PROBE_MAX; }

// The index of the probe at `va` in the current address space (an entry with
// CR3 0 matches any), or -1.
export function probeAt(va: u64): i32 {
  const cr3 = load<u64>(STATE + S_CR3);
  for (let i: u32 = 0; i < probeCount; i++) {
    const e = PROBES + i * PROBE_ENTRY;
    if (load<u64>(e, 8) != va) continue;
    const c = load<u64>(e);
    if (c == 0 || c == cr3) return <i32>i;
  }
  return -1;
}

// A probe slot: no bytes (D_LEN 0), form F_PROBE, the probe's index in D_IMM.
export function emitProbe(slot: usize, index: i32): void {
  memory.fill(slot, 0, DC_SLOT_SIZE);
  store<u8>(slot + D_FAST, F_PROBE);
  store<u64>(slot + D_IMM, <u64>index);
}
