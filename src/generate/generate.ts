// `skytrace generate`: plan the dataset, skip what is already complete, run
// the rest in a piscina pool, journal each finished flight, and rewrite the
// index at the end. The main thread compiles the WASM core once and hands the
// compiled module to every worker.
import { readdirSync, readFileSync, rmSync, existsSync } from "node:fs";
import { FolderError, fsReason, makeFolders, removeMadeFolders } from "../host-fs/make-folders.js";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import { Piscina } from "piscina";
import { compileCore } from "../machine/core.js";
import { FlightPlan, FlightSpec, inShard, mixString, parseDatasetSeed, parseMix, Shard } from "./plan.js";
import { checkFiles, FlightRecord } from "./record.js";
import { currentRecord } from "./legacy.js";
import { indexNames, Journal, readJournal, shardSuffix, writeIndex, writeMeta } from "./index-store.js";
import { flightJobUrl, workerFile } from "./paths.js";
import type { WorkerData, WorkerReply, WorkerTask } from "./worker.js";
import { oneLine } from "./worker.js";
import type { Progress } from "./progress.js";

export interface GenerateOptions {
  out: string;
  flights: number;
  mix: string;
  seed: string | number | bigint;
  workers?: number;                       // default: every core
  shard?: Shard | null;
  flightOptions?: Record<string, unknown>;
  knownScenarios?: readonly string[];
  jobModule?: string;                     // file URL of the job (tests inject fakes)
  toolVersion?: string;
  progress?: Progress;
  /** Stops the run (Ctrl-C, SIGTERM): no more flights start, the running ones are ended, the complete ones stay indexed. */
  signal?: AbortSignal;
}

/** What generate.json records: the inputs that define the dataset (a resume must match them). */
export interface DatasetMeta {
  tool: "skytrace";
  version: string;
  seed: string;
  mix: string;
  flights: number;
  options: Record<string, unknown>;
  shard: string | null;
  derivation: string;
}

export interface WorkerStats {
  threadId: number;
  flights: number;
  peakHeapBytes: number;
  peakWasmBytes: number;
  coreInstances: number;
  /** Summed over its flights (host timing, for the benchmark): see TaskTiming. */
  jobMs: number;
  exportMs: number;
  filesMs: number;
  cpuMs: number;
  /** From the start of generate() to this worker's first reply, minus that flight's own time: its start-up. */
  startMs: number;
}

export interface GenerateSummary {
  dir: string;
  planned: number;        // flights of this shard
  skipped: number;        // already complete
  ran: number;
  failed: number;         // failed flights in the index at the end
  failures: Array<{ id: string; error: string }>;
  wallMs: number;
  workers: WorkerStats[];
  records: FlightRecord[];
  /** When each flight of this run came back (ms from the start) and from which worker thread (-1: it died), in order: host timing, for the benchmark. */
  completions: Array<{ ms: number; threadId: number }>;
  /** Stopped by `signal`: what is complete is indexed, the rest is made by running again. */
  interrupted: boolean;
}

export const DERIVATION = "seed_i = low32(mix(mix(S ^ 0x5eed) ^ i)); scenario_i = slot i mod W of block floor(i/W), "
  + "a Fisher-Yates shuffle of the reduced mix seeded by mix(mix(S ^ 0xb10c) ^ block); mix = SplitMix64 output function (docs/bulk.md)";

// The workers' young generation: a fixed 32 MB semi-space instead of V8's
// default, which stays near 8 MB for a flight's short-lived garbage (≈ 280 MB
// a normal flight: ≈ 37 scavenges, run by parallel helper threads that the
// workers then compete with). With 32 MB, ≈ 9 scavenges a flight and, measured
// in 5 alternated pairs of 2-worker runs, 8 % less process CPU per flight in
// every pair (docs/bulk.md). V8 flags are process-wide and read when an
// isolate is made, so this is set before the pool's workers start; threads
// made earlier (this one) keep their heap as it was.
export const WORKER_SEMI_SPACE_MB = 32;
let heapsConfigured = false;
function configureWorkerHeaps(): void {
  if (heapsConfigured) return;
  v8.setFlagsFromString(`--min-semi-space-size=${WORKER_SEMI_SPACE_MB} --max-semi-space-size=${WORKER_SEMI_SPACE_MB}`);
  heapsConfigured = true;
}

function sameDataset(a: DatasetMeta, b: DatasetMeta): string | null {
  if (a.seed !== b.seed) return `--seed ${b.seed}`;
  if (a.mix !== b.mix) return `--mix ${b.mix}`;
  if (JSON.stringify(a.options) !== JSON.stringify(b.options)) return `flight options ${JSON.stringify(b.options)}`;
  return null;
}

/** Refuses a folder that holds another dataset (other seed, mix or options, from any shard's meta file). */
function checkMeta(dir: string, meta: DatasetMeta): void {
  for (const name of readdirSync(dir)) {
    if (!/^generate(\.shard-\d+-of-\d+)?\.json$/.test(name)) continue;
    let other: DatasetMeta;
    try { other = JSON.parse(readFileSync(path.join(dir, name), "utf8")) as DatasetMeta; } catch { continue; }
    const diff = sameDataset(meta, other);
    if (diff) throw new Error(`${dir} holds another dataset (${name} was made with ${diff}); use another --out`);
  }
}

export async function generate(o: GenerateOptions): Promise<GenerateSummary> {
  const t0 = performance.now();
  if (!Number.isSafeInteger(o.flights) || o.flights < 1) throw new Error(`--flights: ${o.flights} is not a positive integer`);
  const workers = o.workers ?? os.availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 256) throw new Error(`--workers: ${workers} is not an integer from 1 to 256`);
  const shard = o.shard ?? null;
  const mix = parseMix(o.mix, o.knownScenarios);
  const seed = parseDatasetSeed(typeof o.seed === "bigint" ? o.seed.toString() : o.seed);
  const plan = new FlightPlan(seed, mix);
  const dir = path.resolve(o.out);
  const options = o.flightOptions ?? {};
  const version = o.toolVersion ?? "0";

  const stop = o.signal;
  const planned = shard ? (o.flights >= shard.k ? Math.floor((o.flights - shard.k) / shard.m) + 1 : 0) : o.flights;
  // Stopped before any flight ran: the index (`indexed`) is as it was.
  const nothingDone = (indexed: FlightRecord[] = []): GenerateSummary => ({
    dir, planned, skipped: 0, ran: 0, failed: 0, failures: [], wallMs: performance.now() - t0, workers: [], records: indexed, completions: [], interrupted: true,
  });
  if (stop?.aborted) return nothingDone();

  // Made here, one component at a time (make-folders.ts): a folder that cannot be made fails at once.
  let made: string | undefined;
  try {
    made = makeFolders(dir);
    const madeEvents = makeFolders(path.join(dir, "events"));
    made ??= madeEvents;
  } catch (e) {
    throw new Error(`cannot create the dataset folder ${o.out}: ${e instanceof FolderError ? e.reason : fsReason(e)}`);
  }
  const names = indexNames(shard);
  const meta: DatasetMeta = {
    tool: "skytrace", version, seed: seed.toString(), mix: mixString(mix), flights: o.flights, options,
    shard: shard ? `${shard.k}/${shard.m}` : null, derivation: DERIVATION,
  };
  const metaFile = path.join(dir, names.meta);
  const journalFile = path.join(dir, names.jsonl);
  // What this run adds to the folder, removed again if it is interrupted before any flight is complete.
  const fresh = !existsSync(metaFile) && !existsSync(journalFile);
  const removeFresh = () => {
    for (const f of [names.meta, names.jsonl, names.csv]) rmSync(path.join(dir, f), { force: true });
    removeMadeFolders(path.join(dir, "events"), made);
  };
  try {
    checkMeta(dir, meta);
    writeMeta(metaFile, meta);
  } catch (e) {
    removeMadeFolders(path.join(dir, "events"), made);
    const code = (e as NodeJS.ErrnoException).code;
    throw code ? new Error(`cannot write to the dataset folder ${o.out}: ${fsReason(e)}`) : e;
  }
  const tmpRoot = path.join(dir, `.tmp${shardSuffix(shard)}`);
  rmSync(tmpRoot, { recursive: true, force: true });   // scratch of a killed run

  // What is already done: a record that matches the plan and whose files match their checksums.
  const previous = readJournal(journalFile);
  const records = new Map<number, FlightRecord>();
  const pending: FlightSpec[] = [];
  for (let i = 0; i < o.flights; i++) {
    // Stopped while checking: the index stays as it was (nothing was checked wrong, nothing was made).
    if (stop?.aborted) {
      if (fresh) removeFresh();
      return nothingDone([...previous.values()].sort((a, b) => a.index - b.index));
    }
    if (!inShard(i, shard)) continue;
    const spec = plan.flight(i);
    const r = previous.get(i);
    // A record of the previous version gets its export rewritten in today's layout (legacy.ts).
    const kept = r && r.id === spec.id && r.scenario === spec.scenario && r.seed === spec.seed && (await checkFiles(dir, r)) === null
      ? currentRecord(dir, r, `skytrace ${version}`) : null;
    if (kept) records.set(i, kept);
    else pending.push(spec);
  }
  const skipped = records.size;
  writeIndex(dir, names, records.values());   // compact: drop torn lines, stale and redone records

  const progress = o.progress;
  progress?.start(planned, skipped);
  const failures: Array<{ id: string; error: string }> = [];
  const stats = new Map<number, WorkerStats>();
  const completions: GenerateSummary["completions"] = [];
  let failed = 0;
  let interrupted = false;
  if (pending.length > 0 && !stop?.aborted) {
    makeFolders(tmpRoot);
    const journal = new Journal(journalFile);
    const data: WorkerData = {
      module: compileCore(),
      jobModule: o.jobModule ?? flightJobUrl(),
      createdBy: `skytrace ${version}`,
    };
    configureWorkerHeaps();
    const pool = new Piscina({
      filename: workerFile(),
      workerData: data,
      minThreads: Math.min(workers, pending.length),
      maxThreads: Math.min(workers, pending.length),
      idleTimeout: 60_000,
    });
    // A stop hands out no more flights and ends the running ones (their scratch goes below).
    let destroyed: Promise<void> | undefined;
    const onStop = () => {
      interrupted = true;
      destroyed ??= pool.destroy();
    };
    stop?.addEventListener("abort", onStop);
    const finish = (rec: FlightRecord) => {
      records.set(rec.index, rec);
      journal.append(rec);
      if (rec.status === "failed") {
        failed++;
        failures.push({ id: rec.id, error: rec.error ?? "?" });
      }
      progress?.flight(rec);
    };
    try {
      await Promise.all(pending.map(async (spec) => {
        const task: WorkerTask = { spec, options, dir, tmp: path.join(tmpRoot, spec.id) };
        try {
          const reply = (await pool.run(task)) as WorkerReply;
          const tm = reply.timing;
          const s = stats.get(reply.threadId) ?? {
            threadId: reply.threadId, flights: 0, peakHeapBytes: 0, peakWasmBytes: 0, coreInstances: 0,
            jobMs: 0, exportMs: 0, filesMs: 0, cpuMs: 0, startMs: performance.now() - t0 - (tm.jobMs + tm.exportMs + tm.filesMs),
          };
          s.flights++;
          s.peakHeapBytes = Math.max(s.peakHeapBytes, reply.heapBytes);
          s.peakWasmBytes = Math.max(s.peakWasmBytes, reply.wasmBytes);
          s.coreInstances = Math.max(s.coreInstances, reply.coreInstances);
          s.jobMs += tm.jobMs; s.exportMs += tm.exportMs; s.filesMs += tm.filesMs;
          s.cpuMs = s.cpuMs < 0 || tm.cpuMs < 0 ? -1 : s.cpuMs + tm.cpuMs;
          stats.set(reply.threadId, s);
          completions.push({ ms: performance.now() - t0, threadId: reply.threadId });
          finish(reply.record);
        } catch (e) {
          rmSync(task.tmp, { recursive: true, force: true });
          if (interrupted) return;   // ended by the stop, not failed: made again by the next run
          // The worker itself died (piscina replaces it): the flight is failed, the run goes on.
          completions.push({ ms: performance.now() - t0, threadId: -1 });
          finish({
            id: spec.id, index: spec.index, scenario: spec.scenario, seed: spec.seed, status: "failed",
            outcome: null, eventCount: null, syscallCount: null, virtualNs: null, mission: null, files: [], error: `worker crashed: ${oneLine(e)}`,
          });
        }
      }));
    } finally {
      stop?.removeEventListener("abort", onStop);
      await (destroyed ??= pool.destroy());
      journal.close();
      rmSync(tmpRoot, { recursive: true, force: true });
    }
  }
  // A stop after the last flight came back interrupted nothing.
  interrupted = (interrupted || !!stop?.aborted) && records.size < planned;
  if (interrupted) {
    // A flight ended between moving its folder into place and its index line is in no index: it goes.
    for (const spec of pending) {
      if (records.has(spec.index)) continue;
      rmSync(path.join(dir, spec.id), { recursive: true, force: true });
      rmSync(path.join(dir, "events", `${spec.id}.parquet`), { force: true });
    }
  }
  writeIndex(dir, names, records.values());
  progress?.stop();
  if (interrupted && fresh && records.size === 0) removeFresh();
  const all = [...records.values()].sort((a, b) => a.index - b.index);
  return {
    dir, planned, skipped, ran: interrupted ? completions.length : pending.length, failed: all.filter((r) => r.status === "failed").length, failures,
    wallMs: performance.now() - t0, workers: [...stats.values()], records: all, completions, interrupted,
  };
}

export function datasetExists(dir: string): boolean {
  return existsSync(path.join(dir, "generate.json"));
}
