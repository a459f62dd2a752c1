// Groups a raw trace's SYSCALL events into processes, to compare with the
// native run's per-pid sequences. The trace names a process only by CR3
// (its address space), so:
//  - an event with a CR3 not seen before starts a new process (a fork child's
//    first event is the SYSRET of its fork);
//  - except right after an execve SYSCALL: if the next event is a SYSRET in
//    another, new CR3, the kernel gave the exec'ed image a fresh address
//    space, and it is the same process (as it keeps its pid natively);
//  - after exit/exit_group the CR3 is free and may be handed to a new process.
// Calls are named through the syscall number table.
import type { RawEvent, SyscallEvent } from "../../src/dataset/raw-reader.js";
import { SYSCALL_NAMES } from "../../src/linux/syscall-numbers.js";

export interface EmulatedProcess {
  cr3s: bigint[];
  events: SyscallEvent[];
}

const EXECVE = 59n;
const EXIT = 60n;
const EXIT_GROUP = 231n;

export function groupProcesses(events: RawEvent[]): EmulatedProcess[] {
  const live = new Map<bigint, EmulatedProcess>();
  const all: EmulatedProcess[] = [];
  let prev: RawEvent | undefined;
  for (const e of events) {
    let p = live.get(e.cr3);
    if (!p) {
      const fromExec = prev && prev.kind === "SYSCALL" && prev.regs[0] === EXECVE && e.kind === "SYSRET" ? live.get(prev.cr3) : undefined;
      if (fromExec && prev) {
        p = fromExec;
        live.delete(prev.cr3);
        p.cr3s.push(e.cr3);
      } else {
        p = { cr3s: [e.cr3], events: [] };
        all.push(p);
      }
      live.set(e.cr3, p);
    }
    if (e.kind === "SYSCALL") {
      p.events.push(e);
      if (e.regs[0] === EXIT || e.regs[0] === EXIT_GROUP) live.delete(e.cr3);
    }
    prev = e;
  }
  return all;
}

export function syscallName(nr: bigint): string {
  return SYSCALL_NAMES[Number(nr)] ?? `syscall_${nr.toString(16)}`;
}
