// Running a distribution's dynamically linked program both ways for dynamic.test.ts: natively
// under `setarch -R strace -f` (address randomization off, as in the guest) and under
// `skytrace exec --sysroot /`, with one environment for both. The environment is the native
// reference's (NATIVE_ENV) plus what keeps both runs on the same path: HOME (else glibc asks
// the passwd database, through an nscd socket, where Python looks for the user's site folder),
// PYTHONHASHSEED=0 (else each native run hashes, allocates and so calls brk differently), and
// PWD (exec sets it in the guest).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NATIVE_ENV, statusOf, type NativeRun } from "../reference/native-run.js";
import { parseStrace } from "../reference/strace-parse.js";
import { parseRawText } from "../dataset/trace-text.js";
import { runSkytrace, type EmulatedRun } from "./emulated-run.js";
import { KERNEL_DIRS } from "../../src/kernel/fs/host-import.js";

export const DYNAMIC_ENV: Record<string, string> = { ...NATIVE_ENV, HOME: "/root", PYTHONHASHSEED: "0" };

export function runNativeDynamic(program: string, args: string[], cwd: string): NativeRun {
  const work = mkdtempSync(path.join(tmpdir(), "native-dyn-"));
  const log = path.join(work, "strace.txt");
  try {
    const r = spawnSync("setarch", ["-R", "strace", "-f", "-qq", "-e", "signal=none", "-o", log, "--", program, ...args], {
      cwd, env: { ...DYNAMIC_ENV, PWD: cwd }, input: "", timeout: 60_000, maxBuffer: 1 << 28,
    });
    if (r.error) throw r.error;
    return { stdout: r.stdout, stderr: r.stderr, status: statusOf(r), processes: parseStrace(readFileSync(log, "utf8")) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function runEmulatedDynamic(program: string, args: string[], cwd: string): EmulatedRun {
  const work = mkdtempSync(path.join(tmpdir(), "emulated-dyn-"));
  const traceFile = path.join(work, "trace.txt");
  try {
    const env = Object.entries(DYNAMIC_ENV).flatMap(([k, v]) => ["--env", `${k}=${v}`]);
    // A checkout under the host's /tmp (CI's clones often are) puts cwd inside the guest's own /tmp,
    // which hides the sysroot's: import the folder there, as a user would with --fs.
    const hidden = KERNEL_DIRS.some((d) => cwd === d || cwd.startsWith(d + "/"));
    const fs = hidden ? ["--fs", cwd] : [];
    const r = runSkytrace(["exec", "--sysroot", "/", ...fs, ...env, "--trace", traceFile, program, ...args], { cwd });
    const events = existsSync(traceFile) ? parseRawText(readFileSync(traceFile, "latin1"), traceFile) : [];
    return { ...r, events };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export const hasSetarch = (): boolean => spawnSync("setarch", ["-R", "true"]).status === 0;
