// An append-only ASCII buffer: each line is copied into one growing Buffer as
// it comes, so a trace of a hundred thousand lines makes no string ropes and
// little garbage. Numbers can be written straight as digits (no strings at
// all): reserve() room for a whole line first, then the digit writers, which
// do not check for room themselves.
const HEX = Buffer.from("0123456789abcdef", "latin1");
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
// "00".."99": two digits per division.
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, "0")).join(""), "latin1");

export class ByteSink {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  // Make room for n more bytes.
  reserve(n: number): void {
    if (this.len + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
  }

  append(text: string): void {
    this.reserve(text.length);
    this.len += this.buf.write(text, this.len, "latin1");
  }

  // --- after reserve(): ---

  // One byte.
  byte(c: number): void { this.buf[this.len++] = c; }

  // A short constant (a loop beats Buffer.set for a few bytes).
  bytes8(b: Uint8Array): void {
    const o = this.buf, at = this.len;
    for (let i = 0; i < b.length; i++) o[at + i] = b[i];
    this.len = at + b.length;
  }

  // ",0x" and a 64-bit value given as 32-bit halves, in lowercase hex without
  // leading zeros ("0" for 0): at most 19 bytes.
  hexField(lo: number, hi: number): void {
    const b = this.buf;
    b[this.len] = 44; b[this.len + 1] = 48; b[this.len + 2] = 120; // ",0x"
    this.len += 3;
    this.hex64(lo, hi);
  }

  // The same without the ",0x": at most 16 bytes.
  hex64(lo: number, hi: number): void {
    if (hi !== 0) { this.hexDigits(hi, false); this.hexDigits(lo, true); } else this.hexDigits(lo, false);
  }

  private hexDigits(v: number, pad: boolean): void {
    let k = 8;
    if (!pad) while (k > 1 && (v >>> ((k - 1) * 4)) === 0) k--;
    const b = this.buf;
    let at = this.len;
    for (let i = k - 1; i >= 0; i--) b[at++] = HEX[(v >>> (i * 4)) & 15];
    this.len = at;
  }

  // A non-negative safe integer in decimal, at most 16 bytes (two 8-digit
  // halves in small-integer arithmetic).
  dec(n: number): void {
    if (n < 1e8) { this.dec8(n, false); return; }
    const hi = Math.floor(n / 1e8);
    this.dec8(hi, false);
    this.dec8(n - hi * 1e8, true);
  }

  private dec8(v: number, pad: boolean): void {
    let k = 8;
    if (!pad) { k = 1; while (k < 8 && v >= POW10[k]) k++; }
    const b = this.buf;
    let i = this.len + k;
    this.len = i;
    while (v >= 10) {
      const q = (v / 100) | 0, p = (v - q * 100) * 2;
      b[--i] = PAIRS[p + 1];
      b[--i] = PAIRS[p];
      v = q;
    }
    if (i > this.len - k) b[--i] = 48 + v;   // the last digit (v < 10), unless the pairs filled every place
    while (i > this.len - k) b[--i] = 48;    // leading zeros of a padded half
  }

  // Bytes written before (after reserve()).
  copy(b: Uint8Array): void {
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  // The bytes written from `from` on, copied into `to` at `at` (no allocation); returns how many.
  copyOut(from: number, to: Uint8Array, at: number): number {
    to.set(this.buf.subarray(from, this.len), at);
    return this.len - from;
  }

  get length(): number { return this.len; }

  // The bytes so far: a view of the sink's buffer, valid until it is written again or cleared.
  view(): Buffer { return this.buf.subarray(0, this.len); }

  // Empty again, keeping the buffer (a sink is reused flight after flight).
  clear(): void { this.len = 0; }
}
