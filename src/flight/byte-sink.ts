// An append-only ASCII buffer: each line is copied into one growing Buffer as
// it comes, so a trace of a hundred thousand lines makes no string ropes and
// little garbage. Numbers can be written straight as digits (no strings at all).
const HEX = Buffer.from("0123456789abcdef", "latin1");
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];

export class ByteSink {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private room(n: number): void {
    if (this.len + n > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
  }

  append(text: string): void {
    this.room(text.length);
    this.len += this.buf.write(text, this.len, "latin1");
  }

  // Bytes of a short constant (a few characters: a loop beats Buffer.set).
  bytes8(b: Uint8Array): void {
    this.room(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.len + i] = b[i];
    this.len += b.length;
  }

  // ",0x" and a 64-bit value given as 32-bit halves, in lowercase hex without
  // leading zeros ("0" for 0).
  hexField(lo: number, hi: number): void {
    this.room(19);
    const b = this.buf;
    b[this.len] = 44; b[this.len + 1] = 48; b[this.len + 2] = 120; // ",0x"
    this.len += 3;
    if (hi !== 0) { this.hexDigits(hi, false); this.hexDigits(lo, true); } else this.hexDigits(lo, false);
  }

  // The same without the ",0x".
  hex64(lo: number, hi: number): void {
    this.room(16);
    if (hi !== 0) { this.hexDigits(hi, false); this.hexDigits(lo, true); } else this.hexDigits(lo, false);
  }

  private hexDigits(v: number, pad: boolean): void {
    let k = 8;
    if (!pad) while (k > 1 && (v >>> ((k - 1) * 4)) === 0) k--;
    const b = this.buf;
    for (let i = k - 1; i >= 0; i--) b[this.len++] = HEX[(v >>> (i * 4)) & 15];
  }

  // A non-negative safe integer in decimal (as two 8-digit halves of small-integer arithmetic).
  dec(n: number): void {
    this.room(16);
    if (n < 1e8) { this.dec8(n, false); return; }
    const hi = Math.floor(n / 1e8);
    this.dec8(hi, false);
    this.dec8(n - hi * 1e8, true);
  }

  private dec8(v: number, pad: boolean): void {
    let k = 8;
    if (!pad) { k = 1; while (k < 8 && v >= POW10[k]) k++; }
    const b = this.buf;
    for (let i = k - 1; i >= 0; i--) { b[this.len + i] = 48 + (v % 10); v = (v / 10) | 0; }
    this.len += k;
  }

  get length(): number { return this.len; }

  // The bytes so far (a copy: the sink may keep growing).
  bytes(): Buffer { return Buffer.from(this.buf.subarray(0, this.len)); }
}
