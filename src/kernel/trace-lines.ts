// Draining the core's trace ring straight into raw-format text: the hot path
// of a traced run (one SYSCALL and one SYSRET per syscall), so no record
// objects and no BigInt are made; 64-bit values are formatted from their halves.
import type { Machine } from "../machine/machine.js";
import { S_RING_HEAD, REC_SYSCALL } from "../machine/layout.js";

const hex = (lo: number, hi: number): string =>
  hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0");

// Consecutive calls mostly repeat their arguments (the same fd, buffer and
// CR3), so each field keeps its last value and text. 10 fields: RAX, RDI,
// RSI, RDX, R10, R8, R9, CR3 at record words 4..19 (as lo/hi pairs).
const lastLo = new Float64Array(10).fill(-1);
const lastHi = new Float64Array(10).fill(-1);
const lastText: string[] = new Array<string>(10).fill("");
function field(k: number, lo: number, hi: number): string {
  if (lo === lastLo[k] && hi === lastHi[k]) return lastText[k];
  const t = hex(lo, hi);
  lastLo[k] = lo; lastHi[k] = hi; lastText[k] = t;
  return t;
}
const syscallKind = Number(REC_SYSCALL);

export function drainRingLines(m: Machine, sink: (line: string) => void): number {
  const st = m.stateWords;
  const n = st[S_RING_HEAD / 4];
  if (n === 0) return 0;
  const r = m.ringWords;
  for (let i = 0; i < n; i++) {
    const b = i * 20;
    if (r[b] & 0x100) throw new Error("skytrace: trace ring overflowed (records lost)");
    const ts = r[b + 3] * 4294967296 + r[b + 2];
    const cr3 = field(7, r[b + 18], r[b + 19]);
    if ((r[b] & 0xff) === syscallKind) {
      sink(`${ts}, SYSCALL,0x${field(0, r[b + 4], r[b + 5])},0x${field(1, r[b + 6], r[b + 7])},0x${field(2, r[b + 8], r[b + 9])},0x${field(3, r[b + 10], r[b + 11])},0x${field(4, r[b + 12], r[b + 13])},0x${field(5, r[b + 14], r[b + 15])},0x${field(6, r[b + 16], r[b + 17])},0x${cr3}\n`);
    } else {
      sink(`${ts}, SYSRET,0x${cr3}\n`);
    }
  }
  st[S_RING_HEAD / 4] = 0;
  return n;
}

// The same records handed over as words (Kernel option traceRecords).
export function drainRingRecords(m: Machine, sink: (ring: Uint32Array, count: number) => void): number {
  const st = m.stateWords;
  const n = st[S_RING_HEAD / 4];
  if (n === 0) return 0;
  const r = m.ringWords;
  for (let i = 0; i < n; i++) if (r[i * 20] & 0x100) throw new Error("skytrace: trace ring overflowed (records lost)");
  sink(r, n);
  st[S_RING_HEAD / 4] = 0;
  return n;
}
