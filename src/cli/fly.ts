// `skytrace fly --scenario S --seed N --out DIR`: one recorded flight, written
// as the published dataset's files (src/flight), then a one-paragraph summary.
// The flight runs in a worker thread (fly-thread.ts) so that Ctrl-C and
// SIGTERM are handled as it flies: nothing of it is left, exit 130 or 143.
import type { CommandModule } from "yargs";
import { performance } from "node:perf_hooks";
import { FlightInputError, SCENARIOS, FLIGHT_LIMITS, FlightOptions, FlightManifest } from "../flight/index.js";
import { OutputSet, firstMissingFolder, GATE_COMMITTING, GATE_RUNNING, GATE_STOPPED } from "../flight/output.js";
import { numberOption } from "./number-option.js";
import { FLIGHT_FLAGS, flagOptions, type FlightFlagArgs } from "./flight-flags.js";
import { catchInterrupts } from "./interrupt.js";
import { JIT_OPTION, useJitFlag } from "./jit-option.js";
import { runThread } from "./run-thread.js";
import type { FlyThreadData, FlyThreadResult } from "./fly-thread.js";

interface Args extends FlightFlagArgs {
  scenario: string;
  seed: number;
  out: string;
  flightId?: string;
  jit?: boolean;
}

const sec = (ns: number): string => (ns / 1e9).toFixed(2);

export function summary(r: { dir: string; manifest: FlightManifest }, wallSec: number): string {
  const m = r.manifest;
  const o = m.outcome;
  const what = o.crashed
    ? `crashed (${o.crashReason ?? "?"}) at ${sec(o.touchdownNs ?? o.timeNs)} s, ${o.reachedDestination ? "after reaching" : "without reaching"} the destination, maximum altitude ${o.maxAltitudeM.toFixed(1)} m`
    : o.landed
      ? `${o.reachedDestination ? "reached the destination and landed" : "landed without reaching the destination"} ${o.distanceToDestinationM.toFixed(2)} m from it at ${sec(o.timeNs)} s`
      : `ended ${o.autopilotState} without landing`;
  const virt = m.recording.durationNs / 1e9;
  const mi = m.mission, e = m.environment;
  const flown = `${mi.preset} mission of ${mi.legs} leg${mi.legs === 1 ? "" : "s"}, ${mi.distanceM.toFixed(1)} m at ${mi.cruiseAltitudeM.toFixed(1)} m and ${mi.cruiseSpeedMps.toFixed(1)} m/s, ` +
    `${mi.pollHz} polls/s, wind ${e.windMps.toFixed(1)} m/s, gusts ${e.gustMps.toFixed(2)} m/s`;
  return (
    `${m.scenario.toUpperCase()} flight, seed ${m.seed} (${flown}): ${what}${mi.legs > 1 ? `, ${o.waypointsReached}/${mi.legs} waypoints` : ""} (autopilot exit status ${o.autopilotExitStatus}). ` +
    `Recorded ${m.recording.syscalls} syscalls (${m.recording.lines} events) from ${m.processes.length} process images ` +
    `over ${virt.toFixed(2)} s of virtual time in ${wallSec.toFixed(2)} s of wall time (${(wallSec / virt).toFixed(2)}× real time). ` +
    `Wrote ${Object.values(m.files).map((f) => f.name).join(", ")} and manifest.json to ${r.dir}.`
  );
}

export const flyCommand: CommandModule<object, Args> = {
  command: "fly",
  describe: "Fly one simulated mission with the autopilot in the emulator and write its dataset (raw and processed traces, telemetry, manifest)",
  builder: (y) =>
    y
      .option("scenario", { type: "string", demandOption: true, requiresArg: true, describe: `scenario: ${SCENARIOS.join(" | ")}` })
      .option("seed", numberOption("seed", "the flight's seed: the mission, the wind, the sensor noise, the autopilot's random moments and the guest's randomness derive from it",
        { kind: "integer", min: FLIGHT_LIMITS.seed.min, max: FLIGHT_LIMITS.seed.max }, { default: 1 }))
      .option("out", { type: "string", demandOption: true, requiresArg: true, describe: "output folder (created if missing); the flight's files there are replaced only when it succeeds" })
      .options(FLIGHT_FLAGS)
      .option("jit", JIT_OPTION)
      .option("flight-id", { type: "string", requiresArg: true, describe: "the per-syscall table's flight_id (default <scenario>-<seed>; a generated flight's is its folder's name, flight-NNNNNN)" })
      .example("$0 fly --scenario normal --seed 1 --out flights/normal-1", "NORMAL_Flight.txt, NORMAL_Flight.processed.txt, NORMAL_Flight.syscalls.parquet, telemetry.csv, manifest.json")
      .example("$0 fly --scenario normal --mission long --wind 0 --out flights/long", "a route of 6-10 legs, 400 000+ syscalls, no steady wind")
      .epilog(
        "The guest runs /bin/flight-init (mkdir FlightBegin; autopilot; mkdir FlightEnd, each a process) with the drone on " +
          "/dev/ttyS0; recording starts at the SYSCALL of the FlightBegin mkdir and ends with the SYSRET of the FlightEnd " +
          "mkdir. Time is virtual (1 instruction = 1 ns, plus the --timing model): the same options give byte-identical files. Exit status: 0 when " +
          "the dataset was written (whatever the flight's outcome: busydelay is meant to crash), 1 when the flight did not " +
          "complete (nothing written), 2 on bad input or an unwritable folder, 130 or 143 when stopped by Ctrl-C (SIGINT) " +
          "or SIGTERM (nothing written, the folder as it was). Formats: docs/dataset.md.",
      ) as never,
  handler: async (a) => {
    process.exitCode = await flyMain(a);
  },
};

export async function flyMain(a: Args): Promise<number> {
  const interrupt = catchInterrupts();
  try {
    const options: FlightOptions = {
      scenario: a.scenario,
      seed: a.seed,
      outDir: a.out,
      ...flagOptions(a),
      flightId: a.flightId,
    };
    useJitFlag(a.jit);
    const t0 = performance.now();
    const gate = new Int32Array(new SharedArrayBuffer(4));
    const made = firstMissingFolder(a.out);
    // A signal ends the flight thread unless it is already putting its files into place.
    const mayStop = () => Atomics.compareExchange(gate, 0, GATE_RUNNING, GATE_STOPPED) !== GATE_COMMITTING;
    const data: FlyThreadData = { options, gate };
    const end = await runThread<FlyThreadResult>(new URL("./fly-thread.js", import.meta.url), data, interrupt, { mayStop });
    if (end.kind === "interrupted") {
      OutputSet.removeLeftovers(a.out, end.threadId, made);
      return interrupt.status();
    }
    const r = end.value;
    if (r.kind === "input") { console.error(`skytrace: ${r.message}`); return 2; }
    if (r.kind === "failed") {
      console.error(`skytrace: ${r.message}; nothing written`);
      if (r.guestOutput) console.error(r.guestOutput.replace(/^/gm, "  guest: "));
      return 1;
    }
    console.log(summary(r, (performance.now() - t0) / 1000));
    return 0;
  } catch (e) {
    if (e instanceof FlightInputError) { console.error(`skytrace: ${e.message}`); return 2; }
    throw e;
  } finally {
    interrupt.dispose();
  }
}
