// The conventions of skytrace's Parquet tables, as builders that hold them:
// a table made here reads exactly with the obvious call in pandas
// (`pd.read_parquet(path)`, no dtype_backend), pyarrow, DuckDB and Polars.
//
// - No nullable column. pandas turns an integer column with nulls into
//   float64 (0xffffffffffffffb8 came back as 2^64); without nulls uint64 and
//   int64 stay exact. A row without a value holds a documented one (0 with a
//   column that says which rows have none, or -1 in a signed column) and the
//   field is declared non-nullable (Parquet "required").
// - uint64 for register values: bit patterns, any of 2^64 (pandas uint64,
//   DuckDB UBIGINT). int64 for everything counted or measured: positions,
//   counts, ids, times in virtual nanoseconds (names end in `_ns`), signed
//   results; differences of int64 do not wrap as uint64 ones do in numpy.
//   int8 for a 0/1 flag.
// - Strings are dictionary-encoded (pandas category, DuckDB VARCHAR); "" where
//   there is none.
// - Names in snake_case; `flight_id` in every per-flight table, to join with
//   index.csv.
import { createRequire } from "node:module";
import {
  Data, Dictionary, Field, Int8, Int16, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC, Uint64, Utf8, Vector,
} from "apache-arrow";

// parquet-wasm's Node build is CommonJS that compiles its WASM on load.
const require = createRequire(import.meta.url);
type ParquetWasm = typeof import("parquet-wasm");
let pq: ParquetWasm | undefined;
function parquet(): ParquetWasm { return (pq ??= require("parquet-wasm") as ParquetWasm); }

export interface Column { name: string; data: Data }

/** Register values (bit patterns): uint64. */
export function uint64(name: string, values: BigUint64Array): Column {
  return { name, data: makeData({ type: new Uint64(), length: values.length, nullCount: 0, data: values }) };
}

/** Counts, positions, times, signed values: int64. */
export function int64(name: string, values: BigInt64Array): Column {
  return { name, data: makeData({ type: new Int64(), length: values.length, nullCount: 0, data: values }) };
}

/** A flag (0 or 1): int8. */
export function int8(name: string, values: Int8Array): Column {
  return { name, data: makeData({ type: new Int8(), length: values.length, nullCount: 0, data: values }) };
}

function utf8(values: readonly string[]): Data<Utf8> {
  const bytes = values.map((v) => Buffer.from(v));
  const offsets = new Int32Array(values.length + 1);
  bytes.forEach((b, i) => { offsets[i + 1] = offsets[i] + b.length; });
  return makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data: new Uint8Array(Buffer.concat(bytes)) });
}

/** Strings from a set: row i holds values[indices[i]] (Int8 indices for up to 128 values, Int16 up to 32 768, else Int32). */
export function strings(name: string, values: readonly string[], indices: Int8Array | Int16Array | Int32Array): Column {
  const max = indices instanceof Int8Array ? 1 << 7 : indices instanceof Int16Array ? 1 << 15 : 2 ** 31;
  if (values.length > max) throw new Error(`column ${name}: ${values.length} distinct strings for ${indices.constructor.name} indices`);
  const dictionary = new Vector([utf8(values)]);
  const data = indices instanceof Int8Array ? makeData({ type: new Dictionary(new Utf8(), new Int8()), length: indices.length, nullCount: 0, data: indices, dictionary })
    : indices instanceof Int16Array ? makeData({ type: new Dictionary(new Utf8(), new Int16()), length: indices.length, nullCount: 0, data: indices, dictionary })
    : makeData({ type: new Dictionary(new Utf8(), new Int32()), length: indices.length, nullCount: 0, data: indices, dictionary });
  return { name, data };
}

/** One string in every row. */
export function constant(name: string, value: string, rows: number): Column {
  return strings(name, [value], new Int8Array(rows));
}

/** The columns as an Arrow table; every field non-nullable, every column as long as the first. */
export function table(columns: Column[]): Table {
  const rows = columns[0]?.data.length ?? 0;
  for (const c of columns) {
    if (c.data.length !== rows) throw new Error(`column ${c.name}: ${c.data.length} rows, ${columns[0].name} has ${rows}`);
    if (c.data.nullCount !== 0) throw new Error(`column ${c.name} has nulls: skytrace's tables have none (src/dataset/columns.ts)`);
  }
  const fields = columns.map((c) => new Field(c.name, c.data.type, false));
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns.map((c) => c.data) }));
  return new Table(schema, [batch]);
}

export interface ParquetLayout {
  /** Columns that rise row by row: DELTA_BINARY_PACKED instead of a dictionary. */
  delta?: readonly string[];
  /** Columns with min/max statistics per column chunk (for readers that skip files by range); the rest have none. */
  statistics?: readonly string[];
  createdBy: string;
}

/** The table as Parquet bytes: ZSTD, dictionaries but where delta is asked for. Deterministic for the same rows. */
export function parquetBytes(t: Table, layout: ParquetLayout): Uint8Array {
  const p = parquet();
  let b = new p.WriterPropertiesBuilder()
    .setCompression(p.Compression.ZSTD)
    .setStatisticsEnabled(p.EnabledStatistics.None)
    .setCreatedBy(layout.createdBy);
  for (const c of layout.delta ?? []) b = b.setColumnDictionaryEnabled(c, false).setColumnEncoding(c, p.Encoding.DELTA_BINARY_PACKED);
  for (const c of layout.statistics ?? []) b = b.setColumnStatisticsEnabled(c, p.EnabledStatistics.Chunk);
  return p.writeParquet(p.Table.fromIPCStream(tableToIPC(t, "stream")), b.build());
}

/** Reads Parquet bytes back into an Arrow table (tests, checks). */
export function readParquet(bytes: Uint8Array): Table {
  return tableFromIPC(parquet().readParquet(bytes).intoIPCStream());
}
