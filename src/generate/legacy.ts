// Datasets made by the previous version: index lines whose counts were
// `events` and `syscalls` (record.ts reads them, marked legacy), and an
// export whose register columns were null on SYSRET rows. A resume
// (`generate` on the folder) or a merge that writes keeps such flights and
// rewrites each one's export in today's layout from its raw file, so a
// dataset never holds two layouts (pandas could not read the folder as one
// table). The raw file is what both were made from and the strict reader's
// columns equal the recorder's (test/flight/event-columns.test.ts), so the
// rewritten file is the one a fresh run writes, byte for byte (test/generate/legacy.test.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { checksum } from "../flight/checksum.js";
import { eventsParquet } from "./events-export.js";
import { writeAtomic } from "./index-store.js";
import { columnsOfRawText } from "../dataset/event-columns.js";
import type { FlightRecord } from "./record.js";

/**
 * The record in today's shape, its export rewritten in place (temp file +
 * rename: a hard-linked copy elsewhere keeps its bytes). Call after the
 * record's files were checked against their checksums. Throws when the raw
 * file does not read (the caller then makes the flight again).
 */
export function upgradeLegacy(dir: string, r: FlightRecord, createdBy: string): FlightRecord {
  const { legacy: _legacy, ...today } = r;
  if (r.status !== "ok") return today;
  const raw = r.files.find((f) => f.role === "raw");
  const events = r.files.find((f) => f.role === "events");
  if (!raw || !events) throw new Error(`${r.id}: no raw or events file in its index line`);
  const columns = columnsOfRawText(readFileSync(path.join(dir, raw.name)), raw.name);
  if (columns.n !== r.eventCount) throw new Error(`${raw.name}: ${columns.n} events, the index says ${r.eventCount}`);
  const parquet = eventsParquet(columns, r.id, r.scenario, createdBy);
  writeAtomic(path.join(dir, events.name), parquet);
  return { ...today, files: r.files.map((f) => (f === events ? { ...f, ...checksum(parquet) } : f)) };
}

/** A kept record as today's: itself, or upgraded; null when the upgrade failed (make the flight again). */
export function currentRecord(dir: string, r: FlightRecord, createdBy: string): FlightRecord | null {
  if (!r.legacy) return r;
  try { return upgradeLegacy(dir, r, createdBy); } catch { return null; }
}
