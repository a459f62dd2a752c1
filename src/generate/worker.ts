// The piscina worker: runs one flight per task in a temporary folder, adds its
// columnar export, checksums every file, then moves the flight into place
// (rename, so a flight folder is always whole) and returns its index record.
// The job module is loaded once per worker thread; it may keep one Machine.
import { mkdirSync, renameSync, rmSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { checksum } from "../flight/checksum.js";
import path from "node:path";
import v8 from "node:v8";
import { workerData, threadId } from "node:worker_threads";
import type { Job, JobInput } from "./job.js";
import type { FlightSpec } from "./plan.js";
import type { FileEntry, FlightRecord } from "./record.js";
import { eventsParquet } from "./events-export.js";
import { columnsOfRawText } from "../dataset/event-columns.js";
import { faultFor, applyFault } from "./fault.js";

export interface WorkerData {
  module: WebAssembly.Module;
  jobModule: string;    // file URL of the job's module
  createdBy: string;    // Parquet's created_by: the tool and its version
}

export interface WorkerTask {
  spec: FlightSpec;
  options: Record<string, unknown>;
  dir: string;          // the dataset folder
  tmp: string;          // this flight's scratch folder (removed first, then created)
}

export interface WorkerReply {
  record: FlightRecord;
  /** This worker's memory after the flight: its V8 heap, and the job's WebAssembly memory. */
  heapBytes: number;
  wasmBytes: number;
  /** Core instances this worker's job has made so far (0 when the job does not say). */
  coreInstances: number;
  threadId: number;
  /** Where this task's time went in the worker (host timing, for the benchmark only; never in a flight). */
  timing: TaskTiming;
}

export interface TaskTiming {
  jobMs: number;       // the flight itself (runFlight)
  exportMs: number;    // the Parquet export
  filesMs: number;     // checksums and moving into place
  cpuMs: number;       // this thread's CPU time during the task (-1 where /proc/thread-self is missing)
}

// This thread's user+system CPU time in ms, from /proc (Linux), or -1.
function threadCpuMs(): number {
  try {
    const f = readFileSync("/proc/thread-self/stat", "latin1");
    const t = f.slice(f.lastIndexOf(")") + 2).split(" ");
    return ((Number(t[11]) + Number(t[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return -1;
  }
}
const CLOCK_TICKS = 100;

const data = workerData as WorkerData;
let job: Job | undefined;
let wasmBytes = 0;   // the largest WebAssembly memory a flight of this worker has used
let coreInstances = 0;

async function loadJob(): Promise<Job> {
  if (!job) {
    const mod = (await import(data.jobModule)) as { default: Job };
    job = mod.default;
  }
  return job;
}

function rel(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join("/");
}

export default async function runTask(task: WorkerTask): Promise<WorkerReply> {
  const { spec, dir, tmp } = task;
  const base: FlightRecord = {
    id: spec.id, index: spec.index, scenario: spec.scenario, seed: spec.seed,
    status: "failed", outcome: null, eventCount: null, syscallCount: null, virtualNs: null, mission: null, files: [], error: null,
  };
  const cpu0 = threadCpuMs();
  const timing: TaskTiming = { jobMs: 0, exportMs: 0, filesMs: 0, cpuMs: -1 };
  let t = performance.now();
  const lap = (): number => { const n = performance.now(), d = n - t; t = n; return d; };
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let record: FlightRecord;
  try {
    timing.filesMs += lap();
    const run = await loadJob();
    lap();   // the job's import (first task only) counts as start-up, not as this task's time
    const fault = faultFor(spec.index);
    const input: JobInput = { spec, options: fault ? applyFault(fault, task.options) : task.options, outDir: path.join(tmp, spec.id) };
    const out = await run(input, { module: data.module });
    timing.jobMs = lap();
    wasmBytes = Math.max(wasmBytes, out.wasmBytes ?? 0);
    coreInstances = Math.max(coreInstances, out.coreInstances ?? 0);
    const parquetTmp = path.join(tmp, `${spec.id}.parquet`);
    const columns = out.columns ?? columnsOfRawText(readFileSync(out.rawFile), out.rawFile);
    const parquet = eventsParquet(columns, spec.id, spec.scenario, data.createdBy);
    writeFileSync(parquetTmp, parquet);
    timing.exportMs = lap();
    // Checksums of the files where they will be (the names are relative to DIR):
    // the job's own, of the bytes it wrote, or else read back.
    const finalDir = path.join(dir, spec.id);
    const files: FileEntry[] = [];
    for (const f of out.files) {
      const sum = f.sha256 !== undefined && f.bytes !== undefined ? { bytes: f.bytes, sha256: f.sha256 } : checksum(await readFile(f.path));
      files.push({ role: f.role, name: rel(dir, path.join(finalDir, path.relative(input.outDir, f.path))), ...sum });
    }
    const eventsName = path.join(dir, "events", `${spec.id}.parquet`);
    files.push({ role: "events", name: rel(dir, eventsName), ...checksum(parquet) });
    // Into place: the folder first, then its export; the index line comes last (main thread).
    if (existsSync(finalDir)) rmSync(finalDir, { recursive: true, force: true });
    renameSync(input.outDir, finalDir);
    renameSync(parquetTmp, eventsName);
    record = { ...base, status: "ok", outcome: out.outcome, eventCount: out.events, syscallCount: out.syscalls, virtualNs: out.virtualNs, mission: out.mission ?? null, files };
  } catch (e) {
    record = { ...base, error: oneLine(e) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  timing.filesMs += lap();
  const cpu1 = threadCpuMs();
  if (cpu0 >= 0 && cpu1 >= 0) timing.cpuMs = cpu1 - cpu0;
  return { record, heapBytes: v8.getHeapStatistics().used_heap_size, wasmBytes, coreInstances, threadId, timing };
}

export function oneLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s+/g, " ").trim().slice(0, 500) || "unknown error";
}
