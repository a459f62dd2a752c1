// One line of the dataset's index: what a flight is, how it ended, and the
// checksum of every file it left. Nothing here depends on the host (no wall
// time, no paths outside DIR, no worker or shard number), so a dataset's index
// is byte-identical however it was made.
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import path from "node:path";

/** The files a flight leaves, by role (the CSV has three columns per role: path, bytes, sha256). */
export const FILE_ROLES = ["raw", "processed", "manifest", "telemetry", "syscalls", "events"] as const;
export type FileRole = (typeof FILE_ROLES)[number];

export interface FileEntry {
  role: FileRole;
  name: string;      // relative to DIR, with "/" separators
  bytes: number;
  sha256: string;
}

/** What the flight flew (docs/drone.md: its mission and air, drawn from its seed unless pinned). */
export interface FlightMission {
  preset: string;
  legs: number;             // straight legs of the route = its waypoints, the destination last
  distanceM: number;        // route length
  cruiseAltitudeM: number;
  cruiseSpeedMps: number;
  pollHz: number;           // the autopilot's polls per second
  windMps: number;          // steady wind speed
  gustMps: number;          // gust standard deviation
  // Its anomalies (manifest.json's anomalies and episodes): the cause ("none" for a normal flight),
  // the stretches its schedule holds, the episodes the flight made of them. Absent in an index
  // of a version before the schedules.
  anomaly?: string;
  anomalyStretches?: number;
  anomalyEpisodes?: number;
}

export interface FlightRecord {
  id: string;
  index: number;
  scenario: string;
  seed: number;
  status: "ok" | "failed";
  outcome: string | null;      // the flight's own result: landed, crashed, … (null when it failed to run)
  eventCount: number | null;   // SYSCALL + SYSRET lines of the raw file (rows of the export)
  syscallCount: number | null;
  virtualNs: number | null;    // recorded flight time, virtual nanoseconds
  mission: FlightMission | null; // null when it failed to run, or for a job that flies nothing real
  files: FileEntry[];
  error: string | null;
  /** Read from an index line of the previous version (keys `events`, `syscalls`): its export has the previous layout (legacy.ts). Never written. */
  legacy?: true;
}

export function recordLine(r: FlightRecord): string {
  // Fixed key order: the JSON text itself is part of the byte-identical contract.
  return JSON.stringify({
    id: r.id, index: r.index, scenario: r.scenario, seed: r.seed, status: r.status, outcome: r.outcome,
    eventCount: r.eventCount, syscallCount: r.syscallCount, virtualNs: r.virtualNs,
    mission: r.mission && {
      preset: r.mission.preset, legs: r.mission.legs, distanceM: r.mission.distanceM, cruiseAltitudeM: r.mission.cruiseAltitudeM,
      cruiseSpeedMps: r.mission.cruiseSpeedMps, pollHz: r.mission.pollHz, windMps: r.mission.windMps, gustMps: r.mission.gustMps,
      anomaly: r.mission.anomaly, anomalyStretches: r.mission.anomalyStretches, anomalyEpisodes: r.mission.anomalyEpisodes,
    },
    files: r.files.map((f) => ({ role: f.role, name: f.name, bytes: f.bytes, sha256: f.sha256 })),
    error: r.error,
  });
}

const count = (v: unknown): v is number | null => v === null || Number.isSafeInteger(v);
const MISSION_NUMBERS = ["legs", "distanceM", "cruiseAltitudeM", "cruiseSpeedMps", "pollHz", "windMps", "gustMps"] as const;
const missionOk = (m: unknown): m is FlightMission | null =>
  m === null || (typeof m === "object" && typeof (m as FlightMission).preset === "string"
    && MISSION_NUMBERS.every((k) => typeof (m as FlightMission)[k] === "number" && Number.isFinite((m as FlightMission)[k]))
    && ["anomaly", "anomalyStretches", "anomalyEpisodes"].every((k) => (m as Record<string, unknown>)[k] === undefined
      || (k === "anomaly" ? typeof (m as Record<string, unknown>)[k] === "string" : Number.isSafeInteger((m as Record<string, unknown>)[k]))));

/**
 * Parses one index.jsonl line; null for a line that is not a whole record (a
 * torn last write). Also reads the previous version's lines, whose counts were
 * `events` and `syscalls`: the record comes back in today's shape, marked legacy.
 */
export function parseRecordLine(line: string): FlightRecord | null {
  let v: unknown;
  try { v = JSON.parse(line); } catch { return null; }
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const legacy = !("eventCount" in o) && "events" in o;
  const r: FlightRecord = {
    id: o.id as string, index: o.index as number, scenario: o.scenario as string, seed: o.seed as number,
    status: o.status as FlightRecord["status"], outcome: (o.outcome ?? null) as string | null,
    eventCount: (legacy ? o.events : o.eventCount) as number | null,
    syscallCount: (legacy ? o.syscalls : o.syscallCount) as number | null,
    virtualNs: (o.virtualNs ?? null) as number | null,
    mission: (o.mission ?? null) as FlightMission | null,   // absent before missions varied
    files: o.files as FileEntry[], error: (o.error ?? null) as string | null,
  };
  if (typeof r.id !== "string" || !Number.isSafeInteger(r.index) || typeof r.scenario !== "string"
      || !Number.isSafeInteger(r.seed) || (r.status !== "ok" && r.status !== "failed") || !Array.isArray(r.files)
      || !count(r.eventCount) || !count(r.syscallCount) || !count(r.virtualNs) || !missionOk(r.mission)) return null;
  if (legacy) r.legacy = true;
  return r;
}

function csvField(v: string | number | null): string {
  if (v === null) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

// index.csv: one row per flight, every column name unique and saying what it
// holds (pandas keeps names as they are; a repeated name came back `events.1`).
// The names are index.jsonl's keys in snake_case, except `flight_id` and
// `flight_index` for `id` and `index` (the events table's `flight_id` joins on
// it, and `index` is a pandas attribute), and one `<role>_path`,
// `<role>_bytes`, `<role>_sha256` triple per file; the mission's columns are
// named with their units; anomaly is the cause, "none" for a normal flight. Empty cells: the counts, mission and files of a
// failed flight, the error of a good one. Lengths and speeds are written with
// three decimals (as flown: the protocol's millimetres), so pandas reads them
// as float64 even when a column holds only whole numbers.
export const MISSION_COLUMNS = ["mission", "legs", "distance_m", "cruise_altitude_m", "cruise_speed_mps", "poll_hz", "wind_mps", "gust_mps",
  "anomaly", "anomaly_stretches", "anomaly_episodes"];
export const CSV_COLUMNS = ["flight_id", "flight_index", "scenario", "seed", "status", "outcome", "event_count", "syscall_count", "virtual_ns",
  ...MISSION_COLUMNS,
  ...FILE_ROLES.flatMap((r) => [`${r}_path`, `${r}_bytes`, `${r}_sha256`]), "error"];
export const CSV_HEADER = CSV_COLUMNS.join(",");

const real = (v: number | undefined): string | null => (v === undefined ? null : v.toFixed(3));

export function csvLine(r: FlightRecord): string {
  const byRole = new Map(r.files.map((f) => [f.role, f]));
  const m = r.mission ?? undefined;
  return [r.id, r.index, r.scenario, r.seed, r.status, r.outcome, r.eventCount, r.syscallCount, r.virtualNs,
    m?.preset ?? null, m?.legs ?? null, real(m?.distanceM), real(m?.cruiseAltitudeM), real(m?.cruiseSpeedMps), m?.pollHz ?? null,
    real(m?.windMps), real(m?.gustMps), m?.anomaly ?? null, m?.anomalyStretches ?? null, m?.anomalyEpisodes ?? null,
    ...FILE_ROLES.flatMap((role) => {
      const f = byRole.get(role);
      return [f?.name ?? null, f?.bytes ?? null, f?.sha256 ?? null];
    }), r.error]
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
  // A flight of a version that wrote fewer files (no per-syscall table) is made again: the table comes from the run.
  for (const role of FILE_ROLES) if (!r.files.some((f) => f.role === role)) return `no ${role} file (made by a version without it)`;
  for (const f of r.files) {
    const file = path.join(dir, f.name);
    let size: number;
    try { size = statSync(file).size; } catch { return `${f.name} is missing`; }
    if (size !== f.bytes) return `${f.name} has ${size} bytes, the index says ${f.bytes}`;
    if ((await sha256File(file)) !== f.sha256) return `${f.name} does not match its sha256`;
  }
  return null;
}
