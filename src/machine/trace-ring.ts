// The trace event as the core records it: the one place on the host that
// knows the ring record's layout. The core (assembly/trace/ring.ts) appends a
// record at every SYSCALL and SYSRET; the host drains the ring after each run()
// (drainRing) and hands a sink the ring's 32-bit words and the record count, so
// a sink reads fields with the accessors below, without objects or BigInt.
//
// A record is RING_RECORD bytes = RECORD_WORDS little-endian words:
//   word 0       kind: REC_SYSCALL or REC_SYSRET (low byte)
//   word 1       tid: the thread that made it (the host's Machine.tid then)
//   words 2-3    tick: the virtual clock (ns)
//   words 4-17   SYSCALL: RAX RDI RSI RDX R10 R8 R9 as the call saw them
//   words 4-5    SYSRET: ret, RAX as the guest gets it back (other slots stale)
//   words 18-19  CR3
// 64-bit values are lo/hi word pairs. A batch may hold records of more than
// one thread (a blocked call's SYSRET, then another thread's slice): the tid
// and CR3 say whose each record is.
import type { Machine } from "./machine.js";
import { S_RING_HEAD, RING_RECORD } from "./layout.js";

// Byte offsets within a record: mirror of assembly/memmap.ts RING_* (test/machine/layout.test.ts checks them).
export const RING_KIND = 0;
export const RING_TID = 4;
export const RING_TICK = 8;
export const RING_REGS = 16;
export const RING_RET = 16;
export const RING_CR3 = 72;
// Record kinds (assembly/trace/ring.ts); REC_OVERFLOW marks the last record of a ring that filled up.
export const REC_SYSCALL = 1;
export const REC_SYSRET = 2;
export const REC_OVERFLOW = 0x100;

// The same offsets as word indices, for sinks that walk the ring's words.
export const RECORD_WORDS = RING_RECORD / 4;
export const W_KIND = RING_KIND / 4;
export const W_TID = RING_TID / 4;
export const W_TICK = RING_TICK / 4;
export const W_REGS = RING_REGS / 4;
export const W_RAX = W_REGS, W_RDI = W_REGS + 2, W_RSI = W_REGS + 4, W_RDX = W_REGS + 6, W_R10 = W_REGS + 8, W_R8 = W_REGS + 10, W_R9 = W_REGS + 12;
export const W_RET = RING_RET / 4;
export const W_CR3 = RING_CR3 / 4;
export const SYSCALL_REGS = 7; // RAX RDI RSI RDX R10 R8 R9

const TWO32 = 4294967296;

// Field accessors: r = the ring's words, b = the record's first word (i * RECORD_WORDS).
// Numbers made from two halves are exact below 2^53.
export const recKind = (r: Uint32Array, b: number): number => r[b + W_KIND] & 0xff;
export const recIsSyscall = (r: Uint32Array, b: number): boolean => (r[b + W_KIND] & 0xff) === REC_SYSCALL;
export const recTid = (r: Uint32Array, b: number): number => r[b + W_TID];
export const recTickLo = (r: Uint32Array, b: number): number => r[b + W_TICK];
export const recTickHi = (r: Uint32Array, b: number): number => r[b + W_TICK + 1];
export const recTick = (r: Uint32Array, b: number): number => r[b + W_TICK + 1] * TWO32 + r[b + W_TICK];
// Register k of a SYSCALL record: 0 RAX (the number), 1..6 the arguments RDI RSI RDX R10 R8 R9.
export const recRegLo = (r: Uint32Array, b: number, k: number): number => r[b + W_REGS + 2 * k];
export const recRegHi = (r: Uint32Array, b: number, k: number): number => r[b + W_REGS + 2 * k + 1];
export const recCr3Lo = (r: Uint32Array, b: number): number => r[b + W_CR3];
export const recCr3Hi = (r: Uint32Array, b: number): number => r[b + W_CR3 + 1];
export const recCr3 = (r: Uint32Array, b: number): number => r[b + W_CR3 + 1] * TWO32 + r[b + W_CR3];
// The return value of a SYSRET record as the guest reads RAX: the word pair, or signed (-errno < 0).
export const recRetLo = (r: Uint32Array, b: number): number => r[b + W_RET];
export const recRetHi = (r: Uint32Array, b: number): number => r[b + W_RET + 1];
export const recRet = (r: Uint32Array, b: number): number => (r[b + W_RET + 1] | 0) * TWO32 + r[b + W_RET];

// Takes `count` records of `ring`, in the order they were made; the words are
// valid only during the call (the next run() overwrites them).
export type RingSink = (ring: Uint32Array, count: number) => void;

export class TraceRingOverflow extends Error {}

// Hand every record in the ring to `sink` and empty the ring. Returns the count.
// The kernel drains after every run() and every SYSCALL exits, so a ring that
// filled up (records lost) is a bug: it throws.
export function drainRing(m: Machine, sink: RingSink): number {
  const st = m.stateWords;
  const n = st[S_RING_HEAD / 4];
  if (n === 0) return 0;
  const r = m.ringWords;
  // The core marks only the last record of a full ring.
  if (r[(n - 1) * RECORD_WORDS + W_KIND] & REC_OVERFLOW) throw new TraceRingOverflow("skytrace: trace ring overflowed (records lost)");
  sink(r, n);
  st[S_RING_HEAD / 4] = 0;
  return n;
}
