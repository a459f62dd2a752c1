// The index of a dataset folder: index.jsonl is an append-only journal while a
// run goes (one fsync'd line per finished flight, so a kill loses only the
// flights in progress), rewritten sorted by flight index, with index.csv, at
// the start and the end of every run (temp file + rename: never half written).
// A shard's run keeps its own pair (index.shard-K-of-M.*) so shards can share
// one folder; `skytrace merge` joins them.
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { CSV_HEADER, csvLine, FlightRecord, parseRecordLine, recordLine } from "./record.js";
import type { Shard } from "./plan.js";

export function shardSuffix(shard: Shard | null): string {
  return shard ? `.shard-${shard.k}-of-${shard.m}` : "";
}

export function indexNames(shard: Shard | null): { jsonl: string; csv: string; meta: string } {
  const s = shardSuffix(shard);
  return { jsonl: `index${s}.jsonl`, csv: `index${s}.csv`, meta: `generate${s}.json` };
}

/** Every whole record of a journal, the last one per flight winning (a later run redid it). */
export function readJournal(file: string): Map<number, FlightRecord> {
  const out = new Map<number, FlightRecord>();
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    const r = parseRecordLine(line);
    if (r) out.set(r.index, r);
  }
  return out;
}

export function writeAtomic(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    if (typeof content === "string") writeSync(fd, content); else writeSync(fd, content);
    fsyncSync(fd);
  } finally { closeSync(fd); }
  renameSync(tmp, file);
}

/** Writes index.jsonl and index.csv sorted by flight index. */
export function writeIndex(dir: string, names: { jsonl: string; csv: string }, records: Iterable<FlightRecord>): void {
  const sorted = [...records].sort((a, b) => a.index - b.index);
  writeAtomic(path.join(dir, names.jsonl), sorted.map((r) => recordLine(r) + "\n").join(""));
  writeAtomic(path.join(dir, names.csv), [CSV_HEADER, ...sorted.map(csvLine)].join("\n") + "\n");
}

export class Journal {
  private fd: number;
  constructor(file: string) { this.fd = openSync(file, "a"); }
  append(r: FlightRecord): void {
    writeSync(this.fd, recordLine(r) + "\n");
    fsyncSync(this.fd);
  }
  close(): void { closeSync(this.fd); }
}

export function writeMeta(file: string, meta: object): void {
  writeAtomic(file, JSON.stringify(meta, null, 2) + "\n");
}
