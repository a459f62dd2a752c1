// Shared helpers for kernel tests: building guest programs with the host's gcc
// and running them in-process with captured stdio.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runProgram, ProgramSpec, ProgramOutcome } from "../../src/kernel/run-program.js";
import type { HostStdio } from "../../src/kernel/fs/devices.js";
import { recordsSink, type TraceRecord } from "./trace-records.js";

export const tmp = (): string => mkdtempSync(path.join(tmpdir(), "skytrace-kernel-"));

// gcc a C or assembly source into a static executable; returns its path.
export function build(dir: string, name: string, source: string, kind: "c" | "S", flags: string[] = []): string {
  const src = path.join(dir, `${name}.${kind}`);
  writeFileSync(src, source);
  const out = path.join(dir, name);
  const args = kind === "S" ? ["-nostdlib", "-static", "-o", out, src, ...flags] : ["-O2", "-static", "-o", out, src, ...flags, "-lm"];
  const r = spawnSync("gcc", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc failed for ${name}: ${r.stderr}`);
  return out;
}

export class CapturedStdio implements HostStdio {
  out: number[] = [];
  err: number[] = [];
  private inPos = 0;
  constructor(private input: Uint8Array = new Uint8Array(0)) {}
  read(buf: Uint8Array): number {
    const n = Math.min(buf.length, this.input.length - this.inPos);
    buf.set(this.input.subarray(this.inPos, this.inPos + n));
    this.inPos += n;
    return n;
  }
  write(fd: 1 | 2, data: Uint8Array): void { (fd === 1 ? this.out : this.err).push(...data); }
  kind(): "pipe" { return "pipe"; }
  get stdout(): string { return Buffer.from(this.out).toString("latin1"); }
  get stderr(): string { return Buffer.from(this.err).toString("latin1"); }
}

export interface GuestRun {
  outcome: ProgramOutcome;
  stdout: string;
  stderr: string;
  reports: string[];
  strace: string[];
  trace: TraceRecord[];
}

export function runGuest(file: string, args: string[] = [], opts: Partial<ProgramSpec> & { stdin?: string; cwd?: string } = {}): GuestRun {
  const stdio = new CapturedStdio(Buffer.from(opts.stdin ?? ""));
  const reports: string[] = [];
  const strace: string[] = [];
  const trace: TraceRecord[] = [];
  const outcome = runProgram({
    program: new Uint8Array(readFileSync(file)),
    guestPath: path.resolve(file),
    argv: [file, ...args],
    cwd: opts.cwd ?? path.dirname(path.resolve(file)),
    stdio,
    report: (l) => reports.push(l),
    strace: (l) => strace.push(l),
    trace: opts.trace ?? recordsSink(trace),
    ...opts,
  });
  return { outcome, stdout: stdio.stdout, stderr: stdio.stderr, reports, strace, trace };
}

export function native(file: string, args: string[] = [], cwd?: string, stdin = ""): { stdout: string; status: number } {
  const r = spawnSync(file, args, { cwd, input: stdin, encoding: "latin1" });
  return { stdout: r.stdout, status: r.status ?? 128 + (r.signal ? ({ SIGABRT: 6, SIGSEGV: 11, SIGTERM: 15, SIGILL: 4, SIGFPE: 8 } as Record<string, number>)[r.signal] ?? 0 : 0) };
}

export function statusOf(o: ProgramOutcome): number {
  return o.status;
}

// Capability probe: does the core run a static glibc hello world?
let probe: boolean | undefined;
export function coreRunsGlibc(): boolean {
  if (probe !== undefined) return probe;
  try {
    const d = tmp();
    const exe = build(d, "probe", '#include <stdio.h>\nint main(void){printf("ok %d\\n", 42);return 0;}\n', "c");
    const r = runGuest(exe);
    probe = r.outcome.kind === "exited" && r.outcome.status === 0 && r.stdout === "ok 42\n";
  } catch { probe = false; }
  return probe;
}
