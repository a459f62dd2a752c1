// Flights flown by guest/autopilot.py (`--autopilot python`): the host's Debian python3 and
// pyserial, read-only through the sysroot /, one flight of every scenario. Each must do what
// its scenario is meant to (as the C autopilot's), with pyserial's pattern in the trace (a
// select on the port, then a one-byte read, per byte of every reply), the interpreter's
// process named as Linux names a #! script's, every file it loaded listed with the host file's
// sha256, and no cause labels (the probes are on the C autopilot's symbols: docs/dataset.md).
import { afterAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fly, checkFiles, count, phase, removeTempDirs, type Flown } from "./helpers.js";
import { pythonMissing } from "../../src/flight/autopilots.js";
import { resolveFlight, type Scenario } from "../../src/flight/index.js";

const why = pythonMissing("/");
if (why) console.log(`python autopilot flights: skipped: ${why}`);
const PYTHON_IMAGE = existsSync("/usr/bin/python3") ? realpathSync("/usr/bin/python3") : "";

afterAll(removeTempDirs);

// Fewer polls a second than drawn and small primes for busydelay: a Python flight costs ~10x a
// C one in instructions; the scenarios' behaviour does not depend on either.
const flyPython = (scenario: Scenario, seed: number): Flown =>
  fly(scenario, seed, undefined, { program: "python", autopilot: { pollHz: 25, busyBits: 18 }, timing: "ideal" });

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
  // No cause labels: no probe watches the Python autopilot.
  expect(m.episodes).toEqual([]);
  expect(t.label.every((l) => l === 0)).toBe(true);
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
    expect(f.manifest.outcome).toMatchObject({ reachedDestination: false, crashed: true, autopilotExitStatus: 3 });
  });
});
