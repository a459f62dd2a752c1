// `skytrace bench`: the same benchmarks as `npm run bench` (bench/run.ts):
// core MIPS, then dataset throughput per scenario with 1 worker and with every
// core. Prints markdown tables and writes a results file: --out, or
// skytrace-bench.json in the current folder (never into the package itself).
import type { CommandModule } from "yargs";
import { runBenchmarks, DEFAULT_RESULTS } from "../../bench/run.js";

interface Args { quick: boolean; flights?: number; scenarios?: string; rounds?: number; mips: boolean; flightsBench: boolean; out?: string }

export const benchCommand: CommandModule<object, Args> = {
  command: "bench",
  describe: "Benchmark the core (MIPS) and dataset throughput (flights per minute, 1 worker vs every core, memory)",
  builder: (y) =>
    y
      .option("quick", { type: "boolean", default: false, describe: "short missions and short MIPS runs (a smoke test, not figures to quote)" })
      .option("flights", { type: "number", describe: "flights per scenario and worker count (default: 48 × cores, busydelay 8 × cores)" })
      .option("rounds", { type: "number", describe: "repeat the 1-worker and all-worker runs, alternated, and average (default 1)" })
      .option("scenarios", { type: "string", describe: "throughput for these scenarios only (comma-separated; default normal,sockets,busydelay)" })
      .option("mips", { type: "boolean", default: true, describe: "run the core MIPS benchmark (--no-mips to skip)" })
      .option("flights-bench", { type: "boolean", default: true, describe: "run the throughput benchmark (--no-flights-bench to skip)" })
      .option("out", { type: "string", describe: `results file (default: ${DEFAULT_RESULTS} in the current folder; \`npm run bench\` writes bench/results.json)` }) as never,
  handler: async (a) => {
    await runBenchmarks({ quick: a.quick, flights: a.flights, scenarios: a.scenarios?.split(","), rounds: a.rounds, skipMips: !a.mips, skipFlights: !a.flightsBench, out: a.out });
  },
};
