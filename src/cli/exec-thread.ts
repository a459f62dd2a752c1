// The worker thread of `skytrace exec`: runs the guest program with the
// host's stdio and fills the trace file the main thread opened; posts the
// outcome. The main thread keeps the signals (run-thread.ts).
import { parentPort, workerData } from "node:worker_threads";
import { runProgram } from "../kernel/run-program.js";
import { TraceLineSink } from "../dataset/raw-writer.js";
import { threadStdio } from "./thread-stdio.js";
import type { LoadedFile } from "../kernel/fs/loaded-files.js";

export interface ExecThreadData {
  program?: Uint8Array;      // absent: the program is the sysroot's file at guestPath
  guestPath: string;
  hostPath: string;
  argv: string[];
  env?: string[];
  cwd: string;
  fsDirs?: string[];
  sysroot?: string;
  seed: bigint;
  traceFd?: number;
  strace: boolean;
}

export interface ExecThreadResult {
  kind: "exited" | "exec-error" | "panic";
  status: number;
  signal?: number;
  message?: string;
  loaded: LoadedFile[];
}

const d = workerData as ExecThreadData;
const stdio = threadStdio();
const toStderr = (line: string): void => { stdio.write(2, Buffer.from(line + "\n")); };
const trace = d.traceFd === undefined ? undefined : new TraceLineSink(d.traceFd);
const out = runProgram({
  program: d.program,
  guestPath: d.guestPath,
  hostPath: d.program ? d.hostPath : undefined,
  argv: d.argv,
  env: d.env,
  cwd: d.cwd,
  fsDirs: d.fsDirs,
  sysroot: d.sysroot,
  seed: d.seed,
  stdio,
  report: toStderr,
  traceLines: trace ? (line) => trace.writeLine(line) : undefined,
  strace: d.strace ? toStderr : undefined,
});
trace?.flush();
const result: ExecThreadResult = out.kind === "exited"
  ? { kind: out.kind, status: out.status, signal: out.signal, message: out.message, loaded: out.loaded }
  : { kind: out.kind, status: out.status, message: out.message, loaded: out.loaded };
parentPort!.postMessage(result);
