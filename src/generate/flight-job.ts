// The real job: one recorded flight (src/flight's runFlight) into the folder
// the worker gives it. The dataset's options go to runFlight as they are,
// with the flight's own scenario and seed.
import { runFlight, type FlightHost } from "../flight/run-flight.js";
import type { FlightOptions } from "../flight/options.js";
import { useCompiledCore } from "../machine/core.js";
import { Machine } from "../machine/machine.js";
import { tallyToFile } from "../machine/jit/default.js";
import type { JobContext, JobInput, JobOutput } from "./job.js";

/** A flight's outcome in one word, for the index: crashed, landed, landed-off-target, or the autopilot's last state. */
export function outcomeWord(o: { crashed: boolean; landed: boolean; reachedDestination: boolean; autopilotState: string }): string {
  if (o.crashed) return "crashed";
  if (o.landed) return o.reachedDestination ? "landed" : "landed-off-target";
  return o.autopilotState.toLowerCase();
}

// One instance of the core per worker thread, reused flight after flight (the
// kernel resets it first: assembly/index.ts reset, src/machine), with the
// recorder's text buffers (FlightHost). Instantiation costs 16-24 ms a flight
// otherwise. A flight that throws drops the instance (a fresh one is certain
// to be clean), and so does one whose linear memory grew past REUSE_LIMIT:
// WebAssembly memory cannot shrink, so dropping it is the only way to give a
// big flight's RAM back.
const REUSE_LIMIT = 512 * 1024 * 1024;
const host: FlightHost = {};
let made = 0;
// The test suite's tier check (SKYTRACE_JIT_TALLY): this thread's Machines so far, after each flight.
const writeTally = tallyToFile();

export default function flightJob(input: JobInput, ctx: JobContext): JobOutput {
  // Every Machine this worker makes instantiates the main thread's compiled core.
  useCompiledCore(ctx.module);
  const options = { ...input.options, scenario: input.spec.scenario, seed: input.spec.seed, flightId: input.spec.id, outDir: input.outDir } as FlightOptions;
  if (!host.machine) { host.machine = new Machine(ctx.module); made++; }
  const machine = host.machine;
  let r;
  try {
    r = runFlight(options, host);
  } catch (e) {
    host.machine = undefined;
    throw e;
  }
  writeTally();
  // The WebAssembly memory this flight used (external to the V8 heap), for the benchmark's memory figures.
  const wasmBytes = machine.phys.linearBytes;
  if (wasmBytes > REUSE_LIMIT) host.machine = undefined;
  const m = r.manifest;
  return {
    outcome: outcomeWord(m.outcome),
    events: m.recording.lines,
    syscalls: m.recording.syscalls,
    virtualNs: m.recording.durationNs,
    mission: {
      preset: m.mission.preset, legs: m.mission.legs, distanceM: m.mission.distanceM, cruiseAltitudeM: m.mission.cruiseAltitudeM,
      cruiseSpeedMps: m.mission.cruiseSpeedMps, pollHz: m.mission.pollHz, windMps: m.environment.windMps, gustMps: m.environment.gustMps,
      anomaly: m.anomalies?.cause ?? "none", anomalyStretches: m.anomalies?.stretches.length ?? 0, anomalyEpisodes: m.episodes.length,
    },
    files: [
      { role: "raw", path: r.files.raw, ...r.checksums.raw },
      { role: "processed", path: r.files.processed, ...r.checksums.processed },
      { role: "manifest", path: r.files.manifest, ...r.checksums.manifest },
      { role: "telemetry", path: r.files.telemetry, ...r.checksums.telemetry },
      { role: "syscalls", path: r.files.syscalls!, ...r.checksums.syscalls! },
    ],
    rawFile: r.files.raw,
    columns: r.columns,   // views of the host's storage: the worker exports them before this job runs again
    wasmBytes,
    coreInstances: made,
  };
}
