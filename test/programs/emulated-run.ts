// Runs a program under `skytrace exec --trace` (the built CLI) and reads the
// raw trace back strictly: stdout/stderr bytes, exit status, and the trace's
// SYSCALL events grouped into processes (see processes.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { RawEvent } from "../../src/dataset/raw-reader.js";
import { parseRawText } from "../dataset/trace-text.js";
import { statusOf, type RunResult } from "../reference/native-run.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "bin/skytrace.js");
export const GUEST_TESTS = path.join(ROOT, "build/guest/tests");

export interface EmulatedRun extends RunResult {
  events: RawEvent[];
}

/** `skytrace exec [extra] PROGRAM ARGS`, without a trace. */
export function runSkytrace(args: string[], opts: { stdin?: Buffer | string; timeoutMs?: number; cwd?: string } = {}): RunResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: opts.stdin ?? "",
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 1 << 28,
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: statusOf(r) };
}

export function runEmulated(program: string, args: string[], opts: { stdin?: Buffer | string; timeoutMs?: number } = {}): EmulatedRun {
  const work = mkdtempSync(path.join(tmpdir(), "emulated-"));
  const traceFile = path.join(work, "trace.txt");
  try {
    const r = runSkytrace(["exec", "--trace", traceFile, program, ...args], { ...opts, cwd: work });
    const events = existsSync(traceFile) ? parseRawText(readFileSync(traceFile, "latin1"), traceFile) : [];
    return { ...r, events };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function runsWithOutput(program: string, expected: string): boolean {
  try {
    const r = runSkytrace(["exec", path.join(GUEST_TESTS, program)], { timeoutMs: 60_000 });
    return r.status === 0 && r.stdout.toString("latin1") === expected;
  } catch {
    return false;
  }
}

let probed: boolean | undefined;
/**
 * Whether `skytrace exec` really runs a static program yet: it tries the
 * hello guest and checks its output. Tests that need the emulator are skipped
 * until this holds, so main stays green while the machine is being built.
 */
export function emulatorRunsHello(): boolean {
  if (probed === undefined) probed = runsWithOutput("hello", "hello, world\n");
  return probed;
}

let probedX87: boolean | undefined;
/** Whether the core runs x87 code yet (glibc's printf of a double needs fnstcw). */
export function emulatorRunsX87(): boolean {
  if (probedX87 === undefined) probedX87 = emulatorRunsHello() && runsWithOutput("probe_x87", "1.5\n");
  return probedX87;
}
