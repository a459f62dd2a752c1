// `skytrace exec [options] [--] PROGRAM [ARGS…]`: run an x86-64 Linux program
// in the emulator (static, or dynamically linked with --sysroot), with its
// stdin/stdout/stderr passed through.
// skytrace's options come before PROGRAM; PROGRAM and everything after it are
// the guest's argv, untouched (main.ts splits them off before yargs parses).
import type { CommandModule, Options } from "yargs";
import * as fs from "node:fs";
import path from "node:path";
import { DEFAULT_ENV } from "../kernel/default-env.js";
import { RawTraceFile } from "../dataset/raw-writer.js";
import { FolderError, fsReason } from "../host-fs/make-folders.js";
import { signalName } from "../kernel/signal/signals.js";
import { numberOption } from "./number-option.js";
import { timingOption } from "./timing-option.js";
import { JIT_OPTION, useJitFlag } from "./jit-option.js";
import { jitDefault } from "../machine/jit/default.js";
import { catchInterrupts, type Interrupt } from "./interrupt.js";
import { runThread } from "./run-thread.js";
import { prepareHostStdin } from "./thread-stdio.js";
import type { ExecThreadData, ExecThreadResult } from "./exec-thread.js";
import { KERNEL_DIRS } from "../kernel/fs/host-import.js";
import { hiddenCwdNotice } from "./cwd-notice.js";

/** PROGRAM and its arguments, as split off the command line by main.ts (splitExecArgv). */
export interface GuestCommandLine {
  program?: string;
  args: string[];
}

interface ExecArgs {
  guest?: GuestCommandLine;
  trace?: string;
  strace?: boolean;
  jit?: boolean;
  fs?: string[] | string;
  sysroot?: string[] | string;
  loaded?: string[] | string;
  seed: bigint;
  env?: string[] | string;
  timing: string;
}

// skytrace's own options for exec; the split in main.ts asks which take a value.
export const EXEC_OPTIONS: Record<string, Options> = {
  trace: { type: "string", requiresArg: true, describe: "write every SYSCALL/SYSRET to FILE in the dataset's raw format (ts in virtual ns); its folder is made if missing" },
  strace: { type: "boolean", default: false, describe: "print each syscall, its arguments and result to stderr, as strace does" },
  jit: JIT_OPTION,
  fs: { type: "string", requiresArg: true, describe: "import host folder DIR read-only into the guest at the same path (repeatable)" },
  sysroot: { type: "string", requiresArg: true, describe: "show host folder DIR read-only as the guest's / (the kernel's /dev, /proc, /sys and /tmp stay its own): dynamically linked programs find their loader and libraries there; --sysroot / runs this machine's programs" },
  loaded: { type: "string", requiresArg: true, describe: "write to FILE (JSON) every file the guest loaded from the host (the program, sysroot and --fs files it read, mapped or ran): path, size, mode, mtime, sha256" },
  seed: numberOption("seed", "seed for AT_RANDOM, getrandom and /dev/urandom", { kind: "uint64", min: 0, max: 2n ** 64n - 1n }, { default: 0 }),
  env: { type: "string", requiresArg: true, describe: `guest environment entry NAME=VALUE (repeatable; default: ${DEFAULT_ENV.join(" ")} PWD=<cwd>)` },
  timing: timingOption("the clock: ideal (the default here: 1 instruction = 1 ns and 200 ns per syscall, so a run's timestamps " +
    "count its instructions exactly and do not move when the machine is calibrated again) or realistic (a real machine's costs " +
    "added, seeded by --seed; what fly and generate use; docs/timing.md)", "ideal"),
};

/** Whether `--name` of exec takes the next word as its value. */
export function execOptionTakesValue(name: string): boolean {
  const o = EXEC_OPTIONS[name];
  return o !== undefined && o.type !== "boolean";
}

export const execCommand: CommandModule<object, ExecArgs> = {
  command: "exec",
  describe: "Run a static x86-64 Linux program in the emulator: skytrace exec [options] [--] PROGRAM [ARGS…]",
  builder: (y) =>
    y
      .usage("$0 exec [options] [--] PROGRAM [ARGS…]\n\nRun PROGRAM, an x86-64 Linux ELF, in the emulator with ARGS as its argv[1..]: a static one (gcc -static) as it is, " +
        "a dynamically linked one with --sysroot (its loader and libraries come from there). " +
        "Options go before PROGRAM: everything after it is the program's, dashes and all, as with env or strace.")
      .options(EXEC_OPTIONS)
      .check((a) => {
        if (!(a as unknown as ExecArgs).guest?.program) throw new Error("exec: name the PROGRAM to run: skytrace exec [options] [--] PROGRAM [ARGS…]");
        return true;
      })
      .example("$0 exec ./hello", "run a program")
      .example("$0 exec --strace --trace run.trace ./prog -v input.txt", "trace its syscalls (-v is the program's)")
      .example("$0 exec -- ./prog --help", "-- ends skytrace's options (optional before a PROGRAM not starting with -)")
      .example("$0 exec --sysroot / /usr/bin/python3 -c 'print(42)'", "run this machine's Python, its libraries read-only from /")
      .epilog(
        "The guest sees an in-memory file system holding the program at its absolute path, /dev (null, zero, " +
          "urandom, ttyS0), /proc/self/exe and /tmp, over the --sysroot folder if one is given; the working directory mirrors the host's. " +
          "With --sysroot DIR a PROGRAM inside DIR is run from there (DIR/usr/bin/ls as /usr/bin/ls), and a working directory the guest " +
          "cannot show (under its own /tmp, /dev, /proc or /sys, or outside DIR) gets a one-line note on stderr saying how to show it (--fs). Time is virtual " +
          "(1 instruction = 1 ns by default; --timing realistic adds a real machine's costs); nothing reads the host clock. Exit status: the program's, 128+N when killed by " +
          "signal N, 126 when it cannot be executed, 125 on a kernel deadlock, 2 on bad options. Ctrl-C (SIGINT) or " +
          "SIGTERM stop the program and exit 130 or 143, leaving no partial trace file.",
      ) as never,
  handler: async (argv) => {
    process.exitCode = await execMain(argv);
  },
};

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export async function execMain(a: ExecArgs): Promise<number> {
  // From here on a signal is ours: the trace file made below is removed again.
  const interrupt = catchInterrupts();
  try {
    return await execWith(a, interrupt);
  } finally {
    interrupt.dispose();
  }
}

async function execWith(a: ExecArgs, interrupt: Interrupt): Promise<number> {
  const hostPath = a.guest!.program!;
  const fsDirs = list(a.fs), env = list(a.env);
  const once = (name: string, v: string[] | undefined): string | undefined | null => {
    if (v && v.length > 1) { console.error(`skytrace: --${name} must be given once, not ${v.length} times`); return null; }
    return v?.[0];
  };
  const sysroot = once("sysroot", list(a.sysroot)), loadedFile = once("loaded", list(a.loaded));
  if (sysroot === null || loadedFile === null) return 2;
  for (const d of fsDirs ?? []) {
    let ok = false;
    try { ok = fs.statSync(d).isDirectory(); } catch { /* reported below */ }
    if (!ok) { console.error(`skytrace: --fs ${d}: not a directory`); return 2; }
    if (path.resolve(d) === "/") { console.error("skytrace: --fs /: use --sysroot / to show the whole host"); return 2; }
  }
  let realSysroot: string | undefined;
  if (sysroot !== undefined) {
    try { if (fs.statSync(sysroot).isDirectory()) realSysroot = fs.realpathSync(sysroot); } catch { /* reported below */ }
    if (!realSysroot) { console.error(`skytrace: --sysroot ${sysroot}: not a directory`); return 2; }
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(hostPath));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    console.error(`skytrace: ${hostPath}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : fsReason(e)}`);
    return 127;
  }
  // A program inside the sysroot runs from there, at its path inside it; any other (or one under the
  // kernel's own /tmp, /dev, … which hide the sysroot's) is placed at its own path.
  let inSysroot = realSysroot === undefined ? undefined : pathInside(realSysroot, hostPath);
  if (inSysroot !== undefined && KERNEL_DIRS.some((d) => inSysroot === d || inSysroot!.startsWith(d + "/"))) inSysroot = undefined;
  let cwd = process.cwd();
  if (realSysroot !== undefined) {
    const hostCwd = cwd;
    cwd = pathInside(realSysroot, cwd) ?? cwd;
    const note = hiddenCwdNotice(hostCwd, cwd, realSysroot, fsDirs ?? []);
    if (note) console.error(note);
  }
  let loadedFd: number | undefined;
  if (loadedFile !== undefined) {
    try { loadedFd = fs.openSync(loadedFile, "w"); } catch (e) {
      console.error(`skytrace: --loaded ${loadedFile}: cannot write it: ${fsReason(e)}`);
      return 2;
    }
  }
  let writer: RawTraceFile | undefined;
  if (a.trace !== undefined) {
    try { writer = new RawTraceFile(a.trace); } catch (e) {
      console.error(`skytrace: --trace ${a.trace}: ${e instanceof FolderError ? e.message : `cannot write it: ${fsReason(e)}`}`);
      return 2;
    }
  }
  useJitFlag(a.jit);
  const data: ExecThreadData = {
    program: inSysroot === undefined ? bytes : undefined,
    guestPath: inSysroot ?? path.resolve(hostPath),
    hostPath: path.resolve(hostPath),
    argv: [hostPath, ...a.guest!.args],
    env: env ? [...env, `PWD=${cwd}`] : undefined,
    cwd,
    fsDirs,
    sysroot: realSysroot,
    seed: a.seed,
    timing: a.timing === "realistic" ? "realistic" : "ideal",
    traceFd: writer?.fd,
    strace: !!a.strace,
    jit: jitDefault(),
  };
  let ok = false;
  try {
    await prepareHostStdin();
    const end = await runThread<ExecThreadResult>(new URL("./exec-thread.js", import.meta.url), data, interrupt, { transferList: data.program ? [bytes.buffer as ArrayBuffer] : [] });
    if (end.kind === "interrupted") return interrupt.status();
    const out = end.value;
    if (loadedFd !== undefined) {
      fs.writeSync(loadedFd, JSON.stringify({ sysroot: realSysroot ?? null, files: out.loaded }, null, 1) + "\n");
      fs.closeSync(loadedFd);
      loadedFd = undefined;
    }
    if (out.kind !== "exited") {
      console.error(`skytrace: ${out.message}`);
      return out.status;
    }
    ok = true;
    // Like a shell, say nothing when a reader went away (SIGPIPE).
    if (out.signal && !out.message && out.signal !== 13) console.error(`skytrace: ${hostPath}: killed by ${signalName(out.signal)}`);
    return out.status;
  } finally {
    if (writer) { if (ok) writer.finish(); else writer.abort(); }
    if (loadedFd !== undefined) { fs.closeSync(loadedFd); fs.rmSync(loadedFile!, { force: true }); }
  }
}

// `p` as a path inside the folder `root` (a real path): "/" + the rest, or undefined when it is
// outside. The folders on the way are resolved on the host; the last name is kept as given
// (a symlink there is the guest's to follow, inside root).
function pathInside(root: string, p: string): string | undefined {
  const abs = path.resolve(p);
  let dir: string;
  try { dir = fs.realpathSync(path.dirname(abs)); } catch { return undefined; }
  const full = abs === "/" ? "/" : path.join(dir, path.basename(abs));
  const rel = path.relative(root, full);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return undefined;
  return "/" + rel;
}
