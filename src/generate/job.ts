// What a worker runs for one flight. The orchestration (pool, index, resume,
// shards) never looks inside: a job writes a flight's files into `outDir` and
// says what they are. The real job is flight-job.ts (runFlight); the tests
// inject small fake ones to exercise the machinery quickly.
import type { FileRole, FlightMission } from "./record.js";
import type { FlightSpec } from "./plan.js";
import type { RawColumns } from "../dataset/event-columns.js";

export interface JobInput {
  spec: FlightSpec;
  /** The dataset's flight options (plain JSON), the same for every flight. */
  options: Record<string, unknown>;
  /** A folder that does not exist yet: the job creates it and writes the flight there. */
  outDir: string;
}

export interface JobOutput {
  outcome: string;
  events: number;
  syscalls: number;
  virtualNs: number;
  /** What the flight flew (the index's mission columns); a job that flies nothing real leaves it out. */
  mission?: FlightMission;
  /**
   * Absolute paths inside outDir, by role ("events" is added by the worker),
   * with the size and sha256 of the bytes written when the job has them (the
   * worker reads the file back to checksum it otherwise).
   */
  files: Array<{ role: Exclude<FileRole, "events">; path: string; bytes?: number; sha256?: string }>;
  /** The raw trace (one of files): the columnar export is made from it. */
  rawFile: string;
  /** Its rows as columns, when the job has them (views, used before the job runs again); the worker parses the raw file otherwise. */
  columns?: RawColumns;
  /** The size of the flight's WebAssembly memory, for the benchmark's memory figures. */
  wasmBytes?: number;
  /** Core instances this worker thread has made so far (1 while it reuses one). */
  coreInstances?: number;
}

export interface JobContext {
  /** The WASM core, compiled once by the main thread. */
  module: WebAssembly.Module;
}

export type Job = (input: JobInput, ctx: JobContext) => Promise<JobOutput> | JobOutput;
