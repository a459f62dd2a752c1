// `skytrace process RAW [-o OUT]`: raw trace -> processed trace (one line per
// SYSCALL: delta-t TAB RAX+1). Streams, so files of any size convert in
// constant memory. With -o the result goes to a temporary name beside OUT and
// is renamed into place only when the whole input was valid: a failed run
// leaves no partial OUT behind. Without -o it goes to stdout (where lines
// written before an error in the input stay written, as with any filter).
// Ctrl-C (SIGINT) or SIGTERM end it with status 130 or 143, the temporary
// file removed (endStopped).
import { createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { CommandModule } from "yargs";
import { processRawFile } from "../dataset/process-file.js";
import { catchInterrupts } from "./interrupt.js";

interface Args {
  raw: string;
  output?: string;
}

class Stopped extends Error {}

// The reading still under way is dropped with the process. Node's exit waits
// for its thread-pool reads, and a read of a pipe or FIFO whose writer is idle
// never returns: there the signal is raised again with Node's default action
// (the process ends at once; a shell reports 130/143 all the same). Only as
// PID 1, which the default action does not end, does it fall through to exit.
function endStopped(raw: string, signal: NodeJS.Signals, status: number): never {
  let regular = true;
  try { regular = statSync(raw).isFile(); } catch { /* gone: nothing to wait for */ }
  if (!regular) process.kill(process.pid, signal);
  process.exit(status);
}

// Resolves true when stopped by `stop` (nothing left behind), false when OUT is complete.
async function toFile(raw: string, output: string, stop: AbortSignal): Promise<boolean> {
  const dir = path.dirname(path.resolve(output));
  try {
    if (!statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  } catch {
    throw new Error(`cannot write ${output}: directory ${dir} does not exist`);
  }
  const tmp = path.join(dir, `.${path.basename(output)}.${process.pid}.tmp`);
  const out = createWriteStream(tmp, { flags: "wx" });
  // Surface open/write errors (EACCES, ENOSPC) as rejections of this function.
  const failed = new Promise<never>((_, reject) => out.once("error", (e) => reject(new Error(`cannot write ${output}: ${e.message}`))));
  failed.catch(() => {});
  const stopped = new Promise<never>((_, reject) => {
    if (stop.aborted) reject(new Stopped());
    stop.addEventListener("abort", () => reject(new Stopped()));
  });
  stopped.catch(() => {});
  const work = processRawFile(raw, out);
  work.catch(() => {});   // after a stop it fails on the destroyed stream: nobody waits for it then
  try {
    await Promise.race([work, failed, stopped]);
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed, stopped]);
    renameSync(tmp, output);
    return false;
  } catch (err) {
    out.destroy();
    rmSync(tmp, { force: true });
    if (err instanceof Stopped) return true;
    throw err;
  }
}

async function toStdout(raw: string): Promise<void> {
  // A closed pipe (`| head`) ends the command quietly, as other filters do.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(0);
    throw e;
  });
  await processRawFile(raw, process.stdout);
}

export const processCommand: CommandModule<object, Args> = {
  command: "process <raw>",
  describe: "Convert a raw trace (`<ts>, SYSCALL,…` / `<ts>, SYSRET,…`) to the processed format (Δt TAB RAX+1 per SYSCALL)",
  builder: (y) =>
    y
      .positional("raw", { type: "string", demandOption: true, describe: "raw trace file" })
      .option("output", { alias: "o", type: "string", describe: "write here (atomically) instead of stdout" })
      .example("$0 process NORMAL_Flight.txt -o NORMAL_Flight.processed.txt", "") as never,
  handler: async (args) => {
    const interrupt = catchInterrupts();
    if (!args.output) {
      // Nothing to clean: a signal just ends the filter (as Node's default would, also as PID 1).
      interrupt.signal.addEventListener("abort", () => process.exit(interrupt.status()));
      await toStdout(args.raw);
      interrupt.dispose();
      return;
    }
    const stopped = await toFile(args.raw, args.output, interrupt.signal).finally(() => interrupt.dispose());
    if (stopped) endStopped(args.raw, interrupt.signal.reason as NodeJS.Signals, interrupt.status());
  },
};
