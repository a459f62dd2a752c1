// manifest.json: everything needed to know what a flight was and how it went,
// and nothing that differs between two runs of the same flight (no wall time,
// no host paths), so it is byte-identical too.
import type { Outcome, TelemetryRow } from "../drone/index.js";
import type { ResolvedFlight } from "./options.js";
import type { FlightSeeds } from "./seeds.js";
import type { Mission, Environment } from "./mission.js";
import type { FlightRecorder, RecordedProcess, StateReport } from "./recorder.js";
import { BEGIN_MARKER, END_MARKER } from "./recorder.js";
import { SYSCALL_COST_NS } from "../kernel/kernel.js";
import { toolVersion } from "./paths.js";
import type { Checksum } from "./checksum.js";
import type { LoadedFile } from "../kernel/fs/loaded-files.js";
import type { Episode } from "./ground-truth/episodes.js";
import type { AnomalySchedule } from "./anomalies/schedule.js";
import { CALIBRATION } from "../kernel/timing/calibration.js";

export const MANIFEST_FORMAT = "skytrace-flight/1";
export const CLOCK_UNIT = "virtual ns, 1 tick = 1 instruction at 1 GHz";

export interface Phase { state: string; startNs: number; endNs: number }
export interface TruthSpan { phase: string; startNs: number; endNs: number }

export interface FlightManifest {
  format: string;
  tool: { name: string; version: string };
  scenario: string;
  seed: number;
  flightId: string;
  seeds: FlightSeeds;
  mission: Mission;
  environment: Environment;
  /** The anomaly schedule drawn (null for a normal flight); `episodes` are what came of it. */
  anomalies: AnomalySchedule | null;
  options: {
    baud: number;
    maxVirtualSeconds: number;
    autopilot: { program: string; pollHz: number; seed: number };
    drone: Record<string, unknown>;
    guest: { argv: string[]; cwd: string; port: string; kernelSeed: number };
  };
  // syscallCostNs with the ideal clock; `timing` with the realistic one (docs/timing.md).
  clock: { unit: string; frequencyHz: number; syscallCostNs?: number; timing?: { model: string; seed: number; calibration: string } };
  outcome: {
    reachedDestination: boolean;
    waypointsReached: number;
    landed: boolean;
    crashed: boolean;
    crashReason: string | null;
    timeNs: number;
    position: { x: number; y: number; z: number };
    speedMps: number;
    distanceToDestinationM: number;
    maxAltitudeM: number;
    autopilotState: string;
    autopilotExitStatus: number;
    flightTimeNs: number | null;
    touchdownNs: number | null;
    touchdownSpeedMps: number | null;
  };
  recording: {
    begin: string;
    end: string;
    beginNs: number;
    endNs: number;
    durationNs: number;
    lines: number;
    syscalls: number;
    sysrets: number;
  };
  phases: Phase[];
  truthPhases: TruthSpan[];
  episodes: Episode[];
  /** Python autopilot flights only: the anomaly kinds whose rows carry no label, and why. */
  unlabeled?: { causes: string[]; why: string };
  stateReports: StateReport[];
  events: Record<string, number>;
  processes: RecordedProcess[];
  files: Record<string, { name: string; bytes?: number; sha256?: string }>;
  // Every file the guest loaded from outside: the flight's programs, and for the Python
  // autopilot each file of the sysroot it read, mapped or ran (guest paths; what the guest saw).
  loaded: Array<Omit<LoadedFile, "host">>;
  protocolErrors: number;
  guestOutput: string;
}

export interface ManifestInput {
  flight: ResolvedFlight;
  argv: string[];
  files: { raw: string; processed: string; syscalls: string; telemetry: string; manifest: string };
  recorder: FlightRecorder;
  outcome: Outcome;
  telemetry: readonly TelemetryRow[];
  initStatus: number;
  protocolErrors: number;
  guestOutput: string;
  /** The data files written (the per-syscall table's only when it was made). */
  checksums: { raw: Checksum; processed: Checksum; telemetry: Checksum; syscalls?: Checksum };
  episodes: Episode[];
  /** The drone's physical phases, as spans over the whole flight up to the recording's end. */
  truthPhases: TruthSpan[];
  loaded: readonly LoadedFile[];
}

// The ground truth's probes are on the C autopilot's own functions (busy_factor, send_datagram,
// run_shell, …, called only for an anomaly); the Python autopilot's image is the interpreter, and
// the code its stretches run (long arithmetic, os.fork, the socket module) has no function of its
// own that only the anomaly reaches and that the stripped interpreter names. spoof is the drone's
// and stays labeled. docs/dataset.md, "Ground truth".
const PYTHON_UNLABELED = {
  causes: ["factoring", "udp", "shell", "hog"],
  why: "the probes that label episodes are on the C autopilot's symbols; the Python autopilot's stretches (in anomalies) are in the trace but their rows are not labeled",
};

const round = (n: number, d = 4): number => Number(n.toFixed(d)) + 0; // + 0: no -0 in JSON

// Each change opens a span that lasts until the next one (the last until the recording's end).
export function spansOf(changes: ReadonlyArray<{ state: string; ns: number }>, endNs: number): Phase[] {
  return changes.map((r, i) => ({ state: r.state, startNs: r.ns, endNs: i + 1 < changes.length ? changes[i + 1].ns : endNs }));
}

// Each STATE report opens a phase that lasts until the next one (the last until the recording's end).
export function phasesOf(reports: readonly StateReport[], endNs: number): Phase[] {
  return spansOf(reports, endNs);
}

// Time in the air: from the first telemetry row off the ground to the first that is final
// (telemetry resolution). A lagging autopilot learns of a crash later than it happened.
// The touchdown speed is the last airborne row's (the drone zeroes its velocity on contact).
function airborne(rows: readonly TelemetryRow[]): { flightTimeNs: number | null; touchdownNs: number | null; touchdownSpeedMps: number | null } {
  const up = rows.findIndex((r) => r.status === "FLYING");
  const down = rows.findIndex((r) => r.status === "LANDED" || r.status === "CRASHED");
  const last = down > 0 ? rows[down - 1] : undefined;
  return {
    flightTimeNs: up >= 0 && down >= 0 ? rows[down].timeNs - rows[up].timeNs : null,
    touchdownNs: down >= 0 ? rows[down].timeNs : null,
    touchdownSpeedMps: last && last.status === "FLYING" ? round(Math.hypot(last.velocity.x, last.velocity.y, last.velocity.z)) : null,
  };
}

export function buildManifest(m: ManifestInput): FlightManifest {
  const f = m.flight;
  const d = f.drone;
  const o = m.outcome;
  const rec = m.recorder;
  return {
    format: MANIFEST_FORMAT,
    tool: { name: "skytrace", version: toolVersion() },
    scenario: f.scenario,
    seed: f.seed,
    flightId: f.flightId,
    seeds: { ...f.seeds },
    mission: f.mission,
    environment: f.environment,
    anomalies: f.anomalies,
    options: {
      baud: f.baud,
      maxVirtualSeconds: f.maxVirtualSeconds,
      autopilot: { program: f.program, ...f.autopilot, seed: f.seeds.autopilot },
      drone: { ...d },
      guest: { argv: m.argv, cwd: "/flight", port: "/dev/ttyS0", kernelSeed: f.seeds.kernel },
    },
    clock: f.timing === "ideal"
      ? { unit: CLOCK_UNIT, frequencyHz: 1_000_000_000, syscallCostNs: Number(SYSCALL_COST_NS) }
      : { unit: CLOCK_UNIT, frequencyHz: 1_000_000_000, timing: { model: f.timing, seed: f.seeds.timing, calibration: CALIBRATION.id } },
    outcome: {
      reachedDestination: o.reachedDestination,
      waypointsReached: o.waypointsReached,
      landed: o.landed,
      crashed: o.crashed,
      crashReason: o.crashReason,
      timeNs: o.timeNs,
      position: { x: round(o.position.x), y: round(o.position.y), z: round(o.position.z) },
      speedMps: round(o.speedMps),
      distanceToDestinationM: round(o.distanceToDestinationM),
      maxAltitudeM: round(o.maxAltitudeM),
      autopilotState: o.autopilotState,
      autopilotExitStatus: m.initStatus,
      ...airborne(m.telemetry),
    },
    recording: {
      begin: `mkdir ${BEGIN_MARKER}`,
      end: `mkdir ${END_MARKER}`,
      beginNs: rec.beginNs,
      endNs: rec.endNs,
      durationNs: rec.endNs - rec.beginNs,
      lines: rec.syscalls + rec.sysrets,
      syscalls: rec.syscalls,
      sysrets: rec.sysrets,
    },
    phases: phasesOf(rec.stateReports, rec.endNs),
    truthPhases: m.truthPhases,
    episodes: m.episodes,
    ...(f.program === "python" ? { unlabeled: PYTHON_UNLABELED } : {}),
    stateReports: rec.stateReports,
    events: rec.eventCounts(),
    processes: rec.processes,
    files: {
      raw: { name: m.files.raw, ...m.checksums.raw },
      processed: { name: m.files.processed, ...m.checksums.processed },
      ...(m.checksums.syscalls ? { syscalls: { name: m.files.syscalls, ...m.checksums.syscalls } } : {}),
      telemetry: { name: m.files.telemetry, ...m.checksums.telemetry },
    },
    loaded: m.loaded.map(({ path, size, mode, mtimeNs, sha256 }) => ({ path, size, mode, mtimeNs, sha256 })),
    protocolErrors: m.protocolErrors,
    guestOutput: m.guestOutput,
  };
}
