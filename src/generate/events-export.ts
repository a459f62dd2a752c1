// The columnar export: one Parquet file per flight (events/<id>.parquet), one
// row per SYSCALL/SYSRET line of its raw file, in the file's order. A folder
// of Parquet files is one table to pandas, pyarrow, DuckDB and Spark
// (`read_parquet("DIR/events")`), and per-flight files keep resume and shards
// simple: each is written once, atomically, and checksummed in the index like
// the flight's other files. The table follows src/dataset/columns.ts (no
// nullable column, uint64 registers, int64 counts and times).
//
// Columns: flight_id, scenario, seq (0-based line of the raw file), time_ns
// (the line's timestamp, virtual ns), type (SYSCALL | SYSRET), nr (RAX), arg0..arg5
// (RDI RSI RDX R10 R8 R9), cr3. A SYSRET line carries no registers: its nr and
// arguments are 0, and `type` says which rows have them. (They were null,
// which pandas read as float64, losing every value above 2^53.) One table of
// events, not one of calls and one of returns: it is the raw file row for
// row, in order, which is what a sequence model reads.
import type { Table } from "apache-arrow";
import type { RawColumns } from "../dataset/event-columns.js";
import { constant, int64, parquetBytes, readParquet, strings, table, uint64 } from "../dataset/columns.js";

export const EVENT_COLUMNS = ["flight_id", "scenario", "seq", "time_ns", "type", "nr", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "cr3"];
export const EVENT_TYPES = ["SYSCALL", "SYSRET"];

// Plain loops, no callbacks made per flight: V8 recompiled those on every
// export (--trace-opt over 48 flights: 71 compiles of the callback version, 9 now).
function eventTypes(isCall: Uint8Array, n: number): Int8Array {
  const type = new Int8Array(n);
  for (let i = 0; i < n; i++) type[i] = isCall[i] ^ 1;   // 0 SYSCALL, 1 SYSRET
  return type;
}

// 0, 1, 2, … as int64, written through 32-bit halves (no BigInt per row);
// kept and grown, handed out as a view (read-only for the table).
let seqWords = new Uint32Array(0);
function sequence(n: number): BigInt64Array {
  if (seqWords.length < 2 * n) {
    seqWords = new Uint32Array(2 * Math.max(n, 1 << 17));
    for (let i = 0; i < seqWords.length >> 1; i++) seqWords[2 * i] = i;
  }
  return new BigInt64Array(seqWords.buffer, 0, n);
}

// Timestamps as int64: the same 8 bytes, refused from 2^63 on (292 years of
// virtual time; a flight's clock is seconds).
function signedTimes(tick: BigUint64Array): BigInt64Array {
  const w = new Uint32Array(tick.buffer, tick.byteOffset, 2 * tick.length);
  for (let i = 1; i < w.length; i += 2) {
    if (w[i] >= 0x80000000) throw new Error(`event ${i >> 1}: timestamp ${tick[i >> 1]} is beyond int64 (time_ns)`);
  }
  return new BigInt64Array(tick.buffer, tick.byteOffset, tick.length);
}

/** A flight's events (its raw trace's rows, as columns) as an Arrow table. */
export function eventsTable(columns: RawColumns, flightId: string, scenario: string): Table {
  const { n, tick, cr3, nr, args, isCall } = columns;
  return table([
    constant("flight_id", flightId, n),
    constant("scenario", scenario, n),
    int64("seq", sequence(n)),
    int64("time_ns", signedTimes(tick)),
    strings("type", EVENT_TYPES, eventTypes(isCall, n)),
    uint64("nr", nr),
    ...args.map((a, k) => uint64(`arg${k}`, a)),
    uint64("cr3", cr3),
  ]);
}

// How the columns are written. `seq` and `time_ns` rise row by row: delta
// encoding stores them in a few KB, where the default (a dictionary, given up
// once it is full, then plain) took ~90% of a file's 950 KB and a third of its
// encoding time. The other numbers repeat (a few syscalls, arguments and
// address spaces), so they keep the default dictionary. Min/max statistics
// only on `seq` and `time_ns`, the columns a reader can skip files by: a
// flight's registers span almost their whole range, and computing their
// statistics over every row cost ~4 ms a normal flight (a tenth of the
// export) once SYSRET rows held 0 rather than null. Measured on a normal
// flight (110 000 rows): 104 ms and 953 KB with parquet-wasm's defaults;
// 23 KB with these, in the CPU time the nullable layout took (bench/export.ts,
// docs/bulk.md).
const DELTA_COLUMNS = ["seq", "time_ns"];
const STATISTICS = ["seq", "time_ns"];

/** The flight's events as Parquet bytes (ZSTD); deterministic for the same rows. */
export function eventsParquet(columns: RawColumns, flightId: string, scenario: string, createdBy: string): Uint8Array {
  return parquetBytes(eventsTable(columns, flightId, scenario), { delta: DELTA_COLUMNS, statistics: STATISTICS, createdBy });
}

/** Reads a Parquet file back into an Arrow table (tests, merge checks). */
export function readEventsParquet(bytes: Uint8Array): Table {
  return readParquet(bytes);
}
