// A test flight's scores, row by row, for plots: `scores/<flight_id>.csv.gz`,
// gzip'd CSV with a header:
//
//   seq,enter_ns,tid,label,cause,episode,<detector>,<detector>…
//
// one line per row of the flight's per-syscall table (seq, enter_ns, tid,
// label, cause and episode as there), then each detector's score, written as
// JavaScript prints the number (shortest round-trip form, so the value is
// exact). The thresholds are in evaluation.json. gzip at level 1 (a third of
// level 6's time for a fifth more bytes); Node's zlib gives the same bytes for
// the same rows.
import { gzipSync } from "node:zlib";
import type { FlightRows } from "./flight-rows.js";

// The text as bytes, written straight into a growing buffer (no string a row).
class Ascii {
  buf = new Uint8Array(1 << 20);
  len = 0;
  private readonly digits = new Uint8Array(24);
  room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  byte(c: number): void { this.room(1); this.buf[this.len++] = c; }
  bytes(b: Uint8Array): void { this.room(b.length); this.buf.set(b, this.len); this.len += b.length; }
  /** A whole number of at most 2^53 in magnitude, in decimal. */
  int(v: number): void {
    this.room(24);
    if (v < 0) { this.buf[this.len++] = 45; v = -v; }
    let k = 0;
    do { const q = Math.floor(v / 10); this.digits[k++] = 48 + (v - q * 10); v = q; } while (v > 0);
    while (k > 0) this.buf[this.len++] = this.digits[--k];
  }
}

const COMMA = 44, NEWLINE = 10;

export function scoresCsv(f: FlightRows, names: readonly string[], scores: readonly Float64Array[]): Buffer {
  const out = new Ascii();
  out.bytes(Buffer.from(`${["seq", "enter_ns", "tid", "label", "cause", "episode", ...names].join(",")}\n`));
  const causes = f.causes.map((c) => Buffer.from(c));
  // A detector's scores take few distinct values: each one's text is made once.
  const texts = scores.map(() => new Map<number, Uint8Array>());
  for (let i = 0; i < f.n; i++) {
    out.int(i); out.byte(COMMA);
    out.int(f.enterNs[i]); out.byte(COMMA);
    out.int(f.tid[i]); out.byte(COMMA);
    out.int(f.label[i]); out.byte(COMMA);
    out.bytes(causes[f.cause[i]]); out.byte(COMMA);
    out.int(f.episode[i]);
    for (let k = 0; k < scores.length; k++) {
      const v = scores[k][i];
      let t = texts[k].get(v);
      if (t === undefined) { t = Buffer.from(String(v)); texts[k].set(v, t); }
      out.byte(COMMA);
      out.bytes(t);
    }
    out.byte(NEWLINE);
  }
  return gzipSync(out.buf.subarray(0, out.len), { level: 1 });
}
