// Running one static program from start to exit: the entry point that the
// `exec` command, the tests and the flight share.
import path from "node:path";
import { Kernel, KernelOptions, RunResult, KernelPanic } from "./kernel.js";
import { ExecError } from "./elf/parse.js";
import { importHostDir } from "./fs/host-import.js";

export interface ProgramSpec extends KernelOptions {
  program: Uint8Array;       // the ELF file's bytes
  guestPath: string;         // where it lives in the guest (absolute)
  argv: string[];
  env?: string[];
  cwd?: string;              // guest working directory (created if missing)
  fsDirs?: string[];         // host folders imported read-only at their absolute paths
  maxTicks?: bigint;
}

export type ProgramOutcome =
  | ({ kind: "exited" } & RunResult)
  | { kind: "exec-error"; message: string; status: number }
  | { kind: "panic"; message: string; status: number; ticks: bigint };

import { DEFAULT_ENV } from "./default-env.js";
export { DEFAULT_ENV };

export function runProgram(spec: ProgramSpec, onKernel?: (k: Kernel) => void): ProgramOutcome {
  const k = new Kernel(spec);
  for (const d of spec.fsDirs ?? []) importHostDir(k.vfs, d);
  k.installProgram(spec.guestPath, spec.program);
  const cwd = spec.cwd ?? path.posix.dirname(spec.guestPath);
  const dir = k.vfs.mkdirp(cwd);
  onKernel?.(k);
  try {
    const p = k.spawn(spec.guestPath, spec.argv, spec.env ?? [...DEFAULT_ENV, `PWD=${cwd}`], dir);
    void p;
  } catch (e) {
    if (e instanceof ExecError) return { kind: "exec-error", message: e.message, status: 126 };
    throw e;
  }
  try {
    return { kind: "exited", ...k.run(spec.maxTicks) };
  } catch (e) {
    if (e instanceof KernelPanic) return { kind: "panic", message: e.message, status: 125, ticks: k.clock.nowBig };
    throw e;
  }
}
