// The columnar export: one Parquet file per flight (events/<id>.parquet), one
// row per SYSCALL/SYSRET event of its raw file. A folder of Parquet files is
// one table to pandas, pyarrow, DuckDB and Spark (`read_parquet("DIR/events")`),
// and per-flight files keep resume and shards simple: each is written once,
// atomically, and checksummed in the index like the flight's other files.
//
// Columns: flight_id, scenario, event (0-based order in the flight), tick
// (virtual ns, as the raw file), type (SYSCALL | SYSRET), syscall (RAX; null on
// SYSRET rows, whose raw line carries no registers; uint64, as RAX can be any value), arg0..arg5 (RDI RSI RDX
// R10 R8 R9; null on SYSRET rows), cr3.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import {
  Table, Vector, makeData, Utf8, Uint64, Uint32, Field, Schema, RecordBatch, Struct, tableToIPC, tableFromIPC, Dictionary, Int8,
} from "apache-arrow";
import { rawColumns } from "./raw-columns.js";

// parquet-wasm's Node build is CommonJS that compiles its WASM on load.
const require = createRequire(import.meta.url);
type ParquetWasm = typeof import("parquet-wasm");
let pq: ParquetWasm | undefined;
function parquet(): ParquetWasm { return (pq ??= require("parquet-wasm") as ParquetWasm); }

export const EVENT_COLUMNS = ["flight_id", "scenario", "event", "tick", "type", "syscall", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "cr3"];

function bitmap(valid: (i: number) => boolean, n: number): Uint8Array {
  const b = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (valid(i)) b[i >> 3] |= 1 << (i & 7);
  return b;
}

// A dictionary column whose every row holds the same string.
function constantColumn(value: string, n: number) {
  const type = new Dictionary(new Utf8(), new Int8());
  const dict = makeData({ type: new Utf8(), length: 1, nullCount: 0, valueOffsets: new Int32Array([0, Buffer.byteLength(value)]), data: new Uint8Array(Buffer.from(value)) });
  return makeData({ type, length: n, nullCount: 0, data: new Int8Array(n), dictionary: new Vector([dict]) });
}

/** Reads a raw trace (strictly) and returns its events as an Arrow table. */
export function eventsTable(rawFile: string, flightId: string, scenario: string): Table {
  const { n, tick, cr3, nr, args, isCall, calls } = rawColumns(readFileSync(rawFile), rawFile);
  const type = new Int8Array(n);
  for (let i = 0; i < n; i++) type[i] = isCall[i] ^ 1;
  const callBits = bitmap((i) => isCall[i] === 1, n);
  const typeDict = makeData({
    type: new Utf8(), length: 2, nullCount: 0,
    valueOffsets: new Int32Array([0, 7, 13]), data: new Uint8Array(Buffer.from("SYSCALLSYSRET")),
  });
  const u64 = (data: BigUint64Array, nulls?: Uint8Array) =>
    makeData({ type: new Uint64(), length: n, nullCount: nulls ? n - calls : 0, data, nullBitmap: nulls });
  const children = [
    constantColumn(flightId, n),
    constantColumn(scenario, n),
    makeData({ type: new Uint32(), length: n, nullCount: 0, data: Uint32Array.from({ length: n }, (_, i) => i) }),
    u64(tick),
    makeData({ type: new Dictionary(new Utf8(), new Int8()), length: n, nullCount: 0, data: type, dictionary: new Vector([typeDict]) }),
    u64(nr, callBits),
    ...args.map((a) => u64(a, callBits)),
    u64(cr3),
  ];
  const fields = EVENT_COLUMNS.map((name, i) => new Field(name, children[i].type, name === "syscall" || name.startsWith("arg")));
  const schema = new Schema(fields);
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children }));
  return new Table(schema, [batch]);
}

/** The flight's events as Parquet bytes (ZSTD); deterministic for the same raw file. */
export function eventsParquet(rawFile: string, flightId: string, scenario: string, createdBy: string): Uint8Array {
  const p = parquet();
  const ipc = tableToIPC(eventsTable(rawFile, flightId, scenario), "stream");
  const props = new p.WriterPropertiesBuilder()
    .setCompression(p.Compression.ZSTD)
    .setCreatedBy(createdBy)
    .build();
  return p.writeParquet(p.Table.fromIPCStream(ipc), props);
}

/** Reads a Parquet file back into an Arrow table (tests, merge checks). */
export function readEventsParquet(bytes: Uint8Array): Table {
  const p = parquet();
  const t = p.readParquet(bytes);
  return tableFromIPC(t.intoIPCStream());
}
