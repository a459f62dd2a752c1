// One line of the dataset's index: what a flight is, how it ended, and the
// checksum of every file it left. Nothing here depends on the host (no wall
// time, no paths outside DIR, no worker or shard number), so a dataset's index
// is byte-identical however it was made.
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import path from "node:path";

/** The files a flight leaves, by role (the CSV has a column pair per role). */
export const FILE_ROLES = ["raw", "processed", "manifest", "telemetry", "events"] as const;
export type FileRole = (typeof FILE_ROLES)[number];

export interface FileEntry {
  role: FileRole;
  name: string;      // relative to DIR, with "/" separators
  bytes: number;
  sha256: string;
}

export interface FlightRecord {
  id: string;
  index: number;
  scenario: string;
  seed: number;
  status: "ok" | "failed";
  outcome: string | null;      // the flight's own result: landed, crashed, … (null when it failed to run)
  events: number | null;       // SYSCALL + SYSRET lines of the raw file
  syscalls: number | null;
  virtualNs: number | null;    // recorded flight time, virtual nanoseconds
  files: FileEntry[];
  error: string | null;
}

export function recordLine(r: FlightRecord): string {
  // Fixed key order: the JSON text itself is part of the byte-identical contract.
  return JSON.stringify({
    id: r.id, index: r.index, scenario: r.scenario, seed: r.seed, status: r.status, outcome: r.outcome,
    events: r.events, syscalls: r.syscalls, virtualNs: r.virtualNs,
    files: r.files.map((f) => ({ role: f.role, name: f.name, bytes: f.bytes, sha256: f.sha256 })),
    error: r.error,
  });
}

/** Parses one index.jsonl line; null for a line that is not a whole record (a torn last write). */
export function parseRecordLine(line: string): FlightRecord | null {
  let v: unknown;
  try { v = JSON.parse(line); } catch { return null; }
  const r = v as FlightRecord;
  if (!r || typeof r !== "object" || typeof r.id !== "string" || !Number.isSafeInteger(r.index) || typeof r.scenario !== "string"
      || !Number.isSafeInteger(r.seed) || (r.status !== "ok" && r.status !== "failed") || !Array.isArray(r.files)) return null;
  return r;
}

function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = ["id", "index", "scenario", "seed", "status", "outcome", "events", "syscalls", "virtual_ns",
  ...FILE_ROLES.flatMap((r) => [r, `${r}_sha256`]), "error"].join(",");

export function csvLine(r: FlightRecord): string {
  const byRole = new Map(r.files.map((f) => [f.role, f]));
  return [r.id, r.index, r.scenario, r.seed, r.status, r.outcome, r.events, r.syscalls, r.virtualNs,
    ...FILE_ROLES.flatMap((role) => [byRole.get(role)?.name ?? null, byRole.get(role)?.sha256 ?? null]), r.error]
    .map(csvField).join(",");
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** Why the files on disk do not match the record, or null when every file is there with its size and checksum. */
export async function checkFiles(dir: string, r: FlightRecord): Promise<string | null> {
  if (r.status !== "ok") return `recorded as failed: ${r.error ?? "?"}`;
  if (r.files.length === 0) return "no files recorded";
  for (const f of r.files) {
    const file = path.join(dir, f.name);
    let size: number;
    try { size = statSync(file).size; } catch { return `${f.name} is missing`; }
    if (size !== f.bytes) return `${f.name} has ${size} bytes, the index says ${f.bytes}`;
    if ((await sha256File(file)) !== f.sha256) return `${f.name} does not match its sha256`;
  }
  return null;
}
