// `skytrace generate`: a whole dataset of flights in a pool of worker threads,
// resumable and shardable (src/generate). Exit status: 0 when every flight of
// the run's share is complete, 1 when any failed (each is in the index with its
// error), 2 on bad input, 130/143 when stopped by SIGINT/SIGTERM (interrupt.ts).
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { CommandModule } from "yargs";
import type { GenerateSummary } from "../generate/generate.js";
import { parseShard } from "../generate/plan.js";
import { SCENARIOS, resolveFlight, DEFAULT_TIMING } from "../flight/index.js";
import { toolVersion } from "../flight/paths.js";
import { numberOption } from "./number-option.js";
import { FLIGHT_FLAGS, flagOptions, type FlightFlagArgs } from "./flight-flags.js";
import { catchInterrupts } from "./interrupt.js";
import { JIT_OPTION, useJitFlag } from "./jit-option.js";

export const DEFAULT_MIX = "normal=60,busydelay=20,sockets=20";

interface Args extends FlightFlagArgs {
  flights: number;
  mix: string;
  seed: bigint;
  workers?: number;
  out: string;
  shard?: string;
  progress?: string;
  job?: string;
  jit?: boolean;
}

/** The flight options every flight of the dataset gets (fly's flags, as plain JSON). */
export function flightOptionsFrom(a: FlightFlagArgs): Record<string, unknown> {
  // The clock always, so a dataset made before the realistic default (options without it) is
  // never resumed with flights on another clock.
  return { timing: DEFAULT_TIMING, ...flagOptions(a) };
}

export function summaryText(s: GenerateSummary): string {
  const ok = s.records.filter((r) => r.status === "ok").length;
  const rate = s.ran > 0 ? ` (${((s.ran / s.wallMs) * 60000).toFixed(1)} flights/min)` : "";
  const lines = [`generate: ${ok}/${s.planned} flights complete in ${s.dir}: ${s.skipped} already there, ${s.ran} flown in ${(s.wallMs / 1000).toFixed(1)} s${rate}, ${s.failed} failed`];
  for (const r of s.records) if (r.status === "failed") lines.push(`  ${r.id} (${r.scenario}, seed ${r.seed}) failed: ${r.error}`);
  return lines.join("\n");
}

export const generateCommand: CommandModule<object, Args> = {
  command: "generate",
  describe: "Make a dataset of many flights on every core: resumable, shardable, indexed, with a Parquet export",
  builder: (y) =>
    y
      .option("flights", numberOption("flights", "number of flights in the whole dataset", { kind: "integer", min: 1, max: 1_000_000_000 }, { demandOption: true }))
      .option("mix", { type: "string", default: DEFAULT_MIX, describe: "scenario weights SCENARIO=WEIGHT,… (exact proportions in every block of sum/gcd flights)" })
      .option("seed", numberOption("seed", "dataset seed S: flight i's scenario and seed derive from S and i (docs/bulk.md)", { kind: "uint64", min: 0, max: 2n ** 64n - 1n }, { default: 1 }))
      .option("workers", numberOption("workers", `worker threads (default: every core, ${os.availableParallelism()} here)`, { kind: "integer", min: 1, max: 256 }))
      .option("out", { type: "string", demandOption: true, describe: "dataset folder: one folder per flight, events/*.parquet, index.csv, index.jsonl" })
      .option("shard", { type: "string", describe: "K/M: make only flights i with i mod M = K-1 (shards can share --out; join them with `skytrace merge`); auto: K/M from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, SKYTRACE_SHARD_COUNT) or a Slurm job array (SLURM_ARRAY_TASK_*)" })
      .options(FLIGHT_FLAGS)
      .option("jit", JIT_OPTION)
      .option("progress", { type: "string", choices: ["auto", "bar", "lines", "none"], default: "auto", describe: "progress display (auto: a bar on a terminal, lines otherwise)" })
      .option("job", { type: "string", hidden: true, describe: "test hook: a JavaScript module whose default export replaces the flight job" })
      .example("$0 generate --flights 1000 --seed 7 --out data", "1000 flights, 60/20/20 normal/busydelay/sockets, on every core")
      .example("$0 generate --flights 1000 --seed 7 --shard 3/8 --out data", "the third of eight disjoint shards")
      .epilog(
        "Running the same command again skips flights whose files match the index's checksums and redoes the rest " +
          "(a killed run loses only the flights in progress). A failed flight is recorded with its error and the run " +
          "goes on. Flight i can be remade alone: `skytrace fly --scenario <scenario> --seed <seed>` with the index's " +
          "values and the same flight options. Ctrl-C (SIGINT) or SIGTERM stop the run: the complete flights stay in the " +
          "index, nothing else is left, and running the same command again makes the rest. Exit status: 0 all complete, " +
          "1 some failed, 2 bad input, 130 or 143 when stopped by SIGINT or SIGTERM.",
      ) as never,
  handler: async (a) => {
    // Loaded when run: the pool, the core and the export are what other commands need not load.
    const { generate } = await import("../generate/generate.js");
    const { progressFor, LineProgress } = await import("../generate/progress.js");
    const options = flightOptionsFrom(a);
    // Check the flight options once, for every scenario of the mix, before any worker starts.
    for (const scenario of SCENARIOS) resolveFlight({ ...options, scenario, seed: 0, outDir: "." } as never);
    // The pool's threads inherit it (jit/default.ts); the index and the flights are the same either way.
    useJitFlag(a.jit);
    const mode = a.progress === "auto" ? undefined : a.progress;
    const progress = mode === "none" ? undefined : mode === "lines" ? new LineProgress() : mode === "bar" ? progressFor({ isTTY: true } as NodeJS.WriteStream) : progressFor();
    // From here on a signal stops the run cleanly (generate.ts) instead of killing it.
    const interrupt = catchInterrupts();
    const s = await generate({
      out: a.out,
      flights: a.flights,
      mix: a.mix,
      seed: a.seed,
      workers: a.workers,
      shard: a.shard ? parseShard(a.shard) : null,
      flightOptions: options,
      knownScenarios: a.job ? undefined : SCENARIOS,
      jobModule: a.job ? pathToFileURL(path.resolve(a.job)).href : undefined,
      toolVersion: toolVersion(),
      progress,
      signal: interrupt.signal,
    }).finally(() => interrupt.dispose());
    if (s.interrupted) {
      const complete = s.records.filter((r) => r.status === "ok").length;
      console.error(`generate: interrupted; run the same command to resume (${complete} of ${s.planned} flights complete in ${s.dir})`);
      process.exitCode = interrupt.status();
      return;
    }
    console.log(summaryText(s));
    process.exitCode = s.failed > 0 ? 1 : 0;
  },
};

