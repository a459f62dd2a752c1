// One recorded flight: the guest file system (flight-init, the autopilot and
// mkdir in /bin, the markers made in /flight), the drone on the serial link as
// /dev/ttyS0, the init run to its end in virtual time, and the dataset written
// to the output folder. Plain options in, a plain object out, nothing printed:
// the CLI and a worker thread call it alike.
import type { Kernel } from "../kernel/kernel.js";
import type { Machine } from "../machine/machine.js";
import { runProgram, DEFAULT_ENV } from "../kernel/run-program.js";
import type { HostStdio } from "../kernel/fs/devices.js";
import { droneOnLink, telemetryCsv } from "../drone/index.js";
import { FlightOptions, resolveFlight, ResolvedFlight } from "./options.js";
import { fileStem } from "./scenarios.js";
import { FlightRecorder, newTraceSinks, type TraceSinks } from "./recorder.js";
import { OutputSet } from "./output.js";
import { programFile, toolVersion } from "./paths.js";
import { pythonAutopilot } from "./autopilots.js";
import { EPOCH_NS } from "../kernel/clock.js";
import { buildManifest, FlightManifest, spansOf } from "./manifest.js";
import type { RawColumns } from "../dataset/event-columns.js";
import { checksum, type Checksum } from "./checksum.js";
import { EpisodeLog, type Episode } from "./ground-truth/episodes.js";
import { CAUSES, SPOOF } from "./ground-truth/causes.js";
import { autopilotArgs } from "./anomalies/schedule.js";
import { labelRows, stepColumn } from "../dataset/labels.js";
import { syscallsParquet } from "../dataset/syscalls-table.js";
import { TRUTH_PHASES } from "../drone/truth-phase.js";
import type { StateReport } from "./recorder.js";
import type { SyscallColumns } from "../dataset/syscall-columns.js";

export const GUEST = {
  init: "/bin/flight-init",
  autopilot: "/bin/autopilot",
  mkdir: "/bin/mkdir",
  payload: "/bin/payload",
  hog: "/bin/hog",
  cwd: "/flight",
  port: "/dev/ttyS0",
} as const;

// The flight ran but produced no dataset (it never reached FlightEnd, the kernel stopped): exit status 1.
export class FlightFailedError extends Error {
  constructor(message: string, readonly guestOutput = "") {
    super(message);
    this.name = "FlightFailedError";
  }
}

export interface FlightFiles {
  raw: string;
  processed: string;
  syscalls: string;
  telemetry: string;
  manifest: string;
}

// The per-syscall table is not written by a flight with groundTruth off (FlightHost).
type Written<T> = Omit<T, "syscalls"> & { syscalls?: T extends FlightFiles ? string : Checksum };

export interface FlightResult {
  dir: string;              // absolute
  files: Written<FlightFiles>;       // absolute paths
  manifest: FlightManifest;
  /** Each file's size and sha256, of the bytes written (by role, as `files`). */
  checksums: Written<Record<keyof FlightFiles, Checksum>>;
  /** The raw trace's rows as columns (for the export): views, valid until the host's next flight. */
  columns: RawColumns;
}

export function fileNames(scenario: ResolvedFlight["scenario"]): FlightFiles {
  const stem = fileStem(scenario);
  return { raw: `${stem}.txt`, processed: `${stem}.processed.txt`, syscalls: `${stem}.syscalls.parquet`, telemetry: "telemetry.csv", manifest: "manifest.json" };
}

export function initArgv(f: ResolvedFlight): string[] {
  // The autopilot's seed is its sub-seed (seeds.ts), not the flight's.
  return [GUEST.init, f.scenario, String(f.seeds.autopilot), GUEST.port, `poll_hz=${f.autopilot.pollHz}`, ...autopilotArgs(f.anomalies)];
}

// What the shell anomaly's child finds to read (guest/autopilot.c's list): a few lines each, fixed.
export const GUEST_FILES: Record<string, string> = {
  "/etc/passwd": "root:x:0:0:root:/root:/bin/sh\npilot:x:1000:1000:autopilot:/home/pilot:/bin/sh\n",
  "/etc/shadow": "root:*:17897:0:99999:7:::\npilot:$6$skytrace$0123456789abcdef:17897:0:99999:7:::\n",
  "/etc/hostname": "drone\n",
  "/etc/hosts": "127.0.0.1 localhost\n127.0.1.1 drone\n",
  "/home/pilot/mission.key": "-----BEGIN KEY-----\nc2t5dHJhY2UgbWlzc2lvbiBrZXk=\n-----END KEY-----\n",
};

// The programs and files a scenario's anomaly needs in the guest (none for the others,
// whose file systems stay as they were).
function installAnomaly(k: Kernel, f: ResolvedFlight): void {
  if (f.scenario === "shell") {
    install(k, GUEST.payload, programFile("build/guest/payload"));
    for (const [path, text] of Object.entries(GUEST_FILES)) k.vfs.addFile(path, Buffer.from(text, "latin1"), path === "/etc/shadow" ? 0o640 : 0o644);
  }
  if (f.scenario === "hog") install(k, GUEST.hog, programFile("build/guest/hog"));
}

// The guest's stdout and stderr, kept (never the host's): a flight prints nothing.
function capturedStdio(): { stdio: HostStdio; text: () => string } {
  const parts: Buffer[] = [];
  return {
    stdio: { read: () => 0, write: (_fd, data) => { parts.push(Buffer.from(data)); }, kind: () => "pipe" },
    text: () => Buffer.concat(parts).toString("utf8"),
  };
}

// What a flight runs on, beside its options, for a caller that flies again
// and again (a generate worker keeps one host):
// - `machine`: a Machine to reuse (reset by the kernel before the flight)
//   instead of a new instance per flight.
// - `sinks`: the recorder's text buffers, event columns and per-syscall rows,
//   reused (made on first use). A new 5.7 MB raw buffer a flight was fresh
//   pages for the OS to fault in, and external memory that drove V8 to a full
//   GC every flight (docs/bulk.md).
// - `groundTruth: false`: no per-syscall table, no probes, no labels (the
//   table's file is not written): what a flight costs without them, for the
//   benchmark's comparison only.
export interface FlightHost {
  machine?: Machine;
  sinks?: TraceSinks;
  groundTruth?: boolean;
}

export function runFlight(options: FlightOptions, host: FlightHost = {}): FlightResult {
  const f = resolveFlight(options);
  const names = fileNames(f.scenario);
  const truth = host.groundTruth ?? true;
  const out = new OutputSet(options.outDir, [names.raw, names.processed, ...(truth ? [names.syscalls] : []), names.telemetry, names.manifest]);
  try {
    const result = fly(f, out, names, host);
    out.commit();
    return result;
  } catch (e) {
    out.abort();
    throw e;
  }
}

function fly(f: ResolvedFlight, out: OutputSet, names: FlightFiles, host: FlightHost): FlightResult {
  const { drone, device, link } = droneOnLink(f.drone, { baud: f.baud });
  let kernel: Kernel | undefined;
  const truth = host.groundTruth ?? true;
  const sinks = (host.sinks ??= newTraceSinks());
  const rec = new FlightRecorder(() => kernel!, truth ? sinks : { ...sinks, syscalls: null });
  const episodeLog = new EpisodeLog(CAUSES, () => kernel!.clock.now);
  const guestOut = capturedStdio();
  const diagnostics: string[] = [];
  const argv = initArgv(f);
  const init = programFile("build/guest/flight-init");
  const run = runProgram(
    {
      program: init.bytes,
      guestPath: GUEST.init,
      argv,
      env: [...DEFAULT_ENV, `PWD=${GUEST.cwd}`],
      cwd: GUEST.cwd,
      serial: link,
      // The Python autopilot's python3 and pyserial come read-only from the sysroot; the
      // flight's own folders hide the sysroot's.
      ...(f.sysroot === undefined ? {} : { sysroot: f.sysroot, ownDirs: ["/bin", GUEST.cwd] }),
      seed: f.seeds.kernel,
      stdio: guestOut.stdio,
      report: (l) => diagnostics.push(l),
      trace: rec.records,
      // By ELF symbol, so on the C autopilot only (docs/dataset.md: the Python flight's labels).
      probes: truth && f.program === "c" ? [episodeLog.probes(GUEST.autopilot)] : undefined,
      maxTicks: BigInt(Math.round(f.maxVirtualSeconds * 1e9)),
      machine: host.machine,
      timing: { model: f.timing, seed: f.seeds.timing },
    },
    (k) => {
      kernel = k;
      install(k, GUEST.init, init);
      install(k, GUEST.mkdir, programFile("build/guest/mkdir"));
      install(k, GUEST.autopilot, f.program === "python" ? pythonAutopilot() : programFile("build/guest/autopilot"));
      installAnomaly(k, f);
    },
  );
  const said = [guestOut.text(), ...diagnostics].filter((s) => s !== "").join("\n");
  if (run.kind !== "exited") throw new FlightFailedError(`the flight did not run: ${run.message}`, said);
  if (run.timedOut) throw new FlightFailedError(`the flight did not finish within ${f.maxVirtualSeconds} s of virtual time (--max-virtual-seconds)`, said);
  if (!rec.started) throw new FlightFailedError(`flight-init exited (status ${run.status}) without the ${"FlightBegin"} mkdir`, said);
  if (!rec.finished) throw new FlightFailedError(`flight-init exited (status ${run.status}) without completing the FlightEnd mkdir`, said);
  drone.advanceTo(rec.endNs);
  const raw = rec.rawBytes();
  const processed = rec.processedBytes();
  const telemetry = Buffer.from(telemetryCsv(drone.telemetry), "latin1");
  const truthPhases = spansOf(drone.truth.transitions.filter((t) => t.ns <= rec.endNs).map((t) => ({ state: t.phase, ns: t.ns })), rec.endNs)
    .map((s) => ({ phase: s.state, startNs: s.startNs, endNs: s.endNs }));
  // An attack on the drone's side: its windows as the drone kept them, each stretch of the schedule that began.
  for (const w of drone.spoofer?.windows(rec.endNs) ?? []) {
    episodeLog.window(SPOOF, w.startNs, w.endNs, { stretch: w.window, dxM: w.offset.x, dyM: w.offset.y });
  }
  const episodes = truth ? episodeLog.episodes(rec.beginNs, rec.endNs) : [];
  const table = rec.syscallRows ? syscallTable(rec.syscallRows, rec.stateReports, drone.truth.transitions, episodes, f.flightId, f.scenario) : null;
  const checked = { raw: checksum(raw), processed: checksum(processed), telemetry: checksum(telemetry), ...(table ? { syscalls: checksum(table) } : {}) };
  const manifest = buildManifest({
    flight: f,
    argv,
    files: names,
    recorder: rec,
    outcome: drone.outcome(),
    telemetry: drone.telemetry,
    initStatus: run.status,
    protocolErrors: device.errors,
    guestOutput: said,
    checksums: checked,
    episodes,
    truthPhases,
    loaded: run.loaded,
  });
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + "\n", "utf8");
  out.write(names.raw, raw);
  out.write(names.processed, processed);
  if (table) out.write(names.syscalls, table);
  out.write(names.telemetry, telemetry);
  out.write(names.manifest, manifestBytes);
  const abs = (n: string): string => `${out.dir}/${n}`;
  return {
    dir: out.dir,
    files: { raw: abs(names.raw), processed: abs(names.processed), ...(table ? { syscalls: abs(names.syscalls) } : {}), telemetry: abs(names.telemetry), manifest: abs(names.manifest) },
    manifest,
    checksums: { ...checked, manifest: checksum(manifestBytes) },
    columns: rec.columns(),
  };
}

// A program of the flight's own, listed with the files loaded from the sysroot (its sha256
// in the manifest). Installing over a path replaces the file (flight-init is already there).
function install(k: Kernel, guestPath: string, file: { bytes: Uint8Array; sha256: string }): void {
  k.installProgram(guestPath, file.bytes);
  k.loaded.add(guestPath, guestPath, 0o755, EPOCH_NS, file);
}

// The autopilot's reported states, as manifest phases are: "" before the first.
const PHASE_NAMES = ["", "TAKEOFF", "CRUISE", "LANDING", "LANDED", "CRASHED"];

// The per-syscall table's Parquet bytes: the rows the recorder filled, their
// phases (reported and true) and labels computed from the columns.
function syscallTable(cols: SyscallColumns, reports: readonly StateReport[], truth: ReadonlyArray<{ phase: string; ns: number }>,
  episodes: readonly Episode[], flightId: string, scenario: string): Uint8Array {
  const rows = cols.rowsView();
  const phases = [...PHASE_NAMES];
  const reported = reports.map((r) => {
    if (!phases.includes(r.state)) phases.push(r.state);
    return { ns: r.ns, index: phases.indexOf(r.state) };
  });
  stepColumn(rows, reported, 0, rows.phase);
  const truthPhases = [...TRUTH_PHASES];
  stepColumn(rows, truth.map((t) => ({ ns: t.ns, index: truthPhases.indexOf(t.phase as (typeof TRUTH_PHASES)[number]) })), 0, rows.truthPhase);
  const causes = labelRows(rows, EpisodeLog.labeled(episodes, CAUSES));
  return syscallsParquet(rows, { phases, truthPhases, causes }, flightId, scenario, `skytrace ${toolVersion()}`);
}
