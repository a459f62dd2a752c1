// Draining the core's trace ring straight into raw-format text: the hot path
// of a traced run (one SYSCALL and one SYSRET per syscall), so no record
// objects and no BigInt are made; 64-bit values are formatted from their halves.
import type { Machine } from "../machine/machine.js";
import { RING, STATE, S_RING_HEAD, REC_SYSCALL } from "../machine/layout.js";

const hex = (lo: number, hi: number): string =>
  hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0");

export function drainRingLines(m: Machine, sink: (line: string) => void): number {
  const buf = m.core.memory.buffer;
  const head = new Uint32Array(buf, STATE + S_RING_HEAD, 1);
  const n = head[0];
  if (n === 0) return 0;
  const r = new Uint32Array(buf, RING, n * 20);
  const syscallKind = Number(REC_SYSCALL);
  for (let i = 0; i < n; i++) {
    const b = i * 20;
    if (r[b] & 0x100) throw new Error("skytrace: trace ring overflowed (records lost)");
    const ts = r[b + 3] * 4294967296 + r[b + 2];
    const cr3 = hex(r[b + 18], r[b + 19]);
    if ((r[b] & 0xff) === syscallKind) {
      sink(`${ts}, SYSCALL,0x${hex(r[b + 4], r[b + 5])},0x${hex(r[b + 6], r[b + 7])},0x${hex(r[b + 8], r[b + 9])},0x${hex(r[b + 10], r[b + 11])},0x${hex(r[b + 12], r[b + 13])},0x${hex(r[b + 14], r[b + 15])},0x${hex(r[b + 16], r[b + 17])},0x${cr3}\n`);
    } else {
      sink(`${ts}, SYSRET,0x${cr3}\n`);
    }
  }
  head[0] = 0;
  return n;
}
