// The `.res` file of a LID-DS recording: resource use once a second, made here
// from what the emulator recorded of the flight (its per-syscall table; the
// recording's span from the manifest). One row per second of the recording,
// from FlightBegin: row k covers [begin + k s, begin + (k+1) s), the last row
// the rest up to the recording's end; `timestamp` is the row's start.
//   cpu_usage        share of the row's time some guest thread ran in user mode:
//                    the union over threads of the gaps between a call's return
//                    and that thread's next call (one virtual CPU: at most 1)
//   memory_usage     bytes the live processes asked the kernel for, at the row's
//                    end: each one's break above its first brk result, plus its
//                    successful mmap lengths less munmap lengths (pages)
//   network_received bytes returned in the row by recvfrom/recvmsg, and by read
//                    on a socket the process made with socket()
//   network_send     the same for sendto/sendmsg and write on such a socket
//   storage_read, storage_written
//                    NULL: the table does not tell a file from the serial port,
//                    and the guest's files live in memory; LID-DS's reader reads
//                    NULL as 0, as in its own recordings
import type { FlightRows } from "./flight-table.js";
import { epochSecondsText } from "./epoch.js";

export const RES_HEADER = "timestamp,cpu_usage,memory_usage,network_received,network_send,storage_read,storage_written";
const PAGE = 4096;
const pageUp = (n: number) => Math.ceil(n / PAGE) * PAGE;

const value = (r: FlightRows, k: number, i: number) => r.args[k][2 * i + 1] * 4294967296 + r.args[k][2 * i];
const result = (r: FlightRows, i: number) => r.ret[2 * i + 1] * 4294967296 + (r.ret[2 * i] >>> 0);

export function resText(r: FlightRows, beginNs: number, endNs: number): string {
  const seconds = Math.max(1, Math.ceil((endNs - beginNs) / 1e9));
  const start = (k: number) => beginNs + k * 1e9;
  const rowEnd = (k: number) => Math.min(endNs, start(k + 1));
  const row = (t: number) => Math.min(seconds - 1, Math.max(0, Math.floor((t - beginNs) / 1e9)));

  // cpu: user-mode spans per thread, then their union, cut at the rows' bounds.
  const spans: Array<[number, number]> = [];
  const lastExit = new Map<number, number>();
  for (let i = 0; i < r.n; i++) {
    const prev = lastExit.get(r.tid[i]);
    if (prev !== undefined && prev >= 0 && r.enter[i] > prev) spans.push([prev, r.enter[i]]);
    lastExit.set(r.tid[i], r.exit[i]);
  }
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const busy = new Float64Array(seconds);
  let cur: [number, number] | null = null;
  const addSpan = (a: number, b: number) => {
    a = Math.max(a, beginNs); b = Math.min(b, endNs);
    while (a < b) {
      const k = row(a), e = Math.min(b, start(k + 1));
      busy[k] += e - a;
      a = e;
    }
  };
  for (const s of spans) {
    if (cur && s[0] <= cur[1]) cur[1] = Math.max(cur[1], s[1]);
    else { if (cur) addSpan(cur[0], cur[1]); cur = [s[0], s[1]]; }
  }
  if (cur) addSpan(cur[0], cur[1]);

  // memory, network: each call's effect at its return.
  const memAt = new Float64Array(seconds).fill(NaN);
  const recv = new Float64Array(seconds), send = new Float64Array(seconds);
  const firstBrk = new Map<number, number>(), heap = new Map<number, number>(), mapped = new Map<number, number>();
  const sockets = new Map<number, Set<number>>();
  let total = 0;
  const order = Array.from({ length: r.n }, (_, i) => i).filter((i) => r.exit[i] >= 0 || r.name[i] === "exit_group" || r.name[i] === "exit");
  const when = (i: number) => (r.exit[i] >= 0 ? r.exit[i] : r.enter[i]);
  order.sort((a, b) => when(a) - when(b) || a - b);
  let k = 0;
  const settle = (t: number) => { while (k < seconds && rowEnd(k) <= t) { memAt[k] = total; k++; } };
  for (const i of order) {
    const t = when(i);
    settle(t);
    const pid = r.pid[i], name = r.name[i], ret = result(r, i);
    const fd = r.args[0][2 * i] | 0;
    if (name === "exit_group" || (name === "exit" && r.tid[i] === pid)) {
      total -= (heap.get(pid) ?? 0) + (mapped.get(pid) ?? 0);
      heap.delete(pid); mapped.delete(pid); firstBrk.delete(pid); sockets.delete(pid);
      continue;
    }
    if (ret < 0) continue;
    if (name === "brk") {
      if (!firstBrk.has(pid)) firstBrk.set(pid, ret);
      const h = Math.max(0, ret - firstBrk.get(pid)!);
      total += h - (heap.get(pid) ?? 0);
      heap.set(pid, h);
    } else if (name === "mmap") {
      const n = pageUp(value(r, 1, i));
      mapped.set(pid, (mapped.get(pid) ?? 0) + n); total += n;
    } else if (name === "munmap") {
      const n = Math.min(pageUp(value(r, 1, i)), mapped.get(pid) ?? 0);
      mapped.set(pid, (mapped.get(pid) ?? 0) - n); total -= n;
    } else if (name === "socket") {
      if (!sockets.has(pid)) sockets.set(pid, new Set());
      sockets.get(pid)!.add(ret);
    } else if (name === "close") {
      sockets.get(pid)?.delete(fd);
    } else if (name === "sendto" || name === "sendmsg" || (name === "write" && sockets.get(pid)?.has(fd))) {
      send[row(t)] += ret;
    } else if (name === "recvfrom" || name === "recvmsg" || (name === "read" && sockets.get(pid)?.has(fd))) {
      recv[row(t)] += ret;
    }
  }
  settle(Infinity);

  const lines = [RES_HEADER];
  for (let j = 0; j < seconds; j++) {
    const len = rowEnd(j) - start(j);
    const cpu = len > 0 ? Math.min(1, busy[j] / len) : 0;
    lines.push(`${epochSecondsText(start(j))},${cpu},${memAt[j]},${recv[j]},${send[j]},NULL,NULL`);
  }
  return lines.join("\n") + "\n";
}
