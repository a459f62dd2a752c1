// How long the calling thread has waited for a CPU: runnable, but another thread ran in its place
// (Linux: the second field of /proc/thread-self/schedstat, run_delay, in ns; it is brought up to
// date each time the thread gets a CPU back, so it is exact whenever the thread reads it). The
// JIT's main-thread time subtracts the waits inside its calls: on a busy machine a request's
// postMessage wakes the compile thread, which often ran in the main thread's place right there,
// and the wall clock then counted the compile thread's work as the main thread's (docs/jit.md,
// "Waking the compile thread"). 0 where the file is missing.
import { openSync, readSync } from "node:fs";

let fd: number | undefined | null;          // per JavaScript thread (a worker has its own module state), null: no such file
const buf = Buffer.alloc(96);

/** This thread's total wait for a CPU so far, in ms (0 where Linux's schedstat is missing). */
export function cpuWaitMs(): number {
  if (fd === undefined) { try { fd = openSync("/proc/thread-self/schedstat", "r"); } catch { fd = null; } }
  if (fd === null) return 0;
  const n = readSync(fd, buf, 0, buf.length, 0);
  // "<run ns> <wait ns> <slices>\n": the second number
  let i = 0;
  while (i < n && buf[i] !== 0x20) i++;
  let ns = 0;
  for (i++; i < n && buf[i] >= 0x30 && buf[i] <= 0x39; i++) ns = ns * 10 + (buf[i] - 0x30);
  return ns / 1e6;
}
