// One direction of a serial line: bytes leave one after another, each taking
// the same time on the wire, so byte i of a burst arrives (i+1) byte-times
// after the line was free to start it. Times are virtual nanoseconds.

export const DEFAULT_BAUD = 115200;
// 8N1 framing: a start bit, 8 data bits, a stop bit.
export const BITS_PER_BYTE = 10;

// Time one byte occupies the wire, rounded to whole nanoseconds (86806 ns at 115200 baud).
export function byteTimeNs(baud: number, bitsPerByte = BITS_PER_BYTE): bigint {
  if (!Number.isFinite(baud) || baud <= 0) throw new RangeError(`baud must be positive (got ${baud})`);
  return BigInt(Math.max(1, Math.round((bitsPerByte * 1e9) / baud)));
}

interface Chunk { data: Uint8Array; first: bigint; taken: number }

export class Wire {
  private freeAt = 0n;
  private readonly chunks: Chunk[] = [];

  constructor(readonly byteNs: bigint) {}

  // Queue `data` sent at `atNs`; returns each byte's arrival time through `each` if given.
  send(data: Uint8Array, atNs: bigint, each?: (byte: number, arrivalNs: bigint) => void): void {
    if (data.length === 0) return;
    const start = atNs > this.freeAt ? atNs : this.freeAt;
    const first = start + this.byteNs;
    this.freeAt = start + BigInt(data.length) * this.byteNs;
    if (each) {
      for (let i = 0; i < data.length; i++) each(data[i], first + BigInt(i) * this.byteNs);
    } else {
      this.chunks.push({ data: data.slice(), first, taken: 0 });
    }
  }

  // Bytes queued (not sent through `each`) that have arrived by `nowNs` and are not taken.
  available(nowNs: bigint): number {
    let n = 0;
    for (const c of this.chunks) {
      if (nowNs < c.first + BigInt(c.taken) * this.byteNs) break;
      const arrived = Number((nowNs - c.first) / this.byteNs) + 1;
      const inChunk = Math.min(arrived, c.data.length);
      n += inChunk - c.taken;
      if (inChunk < c.data.length) break;
    }
    return n;
  }

  take(max: number, nowNs: bigint): Uint8Array {
    const n = Math.min(max, this.available(nowNs));
    const out = new Uint8Array(n);
    let o = 0;
    while (o < n) {
      const c = this.chunks[0];
      const k = Math.min(n - o, c.data.length - c.taken);
      out.set(c.data.subarray(c.taken, c.taken + k), o);
      c.taken += k;
      o += k;
      if (c.taken === c.data.length) this.chunks.shift();
    }
    return out;
  }

  // Arrival time of the first queued byte still on the wire at `nowNs`, or null.
  nextArrival(nowNs: bigint): bigint | null {
    for (const c of this.chunks) {
      const last = c.first + BigInt(c.data.length - 1) * this.byteNs;
      if (last <= nowNs) continue;
      if (c.first > nowNs) return c.first;
      return c.first + ((nowNs - c.first) / this.byteNs + 1n) * this.byteNs;
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
