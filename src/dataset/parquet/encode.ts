// Parquet's value encodings (parquet-format Encodings.md), the writing side:
// - the RLE/bit-packed hybrid, for dictionary indices: runs of 8 or more
//   equal values as one RLE run, the rest bit-packed in groups of 8;
// - DELTA_BINARY_PACKED, for 64-bit integers that rise row by row: blocks
//   of 128 deltas in 4 miniblocks of 32, each bit-packed at its own width;
// - a dictionary of 64-bit values (as 32-bit word pairs), in order of first
//   appearance, kept in a hash table that is reused and allocates nothing per value.
import { Bytes, BitPacker, bitWidth } from "./bytes.js";

// The hybrid encoding of n indices of `width` bits (at most 24; no length prefix, no bit-width byte).
export function encodeHybrid(out: Bytes, v: Int32Array, n: number, width: number): void {
  let litStart = 0, i = 0;
  while (i < n) {
    const x = v[i];
    let j = i + 1;
    while (j < n && v[j] === x) j++;
    // A run starts only where the literals end on a whole group: top the group up from the run first.
    if (j - i >= 8) {
      const pending = (i - litStart) & 7;
      const fill = pending === 0 ? 0 : 8 - pending;
      if (j - i - fill >= 8) {
        packLiterals(out, v, litStart, i + fill, width);
        rleRun(out, x, j - i - fill, width);
        litStart = j;
      }
    }
    i = j;
  }
  packLiterals(out, v, litStart, n, width);
}

function rleRun(out: Bytes, x: number, count: number, width: number): void {
  out.varint(count * 2);
  out.reserve(4);
  for (let b = 0; b < width; b += 8) { out.buf[out.len++] = x & 0xff; x >>>= 8; }
}

// v[from .. to) bit-packed in groups of 8 (the last padded with zeros). Each value adds `width` bits
// to fewer than 8 pending ones, so at most one, two or three whole bytes are ready after it: the
// loop for each width class writes those without a loop of its own.
function packLiterals(out: Bytes, v: Int32Array, from: number, to: number, width: number): void {
  if (to <= from) return;
  const groups = (to - from + 7) >> 3;
  out.varint(groups * 2 + 1);
  out.reserve(groups * width + 4);
  const b = out.buf;
  let at = out.len, acc = 0, bits = 0, k = from;
  if (width <= 8) {
    for (; k < to; k++) {
      acc |= v[k] << bits;
      bits += width;
      if (bits >= 8) { b[at++] = acc; acc >>>= 8; bits -= 8; }
    }
  } else if (width <= 16) {
    for (; k < to; k++) {
      acc |= v[k] << bits;
      bits += width;
      b[at++] = acc; acc >>>= 8; bits -= 8;
      if (bits >= 8) { b[at++] = acc; acc >>>= 8; bits -= 8; }
    }
  } else {
    for (; k < to; k++) {
      acc = (acc | (v[k] << bits)) >>> 0;
      bits += width;
      b[at++] = acc; b[at++] = acc >>> 8; acc >>>= 16; bits -= 16;
      if (bits >= 8) { b[at++] = acc; acc >>>= 8; bits -= 8; }
    }
  }
  // The last group's padding: zeros, whose bits only push the pending ones out.
  for (let pad = (groups << 3) - (to - from); pad > 0; pad--) {
    bits += width;
    while (bits >= 8) { b[at++] = acc; acc >>>= 8; bits -= 8; }
  }
  out.len = at;
}

const TWO32 = 4294967296;
const LIMIT = 2 ** 52;

// The 64-bit values of word pairs (lo, hi) as numbers, when every one lies in [-2^52, 2^52) (so that every
// delta and every delta minus the smallest is exact); otherwise null. `signed`: hi is two's complement.
export function asNumbers(words: Uint32Array, n: number, signed: boolean, into: Float64Array): Float64Array | null {
  for (let i = 0; i < n; i++) {
    const hi = signed ? words[2 * i + 1] | 0 : words[2 * i + 1];
    const v = hi * TWO32 + words[2 * i];
    if (v >= LIMIT || v < -LIMIT) return null;
    into[i] = v;
  }
  return into;
}

const BLOCK = 128, MINI = 4, PER_MINI = 32;
let deltas = new Float64Array(0);

// DELTA_BINARY_PACKED of n integers (numbers within ±2^52).
export function encodeDelta(out: Bytes, v: Float64Array, n: number): void {
  out.varint(BLOCK);
  out.varint(MINI);
  out.varint(n);
  out.zigzag(n > 0 ? v[0] : 0);
  if (deltas.length < n) deltas = new Float64Array(Math.max(n, 1024));
  const d = deltas;
  for (let i = 1; i < n; i++) d[i] = v[i] - v[i - 1];
  const packer = new BitPacker(out);
  for (let start = 1; start < n; start += BLOCK) {
    const end = Math.min(start + BLOCK, n);
    let min = Infinity;
    for (let i = start; i < end; i++) if (d[i] < min) min = d[i];
    out.zigzag(min);
    const widthsAt = out.len;
    out.reserve(MINI + BLOCK * 8 + 16);
    out.len += MINI;
    for (let m = 0; m < MINI; m++) {
      const from = start + m * PER_MINI;
      let width = 0;
      if (from < end) {
        const to = Math.min(from + PER_MINI, end);
        let max = 0;
        for (let i = from; i < to; i++) { const x = d[i] - min; if (x > max) max = x; }
        width = max < TWO32 ? 32 - Math.clz32(max) : bitWidth(max);
        // A miniblock is 32 values, the last one padded with zeros (none at width 0).
        if (width > 24) {
          for (let i = from; i < to; i++) packer.put(d[i] - min, width);
          for (let i = to; i < from + PER_MINI; i++) packer.put(0, width);
          packer.flush();
        } else if (width > 0) {
          // 32 values of `width` bits are whole bytes: pack them here, as packLiterals does (each
          // value completes one byte or more below 9 bits, two or more above 16).
          const b = out.buf;
          let at = out.len, acc = 0, bits = 0, i = from;
          if (width > 16) {
            for (; i < to; i++) {
              acc = (acc | ((d[i] - min) << bits)) >>> 0;
              bits += width;
              b[at++] = acc; b[at++] = acc >>> 8; acc >>>= 16; bits -= 16;
              if (bits >= 8) { b[at++] = acc; acc >>>= 8; bits -= 8; }
            }
          } else {
            for (; i < to; i++) {
              acc = (acc | ((d[i] - min) << bits)) >>> 0;
              bits += width;
              while (bits >= 8) { b[at++] = acc; acc >>>= 8; bits -= 8; }
            }
          }
          for (; i < from + PER_MINI; i++) {
            bits += width;
            while (bits >= 8) { b[at++] = acc; acc >>>= 8; bits -= 8; }
          }
          out.len = at;
        }
      }
      out.buf[widthsAt + m] = width;
    }
  }
}

// A dictionary of 64-bit values given as word pairs: each distinct value once, in order of first
// appearance, and each row's index into it. Storage is kept across uses. Values below 2^17 (a
// syscall's number, a descriptor, a count, an id, most Δt in ns: most of a table's cells) are looked
// up directly by value (1 MB of stamps, never cleared), the rest in a hash table.
const SMALL = 1 << 17;
export class Dictionary64 {
  private slots = new Int32Array(0);   // hash table of the entries not below SMALL: entry index + 1, 0 empty
  private mask = 0;
  private hashed = 0;                  // entries in it
  // The direct table: smallEntry[v] is v's entry where smallBuild[v] is this build's number.
  private readonly smallBuild = new Int32Array(SMALL);
  private readonly smallEntry = new Int32Array(SMALL);
  private build_ = 0;
  words = new Uint32Array(0);          // the entries, as word pairs
  indices = new Int32Array(0);
  count = 0;

  private begin(n: number): void {
    if (this.indices.length < n) this.indices = new Int32Array(Math.max(n, 1024));
    this.count = 0;
    this.hashed = 0;
    this.resize(64);
    if (++this.build_ === 0x7fffffff) { this.smallBuild.fill(0); this.build_ = 1; }
  }

  // Value v (below SMALL: high word 0)'s entry, added if new; -1 when that would pass maxEntries.
  private small(v: number, maxEntries: number): number {
    if (this.smallBuild[v] === this.build_) return this.smallEntry[v];
    if (this.count >= maxEntries) return -1;
    const k = this.add(v, 0);
    this.smallBuild[v] = this.build_;
    this.smallEntry[v] = k;
    return k;
  }

  // Builds the dictionary of words[0 .. 2n); gives up (false) past maxEntries distinct values. The
  // last value seen is checked first (a column mostly repeats), then small values directly, then of
  // the others the one before the last (a column alternates: select, read, …).
  build(words: Uint32Array, n: number, maxEntries: number): boolean {
    this.begin(n);
    const idx = this.indices, sb = this.smallBuild, se = this.smallEntry, gen = this.build_;
    let aLo = -1, aHi = -1, aK = -1, bLo = -1, bHi = -1, bK = -1;
    for (let i = 0; i < n; i++) {
      const lo = words[2 * i], hi = words[2 * i + 1];
      if (lo === aLo && hi === aHi) { idx[i] = aK; continue; }
      let k: number;
      if (hi === 0 && lo < SMALL) {
        if (sb[lo] === gen) k = se[lo];
        else if ((k = this.small(lo, maxEntries)) < 0) return false;
      } else if (lo === bLo && hi === bHi) k = bK;
      else if ((k = this.find(lo, hi, maxEntries)) < 0) return false;
      idx[i] = k;
      bLo = aLo; bHi = aHi; bK = aK; aLo = lo; aHi = hi; aK = k;
    }
    return true;
  }

  // The same for 32-bit signed values (ids), each widened to 64 bits.
  buildInts(ints: Int32Array, n: number, maxEntries: number): boolean {
    this.begin(n);
    const idx = this.indices, sb = this.smallBuild, se = this.smallEntry, gen = this.build_;
    let a = 0, aK = -1, b = 0, bK = -1;
    for (let i = 0; i < n; i++) {
      const v = ints[i];
      if (v === a && aK >= 0) { idx[i] = aK; continue; }
      let k: number;
      if (v >= 0 && v < SMALL) {
        if (sb[v] === gen) k = se[v];
        else if ((k = this.small(v, maxEntries)) < 0) return false;
      } else if (v === b && bK >= 0) k = bK;
      else if ((k = this.find(v >>> 0, v < 0 ? 0xffffffff : 0, maxEntries)) < 0) return false;
      idx[i] = k;
      b = a; bK = aK; a = v; aK = k;
    }
    return true;
  }

  // The entry of (lo, hi), added if new; -1 when that would pass maxEntries.
  private find(lo: number, hi: number, maxEntries: number): number {
    const s = this.slots, w = this.words;
    let h = (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
    for (;;) {
      const e = s[h];
      if (e === 0) break;
      if (w[2 * (e - 1)] === lo && w[2 * (e - 1) + 1] === hi) return e - 1;
      h = (h + 1) & this.mask;
    }
    if (this.count >= maxEntries) return -1;
    const k = this.add(lo, hi);
    s[h] = k + 1;
    if (2 * ++this.hashed > this.mask) this.resize(2 * (this.mask + 1));
    return k;
  }

  // A new entry (lo, hi), numbered next.
  private add(lo: number, hi: number): number {
    const k = this.count++;
    if (this.words.length < 2 * this.count) { const nw = new Uint32Array(Math.max(2 * this.count, 2 * this.words.length, 256)); nw.set(this.words); this.words = nw; }
    this.words[2 * k] = lo; this.words[2 * k + 1] = hi;
    return k;
  }

  private resize(size: number): void {
    if (this.slots.length < size) this.slots = new Int32Array(size); else this.slots.fill(0, 0, size);
    this.mask = size - 1;
    for (let k = 0; k < this.count; k++) {
      const lo = this.words[2 * k], hi = this.words[2 * k + 1];
      if (hi === 0 && lo < SMALL) continue;   // looked up directly
      let h = (Math.imul(lo ^ Math.imul(hi, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
      while (this.slots[h] !== 0) h = (h + 1) & this.mask;
      this.slots[h] = k + 1;
    }
  }
}
