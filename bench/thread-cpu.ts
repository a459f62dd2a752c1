// The calling thread's own CPU time (Linux: the first field of /proc/thread-self/schedstat, ns on
// a CPU), apart from the process's other threads: process.cpuUsage() counts V8's background
// threads (concurrent GC, compilation) and the JIT's compile thread too, which run beside the
// main thread and so add CPU without adding wall time. NaN where the file is missing.
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
