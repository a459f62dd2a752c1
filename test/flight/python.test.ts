// Flights flown by guest/autopilot.py (`--autopilot python`): the host's Debian python3 and
// pyserial, read-only through the sysroot /, one flight of every scenario. Each must do what
// its scenario is meant to (as the C autopilot's), with pyserial's pattern in the trace (a
// select on the port, then a one-byte read, per byte of every reply), the interpreter's
// process named as Linux names a #! script's, every file it loaded listed with the host file's
// sha256, and no cause labels (the probes are on the C autopilot's symbols: docs/dataset.md).
import { afterAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fly, checkFiles, count, phase, removeTempDirs, type Flown } from "./helpers.js";
import { pythonMissing } from "../../src/flight/autopilots.js";
import { resolveFlight, type FlightOptions, type Scenario } from "../../src/flight/index.js";
import { autopilotArgs } from "../../src/flight/anomalies/schedule.js";

const why = pythonMissing("/");
if (why) console.log(`python autopilot flights: skipped: ${why}`);
const PYTHON_IMAGE = existsSync("/usr/bin/python3") ? realpathSync("/usr/bin/python3") : "";

afterAll(removeTempDirs);

// Fewer polls a second than drawn: a Python flight costs ~10x a C one in instructions; the
// scenarios' behaviour does not depend on it. busydelay's bits are drawn (25-26: 18-19 in Python).
const flyPython = (scenario: Scenario, seed: number, anomaly?: FlightOptions["anomaly"]): Flown =>
  fly(scenario, seed, undefined, { program: "python", autopilot: { pollHz: 25 }, timing: "ideal", ...(anomaly ? { anomaly } : {}) });

// A schedule pinned to two stretches of 10 polls, 5 polls into the window and 5 apart: well inside every flight.
const TWO_STRETCHES = { episodes: 2, onset: 5, gap: 5, duration: 10 };

// The calls of the processes that ran `program` (their images' pids), by syscall name.
function childCalls(f: Flown, program: string): string[] {
  const pids = new Set(f.manifest.processes.filter((p) => p.program === program).map((p) => p.pid));
  const t = f.table;
  return [...Array(t.n).keys()].filter((i) => pids.has(t.pid[i])).map((i) => t.name[i]);
}

function checkPython(f: Flown, scenario: Scenario): void {
  checkFiles(f, scenario, PYTHON_IMAGE);
  const m = f.manifest;
  expect(m.options.autopilot.program).toBe("python");
  // The autopilot's process: comm is the script's name, its image the interpreter.
  const t = f.table;
  const pilot = [...Array(t.n).keys()].filter((i) => t.comm[i] === "autopilot");
  expect(pilot.length).toBeGreaterThan(1000);
  // pyserial's readline: one select (glibc's select is pselect6) and one one-byte read per byte.
  const reads = pilot.filter((i) => t.name[i] === "read" && Number(t.args[2][i]) === 1);
  const selects = pilot.filter((i) => t.name[i] === "pselect6");
  expect(reads.length).toBeGreaterThan(1000);
  expect(selects.length).toBeGreaterThanOrEqual(reads.length);
  expect(selects.length - reads.length).toBeLessThan(reads.length / 50);
  // The same schedule arguments as the C autopilot's.
  expect(m.options.guest.argv.slice(5)).toEqual(autopilotArgs(m.anomalies));
  // No cause labels of the autopilot's anomalies: no probe watches the Python autopilot (spoof's
  // windows are the drone's, labeled as for C).
  expect(m.episodes.filter((e) => e.cause !== "spoof")).toEqual([]);
  // The manifest says so.
  expect(m.unlabeled?.causes).toEqual(["factoring", "udp", "shell", "hog"]);
  if (scenario !== "spoof") expect(t.label.every((l) => l === 0)).toBe(true);
  // Loaded from outside: the flight's programs, the interpreter, the script's pyserial; each
  // with the host file's bytes' sha256.
  const paths = m.loaded.map((l) => l.path);
  expect(paths).toEqual(expect.arrayContaining(["/bin/autopilot", "/bin/flight-init", "/bin/mkdir", PYTHON_IMAGE]));
  // pyserial, from its cached bytecode (the sysroot's mtimes make it fresh, as natively).
  expect(paths.some((p) => /\/serial\/(__pycache__\/)?serialposix\.(cpython-\d+\.pyc|py)$/.test(p)), paths.join(" ")).toBe(true);
  expect(paths.some((p) => /\/libc\.so\.6$/.test(p))).toBe(true);
  for (const l of m.loaded.filter((x) => !x.path.startsWith("/bin/"))) {
    expect(createHash("sha256").update(readFileSync(l.path)).digest("hex"), l.path).toBe(l.sha256);
  }
  const script = m.loaded.find((l) => l.path === "/bin/autopilot")!;
  expect(script.sha256).toBe(createHash("sha256").update(readFileSync(new URL("../../guest/autopilot.py", import.meta.url))).digest("hex"));
}

describe("--autopilot python's input", () => {
  it("names what the sysroot lacks, and --sysroot without the Python autopilot", () => {
    const empty = mkdtempSync(path.join(tmpdir(), "empty-sysroot-"));
    try {
      expect(() => resolveFlight({ scenario: "normal", seed: 1, outDir: "x", program: "python", sysroot: empty }))
        .toThrow(`--autopilot python needs Debian's python3 and python3-serial in the sysroot (${empty}): /usr/bin/python3 is missing (apt-get install python3)`);
      expect(() => resolveFlight({ scenario: "normal", seed: 1, outDir: "x", sysroot: empty })).toThrow("--sysroot is for --autopilot python");
      expect(() => resolveFlight({ scenario: "normal", seed: 1, outDir: "x", program: "perl" })).toThrow('bad autopilot "perl": use c or python');
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});

// Both autopilots run natively on arguments they must refuse before opening the port: the same
// line on stderr (the usage line names its program) and status 1.
describe.skipIf(why !== null)("autopilot.py's arguments, beside autopilot.c's", () => {
  const nine = Array(9).fill("anomaly=1:2:25:5:0:0");
  const cases: string[][] = [
    ["dance"], ["normal", "x"], ["normal", "1", "/dev/null", "busy_bits=26"], ["normal", "1", "/dev/null", "anomaly_phase=UP"],
    ["shell", "1", "/dev/null", "anomaly=1:2:3"], ["shell", "1", "/dev/null", "anomaly=1:2:3:4:5:-6"], ["busydelay", "1", "/dev/null", "anomaly=0:0:25:5:0:0"],
    ["busydelay", "1", "/dev/null", ...nine], ["busydelay", "1", "/dev/null", "anomaly=0:5:32:5:0:0"], ["hog", "1", "/dev/null", "anomaly=0:5:65:100:0:0"],
    ["sockets", "1", "/dev/null", "anomaly=0:5:100:8:65000:1000"], ["shell", "1", "/dev/null", "anomaly=0:5:0:1:0:0"], ["normal", "1", "/dev/null", "poll_hz=0"],
  ];
  it.each(cases)("%s …: the same refusal", (...args: string[]) => {
    const c = spawnSync(new URL("../../build/guest/autopilot", import.meta.url).pathname, args, { encoding: "utf8" });
    const py = spawnSync("/usr/bin/python3", [new URL("../../guest/autopilot.py", import.meta.url).pathname, ...args], { encoding: "utf8" });
    expect(c.status).toBe(1);
    expect(py.status).toBe(1);
    expect(py.stderr.replace("autopilot.py", "autopilot")).toBe(c.stderr);
  });
});

describe.skipIf(why !== null)("skytrace fly --autopilot python", () => {
  it("normal: reaches the destination and lands; the same bytes when flown again", () => {
    const f = flyPython("normal", 1);
    checkPython(f, "normal");
    expect(f.manifest.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false, autopilotExitStatus: 0 });
    expect(f.manifest.phases.map((p) => p.state)).toEqual(["TAKEOFF", "CRUISE", "LANDING", "LANDED"]);
    const again = flyPython("normal", 1);
    expect(again.text.raw === f.text.raw).toBe(true);
    expect(again.text.manifest).toBe(f.text.manifest);
  });

  it("sockets: lands; its datagrams (socket, sendto, close) only while cruising", () => {
    const f = flyPython("sockets", 2);
    checkPython(f, "sockets");
    expect(f.manifest.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false });
    const cruise = phase(f, "CRUISE");
    expect(count(f, "sendto")).toBeGreaterThan(2);
    for (const e of f.raw) {
      if (e.kind === "SYSCALL" && [41, 44].includes(Number(e.regs[0]))) {
        expect(Number(e.ts)).toBeGreaterThan(cruise.startNs);
        expect(Number(e.ts)).toBeLessThan(cruise.endNs);
      }
    }
  });

  it("busydelay: its stalls crash the drone short of the destination", () => {
    const f = flyPython("busydelay", 3);
    checkPython(f, "busydelay");
    expect(f.manifest.anomalies!.stretches.length).toBeGreaterThan(0);
    expect(f.manifest.outcome).toMatchObject({ reachedDestination: false, crashed: true, autopilotExitStatus: 3 });
  });

  it("sockets, pinned: a datagram of the stretch's size on every poll of its stretches, none elsewhere", () => {
    const f = flyPython("sockets", 4, { ...TWO_STRETCHES, params: { ratePermille: 1000, bytes: 100 } });
    checkPython(f, "sockets");
    const t = f.table;
    const sends = [...Array(t.n).keys()].filter((i) => t.name[i] === "sendto");
    expect(sends.length).toBe(20);
    for (const i of sends) expect(Number(t.args[2][i])).toBe(100);
  });

  it("shell, pinned: a payload child every 5 polls of each stretch, its files read, waited for", () => {
    const f = flyPython("shell", 5, { ...TWO_STRETCHES, params: { every: 5, files: 2 } });
    checkPython(f, "shell");
    expect(f.manifest.outcome).toMatchObject({ reachedDestination: true, landed: true });
    // Polls 0 and 5 of each stretch: four children, each exec'ing /bin/payload, which opens its two files.
    expect(f.manifest.processes.filter((p) => p.program === "/bin/payload").length).toBe(4);
    const calls = childCalls(f, "/bin/payload");
    expect(calls.filter((c) => c === "exit_group").length).toBe(4);
    expect(calls.filter((c) => c === "open" || c === "openat").length).toBe(8);
    expect(count(f, "wait4")).toBeGreaterThanOrEqual(4);
  });

  it("hog, pinned: one hog child per stretch, killed and waited for at its end", () => {
    const f = flyPython("hog", 6, { ...TWO_STRETCHES, params: { mib: 1, dutyPermille: 300 } });
    checkPython(f, "hog");
    expect(f.manifest.outcome).toMatchObject({ reachedDestination: true, landed: true });
    expect(f.manifest.processes.filter((p) => p.program === "/bin/hog").length).toBe(2);
    expect(count(f, "kill")).toBe(2);
    expect(childCalls(f, "/bin/hog")).toContain("mmap");
  });

  it("spoof: flies as normal and lands; the drone's windows labeled as for C", () => {
    const f = flyPython("spoof", 7);
    checkPython(f, "spoof");
    expect(f.manifest.outcome).toMatchObject({ landed: true, crashed: false });
    expect(f.manifest.episodes.length).toBeGreaterThan(0);
    expect(f.manifest.episodes.length).toBeLessThanOrEqual(f.manifest.anomalies!.stretches.length);
    expect(f.manifest.episodes.every((e) => e.cause === "spoof")).toBe(true);
  });
});
