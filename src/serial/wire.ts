// One direction of a serial line: bytes leave one after another, each taking
// the same time on the wire, so byte i of a burst arrives (i+1) byte-times
// after the line was free to start it. Times are virtual nanoseconds as integer
// numbers (exact below 2^53 ns, like the kernel's clock): the guest polls the
// line on every select, so the arithmetic must not allocate.

export const DEFAULT_BAUD = 115200;
// 8N1 framing: a start bit, 8 data bits, a stop bit.
export const BITS_PER_BYTE = 10;

// Time one byte occupies the wire, rounded to whole nanoseconds (86806 ns at 115200 baud).
export function byteTimeNs(baud: number, bitsPerByte = BITS_PER_BYTE): number {
  if (!Number.isFinite(baud) || baud <= 0) throw new RangeError(`baud must be positive (got ${baud})`);
  return Math.max(1, Math.round((bitsPerByte * 1e9) / baud));
}

interface Chunk { data: Uint8Array; first: number; taken: number }

// Bytes of a chunk that have arrived by `nowNs` (nowNs >= first). Both operands are integers
// below 2^53, so the floored double quotient equals the integer quotient.
const arrivedBy = (c: Chunk, nowNs: number, byteNs: number): number => Math.floor((nowNs - c.first) / byteNs) + 1;

export class Wire {
  private freeAt = 0;
  private readonly chunks: Chunk[] = [];

  constructor(readonly byteNs: number) {}

  // Queue `data` sent at `atNs`; returns each byte's arrival time through `each` if given.
  send(data: Uint8Array, atNs: number, each?: (byte: number, arrivalNs: number) => void): void {
    if (data.length === 0) return;
    const start = atNs > this.freeAt ? atNs : this.freeAt;
    const first = start + this.byteNs;
    this.freeAt = start + data.length * this.byteNs;
    if (each) {
      for (let i = 0; i < data.length; i++) each(data[i], first + i * this.byteNs);
    } else {
      this.chunks.push({ data: data.slice(), first, taken: 0 });
    }
  }

  // Bytes queued (not sent through `each`) that have arrived by `nowNs` and are not taken.
  available(nowNs: number): number {
    let n = 0;
    for (let i = 0; i < this.chunks.length; i++) { // indexed: no iterator on the per-select path
      const c = this.chunks[i];
      if (nowNs < c.first + c.taken * this.byteNs) break;
      const inChunk = Math.min(arrivedBy(c, nowNs, this.byteNs), c.data.length);
      n += inChunk - c.taken;
      if (inChunk < c.data.length) break;
    }
    return n;
  }

  // Copies up to into.length arrived bytes into `into`; returns the count. Allocates nothing.
  takeInto(into: Uint8Array, nowNs: number): number {
    const n = Math.min(into.length, this.available(nowNs));
    let o = 0;
    while (o < n) {
      const c = this.chunks[0];
      const k = Math.min(n - o, c.data.length - c.taken);
      for (let i = 0; i < k; i++) into[o + i] = c.data[c.taken + i];
      c.taken += k;
      o += k;
      if (c.taken === c.data.length) this.chunks.shift();
    }
    return n;
  }

  // Up to `max` arrived bytes as a new array (for callers that want one).
  take(max: number, nowNs: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.available(nowNs)));
    this.takeInto(out, nowNs);
    return out;
  }

  // Arrival time of the first queued byte still on the wire at `nowNs`, or null.
  nextArrival(nowNs: number): number | null {
    for (let i = 0; i < this.chunks.length; i++) {
      const c = this.chunks[i];
      const last = c.first + (c.data.length - 1) * this.byteNs;
      if (last <= nowNs) continue;
      if (c.first > nowNs) return c.first;
      return c.first + arrivedBy(c, nowNs, this.byteNs) * this.byteNs;
    }
    return null;
  }

  // Bytes queued and not taken yet (arrived or not).
  get pending(): number {
    let n = 0;
    for (const c of this.chunks) n += c.data.length - c.taken;
    return n;
  }
}
