// The per-syscall table of a flight, `<SCENARIO>_Flight.syscalls.parquet`:
// one row per SYSCALL of the recording (its raw file's SYSCALL lines, in
// order), in the conventions of columns.ts (no nullable column, uint64
// registers, int64 ids, counts and times, dictionary strings). Columns and
// their meaning: docs/dataset.md.
import type { Table } from "apache-arrow";
import type { SyscallRows } from "./syscall-columns.js";
import { constant, int64, int8, parquetBytes, readParquet, strings, table, uint64 } from "./columns.js";
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

function widen(slot: number, from: Int32Array): BigInt64Array {
  const n = from.length, w = words(slot, n);
  for (let i = 0; i < n; i++) { const v = from[i]; w[2 * i] = v >>> 0; w[2 * i + 1] = v < 0 ? 0xffffffff : 0; }
  return new BigInt64Array(w.buffer, 0, n);
}

function sequence(slot: number, n: number): BigInt64Array {
  const w = words(slot, n);
  for (let i = 0; i < n; i++) { w[2 * i] = i; w[2 * i + 1] = 0; }
  return new BigInt64Array(w.buffer, 0, n);
}

// enter minus the previous row's enter (0 first): the processed file's first column.
function deltas(slot: number, rows: SyscallRows): BigInt64Array {
  const n = rows.n, e = rows.enterNs, w = words(slot, n);
  for (let i = 0; i < n; i++) {
    const d = i === 0 ? 0 : e[i] - e[i - 1];
    w[2 * i] = d % 4294967296; w[2 * i + 1] = Math.floor(d / 4294967296);
  }
  return new BigInt64Array(w.buffer, 0, n);
}

// Syscall names as a dictionary over the numbers present, in ascending order.
function names(rows: SyscallRows): { values: string[]; indices: Int16Array } {
  const n = rows.n, nr = new Uint32Array(rows.nr.buffer, rows.nr.byteOffset, 2 * n);
  const seen = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const v = nr[2 * i + 1] === 0 ? nr[2 * i] : -1 - i;   // numbers beyond 2^32 are their own entry
    if (!seen.has(v)) seen.set(v, i);
  }
  const keys = [...seen.keys()].sort((a, b) => Number(rows.nr[seen.get(a)!] - rows.nr[seen.get(b)!]) || a - b);
  const index = new Map(keys.map((k, j) => [k, j]));
  const values = keys.map((k) => syscallName(rows.nr[seen.get(k)!]));
  const indices = new Int16Array(n);
  for (let i = 0; i < n; i++) indices[i] = index.get(nr[2 * i + 1] === 0 ? nr[2 * i] : -1 - i)!;
  return { values, indices };
}

/** The recording's syscalls as an Arrow table. Timestamps must be below 2^53 (virtual days, not seconds). */
export function syscallsTable(rows: SyscallRows, dicts: SyscallTableNames, flightId: string, scenario: string): Table {
  const n = rows.n;
  const nm = names(rows);
  return table([
    constant("flight_id", flightId, n),
    constant("scenario", scenario, n),
    int64("seq", sequence(0, n)),
    int64("enter_ns", rows.enter),
    int64("exit_ns", rows.exit),
    int64("delta_ns", deltas(1, rows)),
    uint64("nr", rows.nr),
    strings("name", nm.values, nm.indices),
    ...rows.args.map((a, k) => uint64(`arg${k}`, a)),
    int64("ret", rows.ret),
    int64("pid", widen(2, rows.pid)),
    int64("tid", widen(3, rows.tid)),
    int64("ppid", widen(4, rows.ppid)),
    strings("comm", rows.commNames, rows.comm),
    uint64("cr3", rows.cr3),
    strings("phase", dicts.phases, rows.phase),
    strings("truth_phase", dicts.truthPhases, rows.truthPhase),
    int8("label", rows.label),
    strings("cause", dicts.causes, rows.cause),
    int64("episode", widen(5, rows.episode)),
  ]);
}

// `seq` and `enter_ns` rise row by row and `exit_ns` nearly so: delta
// encoding; the rest repeat (a few syscalls, arguments, processes) and keep
// the default dictionary. Statistics where a reader skips files by range.
const DELTA_COLUMNS = ["seq", "enter_ns", "exit_ns"];
const STATISTICS = ["seq", "enter_ns"];

/** The table as Parquet bytes (ZSTD); deterministic for the same rows. */
export function syscallsParquet(rows: SyscallRows, dicts: SyscallTableNames, flightId: string, scenario: string, createdBy: string): Uint8Array {
  return parquetBytes(syscallsTable(rows, dicts, flightId, scenario), { delta: DELTA_COLUMNS, statistics: STATISTICS, createdBy });
}

/** Reads the table's Parquet bytes back (tests, checks). */
export function readSyscallsParquet(bytes: Uint8Array): Table {
  return readParquet(bytes);
}
