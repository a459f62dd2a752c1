// An append-only ASCII buffer: each line is copied into one growing Buffer as
// it comes, so a trace of a hundred thousand lines makes no string ropes and
// little garbage.
export class ByteSink {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 1 << 20) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  append(text: string): void {
    if (this.len + text.length > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + text.length));
      this.buf.copy(bigger, 0, 0, this.len);
      this.buf = bigger;
    }
    this.len += this.buf.write(text, this.len, "latin1");
  }

  get length(): number { return this.len; }

  // The bytes so far (a copy: the sink may keep growing).
  bytes(): Buffer { return Buffer.from(this.buf.subarray(0, this.len)); }
}
