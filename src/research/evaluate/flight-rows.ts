// One flight's syscalls as the detectors and metrics read them: the columns of
// its per-syscall table that they need (docs/dataset.md), as typed arrays, with
// syscall names as ids of a vocabulary shared by every flight of a run, and the
// manifest's anomaly episodes. Read through parquet-wasm (src/dataset/columns.ts).
import { readFileSync } from "node:fs";
import type { Data, Table } from "apache-arrow";
import { readParquet } from "../../dataset/columns.js";

/** Syscall names to small integers, in order of first sight (flights are read in a fixed order, so ids are deterministic). */
export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];
  id(name: string): number {
    let i = this.ids.get(name);
    if (i === undefined) { i = this.names.length; this.ids.set(name, i); this.names.push(name); }
    return i;
  }
  get size(): number { return this.names.length; }
}

export interface Episode {
  episode: number;
  cause: string;
  startNs: number;
  /** -1: still running when the recording ended. */
  endNs: number;
}

export interface FlightRows {
  id: string;
  scenario: string;
  n: number;
  /** The SYSCALL's virtual time (ns; below 2^53). */
  enterNs: Float64Array;
  /** The syscall name's id in the run's Vocabulary. */
  name: Int32Array;
  tid: Int32Array;
  label: Int8Array;
  /** Index into `causes`; 0 is "" (normal rows) when the flight has any. */
  cause: Int32Array;
  causes: string[];
  episode: Int32Array;
  episodes: Episode[];
}

export class FlightReadError extends Error {}

// A dictionary column's chunk: its indices and its dictionary's strings.
function dictionaryChunk(d: Data): { indices: ArrayLike<number>; values: string[] } {
  const dict = d.dictionary;
  if (!dict) throw new FlightReadError("a string column is not dictionary-encoded");
  return { indices: d.values as ArrayLike<number>, values: Array.from(dict, (v) => String(v)) };
}

/** Reads the table's columns into FlightRows (names through `vocab`). */
export function flightRowsFromTable(t: Table, vocab: Vocabulary, id: string, scenario: string, episodes: Episode[]): FlightRows {
  const n = t.numRows;
  const col = (name: string) => {
    const c = t.getChild(name);
    if (!c) throw new FlightReadError(`the per-syscall table has no column ${name}`);
    return c;
  };
  const enterNs = new Float64Array(n), name = new Int32Array(n), tid = new Int32Array(n);
  const label = new Int8Array(n), cause = new Int32Array(n), episode = new Int32Array(n);
  const causes: string[] = [];
  const causeId = new Map<string, number>();
  const causeOf = (s: string) => {
    let i = causeId.get(s);
    if (i === undefined) { i = causes.length; causeId.set(s, i); causes.push(s); }
    return i;
  };
  causeOf("");
  let at = 0;
  const chunks = (c: string) => col(c).data;
  const enter = chunks("enter_ns"), names = chunks("name"), tids = chunks("tid"), labels = chunks("label"), cs = chunks("cause"), eps = chunks("episode");
  for (let k = 0; k < enter.length; k++) {
    const len = enter[k].length;
    const e = enter[k].values as BigInt64Array, ti = tids[k].values as BigInt64Array, la = labels[k].values as Int8Array, ep = eps[k].values as BigInt64Array;
    const nm = dictionaryChunk(names[k]), ca = dictionaryChunk(cs[k]);
    const nameMap = nm.values.map((s) => vocab.id(s)), causeMap = ca.values.map(causeOf);
    for (let i = 0; i < len; i++) {
      enterNs[at + i] = Number(e[i]);
      name[at + i] = nameMap[nm.indices[i]];
      tid[at + i] = Number(ti[i]);
      label[at + i] = la[i];
      cause[at + i] = causeMap[ca.indices[i]];
      episode[at + i] = Number(ep[i]);
    }
    at += len;
  }
  if (at !== n) throw new FlightReadError(`the per-syscall table's columns hold ${at} rows, not ${n}`);
  return { id, scenario, n, enterNs, name, tid, label, cause, causes, episode, episodes };
}

/** The manifest's episodes, checked for the fields the metrics use. */
export function episodesOf(manifest: unknown, where: string): Episode[] {
  const eps = (manifest as { episodes?: unknown }).episodes;
  if (!Array.isArray(eps)) throw new FlightReadError(`${where}: no "episodes" list`);
  return eps.map((e: Record<string, unknown>, i) => {
    const ok = Number.isSafeInteger(e.episode) && typeof e.cause === "string" && Number.isSafeInteger(e.startNs) && Number.isSafeInteger(e.endNs);
    if (!ok) throw new FlightReadError(`${where}: episode ${i} lacks episode, cause, startNs or endNs`);
    return { episode: e.episode as number, cause: e.cause as string, startNs: e.startNs as number, endNs: e.endNs as number };
  });
}

/** Reads one flight's table and manifest from the files. */
export function readFlightRows(tablePath: string, manifestPath: string, vocab: Vocabulary, id: string, scenario: string): FlightRows {
  let manifest: unknown;
  try { manifest = JSON.parse(readFileSync(manifestPath, "utf8")); } catch (e) {
    throw new FlightReadError(`${manifestPath}: ${(e as Error).message.split("\n")[0]}`);
  }
  const episodes = episodesOf(manifest, manifestPath);
  let t: Table;
  try { t = readParquet(readFileSync(tablePath)); } catch (e) {
    throw new FlightReadError(`${tablePath}: not a readable Parquet file (${String((e as Error).message ?? e).split("\n")[0]})`);
  }
  return flightRowsFromTable(t, vocab, id, scenario, episodes);
}
