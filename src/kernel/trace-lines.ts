// Draining the core's trace ring straight into raw-format text: the hot path
// of a traced run (one SYSCALL and one SYSRET per syscall), so no record
// objects and no BigInt are made; 64-bit values are formatted from their halves.
// The record layout and the drain are src/machine/trace-ring.ts's.
import type { Machine } from "../machine/machine.js";
import { drainRing, RECORD_WORDS, W_TICK, W_REGS, W_CR3, recIsSyscall, type RingSink } from "../machine/trace-ring.js";

const hex = (lo: number, hi: number): string =>
  hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0");

// Consecutive calls mostly repeat their arguments (the same fd, buffer and
// CR3), so each field keeps its last value and text. 8 fields: RAX, RDI, RSI,
// RDX, R10, R8, R9 (0..6), CR3 (7).
const lastLo = new Float64Array(8).fill(-1);
const lastHi = new Float64Array(8).fill(-1);
const lastText: string[] = new Array<string>(8).fill("");
function field(k: number, lo: number, hi: number): string {
  if (lo === lastLo[k] && hi === lastHi[k]) return lastText[k];
  const t = hex(lo, hi);
  lastLo[k] = lo; lastHi[k] = hi; lastText[k] = t;
  return t;
}
const reg = (r: Uint32Array, b: number, k: number): string => field(k, r[b + W_REGS + 2 * k], r[b + W_REGS + 2 * k + 1]);

// `<ts>, SYSCALL,0x<rax>,0x<rdi>,…,0x<r9>,0x<cr3>\n` and `<ts>, SYSRET,0x<cr3>\n` (docs/dataset.md).
let lineSink: (line: string) => void = () => {};
const toLines: RingSink = (r, n) => {
  for (let i = 0; i < n; i++) {
    const b = i * RECORD_WORDS;
    const ts = r[b + W_TICK + 1] * 4294967296 + r[b + W_TICK];
    const cr3 = field(7, r[b + W_CR3], r[b + W_CR3 + 1]);
    if (recIsSyscall(r, b)) {
      lineSink(`${ts}, SYSCALL,0x${reg(r, b, 0)},0x${reg(r, b, 1)},0x${reg(r, b, 2)},0x${reg(r, b, 3)},0x${reg(r, b, 4)},0x${reg(r, b, 5)},0x${reg(r, b, 6)},0x${cr3}\n`);
    } else {
      lineSink(`${ts}, SYSRET,0x${cr3}\n`);
    }
  }
};

// The ring's records as raw-format lines, one sink call per line. Returns the record count.
export function drainRingLines(m: Machine, sink: (line: string) => void): number {
  lineSink = sink;
  return drainRing(m, toLines);
}
