// Running one program from start to exit: the entry point that the `exec`
// command, the tests and the flight share.
import path from "node:path";
import { Kernel, KernelOptions, RunResult, KernelPanic } from "./kernel.js";
import { ExecError } from "./elf/parse.js";
import { importHostDir } from "./fs/host-import.js";
import { byteString } from "./fs/host-tree.js";
import { createHash } from "node:crypto";
import { EPOCH_NS } from "./clock.js";
import type { LoadedFile } from "./fs/loaded-files.js";

export interface ProgramSpec extends KernelOptions {
  // The ELF file's bytes, placed in the guest at guestPath. Without them the program is the
  // file already at guestPath in the guest's tree (a sysroot's, e.g. /usr/bin/python3).
  program?: Uint8Array;
  guestPath: string;         // where it lives in the guest (absolute)
  hostPath?: string;         // where `program` came from on the host (for the loaded-files list)
  argv: string[];
  env?: string[];
  cwd?: string;              // guest working directory (created if missing)
  fsDirs?: string[];         // host folders imported read-only at their absolute paths
  ownDirs?: string[];        // folders the kernel holds itself, empty, over the sysroot's (a flight's /bin)
  maxTicks?: bigint;
}

// How the run ended, and every file it loaded from the host (fs/loaded-files.ts).
export type ProgramOutcome = (
  | ({ kind: "exited" } & RunResult)
  | { kind: "exec-error"; message: string; status: number }
  | { kind: "panic"; message: string; status: number; ticks: bigint }
) & { loaded: LoadedFile[] };

import { DEFAULT_ENV } from "./default-env.js";
export { DEFAULT_ENV };

// Paths, argv and environment are text here (UTF-8 for the guest); inside the kernel every
// string is bytes, one char per byte, as the guest's own arguments are read.
export function runProgram(spec: ProgramSpec, onKernel?: (k: Kernel) => void): ProgramOutcome {
  const k = new Kernel(spec);
  for (const d of spec.fsDirs ?? []) importHostDir(k.vfs, k.hostTree, d);
  for (const d of spec.ownDirs ?? []) k.vfs.shadow(byteString(d));
  const guestPath = byteString(spec.guestPath);
  if (spec.program) {
    k.installProgram(guestPath, spec.program);
    if (spec.hostPath !== undefined) {
      const sha256 = createHash("sha256").update(spec.program).digest("hex");
      k.loaded.add(guestPath, byteString(spec.hostPath), 0o755, EPOCH_NS, { bytes: spec.program, sha256 });
    }
  }
  const cwd = byteString(spec.cwd ?? path.posix.dirname(spec.guestPath));
  const dir = k.vfs.mkdirp(cwd);
  onKernel?.(k);
  const loaded = () => k.loaded.list();
  try {
    const env = spec.env ?? [...DEFAULT_ENV, `PWD=${spec.cwd ?? path.posix.dirname(spec.guestPath)}`];
    k.spawn(guestPath, spec.argv.map(byteString), env.map(byteString), dir);
  } catch (e) {
    if (e instanceof ExecError) return { kind: "exec-error", message: e.message, status: 126, loaded: loaded() };
    throw e;
  }
  try {
    return { kind: "exited", ...k.run(spec.maxTicks), loaded: loaded() };
  } catch (e) {
    if (e instanceof KernelPanic) return { kind: "panic", message: e.message, status: 125, ticks: k.clock.nowBig, loaded: loaded() };
    throw e;
  }
}
