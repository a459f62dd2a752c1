// Snappy compression, the raw block format Parquet's SNAPPY codec uses
// (google/snappy format_description.txt): the uncompressed length as a
// varint, then literals and back-references (copies). This is a plain greedy
// compressor: a hash of the next 4 bytes finds an earlier occurrence within
// the last 64 KiB, a match of 4 bytes or more becomes copies, the rest
// literals. Any decoder reads it; the bytes depend on the input alone (no
// library whose output might change with its version or the CPU).
import { Bytes } from "./bytes.js";

const HASH_BITS = 14;
const WINDOW = 65535;
const table = new Int32Array(1 << HASH_BITS);

const load32 = (b: Uint8Array, i: number): number => (b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0;
const hash = (x: number): number => Math.imul(x, 0x1e35a7bd) >>> (32 - HASH_BITS);

function literal(out: Bytes, src: Uint8Array, from: number, to: number): void {
  let len = to - from;
  while (len > 0) {
    const n = Math.min(len, 1 << 16);
    out.reserve(n + 4);
    if (n <= 60) out.byte((n - 1) << 2);
    else if (n <= 256) { out.byte(60 << 2); out.byte(n - 1); }
    else { out.byte(61 << 2); out.byte((n - 1) & 0xff); out.byte((n - 1) >> 8); }
    out.buf.set(src.subarray(from, from + n), out.len);
    out.len += n;
    from += n; len -= n;
  }
}

// A back-reference of `len` bytes at distance `offset` (1..65535), as 2-byte-offset copies of up to 64.
function copy(out: Bytes, offset: number, len: number): void {
  out.reserve(3 * Math.ceil(len / 64) + 3);
  while (len > 0) {
    // Never leave a remainder shorter than 4 (a copy of 1..3 is legal, but keep them few).
    const n = len > 64 ? (len - 64 < 4 ? len - 4 : 64) : len;
    out.byte(((n - 1) << 2) | 2);
    out.byte(offset & 0xff);
    out.byte(offset >> 8);
    len -= n;
  }
}

/** Snappy-compresses src[0 .. n) onto out. */
export function snappy(out: Bytes, src: Uint8Array, n: number = src.length): void {
  out.varint(n);
  table.fill(-1);
  let lit = 0;          // start of pending literal bytes
  let i = 0;
  while (i + 4 <= n) {
    const x = load32(src, i);
    const h = hash(x);
    const cand = table[h];
    table[h] = i;
    if (cand < 0 || i - cand > WINDOW || load32(src, cand) !== x) { i++; continue; }
    let len = 4;
    while (i + len < n && src[cand + len] === src[i + len]) len++;
    literal(out, src, lit, i);
    copy(out, i - cand, len);
    // Remember a position inside the match, then go on after it.
    if (i + len - 1 + 4 <= n) table[hash(load32(src, i + len - 1))] = i + len - 1;
    i += len;
    lit = i;
  }
  literal(out, src, lit, n);
}
