// A raw trace file straight into the export's columns, from its bytes: no
// line strings, no regular expressions, no BigInt. The real flight job hands
// the worker its columns from the recorder (src/flight/event-columns.ts);
// this parser serves a job that gives only the file, and is what the
// recorder's columns are tested against. (The line-by-line reader,
// parseRawLine: a regex match and nine BigInts a line, made most of the
// export's time and garbage when it read ~100 000 lines a flight.)
// Same strict grammar as src/dataset/raw-reader.ts: on any line it does not
// accept, parseRawLine is called on that line to throw its explanation
// (test/generate/raw-columns.test.ts checks both agree).
import { parseRawLine, TraceFormatError } from "../dataset/raw-reader.js";
import type { RawColumns } from "../flight/event-columns.js";

export type { RawColumns };

const NL = 0x0a, COMMA = 0x2c;
const SYSCALL_TAG = Buffer.from(", SYSCALL,", "latin1");
const SYSRET_TAG = Buffer.from(", SYSRET,", "latin1");
const TWO32 = 4294967296;

class Bad extends Error {}

// The cursor over the file's bytes, with the value last parsed as 32-bit
// halves. A class (not closures made per call): V8 keeps one optimized copy of
// its methods for every flight's export, where closures made inside
// rawColumns were re-optimized on every call.
class Cursor {
  p = 0;
  lo = 0;
  hi = 0;
  constructor(readonly bytes: Uint8Array) {}

  // <decimal>: "0" or [1-9][0-9]*, below 2^64.
  dec(): void {
    const bytes = this.bytes, start = this.p;
    let p = start, v = 0;
    while (p < bytes.length && bytes[p] >= 0x30 && bytes[p] <= 0x39) { v = v * 10 + (bytes[p] - 0x30); p++; }
    this.p = p;
    const len = p - start;
    if (len === 0 || (len > 1 && bytes[start] === 0x30)) throw new Bad();
    if (v < 2 ** 53) { this.lo = v % TWO32; this.hi = Math.floor(v / TWO32); return; }
    // Beyond 2^53 doubles round: take the exact value (rare: ticks are virtual nanoseconds).
    const big = BigInt(Buffer.from(bytes.subarray(start, p)).toString("latin1"));
    if (big >= 1n << 64n) throw new Bad();
    this.lo = Number(big & 0xffffffffn); this.hi = Number(big >> 32n);
  }

  // 0x<hex>: "0" or [1-9a-f][0-9a-f]{0,15}, lowercase.
  hex(): void {
    const bytes = this.bytes;
    let p = this.p;
    if (bytes[p] !== 0x30 || bytes[p + 1] !== 0x78) throw new Bad();
    p += 2;
    const start = p;
    let lo = 0, hi = 0;
    for (;;) {
      const c = bytes[p];
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
      if (d < 0) break;
      hi = ((hi << 4) | (lo >>> 28)) >>> 0;
      lo = ((lo << 4) | d) >>> 0;
      p++;
    }
    this.p = p; this.lo = lo; this.hi = hi;
    const len = p - start;
    if (len === 0 || len > 16 || (len > 1 && bytes[start] === 0x30)) throw new Bad();
  }

  tag(t: Uint8Array): boolean {
    const bytes = this.bytes, p = this.p;
    for (let k = 0; k < t.length; k++) if (bytes[p + k] !== t[k]) return false;
    this.p = p + t.length;
    return true;
  }

  want(c: number): void { if (this.bytes[this.p++] !== c) throw new Bad(); }
}

// The 32-bit halves of a 64-bit column (little-endian), written without BigInt.
function words(a: BigUint64Array): Uint32Array { return new Uint32Array(a.buffer, a.byteOffset, a.length * 2); }

export function rawColumns(bytes: Uint8Array, file: string): RawColumns {
  if (bytes.length > 0 && bytes[bytes.length - 1] !== NL) throw new Error(`${file}: last line is not terminated by a newline`);
  let n = 0;
  for (let i = bytes.indexOf(NL); i !== -1; i = bytes.indexOf(NL, i + 1)) n++;   // memchr: 5× a byte loop
  const tick = new BigUint64Array(n), cr3 = new BigUint64Array(n), nr = new BigUint64Array(n);
  const args: BigUint64Array[] = [];
  for (let a = 0; a < 6; a++) args.push(new BigUint64Array(n));
  const isCall = new Uint8Array(n);
  const tickW = words(tick), cr3W = words(cr3);
  const regW = [words(nr)];
  for (const a of args) regW.push(words(a));
  const c = new Cursor(bytes);
  let calls = 0;

  for (let i = 0; i < n; i++) {
    const lineStart = c.p;
    try {
      c.dec();
      tickW[2 * i] = c.lo; tickW[2 * i + 1] = c.hi;
      if (c.tag(SYSCALL_TAG)) {
        for (let r = 0; r < 7; r++) {
          c.hex();
          regW[r][2 * i] = c.lo; regW[r][2 * i + 1] = c.hi;
          c.want(COMMA);
        }
        isCall[i] = 1;
        calls++;
      } else if (!c.tag(SYSRET_TAG)) {
        throw new Bad();
      }
      c.hex();
      cr3W[2 * i] = c.lo; cr3W[2 * i + 1] = c.hi;
      c.want(NL);
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      // Let the reference reader say what is wrong with the line.
      let end = lineStart;
      while (end < bytes.length && bytes[end] !== NL) end++;
      parseRawLine(Buffer.from(bytes.subarray(lineStart, end)).toString("latin1"), i + 1, file);
      throw new TraceFormatError(file, i + 1, "value out of range");
    }
  }
  return { n, tick, cr3, nr, args, isCall, calls };
}
