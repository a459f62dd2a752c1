// The per-syscall table of a flight, `<SCENARIO>_Flight.syscalls.parquet`:
// one row per SYSCALL of the recording (its raw file's SYSCALL lines, in
// order), in the conventions of columns.ts (no nullable column, uint64
// registers, int64 ids, counts and times, int8 flag, dictionary strings),
// written by the small writer in ./parquet (5 to 8 times faster than the
// general writer for these rows, bench/ground-truth.ts). Columns and their
// meaning: docs/dataset.md.
import type { Table } from "apache-arrow";
import type { SyscallRows } from "./syscall-columns.js";
import { readParquet } from "./columns.js";
import { writeParquet, type ParquetColumn } from "./parquet/writer.js";
import { syscallName } from "../linux/syscall-numbers.js";

export const SYSCALL_TABLE_COLUMNS = [
  "flight_id", "scenario", "seq", "enter_ns", "exit_ns", "delta_ns", "nr", "name", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5",
  "ret", "pid", "tid", "ppid", "comm", "cr3", "phase", "truth_phase", "label", "cause", "episode",
];

/** The dictionaries of the columns filled after the flight (rows.phase, rows.truthPhase, rows.cause index them). */
export interface SyscallTableNames {
  phases: readonly string[];
  truthPhases: readonly string[];
  causes: readonly string[];
}

// Scratch kept and grown across flights (a worker makes one table a flight):
// int64 columns made from 32-bit values, written as word pairs.
const scratch: Uint32Array[] = [];
function words(slot: number, n: number): Uint32Array {
  if (!scratch[slot] || scratch[slot].length < 2 * n) scratch[slot] = new Uint32Array(2 * Math.max(n, 1 << 16));
  return scratch[slot];
}

// 0, 1, 2, … as numbers, kept and grown.
let seq = new Float64Array(0);
function sequence(n: number): Float64Array {
  if (seq.length < n) { seq = new Float64Array(Math.max(n, 1 << 16)); for (let i = 0; i < seq.length; i++) seq[i] = i; }
  return seq;
}

// enter minus the previous row's enter (0 first): the processed file's first column.
function deltas(slot: number, rows: SyscallRows): Uint32Array {
  const n = rows.n, e = rows.enterNs, w = words(slot, n);
  w[0] = 0; w[1] = 0;
  for (let i = 1; i < n; i++) {
    const d = e[i] - e[i - 1];
    if (d >= 0 && d < 4294967296) { w[2 * i] = d; w[2 * i + 1] = 0; }
    else { w[2 * i] = d % 4294967296; w[2 * i + 1] = Math.floor(d / 4294967296); }
  }
  return w;
}

// Row i of a one-string column: index 0.
let zeros = new Int8Array(0);
function zeroIndices(n: number): Int8Array {
  if (zeros.length < n) zeros = new Int8Array(Math.max(n, 1 << 16));
  return zeros;
}

const pairs = (a: BigInt64Array | BigUint64Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, 2 * a.length);

// Syscall names as a dictionary over the numbers present, in ascending order (numbers of 2^32 and
// beyond, which no kernel knows, each an entry of their own, after the others).
const SMALL_NR = 1024;
const slotOf = new Int32Array(SMALL_NR);
let nameIndices = new Int16Array(0);
function names(rows: SyscallRows): { values: string[]; indices: Int16Array } {
  const n = rows.n, nr = new Uint32Array(rows.nr.buffer, rows.nr.byteOffset, 2 * n);
  slotOf.fill(-1);
  const big = new Map<bigint, number>();
  for (let i = 0; i < n; i++) {
    const lo = nr[2 * i];
    if (nr[2 * i + 1] === 0 && lo < SMALL_NR) slotOf[lo] = 0;
    else if (!big.has(rows.nr[i])) big.set(rows.nr[i], 0);
  }
  const values: string[] = [];
  for (let k = 0; k < SMALL_NR; k++) if (slotOf[k] === 0) { slotOf[k] = values.length; values.push(syscallName(k)); }
  for (const v of [...big.keys()].sort((a, b) => (a < b ? -1 : 1))) { big.set(v, values.length); values.push(syscallName(v)); }
  if (nameIndices.length < n) nameIndices = new Int16Array(Math.max(n, 1 << 16));
  const indices = nameIndices;
  for (let i = 0; i < n; i++) {
    const lo = nr[2 * i];
    indices[i] = nr[2 * i + 1] === 0 && lo < SMALL_NR ? slotOf[lo] : big.get(rows.nr[i])!;
  }
  return { values, indices };
}

/** The recording's syscalls as the Parquet writer's columns. Timestamps must be below 2^53 (virtual days, not seconds). */
export function syscallColumns(rows: SyscallRows, dicts: SyscallTableNames, flightId: string, scenario: string): ParquetColumn[] {
  const n = rows.n;
  const nm = names(rows);
  const i64 = (name: string, words: Uint32Array, encoding: "delta" | "dictionary" = "dictionary", statistics = false): ParquetColumn => ({ name, kind: "int64", words, encoding, statistics });
  const u64 = (name: string, a: BigUint64Array): ParquetColumn => ({ name, kind: "uint64", words: pairs(a), encoding: "dictionary" });
  const str = (name: string, dictionary: readonly string[], indices: ArrayLike<number>): ParquetColumn => ({ name, kind: "string", dictionary, indices });
  return [
    str("flight_id", [flightId], zeroIndices(n)),
    str("scenario", [scenario], zeroIndices(n)),
    { name: "seq", kind: "int64", numbers: sequence(n), statistics: true },
    { name: "enter_ns", kind: "int64", numbers: rows.enterNs, statistics: true },
    { name: "exit_ns", kind: "int64", numbers: rows.exitNs },
    i64("delta_ns", deltas(1, rows)),
    u64("nr", rows.nr),
    str("name", nm.values, nm.indices),
    ...rows.args.map((a, k) => u64(`arg${k}`, a)),
    i64("ret", pairs(rows.ret)),
    { name: "pid", kind: "int64", ints: rows.pid },
    { name: "tid", kind: "int64", ints: rows.tid },
    { name: "ppid", kind: "int64", ints: rows.ppid },
    str("comm", rows.commNames, rows.comm),
    u64("cr3", rows.cr3),
    str("phase", dicts.phases, rows.phase),
    str("truth_phase", dicts.truthPhases, rows.truthPhase),
    { name: "label", kind: "int8", values: rows.label },
    str("cause", dicts.causes, rows.cause),
    { name: "episode", kind: "int64", ints: rows.episode },
  ];
}

/** The table as Parquet bytes (a view, valid until the next table is written); the same rows give the same bytes. */
export function syscallsParquet(rows: SyscallRows, dicts: SyscallTableNames, flightId: string, scenario: string, createdBy: string): Uint8Array {
  return writeParquet(syscallColumns(rows, dicts, flightId, scenario), rows.n, createdBy);
}

/** Reads the table's Parquet bytes back (tests, checks). */
export function readSyscallsParquet(bytes: Uint8Array): Table {
  return readParquet(bytes);
}
