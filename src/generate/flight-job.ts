// The real job: one recorded flight (src/flight's runFlight) into the folder
// the worker gives it. The dataset's options go to runFlight as they are,
// with the flight's own scenario and seed.
import { runFlight } from "../flight/run-flight.js";
import type { FlightOptions } from "../flight/options.js";
import { useCompiledCore } from "../machine/core.js";
import type { JobContext, JobInput, JobOutput } from "./job.js";

/** A flight's outcome in one word, for the index: crashed, landed, landed-off-target, or the autopilot's last state. */
export function outcomeWord(o: { crashed: boolean; landed: boolean; reachedDestination: boolean; autopilotState: string }): string {
  if (o.crashed) return "crashed";
  if (o.landed) return o.reachedDestination ? "landed" : "landed-off-target";
  return o.autopilotState.toLowerCase();
}

export default function flightJob(input: JobInput, ctx: JobContext): JobOutput {
  // Every Machine this worker makes instantiates the main thread's compiled core.
  useCompiledCore(ctx.module);
  const options = { ...input.options, scenario: input.spec.scenario, seed: input.spec.seed, outDir: input.outDir } as FlightOptions;
  const r = runFlight(options);
  const m = r.manifest;
  const mem = process.memoryUsage();
  return {
    outcome: outcomeWord(m.outcome),
    events: m.recording.lines,
    syscalls: m.recording.syscalls,
    virtualNs: m.recording.durationNs,
    files: [
      { role: "raw", path: r.files.raw },
      { role: "processed", path: r.files.processed },
      { role: "manifest", path: r.files.manifest },
      { role: "telemetry", path: r.files.telemetry },
    ],
    rawFile: r.files.raw,
    // Right after the flight its WebAssembly memory is still held (external to the V8 heap).
    wasmBytes: mem.external,
  };
}
