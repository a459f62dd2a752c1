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
// Per hash slot: the last position whose 4 bytes hashed there, and those 4 bytes (so a candidate is
// checked without reading back into src). Positions are counted from `base`, which each call moves
// past the last one's positions and window: a slot below it is empty, so the table is not cleared
// for every page (128 KB each, while most pages are a few hundred bytes).
const table = new Int32Array(2 << HASH_BITS);
let base = 0;

const load32 = (b: Uint8Array, i: number): number => b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
const hash = (x: number): number => Math.imul(x, 0x1e35a7bd) >>> (32 - HASH_BITS);

function literal(out: Bytes, src: Uint8Array, from: number, to: number): void {
  let len = to - from;
  while (len > 0) {
    const n = Math.min(len, 1 << 16);
    out.reserve(n + 4);
    const b = out.buf;
    let at = out.len;
    if (n <= 60) b[at++] = (n - 1) << 2;
    else if (n <= 256) { b[at++] = 60 << 2; b[at++] = n - 1; }
    else { b[at++] = 61 << 2; b[at++] = (n - 1) & 0xff; b[at++] = (n - 1) >> 8; }
    // Short literals (most, between the short matches of packed numbers) byte by byte: no view made.
    if (n <= 32) for (let k = 0; k < n; k++) b[at + k] = src[from + k];
    else b.set(src.subarray(from, from + n), at);
    out.len = at + n;
    from += n; len -= n;
  }
}

// A back-reference of `len` bytes at distance `offset` (1..65535), as 2-byte-offset copies of up to 64.
function copy(out: Bytes, offset: number, len: number): void {
  out.reserve(3 * Math.ceil(len / 64) + 3);
  const b = out.buf;
  let at = out.len;
  while (len > 0) {
    // Never leave a remainder shorter than 4 (a copy of 1..3 is legal, but keep them few).
    const n = len > 64 ? (len - 64 < 4 ? len - 4 : 64) : len;
    b[at] = ((n - 1) << 2) | 2;
    b[at + 1] = offset & 0xff;
    b[at + 2] = offset >> 8;
    at += 3;
    len -= n;
  }
  out.len = at;
}

/**
 * Snappy-compresses src[0 .. n) onto out. The scan keeps the next 4 bytes as one 32-bit value,
 * shifted a byte in per step rather than read again (most steps find no match: time and counter
 * columns barely compress), and compares it with the 4 bytes kept beside the candidate's position; the
 * copies and literals are those of the plain greedy scan (test/dataset/parquet-writer.test.ts
 * compares the two byte for byte).
 */
export function snappy(out: Bytes, src: Uint8Array, n: number = src.length): void {
  out.varint(n);
  // This call's positions are base + i; anything stored before is below base (and out of the window).
  if (base > 0x7fffffff - n - 2 * WINDOW) { table.fill(0); base = 0; }
  const b0 = base + WINDOW + 1;
  base = b0 + n;
  const t = table;
  let lit = 0;          // start of pending literal bytes
  let i = 0;
  if (n >= 4) {
    const last = n - 4;       // the last position with 4 bytes
    let x = load32(src, 0);   // src[i .. i+4), little-endian, as a signed 32-bit value
    for (;;) {
      const h = hash(x) << 1;
      if (t[h + 1] === x) {
        // The slot's 4 bytes are these (it keeps them): a match if that position is this call's and near.
        const cand = t[h] - b0;
        t[h] = b0 + i;
        if (cand >= 0 && i - cand <= WINDOW) {
          let len = 4;
          while (i + len < n && src[cand + len] === src[i + len]) len++;
          literal(out, src, lit, i);
          copy(out, i - cand, len);
          // Remember a position inside the match, then go on after it.
          if (i + len - 1 + 4 <= n) { const y = load32(src, i + len - 1), g = hash(y) << 1; t[g] = b0 + i + len - 1; t[g + 1] = y; }
          i += len;
          lit = i;
          if (i > last) break;
          x = load32(src, i);
          continue;
        }
      } else {
        t[h] = b0 + i;
        t[h + 1] = x;
      }
      if (++i > last) break;
      x = (x >>> 8) | (src[i + 3] << 24);
    }
  }
  literal(out, src, lit, n);
}
