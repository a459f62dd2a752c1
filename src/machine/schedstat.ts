// The calling thread's scheduler figures from Linux's /proc/thread-self/schedstat ("<ns on a CPU>
// <ns waiting for a CPU> <slices>"), one open file per JavaScript thread (a worker has its own
// module state). The kernel brings both up to date when the thread gets a CPU back and at its timer
// ticks (4 ms apart at HZ=250), so they are exact whenever the thread itself reads them.
//
// cpuWaitMs: how long the thread was runnable while another ran in its place (run_delay). The
// JIT's main-thread time subtracts the waits inside its calls: on a busy machine a request's
// postMessage wakes the compile thread, which often ran in the main thread's place right there,
// and the wall clock then counted the compile thread's work as the main thread's (docs/jit.md,
// "Waking the compile thread"). threadCpuMs: the thread's own CPU time, apart from the process's
// other threads (process.cpuUsage() also counts V8's background GC and compilation and the JIT's
// compile thread, which add CPU beside the main thread without adding wall time): the benches'
// main-thread figures.
import { openSync, readSync } from "node:fs";

let fd: number | undefined | null;          // null: no such file (not Linux)
const buf = Buffer.alloc(96);

// Field `k` (0: on a CPU, 1: waiting for one) in ms; undefined where the file is missing.
function field(k: number): number | undefined {
  if (fd === undefined) { try { fd = openSync("/proc/thread-self/schedstat", "r"); } catch { fd = null; } }
  if (fd === null) return undefined;
  const n = readSync(fd, buf, 0, buf.length, 0);
  let i = 0;
  for (let skip = k; skip > 0 && i < n; i++) if (buf[i] === 0x20) skip--;
  let ns = 0;
  for (; i < n && buf[i] >= 0x30 && buf[i] <= 0x39; i++) ns = ns * 10 + (buf[i] - 0x30);
  return ns / 1e6;
}

/** This thread's total wait for a CPU so far, in ms (0 where Linux's schedstat is missing). */
export function cpuWaitMs(): number { return field(1) ?? 0; }

/** This thread's own CPU time so far, in ms (NaN where Linux's schedstat is missing). */
export function threadCpuMs(): number { return field(0) ?? NaN; }
