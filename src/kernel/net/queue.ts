// A socket's receive queue: what each send delivered, in order (a chunk per
// send, as Linux keeps an skb per send), with the sender's address (datagrams)
// and the files passed along (SCM_RIGHTS). A stream read takes bytes across
// chunks but stops after one that carries files, as Linux's unix_stream_read does;
// a datagram read takes one chunk.
import type { OpenFile } from "../fs/file.js";

export interface Chunk { data: Uint8Array; off: number; from: Uint8Array | null; rights: OpenFile[] | null }

export interface Taken { data: Uint8Array; full: number; from: Uint8Array | null; rights: OpenFile[] | null }

export class ChunkQueue {
  private chunks: Chunk[] = [];
  bytes = 0;     // unread bytes
  get count(): number { return this.chunks.length; }

  push(data: Uint8Array, from: Uint8Array | null = null, rights: OpenFile[] | null = null): void {
    this.chunks.push({ data, off: 0, from, rights });
    this.bytes += data.length;
  }

  // Up to `max` bytes of a stream; `peek` leaves them queued (and the files, given again, referenced twice).
  readStream(max: number, peek: boolean): Taken {
    const out = new Uint8Array(Math.min(max, this.bytes));
    let n = 0, i = 0;
    let rights: OpenFile[] | null = null;
    while (n < out.length && i < this.chunks.length) {
      const c = this.chunks[i];
      if (n > 0 && c.rights) break; // files start a read of their own
      const k = Math.min(out.length - n, c.data.length - c.off);
      out.set(c.data.subarray(c.off, c.off + k), n);
      n += k;
      if (c.rights) { rights = peek ? c.rights.map((f) => f.ref()) : c.rights; if (!peek) c.rights = null; }
      if (!peek) {
        c.off += k;
        this.bytes -= k;
        if (c.off === c.data.length) { this.chunks.shift(); i = 0; } else i++;
      } else i++;
      if (rights) break;
    }
    return { data: n === out.length ? out : out.subarray(0, n), full: n, from: null, rights };
  }

  // One datagram, cut to `max` bytes (the rest is lost unless peeking).
  readDatagram(max: number, peek: boolean): Taken | null {
    const c = this.chunks[0];
    if (!c) return null;
    const n = Math.min(max, c.data.length);
    const data = c.data.slice(0, n);
    let rights = c.rights;
    if (peek) rights = rights ? rights.map((f) => f.ref()) : null;
    else { this.chunks.shift(); this.bytes -= c.data.length; }
    return { data, full: c.data.length, from: c.from, rights };
  }

  get firstLength(): number { return this.chunks[0] ? this.chunks[0].data.length - this.chunks[0].off : 0; }

  // Forget everything queued, closing the files in flight.
  clear(): void {
    for (const c of this.chunks) if (c.rights) for (const f of c.rights) f.unref();
    this.chunks = [];
    this.bytes = 0;
  }
}
