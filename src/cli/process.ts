// `skytrace process RAW [-o OUT]`: raw trace -> processed trace (one line per
// SYSCALL: delta-t TAB RAX+1). Streams, so files of any size convert in
// constant memory. With -o the result goes to a temporary name beside OUT and
// is renamed into place only when the whole input was valid: a failed run
// leaves no partial OUT behind. Without -o it goes to stdout (where lines
// written before an error in the input stay written, as with any filter).
import { createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import type { CommandModule } from "yargs";
import { processRawFile } from "../dataset/process-file.js";

interface Args {
  raw: string;
  output?: string;
}

async function toFile(raw: string, output: string): Promise<void> {
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
  try {
    await Promise.race([processRawFile(raw, out), failed]);
    await Promise.race([new Promise<void>((resolve) => out.end(resolve)), failed]);
    renameSync(tmp, output);
  } catch (err) {
    out.destroy();
    rmSync(tmp, { force: true });
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
    if (args.output) await toFile(args.raw, args.output);
    else await toStdout(args.raw);
  },
};
