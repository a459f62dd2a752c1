// `skytrace fly --scenario S --seed N --out DIR`: one recorded flight, written
// as the published dataset's files (src/flight), then a one-paragraph summary.
import type { CommandModule } from "yargs";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import {
  runFlight, FlightInputError, FlightFailedError, parseSeed, SCENARIOS, MAX_SEED, DEFAULT_BAUD,
  DEFAULT_MAX_VIRTUAL_SECONDS, DEFAULT_AUTOPILOT, DEFAULT_TIMING, FlightOptions, DroneOverrides, FlightResult,
} from "../flight/index.js";
import { TIMING_MODELS } from "../kernel/timing/model.js";

interface Args {
  scenario: string;
  seed: string;
  out: string;
  baud?: number;
  maxVirtualSeconds?: number;
  config?: string;
  pollHz?: number;
  busyBits?: number;
  timing?: string;
}

function readDroneConfig(file: string): DroneOverrides {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new FlightInputError(`--config ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new FlightInputError(`--config ${file}: expected a JSON object of drone fields (docs/drone.md)`);
  return v as DroneOverrides;
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
  return (
    `${m.scenario.toUpperCase()} flight, seed ${m.seed}: ${what} (autopilot exit status ${o.autopilotExitStatus}). ` +
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
      .option("scenario", { type: "string", demandOption: true, describe: `mission: ${SCENARIOS.join(" | ")}` })
      .option("seed", { type: "string", default: "1", describe: `seed of the sensor noise, the autopilot's random moments and the guest's randomness: an integer 0..${MAX_SEED}` })
      .option("out", { type: "string", demandOption: true, describe: "output folder (created if missing); the flight's files there are replaced only when it succeeds" })
      .option("baud", { type: "number", describe: `serial link speed (default ${DEFAULT_BAUD})` })
      .option("max-virtual-seconds", { type: "number", describe: `safety stop: fail if the flight has not ended after this much virtual time (default ${DEFAULT_MAX_VIRTUAL_SECONDS})` })
      .option("config", { type: "string", describe: "JSON file of drone overrides (mass, thrust, drag, destination, cruise altitude…; docs/drone.md)" })
      .option("poll-hz", { type: "number", describe: `autopilot sensor polls per second (default ${DEFAULT_AUTOPILOT.pollHz})` })
      .option("busy-bits", { type: "number", describe: `busydelay: bits of the primes factored by trial division (default ${DEFAULT_AUTOPILOT.busyBits})` })
      .option("timing", { type: "string", choices: TIMING_MODELS, default: DEFAULT_TIMING, describe: "the clock: realistic (what a real machine adds to each instruction and syscall, measured on one: timer interrupts, syscall costs with their spread, wake-up latencies, context switches, cache refills; seeded by the flight's seed) or ideal (1 instruction = 1 ns and 200 ns per syscall, nothing else) (docs/timing.md)" })
      .example("$0 fly --scenario normal --seed 1 --out flights/normal-1", "NORMAL_Flight.txt, NORMAL_Flight.processed.txt, telemetry.csv, manifest.json")
      .epilog(
        "The guest runs /bin/flight-init (mkdir FlightBegin; autopilot; mkdir FlightEnd, each a process) with the drone on " +
          "/dev/ttyS0; recording starts at the SYSCALL of the FlightBegin mkdir and ends with the SYSRET of the FlightEnd " +
          "mkdir. Time is virtual (1 instruction = 1 ns, plus the --timing model): the same options give byte-identical files. Exit status: 0 when " +
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
      drone: a.config ? readDroneConfig(a.config) : undefined,
      timing: a.timing,
      autopilot: { ...(a.pollHz !== undefined ? { pollHz: a.pollHz } : {}), ...(a.busyBits !== undefined ? { busyBits: a.busyBits } : {}) },
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
