// The processed format's one writer: one line per SYSCALL record (SYSRETs are
// dropped),
//
//   <ts minus the previous SYSCALL's ts> TAB <RAX + 1>
//
// both decimal, the first line's delta 0 (so `read` is 1 and `select` 24, as
// in the published files; RAX = 2^64-1 gives 2^64). It reads trace ring
// records (src/machine/trace-ring.ts): the flight recorder feeds it the
// ring's, `skytrace process` the strict raw reader's events as records
// (recordWords). Digits are written from the records' 32-bit halves, plain
// numbers while every value is below 2^53, BigInt beyond.
import { ByteSink } from "./byte-sink.js";
import { RECORD_WORDS, REC_SYSCALL, W_KIND, W_TICK, W_RAX } from "../machine/trace-ring.js";

const SAFE_HI = 0x200000;
const LINE_MAX = 20 + 1 + 20 + 1;
const TAB = 9, NL = 10;
const TWO32 = 4294967296;

// Thrown when a SYSCALL's timestamp is below the previous one's (the strict
// reader refuses such a file first; a writer fed otherwise must not write a negative delta).
export class TimestampOrderError extends Error {}

export class ProcessedWriter {
  private prevLo = 0;
  private prevHi = 0;
  private hasPrev = false;
  lines = 0;

  constructor(readonly out: ByteSink) {}

  // A new file: the next line's delta is 0.
  restart(): void { this.hasPrev = false; this.lines = 0; }

  records(r: Uint32Array, n: number): void {
    for (let i = 0; i < n; i++) this.write(r, i * RECORD_WORDS);
  }

  // One record (SYSRETs write nothing); `where` names it in an error.
  write(r: Uint32Array, b: number, where = "raw event"): void {
    if ((r[b + W_KIND] & 0xff) !== REC_SYSCALL) return;
    const o = this.out;
    o.reserve(LINE_MAX);
    const lo = r[b + W_TICK], hi = r[b + W_TICK + 1];
    if (hi < SAFE_HI && this.prevHi < SAFE_HI) {
      const delta = this.hasPrev ? hi * TWO32 + lo - (this.prevHi * TWO32 + this.prevLo) : 0;
      if (delta < 0) throw new TimestampOrderError(`${where}: timestamp goes back`);
      o.dec(delta);
    } else {
      const delta = this.hasPrev ? ((BigInt(hi) << 32n) | BigInt(lo)) - ((BigInt(this.prevHi) << 32n) | BigInt(this.prevLo)) : 0n;
      if (delta < 0n) throw new TimestampOrderError(`${where}: timestamp goes back`);
      o.append(delta.toString());
      o.reserve(LINE_MAX);
    }
    o.byte(TAB);
    const nlo = r[b + W_RAX], nhi = r[b + W_RAX + 1];
    if (nhi < SAFE_HI) o.dec(nhi * TWO32 + nlo + 1);
    else { o.append((((BigInt(nhi) << 32n) | BigInt(nlo)) + 1n).toString()); o.reserve(LINE_MAX); }
    o.byte(NL);
    this.prevLo = lo; this.prevHi = hi; this.hasPrev = true;
    this.lines++;
  }
}
