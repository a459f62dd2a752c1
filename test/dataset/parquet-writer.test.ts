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
import { createHash } from "node:crypto";

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

// sha256 of table(n, n + 1)'s file, by n, as skytrace 84803ac wrote it.
const GOLDEN = new Map<number, string>([
  [0, "9c756cdbe3f76a47fcc8214671270de471ed8abbc42bd825a0cb7289b03a98f3"],
  [1, "e4748a56669f63f58d076e15711fa28002b83275129b2b86e37be48063db4007"],
  [7, "97b55f857b841ffcc368c1c30f06eddb6f698d628f4edbd9514612cdc52b1ff6"],
  [8, "3342d0212eacdbc8d4e64274318f12a573f6e8e91eeca3752cc35057a250a2f8"],
  [9, "3f9da8951a4532fe134024bff3054df5e2a10a3d9158ebe0f5261072286d13df"],
  [31, "f43e4dca766ca9774959f9c6587605fdee305e5ab23ae1683ecf99174a17e1ab"],
  [33, "918d35cd6640f7ad3411c9b5e98855a3ab938f7666ae535e3a8803d61d83a97d"],
  [127, "fc3e18b4be627cb28d75280958bcdb4334a0635c4f0696c362df4ce9e3eceecc"],
  [128, "a671ab93db21f67fb4b01c47458956006307b4bdf951fdb943be7ae720997933"],
  [129, "7c51c86414fdb5dd071a08aa307830e758ae45b5ab666c57dbd7f2f48c0959fc"],
  [130, "d7f86144d28c67efd2c669679d98925f00e27b7abd6d377623a96ad23a576457"],
  [1000, "41767593ce520d6504efa1960db7ecca29017f04c479384c27aba182b4f2965c"],
  [4097, "001b0db83bf770aa7f6a0ca36f452ebc26d52ad1615702b7f0d3a770755a616a"],
]);

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
      // The same rows, the same bytes, and the bytes of skytrace 84803ac (a flight's files stay
      // byte-identical from version to version; SKYTRACE_PRINT_TABLE_HASHES=1 prints them).
      expect(Buffer.from(writeParquet(c.columns, n, "test")).equals(Buffer.from(bytes))).toBe(true);
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      if (process.env.SKYTRACE_PRINT_TABLE_HASHES) console.log(`[${n}, "${sha256}"],`);
      expect(sha256).toBe(GOLDEN.get(n));
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
  it("keeps nothing of one page for the next: 40,000 small pages in a row (past its position counter's wrap) each give the plain scan's bytes", () => {
    // The compressor's table outlives a call (positions counted from a base that each call moves on,
    // about 2^16 a call, and that starts again past 2^31): no page may match another's bytes.
    const g = rng(11);
    const pages = [Uint8Array.from([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]), Uint8Array.from({ length: 40 }, (_, i) => i % 6)];
    const out = new Bytes(16);
    let bad = 0;
    for (let k = 0; k < 40_000; k++) {
      const page = k % 3 === 2 ? Uint8Array.from({ length: 8 + (g() % 40) }, () => g() & 3) : pages[k % 2];
      out.clear();
      snappy(out, page);
      if (!Buffer.from(out.view()).equals(Buffer.from(greedySnappy(page)))) bad++;
    }
    expect(bad).toBe(0);
  });

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
