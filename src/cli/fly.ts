// `skytrace fly --scenario S --seed N --out DIR`: one recorded flight, written
// as the published dataset's files (src/flight), then a one-paragraph summary.
import type { CommandModule } from "yargs";
import { performance } from "node:perf_hooks";
import {
  runFlight, FlightInputError, FlightFailedError, parseSeed, SCENARIOS, MAX_SEED, DEFAULT_BAUD,
  DEFAULT_MAX_VIRTUAL_SECONDS, FlightOptions, FlightResult,
} from "../flight/index.js";
import { flightFlags, flagOptions, type PinArgs } from "./flight-flags.js";

interface Args extends PinArgs {
  scenario: string;
  seed: string;
  out: string;
  baud?: number;
  maxVirtualSeconds?: number;
}

const sec = (ns: number): string => (ns / 1e9).toFixed(2);

export function summary(r: FlightResult, wallSec: number): string {
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
    flightFlags(y
      .option("scenario", { type: "string", demandOption: true, describe: `scenario: ${SCENARIOS.join(" | ")}` })
      .option("seed", { type: "string", default: "1", describe: `the flight's seed: an integer 0..${MAX_SEED}; the mission, the wind, the sensor noise, the autopilot's random moments and the guest's randomness derive from it` })
      .option("out", { type: "string", demandOption: true, describe: "output folder (created if missing); the flight's files there are replaced only when it succeeds" })
      .option("baud", { type: "number", describe: `serial link speed (default ${DEFAULT_BAUD})` })
      .option("max-virtual-seconds", { type: "number", describe: `safety stop: fail if the flight has not ended after this much virtual time (default ${DEFAULT_MAX_VIRTUAL_SECONDS}; 600 for --mission long)` }), true)
      .example("$0 fly --scenario normal --seed 1 --out flights/normal-1", "NORMAL_Flight.txt, NORMAL_Flight.processed.txt, telemetry.csv, manifest.json")
      .example("$0 fly --scenario normal --mission long --wind 0 --out flights/long", "a route of 6-10 legs, 400 000+ syscalls, no steady wind")
      .epilog(
        "The guest runs /bin/flight-init (mkdir FlightBegin; autopilot; mkdir FlightEnd, each a process) with the drone on " +
          "/dev/ttyS0; recording starts at the SYSCALL of the FlightBegin mkdir and ends with the SYSRET of the FlightEnd " +
          "mkdir. Time is virtual (1 instruction = 1 ns): the same options give byte-identical files. Exit status: 0 when " +
          "the dataset was written (whatever the flight's outcome: busydelay is meant to crash), 1 when the flight did not " +
          "complete (nothing written), 2 on bad input or an unwritable folder. Formats: docs/dataset.md.",
      ) as never,
  handler: (a) => {
    process.exitCode = flyMain(a);
  },
};

export function flyMain(a: Args): number {
  try {
    const options: FlightOptions = {
      scenario: a.scenario,
      seed: parseSeed(String(a.seed)),
      outDir: a.out,
      baud: a.baud,
      maxVirtualSeconds: a.maxVirtualSeconds,
      ...flagOptions(a),
    };
    const t0 = performance.now();
    const r = runFlight(options);
    console.log(summary(r, (performance.now() - t0) / 1000));
    return 0;
  } catch (e) {
    if (e instanceof FlightInputError) { console.error(`skytrace: ${e.message}`); return 2; }
    if (e instanceof FlightFailedError) {
      console.error(`skytrace: ${e.message}; nothing written`);
      if (e.guestOutput) console.error(e.guestOutput.replace(/^/gm, "  guest: "));
      return 1;
    }
    throw e;
  }
}
