// `skytrace exec PROGRAM [ARGS…]`: run a static x86-64 Linux program in the
// emulator, with its stdin/stdout/stderr passed through.
import type { CommandModule } from "yargs";
import * as fs from "node:fs";
import path from "node:path";
import { runProgram, DEFAULT_ENV } from "../kernel/run-program.js";
import { RawTraceWriter } from "../dataset/raw-writer.js";
import { signalName } from "../kernel/signal/signals.js";
import { TIMING_MODELS } from "../kernel/timing/model.js";
import { timingSeed } from "../flight/timing-seed.js";

interface ExecArgs {
  program: string;
  args?: string[];
  trace?: string;
  strace?: boolean;
  fs?: string[] | string;
  seed: number;
  env?: string[] | string;
  timing?: string;
}

export const execCommand: CommandModule<object, ExecArgs> = {
  command: "exec <program> [args..]",
  describe: "Run a static x86-64 Linux program in the emulator",
  builder: (y) =>
    y
      .parserConfiguration({ "unknown-options-as-args": true })
      .positional("program", { type: "string", demandOption: true, describe: "a statically linked x86-64 ELF (gcc -static)" })
      .positional("args", { type: "string", array: true, describe: "arguments passed to the program (argv[1..])" })
      .option("trace", { type: "string", describe: "write every SYSCALL/SYSRET to FILE in the dataset's raw format (ts in virtual ns)" })
      .option("strace", { type: "boolean", default: false, describe: "print each syscall, its arguments and result to stderr, as strace does" })
      // Not `array`: that would swallow the program name; repeating the flag collects values.
      .option("fs", { type: "string", describe: "import host folder DIR read-only into the guest at the same path (repeatable)" })
      .option("seed", { type: "number", default: 0, describe: "seed for AT_RANDOM, getrandom and /dev/urandom" })
      .option("timing", { type: "string", choices: TIMING_MODELS, default: "ideal", describe: "the clock: ideal (the default: 1 instruction = 1 ns and 200 ns per syscall, so a run's timestamps count its instructions exactly and repeat across versions of the timing model) or realistic (a real machine's costs added, seeded by --seed; what fly and generate use, docs/timing.md)" })
      .option("env", { type: "string", describe: `guest environment entries NAME=VALUE (default: ${DEFAULT_ENV.join(" ")} PWD=<cwd>)` })
      .example("$0 exec ./hello", "run a program")
      .example("$0 exec --strace --trace run.trace ./prog -v input.txt", "trace its syscalls")
      .epilog(
        "The guest sees an in-memory file system holding the program at its absolute path, /dev (null, zero, " +
          "urandom, ttyS0), /proc/self/exe and /tmp; the working directory mirrors the host's. Time is virtual " +
          "(1 instruction = 1 ns by default; --timing realistic adds a real machine's costs); nothing reads the host clock. Exit status: the program's, 128+N when killed by " +
          "signal N, 126 when it cannot be executed, 125 on a kernel deadlock.",
      ) as never,
  handler: (argv) => {
    process.exitCode = execMain(argv);
  },
};

const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

export function execMain(args: ExecArgs): number {
  const argv = { ...args, fs: list(args.fs), env: list(args.env) };
  const hostPath = argv.program;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(hostPath));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    console.error(`skytrace: ${hostPath}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code === "EACCES" ? "permission denied" : String(e)}`);
    return 127;
  }
  for (const d of argv.fs ?? []) {
    let ok = false;
    try { ok = fs.statSync(d).isDirectory(); } catch { /* reported below */ }
    if (!ok) { console.error(`skytrace: --fs ${d}: not a directory`); return 2; }
  }
  const guestPath = path.resolve(hostPath);
  let writer: RawTraceWriter | undefined;
  if (argv.trace) {
    try { writer = new RawTraceWriter(argv.trace); } catch (e) {
      console.error(`skytrace: cannot write trace ${argv.trace}: ${(e as Error).message}`);
      return 2;
    }
  }
  let ok = false;
  try {
    const out = runProgram({
      program: bytes,
      guestPath,
      argv: [hostPath, ...(argv.args ?? []).map(String)],
      env: argv.env ? [...argv.env, `PWD=${process.cwd()}`] : undefined,
      cwd: process.cwd(),
      fsDirs: argv.fs,
      seed: argv.seed,
      timing: { model: argv.timing === "realistic" ? "realistic" : "ideal", seed: timingSeed(argv.seed) },
      traceLines: writer ? (line) => writer!.writeLine(line) : undefined,
      strace: argv.strace ? (line) => process.stderr.write(line + "\n") : undefined,
    });
    if (out.kind === "exec-error" || out.kind === "panic") {
      console.error(`skytrace: ${out.message}`);
      return out.status;
    }
    ok = true;
    // Like a shell, say nothing when a reader went away (SIGPIPE).
    if (out.signal && !out.message && out.signal !== 13) console.error(`skytrace: ${hostPath}: killed by ${signalName(out.signal)}`);
    return out.status;
  } finally {
    if (writer) { if (ok) writer.finish(); else writer.abort(); }
  }
}
