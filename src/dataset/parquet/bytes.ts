// A growable byte buffer for building Parquet files: little-endian integers,
// unsigned LEB128 varints and bit-packed runs, written in place (no object per
// value). Kept and reused: clear() empties it, view() hands out the bytes.
export class Bytes {
  buf: Uint8Array;
  len = 0;

  constructor(initial = 1 << 16) { this.buf = new Uint8Array(initial); }

  clear(): void { this.len = 0; }

  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  view(): Uint8Array { return this.buf.subarray(0, this.len); }

  byte(v: number): void { this.reserve(1); this.buf[this.len++] = v; }

  bytes(b: Uint8Array): void { this.reserve(b.length); this.buf.set(b, this.len); this.len += b.length; }

  u32(v: number): void {
    this.reserve(4);
    const b = this.buf, at = this.len;
    b[at] = v; b[at + 1] = v >>> 8; b[at + 2] = v >>> 16; b[at + 3] = v >>> 24;
    this.len = at + 4;
  }

  // A non-negative integer below 2^53 as an unsigned LEB128 varint.
  varint(v: number): void {
    this.reserve(8);
    const b = this.buf;
    while (v >= 0x80) {
      b[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    b[this.len++] = v;
  }

  // A signed integer within ±2^52 as a zigzag varint.
  zigzag(v: number): void { this.varint(v >= 0 ? 2 * v : -2 * v - 1); }
}

// Bit packing, least significant bit first (Parquet's RLE/bit-packed hybrid and
// DELTA_BINARY_PACKED): values of `width` bits, up to 53, appended to a Bytes.
export class BitPacker {
  private acc = 0;     // pending bits (fewer than 8 between calls), as an unsigned 32-bit value
  private nbits = 0;
  constructor(private readonly out: Bytes) {}

  // v in [0, 2^width), width <= 53.
  put(v: number, width: number): void {
    if (width <= 24) { this.small(v, width); return; }
    const lo = v % 4294967296, hi = (v - lo) / 4294967296;
    this.small(lo & 0xffff, Math.min(width, 16));
    if (width > 16) this.small(lo >>> 16, Math.min(width - 16, 16));
    if (width > 32) this.small(hi, width - 32);
  }

  // width <= 24: the pending bits and v fit in 32 bits.
  private small(v: number, width: number): void {
    let acc = (this.acc | (v << this.nbits)) >>> 0, n = this.nbits + width;
    const o = this.out, b = o.buf;
    let at = o.len;
    while (n >= 8) { b[at++] = acc & 0xff; acc >>>= 8; n -= 8; }
    o.len = at;
    this.acc = acc; this.nbits = n;
  }

  // Pad the last byte with zeros.
  flush(): void {
    if (this.nbits > 0) { this.out.buf[this.out.len++] = this.acc; this.acc = 0; this.nbits = 0; }
  }
}

// Bits needed for values 0..max.
export function bitWidth(max: number): number {
  let w = 0;
  while (max >= 1) { max = Math.floor(max / 2); w++; }
  return w;
}
