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

  // cpu: user-mode spans per thread (in order within a thread), merged across the
  // few threads by start, their union cut at the rows' bounds.
  const perThread = new Map<number, number[]>();   // tid → [start, end, start, end, …]
  const lastExit = new Map<number, number>();
  for (let i = 0; i < r.n; i++) {
    const tid = r.tid[i], prev = lastExit.get(tid);
    if (prev !== undefined && prev >= 0 && r.enter[i] > prev) {
      let l = perThread.get(tid);
      if (!l) { l = []; perThread.set(tid, l); }
      l.push(prev, r.enter[i]);
    }
    lastExit.set(tid, r.exit[i]);
  }
  const busy = new Float64Array(seconds);
  const addSpan = (a: number, b: number) => {
    a = Math.max(a, beginNs); b = Math.min(b, endNs);
    while (a < b) {
      const k = row(a), e = Math.min(b, start(k + 1));
      busy[k] += e - a;
      a = e;
    }
  };
  const lists = [...perThread.values()], at = new Array<number>(lists.length).fill(0);
  let curA = -1, curB = -1;
  for (;;) {
    let best = -1;
    for (let j = 0; j < lists.length; j++) {
      if (at[j] < lists[j].length && (best < 0 || lists[j][at[j]] < lists[best][at[best]])) best = j;
    }
    if (best < 0) break;
    const a = lists[best][at[best]], b = lists[best][at[best] + 1];
    at[best] += 2;
    if (curB >= 0 && a <= curB) curB = Math.max(curB, b);
    else { if (curB >= 0) addSpan(curA, curB); curA = a; curB = b; }
  }
  if (curB >= 0) addSpan(curA, curB);

  // network: each call's bytes in the row of its return; a process's calls in table order
  // (they are sequential), so its socket fds are known at each read and write.
  const recv = new Float64Array(seconds), send = new Float64Array(seconds);
  const sockets = new Map<number, Set<number>>();
  // memory: the few calls that change it, applied in order of their return.
  const memCalls: number[] = [];
  for (let i = 0; i < r.n; i++) {
    const name = r.name[i];
    if (name === "brk" || name === "mmap" || name === "munmap" || name === "exit_group" || name === "exit") { memCalls.push(i); continue; }
    if (r.exit[i] < 0) continue;
    const ret = result(r, i);
    if (ret < 0) continue;
    const pid = r.pid[i], fd = r.args[0][2 * i] | 0;
    if (name === "socket") {
      let set = sockets.get(pid);
      if (!set) { set = new Set(); sockets.set(pid, set); }
      set.add(ret);
    } else if (name === "close") {
      sockets.get(pid)?.delete(fd);
    } else if (name === "sendto" || name === "sendmsg" || (name === "write" && sockets.get(pid)?.has(fd))) {
      send[row(r.exit[i])] += ret;
    } else if (name === "recvfrom" || name === "recvmsg" || (name === "read" && sockets.get(pid)?.has(fd))) {
      recv[row(r.exit[i])] += ret;
    }
  }
  const when = (i: number) => (r.exit[i] >= 0 ? r.exit[i] : r.enter[i]);
  memCalls.sort((a, b) => when(a) - when(b) || a - b);
  const memAt = new Float64Array(seconds);
  const firstBrk = new Map<number, number>(), heap = new Map<number, number>(), mapped = new Map<number, number>();
  let total = 0, k = 0;
  const settle = (t: number) => { while (k < seconds && rowEnd(k) <= t) { memAt[k] = total; k++; } };
  for (const i of memCalls) {
    const name = r.name[i], pid = r.pid[i];
    if (name === "exit_group" || name === "exit") {
      if (name === "exit" && r.tid[i] !== pid) continue;
      settle(when(i));
      total -= (heap.get(pid) ?? 0) + (mapped.get(pid) ?? 0);
      heap.delete(pid); mapped.delete(pid); firstBrk.delete(pid);
      continue;
    }
    if (r.exit[i] < 0) continue;
    const ret = result(r, i);
    if (ret < 0) continue;
    settle(when(i));
    if (name === "brk") {
      if (!firstBrk.has(pid)) firstBrk.set(pid, ret);
      const h = Math.max(0, ret - firstBrk.get(pid)!);
      total += h - (heap.get(pid) ?? 0);
      heap.set(pid, h);
    } else if (name === "mmap") {
      const n = pageUp(value(r, 1, i));
      mapped.set(pid, (mapped.get(pid) ?? 0) + n); total += n;
    } else {
      const n = Math.min(pageUp(value(r, 1, i)), mapped.get(pid) ?? 0);
      mapped.set(pid, (mapped.get(pid) ?? 0) - n); total -= n;
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
