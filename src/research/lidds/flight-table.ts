// A flight's per-syscall table (docs/dataset.md) as plain arrays for the
// export: one flight at a time, so memory is one flight's rows whatever the
// dataset's size. Register values stay as their two 32-bit words (exact for
// all of 2^64 without a BigInt per value).
import type { Table, Vector } from "apache-arrow";
import { readParquet } from "../../dataset/columns.js";

export interface FlightRows {
  n: number;
  enter: Float64Array;        // enter_ns (virtual ns: below 2^53)
  exit: Float64Array;         // exit_ns, -1 where the call never returned
  name: string[];
  /** arg0..arg5 as [lo, hi] word pairs: args[k][2*i], args[k][2*i+1]. */
  args: Uint32Array[];
  ret: Int32Array;            // ret as [lo, hi] word pairs (signed hi)
  pid: Float64Array;
  tid: Float64Array;
  comm: string[];
  label: Int8Array;
  cause: string[];
  episode: Float64Array;
}

export class TableError extends Error {}

function words(v: Vector): Uint32Array {
  const a = v.toArray() as BigInt64Array | BigUint64Array;
  return new Uint32Array(a.buffer, a.byteOffset, 2 * a.length);
}
function numbers(v: Vector): Float64Array {
  const a = v.toArray() as BigInt64Array;
  const w = new Int32Array(a.buffer, a.byteOffset, 2 * a.length);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = w[2 * i + 1] * 4294967296 + (w[2 * i] >>> 0);
  return out;
}
// Dictionary columns: each chunk's dictionary looked up by its indices (not a .get per row).
function strings(v: Vector): string[] {
  const out: string[] = new Array(v.length);
  let at = 0;
  for (const d of v.data) {
    const dict = d.dictionary;
    if (dict) {
      const values: string[] = Array.from({ length: dict.length }, (_, k) => dict.get(k) as string);
      const idx = d.values as ArrayLike<number>;
      for (let i = 0; i < d.length; i++) out[at + i] = values[idx[d.offset + i]];
    } else {
      for (let i = 0; i < d.length; i++) out[at + i] = v.get(at + i) as string;
    }
    at += d.length;
  }
  return out;
}

const NEEDED = ["enter_ns", "exit_ns", "name", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "ret", "pid", "tid", "comm", "label", "cause", "episode"];

export function flightRows(bytes: Uint8Array, what: string): FlightRows {
  let t: Table;
  try { t = readParquet(bytes); } catch (e) { throw new TableError(`${what} is not a readable Parquet file (${(e as Error).message})`); }
  for (const c of NEEDED) if (!t.getChild(c)) throw new TableError(`${what} has no column ${c}: not a skytrace per-syscall table`);
  const col = (c: string) => t.getChild(c)!;
  const ret = words(col("ret"));
  return {
    n: t.numRows,
    enter: numbers(col("enter_ns")),
    exit: numbers(col("exit_ns")),
    name: strings(col("name")),
    args: [0, 1, 2, 3, 4, 5].map((k) => words(col(`arg${k}`))),
    ret: new Int32Array(ret.buffer, ret.byteOffset, ret.length),
    pid: numbers(col("pid")),
    tid: numbers(col("tid")),
    comm: strings(col("comm")),
    label: Int8Array.from(col("label").toArray() as Int8Array),
    cause: strings(col("cause")),
    episode: numbers(col("episode")),
  };
}
