// A deterministic ZIP writer (PKWARE APPNOTE: local headers, deflated data,
// central directory, end record) that streams each member into the file: a
// member's bytes go through zlib's raw deflate chunk by chunk, its CRC-32 and
// sizes are counted on the way, and its local header is written back in place
// once they are known (no data descriptor, so every reader finds the sizes
// where it looks first). Same members in the same order give the same bytes:
// a fixed modification time, no extra fields, no host attributes.
import { closeSync, openSync, writeSync } from "node:fs";
import { constants, crc32, createDeflateRaw, type DeflateRaw } from "node:zlib";

// 2019-01-01 00:00:00 in MS-DOS form: the guest's epoch (docs/dataset.md), not the host's clock.
const DOS_TIME = 0;
const DOS_DATE = ((2019 - 1980) << 9) | (1 << 5) | 1;
const LIMIT = 0xffffffff;   // sizes and offsets of a ZIP without the ZIP64 extension

interface Entry { name: Buffer; crc: number; compressed: number; size: number; offset: number }

export class ZipError extends Error {}

function localHeader(e: Entry): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4);            // version needed: 2.0 (deflate)
  h.writeUInt16LE(0x0800, 6);        // flags: names are UTF-8
  h.writeUInt16LE(8, 8);             // method: deflate
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(e.crc >>> 0, 14);
  h.writeUInt32LE(e.compressed, 18);
  h.writeUInt32LE(e.size, 22);
  h.writeUInt16LE(e.name.length, 26);
  h.writeUInt16LE(0, 28);
  return Buffer.concat([h, e.name]);
}

function centralHeader(e: Entry): Buffer {
  const h = Buffer.alloc(46);
  h.writeUInt32LE(0x02014b50, 0);
  h.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
  h.writeUInt16LE(20, 6);
  h.writeUInt16LE(0x0800, 8);
  h.writeUInt16LE(8, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(e.crc >>> 0, 16);
  h.writeUInt32LE(e.compressed, 20);
  h.writeUInt32LE(e.size, 24);
  h.writeUInt16LE(e.name.length, 28);
  // extra, comment, disk, internal attributes: 0
  h.writeUInt32LE((0o100644 << 16) >>> 0, 38);  // external attributes: a regular file, rw-r--r--
  h.writeUInt32LE(e.offset, 42);
  return Buffer.concat([h, e.name]);
}

/** One member being written: feed it text or bytes, then end it. */
export interface ZipMember {
  write(chunk: string | Uint8Array): Promise<void>;
  end(): Promise<void>;
}

export class ZipWriter {
  private fd: number;
  private pos = 0;
  private entries: Entry[] = [];
  private open = false;

  constructor(file: string, private readonly level = 6) {
    this.fd = openSync(file, "w");
  }

  private put(b: Uint8Array, at?: number): void {
    let done = 0;
    while (done < b.length) done += writeSync(this.fd, b, done, b.length - done, at === undefined ? this.pos + done : at + done);
    if (at === undefined) this.pos += b.length;
  }

  /** Starts a member; its data goes through deflate as it is written. */
  member(name: string): ZipMember {
    if (this.open) throw new ZipError("a ZIP member is still open");
    this.open = true;
    const e: Entry = { name: Buffer.from(name, "utf8"), crc: 0, compressed: 0, size: 0, offset: this.pos };
    this.put(localHeader(e));   // placeholder, rewritten with the sizes at the end
    const deflate: DeflateRaw = createDeflateRaw({ level: this.level, memLevel: 8, strategy: constants.Z_DEFAULT_STRATEGY });
    deflate.on("data", (c: Buffer) => { this.put(c); e.compressed += c.length; });
    const failed = new Promise<never>((_, reject) => deflate.once("error", reject));
    failed.catch(() => {});
    const ended = new Promise<void>((resolve) => deflate.once("end", resolve));
    return {
      write: (chunk) => {
        const b = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
        e.crc = crc32(b, e.crc);
        e.size += b.length;
        if (e.size > LIMIT) throw new ZipError(`${name} is larger than 4 GiB, which this ZIP writer does not support`);
        // Wait for deflate to take it before the next chunk is made: memory stays at one chunk.
        return deflate.write(b) ? Promise.resolve() : Promise.race([new Promise<void>((r) => deflate.once("drain", () => r())), failed]);
      },
      end: async () => {
        deflate.end();
        await Promise.race([ended, failed]);
        if (this.pos > LIMIT) throw new ZipError("the ZIP file is larger than 4 GiB, which this ZIP writer does not support");
        this.put(localHeader(e), e.offset);
        this.entries.push(e);
        this.open = false;
      },
    };
  }

  /** A whole member at once. */
  async add(name: string, data: string | Uint8Array): Promise<void> {
    const m = this.member(name);
    await m.write(data);
    await m.end();
  }

  /** Writes the central directory and the end record, and closes the file. */
  close(): void {
    if (this.open) throw new ZipError("a ZIP member is still open");
    const start = this.pos;
    for (const e of this.entries) this.put(centralHeader(e));
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.entries.length, 8);
    end.writeUInt16LE(this.entries.length, 10);
    end.writeUInt32LE(this.pos - start, 12);
    end.writeUInt32LE(start, 16);
    this.put(end);
    closeSync(this.fd);
  }

  /** Closes the file without finishing it (after an error; the caller removes it). */
  abandon(): void {
    try { closeSync(this.fd); } catch { /* already closed */ }
  }
}
