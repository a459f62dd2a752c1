// The calling thread's own CPU time (Linux: the first field of /proc/thread-self/schedstat, ns on
// a CPU), apart from the process's other threads: process.cpuUsage() counts V8's background
// threads (concurrent GC, compilation) and the JIT's compile thread too, which run beside the
// main thread and so add CPU without adding wall time. The kernel brings the figure up to date at
// its timer ticks and at switches only (4 ms apart at HZ=250, this machine's): good for a flight's
// ~200 ms and a median of several, not for short spans. NaN where the file is missing.
import { openSync, readSync } from "node:fs";

let fd: number | null | undefined;
const buf = Buffer.alloc(96);

export function threadCpuMs(): number {
  if (fd === undefined) { try { fd = openSync("/proc/thread-self/schedstat", "r"); } catch { fd = null; } }
  if (fd === null) return NaN;
  const n = readSync(fd, buf, 0, buf.length, 0);
  let ns = 0;
  for (let i = 0; i < n && buf[i] >= 0x30 && buf[i] <= 0x39; i++) ns = ns * 10 + (buf[i] - 0x30);
  return ns / 1e6;
}
