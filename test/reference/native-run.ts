// Runs a program natively under strace, the reference for the emulator:
// stdout and stderr bytes, the exit status (128+signal when a signal killed
// it, as a shell and `skytrace exec` report it), and each process's syscall
// names (see strace-parse.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import path from "node:path";
import { parseStrace, type NativeProcess } from "./strace-parse.js";

export interface RunResult {
  stdout: Buffer;
  stderr: Buffer;
  status: number;
}
export interface NativeRun extends RunResult {
  processes: NativeProcess[];
}

// glibc picks FMA/AVX2 variants of libm and string functions from CPUID. The
// emulated CPU is x86-64-v2 (SSE4.2, POPCNT, no AVX), so the native reference
// is made to choose the same code paths: libm's FMA versions round differently
// in the last bit. (Tunables are read by static binaries too.)
export const NATIVE_ENV: Record<string, string> = {
  GLIBC_TUNABLES: "glibc.cpu.hwcaps=-AVX,-AVX2,-FMA,-FMA4,-AVX512F,-AVX512VL,-AVX512BW,-BMI1,-BMI2,-LZCNT,-MOVBE,-ERMS,-FSRM",
  PATH: "/usr/bin:/bin",
  LANG: "C",
};

export function statusOf(r: { status: number | null; signal: NodeJS.Signals | null }): number {
  if (r.status !== null) return r.status;
  if (r.signal) return 128 + constants.signals[r.signal];
  throw new Error("process ended with neither a status nor a signal");
}

export function hasStrace(): boolean {
  return spawnSync("strace", ["-V"]).status === 0;
}

export function runNative(program: string, args: string[], opts: { stdin?: Buffer | string; cwd?: string; timeoutMs?: number } = {}): NativeRun {
  const work = mkdtempSync(path.join(tmpdir(), "native-"));
  const traceFile = path.join(work, "strace.txt");
  const cwd = opts.cwd ?? path.join(work);
  try {
    const r = spawnSync("strace", ["-f", "-qq", "-e", "signal=none", "-o", traceFile, "--", program, ...args], {
      cwd,
      env: NATIVE_ENV,
      input: opts.stdin ?? "",
      timeout: opts.timeoutMs ?? 60_000,
      maxBuffer: 1 << 28,
    });
    if (r.error) throw r.error;
    return {
      stdout: r.stdout,
      stderr: r.stderr,
      status: statusOf(r),
      processes: parseStrace(readFileSync(traceFile, "utf8")),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
