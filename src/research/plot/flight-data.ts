// One recorded flight's folder read for plotting: the manifest, the telemetry
// and the columns of the per-syscall table that the charts use. Anything
// missing or malformed is a PlotError: one line for the user, exit status 2.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { Table, Vector } from "apache-arrow";
import { readParquet } from "../../dataset/columns.js";

export class PlotError extends Error {}

export interface Span { name: string; startNs: number; endNs: number }
export interface Episode { episode: number; cause: string; startNs: number; endNs: number; pid: number }

export interface Telemetry { timeS: Float64Array; x: Float64Array; y: Float64Array; z: Float64Array }

/** The per-syscall table's columns the charts use; strings as dictionary + per-row index. */
export interface Calls {
  rows: number;
  enterNs: Float64Array;
  deltaNs: Float64Array;
  names: string[];
  name: Int32Array;
  processes: string[];            // "comm (pid)"
  process: Int32Array;
  label: Int8Array;
  causes: string[];
  cause: Int32Array;
}

export interface FlightData {
  dir: string;
  manifest: FlightManifest;
  telemetry: Telemetry;
  calls: Calls;
  phases: Span[];        // the autopilot's reports
  truthPhases: Span[];   // the drone's physical phases
  episodes: Episode[];
}

// The manifest fields read here (docs/dataset.md has them all).
export interface FlightManifest {
  format: string;
  scenario: string;
  seed: number;
  flightId: string;
  mission: { start: { x: number; y: number }; route: { x: number; y: number }[]; legs: number; distanceM: number; cruiseAltitudeM: number };
  outcome: { reachedDestination: boolean; landed: boolean; crashed: boolean; crashReason?: string | null; timeNs: number };
  recording: { beginNs: number; endNs: number; syscalls: number };
  phases: { state: string; startNs: number; endNs: number }[];
  truthPhases: { phase: string; startNs: number; endNs: number }[];
  episodes: { episode: number; cause: string; startNs: number; endNs: number; pid: number }[];
}

function readJson(file: string): unknown {
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch (e) { throw new PlotError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  try { return JSON.parse(text); } catch { throw new PlotError(`${file} is not JSON`); }
}

function manifestOf(dir: string): FlightManifest {
  const file = path.join(dir, "manifest.json");
  if (!existsSync(file)) {
    if (existsSync(path.join(dir, "index.jsonl"))) throw new PlotError(`${dir} is a dataset: plot one of its flights (${path.join(dir, "flight-000000")}), or the report folder of skytrace evaluate`);
    throw new PlotError(`${dir} holds no manifest.json: not a flight's folder (skytrace fly --out DIR writes one) nor a report folder (evaluation.json)`);
  }
  const m = readJson(file) as Partial<FlightManifest>;
  if (typeof m !== "object" || m === null || m.format !== "skytrace-flight/1") throw new PlotError(`${file} is not a skytrace flight manifest (format skytrace-flight/1)`);
  for (const k of ["scenario", "mission", "outcome", "recording", "phases", "truthPhases", "episodes"] as const) {
    if (m[k] === undefined) throw new PlotError(`${file} has no ${k}`);
  }
  return m as FlightManifest;
}

const TELEMETRY_HEADER = "time_ns,x,y,z,";

function telemetryOf(dir: string): Telemetry {
  const file = path.join(dir, "telemetry.csv");
  let text: string;
  try { text = readFileSync(file, "utf8"); } catch { throw new PlotError(`${dir} holds no telemetry.csv`); }
  const lines = text.split("\n").filter((l) => l !== "");
  if (!lines[0]?.startsWith(TELEMETRY_HEADER)) throw new PlotError(`${file}: the header does not start with ${TELEMETRY_HEADER}`);
  const n = lines.length - 1;
  const t = { timeS: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n), z: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const f = lines[i + 1].split(",", 4).map(Number);
    if (f.length < 4 || f.some((v) => !Number.isFinite(v))) throw new PlotError(`${file} line ${i + 2}: not time_ns,x,y,z numbers`);
    t.timeS[i] = f[0] / 1e9; t.x[i] = f[1]; t.y[i] = f[2]; t.z[i] = f[3];
  }
  return t;
}

function column(t: Table, name: string): Vector {
  const c = t.getChild(name);
  if (!c) throw new PlotError(`the per-syscall table has no column ${name}`);
  return c;
}

function numbers(t: Table, name: string): Float64Array {
  const out = new Float64Array(t.numRows);
  let at = 0;
  for (const d of column(t, name).data) {
    const v = d.values as ArrayLike<number | bigint>;
    for (let i = 0; i < d.length; i++) out[at++] = Number(v[d.offset + i]);
  }
  return out;
}

/** A dictionary column as its distinct strings and one index per row (dictionaries of every chunk merged). */
function dictionary(t: Table, name: string): { values: string[]; index: Int32Array } {
  const values: string[] = [];
  const ids = new Map<string, number>();
  const index = new Int32Array(t.numRows);
  let at = 0;
  for (const d of column(t, name).data) {
    if (!d.dictionary) throw new PlotError(`the per-syscall table's ${name} is not a dictionary column`);
    const local = Array.from({ length: d.dictionary.length }, (_, k) => {
      const s = String(d.dictionary!.get(k));
      let id = ids.get(s);
      if (id === undefined) { id = values.length; values.push(s); ids.set(s, id); }
      return id;
    });
    const v = d.values as ArrayLike<number>;
    for (let i = 0; i < d.length; i++) index[at++] = local[v[d.offset + i]];
  }
  return { values, index };
}

function callsOf(dir: string): Calls {
  const files = readdirSync(dir).filter((f) => f.endsWith("_Flight.syscalls.parquet"));
  if (files.length !== 1) throw new PlotError(`${dir} holds ${files.length === 0 ? "no" : files.length} <SCENARIO>_Flight.syscalls.parquet${files.length ? " files" : ""}: one is needed`);
  const file = path.join(dir, files[0]);
  let t: Table;
  try { t = readParquet(readFileSync(file)); } catch (e) { throw new PlotError(`${file} is not a readable Parquet table (${(e as Error).message.split("\n")[0]})`); }
  const name = dictionary(t, "name");
  const comm = dictionary(t, "comm");
  const cause = dictionary(t, "cause");
  const pid = numbers(t, "pid");
  const label = new Int8Array(numbers(t, "label"));
  // Processes as "comm (pid)", in order of first appearance.
  const processes: string[] = [];
  const ids = new Map<string, number>();
  const process = new Int32Array(t.numRows);
  for (let i = 0; i < t.numRows; i++) {
    const key = `${comm.values[comm.index[i]]} (${pid[i]})`;
    let id = ids.get(key);
    if (id === undefined) { id = processes.length; processes.push(key); ids.set(key, id); }
    process[i] = id;
  }
  return {
    rows: t.numRows, enterNs: numbers(t, "enter_ns"), deltaNs: numbers(t, "delta_ns"),
    names: name.values, name: name.index, processes, process, label, causes: cause.values, cause: cause.index,
  };
}

export function loadFlight(dir: string): FlightData {
  let isDir = false;
  try { isDir = statSync(dir).isDirectory(); } catch { /* reported below */ }
  if (!isDir) throw new PlotError(`${dir} is not a folder (a flight's folder, as skytrace fly --out DIR writes)`);
  const manifest = manifestOf(dir);
  return {
    dir, manifest, telemetry: telemetryOf(dir), calls: callsOf(dir),
    phases: manifest.phases.map((p) => ({ name: p.state, startNs: p.startNs, endNs: p.endNs })),
    truthPhases: manifest.truthPhases.map((p) => ({ name: p.phase, startNs: p.startNs, endNs: p.endNs })),
    episodes: manifest.episodes.map((e) => ({ episode: e.episode, cause: e.cause, startNs: e.startNs, endNs: e.endNs, pid: e.pid })),
  };
}
