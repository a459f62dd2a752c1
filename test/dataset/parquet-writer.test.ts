// The small Parquet writer (src/dataset/parquet): tables of every column kind
// and encoding, at the sizes where its encodings change shape (a group of 8,
// a block of 128, a run, a dictionary that gives up), read back by another
// implementation (parquet-wasm, Arrow's Rust reader) value for value; Snappy
// against a decoder written here from the format description; the same rows
// giving the same bytes. pandas and DuckDB read real tables in test/python.
import { describe, expect, it } from "vitest";
import { writeParquet, type ParquetColumn } from "../../src/dataset/parquet/writer.js";
import { snappy } from "../../src/dataset/parquet/snappy.js";
import { Bytes } from "../../src/dataset/parquet/bytes.js";
import { readParquet } from "../../src/dataset/columns.js";

// A seeded generator, so a failing case is the same on every run.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s; };
}

const MAX64 = (1n << 64n) - 1n;
function words(values: bigint[]): Uint32Array {
  const w = new Uint32Array(2 * values.length);
  values.forEach((v, i) => { const u = BigInt.asUintN(64, v); w[2 * i] = Number(u & 0xffffffffn); w[2 * i + 1] = Number(u >> 32n); });
  return w;
}

interface Case { columns: ParquetColumn[]; want: Record<string, unknown[]> }

function table(n: number, seed: number): Case {
  const r = rng(seed);
  const pick = <T>(xs: T[]): T => xs[r() % xs.length];
  const rising: bigint[] = [], signed: bigint[] = [], regs: bigint[] = [], many: bigint[] = [], huge: bigint[] = [];
  let t = 1_000_000n;
  for (let i = 0; i < n; i++) {
    t += BigInt(pick([263, 86543, 0, 1, 5_000_000_000]));
    rising.push(t);
    signed.push(pick([-1n, 0n, 1n, -(1n << 63n), (1n << 63n) - 1n, -4n, BigInt(r())]));
    regs.push(pick([0n, 4n, 0x7fffffffe990n, MAX64, 1n << 63n, BigInt(i % 3)]));   // repeats: a dictionary
    many.push(BigInt(r()) * 7919n + BigInt(i));                                         // no repeats: the dictionary gives up
    huge.push(i % 2 ? MAX64 - BigInt(i) : BigInt(i));                                  // beyond 2^52: plain
  }
  const flags = Int8Array.from({ length: n }, () => pick([0, 1, 1, 1, -128, 127]));
  const runs = Int32Array.from({ length: n }, (_, i) => (i < n / 3 ? 0 : i < n / 2 ? 1 : (i >> 4) % 3));
  const alt = Int16Array.from({ length: n }, (_, i) => (i % 2 ? 3 : i % 5));
  const names = ["", "select", "read", "ünïcödé", "x".repeat(300)];
  const times = Float64Array.from(rising, (v, i) => (i % 5 === 4 ? -1 : Number(v)));   // exit times: -1 where none
  const ids = Int32Array.from({ length: n }, (_, i) => (i < n / 2 ? 3 : i % 3 === 0 ? -1 : 7));
  const manyIds = Int32Array.from({ length: n }, (_, i) => i * 3 - 2 ** 31 + 5);       // not a small set: widened
  const columns: ParquetColumn[] = [
    { name: "rising", kind: "int64", words: words(rising), encoding: "delta", statistics: true },
    { name: "signed", kind: "int64", words: words(signed), encoding: "dictionary", statistics: true },
    { name: "regs", kind: "uint64", words: words(regs), encoding: "dictionary", statistics: true },
    { name: "many", kind: "uint64", words: words(many), encoding: "dictionary" },
    { name: "huge", kind: "uint64", words: words(huge), encoding: "delta" },
    { name: "flag", kind: "int8", values: flags },
    { name: "times", kind: "int64", numbers: times, statistics: true },
    { name: "ids", kind: "int64", ints: ids },
    { name: "many_ids", kind: "int64", ints: manyIds },
    { name: "runs", kind: "string", dictionary: names, indices: runs },
    { name: "alt", kind: "string", dictionary: names, indices: alt },
  ];
  return {
    columns,
    want: {
      rising, signed, regs: regs.map((v) => BigInt.asUintN(64, v)), many, huge,
      flag: Array.from(flags), times: Array.from(times, BigInt), ids: Array.from(ids, BigInt), many_ids: Array.from(manyIds, BigInt), runs: Array.from(runs, (k) => names[k]), alt: Array.from(alt, (k) => names[k]),
    },
  };
}

describe("parquet writer", () => {
  for (const n of [0, 1, 7, 8, 9, 31, 33, 127, 128, 129, 130, 1000, 4097]) {
    it(`${n} rows of every kind read back exactly, none nullable`, () => {
      const c = table(n, n + 1);
      const bytes = writeParquet(c.columns, n, "test").slice();   // a copy: the writer reuses its buffer
      const t = readParquet(bytes);
      expect(t.numRows).toBe(n);
      expect(t.schema.fields.map((f) => [f.name, f.nullable])).toEqual(c.columns.map((x) => [x.name, false]));
      expect(t.schema.fields.map((f) => String(f.type))).toEqual(["Int64", "Int64", "Uint64", "Uint64", "Uint64", "Int8", "Int64", "Int64", "Int64", "Dictionary<Int32, Utf8>", "Dictionary<Int16, Utf8>"]);
      for (const [name, want] of Object.entries(c.want)) {
        const col = t.getChild(name)!;
        const got = Array.from({ length: n }, (_, i) => col.get(i));
        expect(got, name).toEqual(want);
      }
      // The same rows, the same bytes.
      expect(Buffer.from(writeParquet(c.columns, n, "test")).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it("long runs and literals of every bit width round-trip", () => {
    for (const entries of [1, 2, 3, 17, 256, 257, 70_000]) {
      const n = 3000;
      const dictionary = Array.from({ length: entries }, (_, k) => `v${k}`);
      const r = rng(entries);
      const indices = Int32Array.from({ length: n }, (_, i) => (i % 200 < 90 ? (i >> 7) % entries : r() % entries));
      const t = readParquet(writeParquet([{ name: "s", kind: "string", dictionary, indices }], n, "test"));
      expect(Array.from({ length: n }, (_, i) => t.getChild("s")!.get(i))).toEqual(Array.from(indices, (k) => dictionary[k]));
    }
  });
});

// A Snappy decoder from google/snappy's format_description.txt, to check the compressor against.
function unsnappy(b: Uint8Array): Uint8Array {
  let p = 0, len = 0, shift = 0;
  for (;;) { const c = b[p++]; len += (c & 0x7f) * 2 ** shift; shift += 7; if (c < 0x80) break; }
  const out = new Uint8Array(len);
  let o = 0;
  while (p < b.length) {
    const tag = b[p++];
    if ((tag & 3) === 0) {
      let n = (tag >> 2) + 1;
      if (n > 60) { const k = n - 60; n = 1; let v = 0; for (let j = 0; j < k; j++) v += b[p++] * 2 ** (8 * j); n += v; }
      out.set(b.subarray(p, p + n), o); p += n; o += n;
    } else {
      let n: number, off: number;
      if ((tag & 3) === 1) { n = ((tag >> 2) & 7) + 4; off = ((tag >> 5) << 8) | b[p++]; }
      else if ((tag & 3) === 2) { n = (tag >> 2) + 1; off = b[p] | (b[p + 1] << 8); p += 2; }
      else { n = (tag >> 2) + 1; off = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0; p += 4; }
      if (off === 0 || off > o) throw new Error(`bad copy offset ${off} at ${o}`);
      for (let j = 0; j < n; j++, o++) out[o] = out[o - off];
    }
  }
  if (o !== len) throw new Error(`decoded ${o} bytes, the header says ${len}`);
  return out;
}

// The plain greedy scan the compressor was first written as (a hash of the 4 bytes at each
// position, read afresh every step): the compressor must give its bytes exactly, since a
// flight's Parquet files are byte-identical from version to version.
function greedySnappy(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  const varint = (v: number) => { while (v >= 0x80) { out.push((v % 0x80) | 0x80); v = Math.floor(v / 0x80); } out.push(v); };
  const load32 = (i: number) => (src[i] | (src[i + 1] << 8) | (src[i + 2] << 16) | (src[i + 3] << 24)) >>> 0;
  const hash = (x: number) => Math.imul(x, 0x1e35a7bd) >>> (32 - 14);
  const literal = (from: number, to: number) => {
    for (let len = to - from; len > 0;) {
      const k = Math.min(len, 1 << 16);
      if (k <= 60) out.push((k - 1) << 2);
      else if (k <= 256) out.push(60 << 2, k - 1);
      else out.push(61 << 2, (k - 1) & 0xff, (k - 1) >> 8);
      for (let j = from; j < from + k; j++) out.push(src[j]);
      from += k; len -= k;
    }
  };
  const copy = (offset: number, len: number) => {
    while (len > 0) { const k = len > 64 ? (len - 64 < 4 ? len - 4 : 64) : len; out.push(((k - 1) << 2) | 2, offset & 0xff, offset >> 8); len -= k; }
  };
  const n = src.length, table = new Int32Array(1 << 14).fill(-1);
  varint(n);
  let lit = 0, i = 0;
  while (i + 4 <= n) {
    const x = load32(i), h = hash(x), cand = table[h];
    table[h] = i;
    if (cand < 0 || i - cand > 65535 || load32(cand) !== x) { i++; continue; }
    let len = 4;
    while (i + len < n && src[cand + len] === src[i + len]) len++;
    literal(lit, i);
    copy(i - cand, len);
    if (i + len - 1 + 4 <= n) table[hash(load32(i + len - 1))] = i + len - 1;
    i += len;
    lit = i;
  }
  literal(lit, n);
  return Uint8Array.from(out);
}

describe("snappy", () => {
  const r = rng(7);
  const inputs: Array<[string, Uint8Array]> = [
    ["empty", new Uint8Array(0)],
    ["three bytes", Uint8Array.from([1, 2, 3])],
    ["random 100 KB (literals of every length class)", Uint8Array.from({ length: 100_000 }, () => r() & 0xff)],
    ["random 100 KB, no period (the generator's top byte): nearly nothing matches", Uint8Array.from({ length: 100_000 }, () => r() >>> 24)],
    ["one byte repeated (overlapping copies)", new Uint8Array(70_000).fill(0x2a)],
    ["a 5-byte pattern with noise", Uint8Array.from({ length: 200_000 }, (_, i) => (i % 997 === 0 ? r() & 0xff : [1, 9, 3, 7, 5][i % 5]))],
    ["rising 64-bit times with jitter (a table's time column)", (() => { const b = new Uint8Array(8 * 30_000), v = new DataView(b.buffer); let t = 1e15; for (let i = 0; i < 30_000; i++) { t += 80_000 + (r() % 9000); v.setBigUint64(8 * i, BigInt(t), true); } return b; })()],
    ["bytes of every value, 1 to 4 of them repeated", Uint8Array.from({ length: 150_000 }, (_, i) => (i % 7 < 3 ? 0x80 + (i % 3) : r() & 0xff))],
    ["repeats farther apart than the window", (() => { const a = Uint8Array.from({ length: 40_000 }, () => r() & 0xff); const b = new Uint8Array(200_000); for (let i = 0; i < b.length; i += 40_000) b.set(a.subarray(0, Math.min(40_000, b.length - i)), i); return b; })()],
  ];
  for (const [name, input] of inputs) {
    it(`round-trips: ${name}`, () => {
      const out = new Bytes(16);
      snappy(out, input);
      expect(Buffer.from(unsnappy(out.view())).equals(Buffer.from(input))).toBe(true);
      if (name.startsWith("one byte")) expect(out.len).toBeLessThan(input.length / 20);
    });
    it(`gives the plain greedy scan's bytes: ${name}`, () => {
      const out = new Bytes(16);
      snappy(out, input);
      expect(Buffer.from(out.view()).equals(Buffer.from(greedySnappy(input)))).toBe(true);
    });
  }
});
