// The worker thread of `skytrace exec`: runs the guest program with the
// host's stdio and fills the trace file the main thread opened; posts the
// outcome. The main thread keeps the signals (run-thread.ts).
import { parentPort, workerData } from "node:worker_threads";
import { runProgram } from "../kernel/run-program.js";
import { RawFileSink } from "../dataset/raw-writer.js";
import { threadStdio } from "./thread-stdio.js";
import type { LoadedFile } from "../kernel/fs/loaded-files.js";
import { deriveKey, SEED_TAGS } from "../flight/seeds.js";
import { setJitDefault, tallyToFile } from "../machine/jit/default.js";

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
  timing: "ideal" | "realistic";
  traceFd?: number;
  strace: boolean;
  jit: boolean;            // the second tier on (jit/default.ts: the flag, else the environment)
}

export interface ExecThreadResult {
  kind: "exited" | "exec-error" | "panic";
  status: number;
  signal?: number;
  message?: string;
  loaded: LoadedFile[];
}

const d = workerData as ExecThreadData;
setJitDefault(d.jit);
const writeTally = tallyToFile();
const stdio = threadStdio();
const toStderr = (line: string): void => { stdio.write(2, Buffer.from(line + "\n")); };
const trace = d.traceFd === undefined ? undefined : new RawFileSink(d.traceFd);
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
  // The timing model's own seed, derived from --seed as a flight's is (its stream apart from the kernel's entropy).
  timing: { model: d.timing, seed: Number(deriveKey(d.seed, SEED_TAGS.timing) & 0xffff_ffffn) },
  stdio,
  report: toStderr,
  trace: trace?.sink,
  strace: d.strace ? toStderr : undefined,
});
trace?.flush();
writeTally();
const result: ExecThreadResult = out.kind === "exited"
  ? { kind: out.kind, status: out.status, signal: out.signal, message: out.message, loaded: out.loaded }
  : { kind: out.kind, status: out.status, message: out.message, loaded: out.loaded };
parentPort!.postMessage(result);
