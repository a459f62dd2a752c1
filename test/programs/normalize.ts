// The allow-list of legitimate differences between a native run under strace
// and an emulated run, applied before comparing syscall name sequences. Keep
// it as small as possible: anything not listed here is a difference the
// kernel must fix.
import type { SyscallEvent } from "../../src/dataset/raw-reader.js";
import { syscallName } from "./processes.js";

// 1. The vDSO. The host kernel maps a vDSO and passes AT_SYSINFO_EHDR, so
//    static glibc reads these clocks in user space and strace never sees a
//    call; skytrace provides no vDSO, so glibc falls back to the real system
//    call, which the trace (rightly) records. Only the calls the x86-64 vDSO
//    serves are dropped: clock_gettime/clock_getres for the clocks it handles
//    (REALTIME 0, MONOTONIC 1, MONOTONIC_RAW 4, REALTIME_COARSE 5,
//    MONOTONIC_COARSE 6, BOOTTIME 7 — not the CPU-time clocks, which are
//    real calls natively too), gettimeofday, time and getcpu.
const VDSO_CLOCKS = new Set([0n, 1n, 4n, 5n, 6n, 7n]);
function servedByVdso(e: SyscallEvent): boolean {
  const name = syscallName(e.regs[0]);
  if (name === "gettimeofday" || name === "time" || name === "getcpu") return true;
  if (name === "clock_gettime" || name === "clock_getres") return VDSO_CLOCKS.has(e.regs[1]);
  return false;
}

/** Names of an emulated process's calls, with the allow-listed ones removed. */
export function emulatedNames(events: SyscallEvent[]): string[] {
  return events.filter((e) => !servedByVdso(e)).map((e) => syscallName(e.regs[0]));
}

/** Names of a native process's calls as strace showed them (nothing removed). */
export function nativeNames(calls: string[]): string[] {
  return calls;
}

/**
 * Processes in a canonical order for comparison: the first one (the program
 * started) first, then the others sorted by their sequences, since the order
 * in which children first appear depends on scheduling.
 */
export function canonical(processes: string[][]): string[][] {
  if (processes.length === 0) return [];
  const [first, ...rest] = processes;
  return [first, ...rest.sort((a, b) => (a.join(" ") < b.join(" ") ? -1 : a.join(" ") > b.join(" ") ? 1 : 0))];
}
