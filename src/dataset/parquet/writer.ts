// A small Parquet writer for flat tables of required columns: one row group,
// one column chunk per column, a dictionary page and one data page per
// dictionary column, one data page otherwise; dictionaries, RLE/bit-packed
// indices and delta binary packing, then each page Snappy-compressed by
// ./snappy.ts. It writes the per-syscall table, a flight's widest Parquet
// file, in a fraction of what the general writer (parquet-wasm, behind
// src/dataset/columns.ts) takes for the same rows: ~8 ms of CPU for a normal
// flight's 54 000 rows where parquet-wasm took 45-70 ms, a third of the
// flight itself (bench/ground-truth.ts).
// The bytes depend on the rows alone (no codec library whose output might
// change with its version or the CPU), and the file carries the Arrow schema
// (`ARROW:schema`, as Arrow's own writers do), so pyarrow and pandas give
// dictionary columns back as categories; the columns' conventions are
// columns.ts's (uint64 registers, int64 counts and times, int8 flags,
// dictionary strings, no nulls).
import { Dictionary, Field, Int8, Int16, Int32, Int64, Schema, Table, tableToIPC, Uint64, Utf8 } from "apache-arrow";
import { Bytes, bitWidth } from "./bytes.js";
import { Dictionary64, encodeDelta, encodeHybrid, asNumbers } from "./encode.js";
import { CT, ThriftWriter } from "./thrift.js";
import { snappy } from "./snappy.js";

export type ParquetColumn =
  /** 64-bit integers as little-endian word pairs (lo, hi) of n rows: delta-packed, or a dictionary. */
  | { name: string; kind: "int64" | "uint64"; words: Uint32Array; encoding: "delta" | "dictionary"; statistics?: boolean }
  /** 32-bit signed values (ids) as int64, in a dictionary. */
  | { name: string; kind: "int64"; ints: Int32Array }
  /** Integers held as numbers, each within ±2^52 (times that rise row by row): delta-packed. */
  | { name: string; kind: "int64"; numbers: Float64Array; statistics?: boolean }
  /** A flag or small integer. */
  | { name: string; kind: "int8"; values: Int8Array }
  /** Strings from a set: row i holds dictionary[indices[i]]. */
  | { name: string; kind: "string"; dictionary: readonly string[]; indices: ArrayLike<number> };

// parquet.thrift enums.
const T_INT32 = 1, T_INT64 = 2, T_BYTE_ARRAY = 6;
const E_PLAIN = 0, E_RLE = 3, E_DELTA = 5, E_RLE_DICTIONARY = 8;
const P_DATA = 0, P_DICTIONARY = 2;
const REQUIRED = 0;
const CONV_UTF8 = 0, CONV_UINT_64 = 14, CONV_INT_8 = 15;

interface Chunk { dictionaryOffset: number; dataOffset: number; encodings: number[]; bytes: number; rawBytes: number; stats: { min: Uint8Array; max: Uint8Array } | null }

const CODEC_SNAPPY = 1;

const utf8 = new TextEncoder();

// Reused across files: the output, a page's body, the 64-bit dictionary, numbers for delta packing.
const out = new Bytes(1 << 20);
const page = new Bytes(1 << 18);
const packed = new Bytes(1 << 18);
const dict = new Dictionary64();
let numbers = new Float64Array(0);
let small = new Int32Array(0);

/** The columns (each of `rows` rows) as a Parquet file's bytes: a view of the writer's buffer, valid until its next file. */
export function writeParquet(columns: readonly ParquetColumn[], rows: number, createdBy: string): Uint8Array {
  out.clear();
  out.bytes(MAGIC);
  const chunks = columns.map((c) => writeColumn(c, rows));
  const meta = out.len;
  const t = new ThriftWriter(out).begin();
  t.i32(1, 1);
  t.list(2, CT.STRUCT, columns.length + 1, (i) => t.elemStruct(() => {
    if (i === 0) { t.string(4, "schema").i32(5, columns.length); return; }
    schemaElement(t, columns[i - 1]);
  }));
  t.i64(3, rows);
  t.list(4, CT.STRUCT, 1, () => t.elemStruct(() => {
    t.list(1, CT.STRUCT, columns.length, (i) => t.elemStruct(() => columnChunk(t, columns[i], chunks[i], rows)));
    t.i64(2, chunks.reduce((s, c) => s + c.bytes, 0));
    t.i64(3, rows);
  }));
  t.list(5, CT.STRUCT, 1, () => t.elemStruct(() => { t.string(1, "ARROW:schema").string(2, arrowSchema(columns)); }));
  t.string(6, createdBy);
  // Every column in its type's own order: what makes readers trust the min/max statistics.
  t.list(7, CT.STRUCT, columns.length, () => t.elemStruct(() => t.struct(1, () => {})));
  t.end();
  out.u32(out.len - meta);
  out.bytes(MAGIC);
  return out.view();
}

const MAGIC = utf8.encode("PAR1");

function physical(c: ParquetColumn): number { return c.kind === "string" ? T_BYTE_ARRAY : c.kind === "int8" ? T_INT32 : T_INT64; }

function schemaElement(t: ThriftWriter, c: ParquetColumn): void {
  t.i32(1, physical(c)).i32(3, REQUIRED).string(4, c.name);
  if (c.kind === "string") t.i32(6, CONV_UTF8).struct(10, () => t.struct(1, () => {}));
  else if (c.kind === "uint64") t.i32(6, CONV_UINT_64).struct(10, () => t.struct(10, () => t.byte(1, 64).bool(2, false)));
  else if (c.kind === "int8") t.i32(6, CONV_INT_8).struct(10, () => t.struct(10, () => t.byte(1, 8).bool(2, true)));
}

function columnChunk(t: ThriftWriter, c: ParquetColumn, k: Chunk, rows: number): void {
  t.i64(2, k.dictionaryOffset >= 0 ? k.dictionaryOffset : k.dataOffset);
  t.struct(3, () => {
    t.i32(1, physical(c));
    t.list(2, CT.I32, k.encodings.length, (i) => t.elemI32(k.encodings[i]));
    t.list(3, CT.BINARY, 1, () => t.elemString(c.name));
    t.i32(4, CODEC_SNAPPY);
    t.i64(5, rows).i64(6, k.rawBytes).i64(7, k.bytes).i64(9, k.dataOffset);
    if (k.dictionaryOffset >= 0) t.i64(11, k.dictionaryOffset);
    if (k.stats) { const s = k.stats; t.struct(12, () => t.i64(3, 0).binary(5, s.max).binary(6, s.min)); }
  });
}

// A page: its header, then the body held in `page`, compressed. Returns the page's size before compression.
let rawSize = 0;
function writePage(type: number, values: number, encoding: number): void {
  packed.clear();
  snappy(packed, page.buf, page.len);
  const headerAt = out.len;
  const t = new ThriftWriter(out).begin();
  t.i32(1, type).i32(2, page.len).i32(3, packed.len);
  if (type === P_DATA) t.struct(5, () => t.i32(1, values).i32(2, encoding).i32(3, E_RLE).i32(4, E_RLE));
  else t.struct(7, () => t.i32(1, values).i32(2, E_PLAIN));
  t.end();
  rawSize += out.len - headerAt + page.len;
  out.bytes(packed.view());
}

// Dictionary indices as a data page: the bit width, then the hybrid runs (read from one array type).
let index32 = new Int32Array(0);
function indexPage(indices: ArrayLike<number>, rows: number, entries: number): void {
  let v: Int32Array;
  if (indices instanceof Int32Array) v = indices;
  else {
    if (index32.length < rows) index32 = new Int32Array(Math.max(rows, 1024));
    v = index32;
    if (indices instanceof Int8Array || indices instanceof Int16Array) v.set(indices.subarray(0, rows));
    else for (let i = 0; i < rows; i++) v[i] = indices[i];
  }
  page.clear();
  const width = Math.max(1, bitWidth(entries - 1));
  if (width > 24) throw new Error(`parquet: ${entries} dictionary entries`);
  page.byte(width);
  encodeHybrid(page, v, rows, width);
  writePage(P_DATA, rows, E_RLE_DICTIONARY);
}

// The built dictionary of 64-bit words (dict) as a dictionary page, then the rows' indices into it.
function dictionaryPages(k: Chunk, rows: number): void {
  page.clear();
  for (let e = 0; e < dict.count; e++) { page.u32(dict.words[2 * e]); page.u32(dict.words[2 * e + 1]); }
  k.dictionaryOffset = out.len;
  writePage(P_DICTIONARY, dict.count, E_PLAIN);
  k.dataOffset = out.len;
  indexPage(dict.indices, rows, dict.count);
  k.encodings = [E_PLAIN, E_RLE, E_RLE_DICTIONARY];
}

// Ids that are not a small set after all: widened to word pairs for the general path.
let wide = new Uint32Array(0);
function widened(ints: Int32Array, rows: number): Uint32Array {
  if (wide.length < 2 * rows) wide = new Uint32Array(Math.max(2 * rows, 2048));
  for (let i = 0; i < rows; i++) { const v = ints[i]; wide[2 * i] = v >>> 0; wide[2 * i + 1] = v < 0 ? 0xffffffff : 0; }
  return wide;
}

function writeColumn(c: ParquetColumn, rows: number): Chunk {
  if ("ints" in c && !dict.buildInts(c.ints, rows, Math.max(16, rows >> 2))) {
    return writeColumn({ name: c.name, kind: "int64", words: widened(c.ints, rows), encoding: "delta" }, rows);
  }
  const start = out.len;
  rawSize = 0;
  const k: Chunk = { dictionaryOffset: -1, dataOffset: -1, encodings: [], bytes: 0, rawBytes: 0, stats: null };
  if (c.kind === "string") {
    page.clear();
    for (const s of c.dictionary) { const b = utf8.encode(s); page.u32(b.length); page.bytes(b); }
    k.dictionaryOffset = out.len;
    writePage(P_DICTIONARY, c.dictionary.length, E_PLAIN);
    k.dataOffset = out.len;
    indexPage(c.indices, rows, c.dictionary.length);
    k.encodings = [E_PLAIN, E_RLE, E_RLE_DICTIONARY];
  } else if (c.kind === "int8") {
    // A dictionary of the values present (at most 256), as INT32.
    const seen = new Int32Array(256).fill(-1), order: number[] = [];
    if (small.length < rows) small = new Int32Array(Math.max(rows, 1024));
    for (let i = 0; i < rows; i++) {
      const v = c.values[i] + 128;
      if (seen[v] < 0) { seen[v] = order.length; order.push(v - 128); }
      small[i] = seen[v];
    }
    page.clear();
    for (const v of order) page.u32(v);
    k.dictionaryOffset = out.len;
    writePage(P_DICTIONARY, order.length, E_PLAIN);
    k.dataOffset = out.len;
    indexPage(small, rows, Math.max(order.length, 1));
    k.encodings = [E_PLAIN, E_RLE, E_RLE_DICTIONARY];
  } else if ("numbers" in c) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < rows; i++) { const v = c.numbers[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    if (rows > 0 && (lo < -(2 ** 52) || hi >= 2 ** 52 || !Number.isInteger(lo) || !Number.isInteger(hi))) throw new Error(`parquet: column ${c.name} holds values beyond ±2^52`);
    page.clear();
    encodeDelta(page, c.numbers, rows);
    k.dataOffset = out.len;
    writePage(P_DATA, rows, E_DELTA);
    k.encodings = [E_RLE, E_DELTA];
    if (c.statistics && rows > 0) k.stats = { min: int64Bytes(lo), max: int64Bytes(hi) };
  } else if ("ints" in c) {
    dictionaryPages(k, rows); // the dictionary was built above
  } else {
    const signed = c.kind === "int64";
    if (numbers.length < rows) numbers = new Float64Array(Math.max(rows, 1024));
    // A dictionary where values repeat (at most one entry per 4 rows), else delta packing where the values
    // allow it, else plain.
    if (c.encoding === "dictionary" && dict.build(c.words, rows, Math.max(16, rows >> 2))) {
      dictionaryPages(k, rows);
    } else {
      const v = asNumbers(c.words, rows, signed, numbers);
      page.clear();
      if (v) encodeDelta(page, v, rows);
      else { page.reserve(8 * rows); page.buf.set(new Uint8Array(c.words.buffer, c.words.byteOffset, 8 * rows), page.len); page.len += 8 * rows; }
      k.dataOffset = out.len;
      writePage(P_DATA, rows, v ? E_DELTA : E_PLAIN);
      k.encodings = [E_RLE, v ? E_DELTA : E_PLAIN];
    }
    if (c.statistics && rows > 0) k.stats = minMax(c.words, rows, signed);
  }
  k.bytes = out.len - start;
  k.rawBytes = rawSize;
  return k;
}

function int64Bytes(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
  return b;
}

// Min and max of a 64-bit column, as 8 little-endian bytes each: the high words compared as signed or
// unsigned 32-bit values, then the low ones.
function minMax(words: Uint32Array, rows: number, signed: boolean): { min: Uint8Array; max: Uint8Array } {
  const flip = signed ? 0x80000000 : 0;
  let lo = 0, hi = 0;
  let loH = (words[1] ^ flip) >>> 0, loL = words[0], hiH = loH, hiL = loL;
  for (let i = 1; i < rows; i++) {
    const h = (words[2 * i + 1] ^ flip) >>> 0, l = words[2 * i];
    if (h < loH || (h === loH && l < loL)) { lo = i; loH = h; loL = l; }
    if (h > hiH || (h === hiH && l > hiL)) { hi = i; hiH = h; hiL = l; }
  }
  const bytes = (i: number): Uint8Array => new Uint8Array(new Uint32Array([words[2 * i], words[2 * i + 1]]).buffer);
  return { min: bytes(lo), max: bytes(hi) };
}

// The Arrow schema of the columns (IPC schema message, base64), as Arrow's Parquet writers store it: it
// gives readers the dictionary and unsigned types back. Made once per set of columns.
const schemas = new Map<string, string>();
const indexBytes = (c: ParquetColumn): number => (c.kind === "string" ? (c.indices as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 4 : 0);
function arrowSchema(columns: readonly ParquetColumn[]): string {
  const key = columns.map((c) => `${c.name}:${c.kind}:${indexBytes(c)}`).join(",");
  let s = schemas.get(key);
  if (s === undefined) {
    const fields = columns.map((c) => new Field(c.name, c.kind === "int64" ? new Int64() : c.kind === "uint64" ? new Uint64() : c.kind === "int8" ? new Int8()
      : new Dictionary(new Utf8(), indexType(indexBytes(c))), false));
    const ipc = tableToIPC(new Table(new Schema(fields)), "stream");
    // The stream's first message: continuation marker, metadata length, the flatbuffer.
    const length = new DataView(ipc.buffer, ipc.byteOffset + 4, 4).getInt32(0, true);
    s = Buffer.from(ipc.subarray(0, 8 + length)).toString("base64");
    schemas.set(key, s);
  }
  return s;
}

function indexType(bytes: number): Int8 | Int16 | Int32 { return bytes === 1 ? new Int8() : bytes === 2 ? new Int16() : new Int32(); }
