// `skytrace bench`: the same benchmarks as `npm run bench` (bench/run.ts):
// core MIPS, then dataset throughput per scenario with 1 worker and with every
// core. Prints markdown tables and writes a results file: --out, or
// skytrace-bench.json in the current folder (never into the package itself).
import type { CommandModule } from "yargs";
import path from "node:path";
import { FolderError, makeFolders } from "../host-fs/make-folders.js";
import { numberOption } from "./number-option.js";
import { JIT_OPTION, useJitFlag } from "./jit-option.js";
import { SCENARIOS } from "../flight/scenarios.js";
import { DEFAULT_RESULTS } from "../../bench/results-file.js";

interface Args { quick: boolean; flights?: number; scenarios?: string; rounds?: number; mips: boolean; flightsBench: boolean; out?: string; jit?: boolean }

export const benchCommand: CommandModule<object, Args> = {
  command: "bench",
  describe: "Benchmark the core (MIPS) and dataset throughput (flights per minute, 1 worker vs every core, memory)",
  builder: (y) =>
    y
      .option("quick", { type: "boolean", default: false, describe: "short missions and short MIPS runs (a smoke test, not figures to quote)" })
      .option("flights", numberOption("flights", "flights per scenario and worker count (default: 48 × cores)", { kind: "integer", min: 1, max: 100_000 }))
      .option("rounds", numberOption("rounds", "repeat the 1-worker and all-worker runs, alternated, and average (default 1)", { kind: "integer", min: 1, max: 1000 }))
      .option("scenarios", { type: "string", requiresArg: true, describe: "throughput for these scenarios only (comma-separated; default normal,sockets,busydelay)" })
      .option("mips", { type: "boolean", default: true, describe: "run the core MIPS benchmark (--no-mips to skip)" })
      .option("flights-bench", { type: "boolean", default: true, describe: "run the throughput benchmark (--no-flights-bench to skip)" })
      .option("jit", { ...JIT_OPTION, describe: "the tier of the flight and dataset rows: the second tier (docs/jit.md) on by default or off with " +
        "SKYTRACE_JIT=0 in the environment; --no-jit measures the interpreter alone (the MIPS and program rows run both tiers side by side whatever it says)" })
      .option("out", { type: "string", requiresArg: true, describe: `results file (default: ${DEFAULT_RESULTS} in the current folder; \`npm run bench\` writes bench/results.json); its folder is made first` }) as never,
  handler: async (a) => {
    const scenarios = a.scenarios?.split(",");
    for (const s of scenarios ?? []) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`--scenarios: unknown scenario "${s}" (known: ${SCENARIOS.join(", ")})`);
    // The results are written after minutes of measuring: a folder that cannot be made fails now.
    if (a.out !== undefined) {
      try { makeFolders(path.dirname(path.resolve(a.out))); } catch (e) {
        throw e instanceof FolderError ? new Error(`--out ${a.out}: ${e.message}`) : e;
      }
    }
    useJitFlag(a.jit);
    // Loaded only when run: every other command starts without the benchmarks' modules.
    const { runBenchmarks } = await import("../../bench/run.js");
    await runBenchmarks({ quick: a.quick, flights: a.flights, scenarios, rounds: a.rounds, skipMips: !a.mips, skipFlights: !a.flightsBench, out: a.out });
  },
};
