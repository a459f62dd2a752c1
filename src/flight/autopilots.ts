// The autopilots a flight can fly with: the C one (guest/autopilot.c, a static program built
// by `npm install`) and the Python one (guest/autopilot.py, the seed's own kind: pyserial on
// the host's Python 3, read-only through a sysroot). Both take the same arguments, speak the
// same protocol and fly the same scenarios; flight-init runs either as /bin/autopilot (the
// Python one is a #! script there).
import { existsSync } from "node:fs";
import path from "node:path";
import { programFile } from "./paths.js";

export const AUTOPILOTS = ["c", "python"] as const;
export type AutopilotProgram = (typeof AUTOPILOTS)[number];
export const DEFAULT_AUTOPILOT_PROGRAM: AutopilotProgram = "c";
export const DEFAULT_SYSROOT = "/";

export const isAutopilotProgram = (s: unknown): s is AutopilotProgram => typeof s === "string" && (AUTOPILOTS as readonly string[]).includes(s);

// busydelay's prime size for the Python autopilot: its trial division costs a little more than
// 2^7 times the C one's instructions per candidate (bench/autopilot-compare.ts measures both), so
// guest/autopilot.py factors primes of the schedule's bits minus 7 (at least 8), stalls of the same
// size as the C autopilot's (a little longer, docs/dataset.md). It takes the same anomaly= arguments; the subtraction is its own.
export const PYTHON_BITS_LESS = 7;

// What the Python autopilot needs in the sysroot: Debian's python3 and python3-serial.
export const PYTHON = "/usr/bin/python3";
const PYSERIAL = "/usr/lib/python3/dist-packages/serial/__init__.py";

/** Why the Python autopilot cannot fly from `sysroot`, or null when it can. */
export function pythonMissing(sysroot: string): string | null {
  for (const [file, pkg] of [[PYTHON, "python3"], [PYSERIAL, "python3-serial"]] as const) {
    if (!existsSync(path.join(sysroot, file))) {
      return `--autopilot python needs Debian's python3 and python3-serial in the sysroot (${sysroot}): ${file} is missing (apt-get install ${pkg})`;
    }
  }
  return null;
}

/** guest/autopilot.py: a #! script for the sysroot's python3. */
export const pythonAutopilot = (): { bytes: Uint8Array; sha256: string } => programFile("guest/autopilot.py");
