// `npm run bench` / `skytrace bench`: every benchmark, printed as markdown
// tables and written to a results file (`npm run bench`: bench/results.json;
// `skytrace bench`: --out, or skytrace-bench.json in the current folder).
// Figures are measured side by side in this one run.
import { accessSync, constants, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { measureMips, mipsTable } from "./mips.js";
import { measureFlight, flightTable } from "./flight.js";
import { measureGroundTruthCost, groundTruthTable } from "./ground-truth.js";
import { measureThroughput, throughputTables } from "./throughput.js";
import { measureMachineScaling, machineScalingTable } from "./machine-scaling.js";
import { DEFAULT_RESULTS } from "./results-file.js";
import { measureTimingCost, timingCostTable } from "./timing.js";
import { measureResearchCost, researchCostTable } from "./research-cost.js";
import { measureLiddsExport, liddsExportTable } from "./lidds-export.js";
import { measureEvaluate, evaluateTable } from "./evaluate.js";
import { measureStartup, startupTable } from "./startup.js";
import { measureAutopilots, autopilotTable } from "./autopilot.js";
import { measurePrograms, programsTable, programsSummary } from "./programs.js";
import { measureJitCost, jitCostTable, jitCostSummary } from "./jit-cost.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const guest = (p: string) => path.join(root, "build/guest", p);

export interface BenchOptions { quick?: boolean; flights?: number; scenarios?: string[]; rounds?: number; skipMips?: boolean; skipFlights?: boolean; out?: string }

export async function runBenchmarks(o: BenchOptions = {}): Promise<void> {
  const quick = !!o.quick;
  // Fail now, not after minutes of measuring, if the results cannot be written.
  const out = path.resolve(o.out ?? DEFAULT_RESULTS);
  try { accessSync(path.dirname(out), constants.W_OK); } catch {
    throw new Error(`bench: cannot write the results file ${out} (its folder is missing or not writable; choose another with --out)`);
  }
  const results: Record<string, unknown> = { date: new Date().toISOString() };
  if (!o.skipMips) {
    const startup = measureStartup(root, quick ? 3 : 10);
    console.log("## Start-up (`skytrace exec` of an empty static program, wall time, best of runs)\n");
    console.log(startupTable(startup));
    console.log("\nThe whole command: Node's own start (node -e 0 alone), the CLI, the worker thread, the core and the kernel.\n");
    results.startup = startup;
    const rows = [
      measureMips("factor", guest("bench/factor"), [quick ? "4" : "32"], quick ? 1 : 3),
      measureMips("factor", guest("bench/factor"), [quick ? "4" : "32"], quick ? 1 : 3, true),
      measureMips("mixed", guest("bench/mixed"), [quick ? "1" : "8"], quick ? 1 : 3),
      measureMips("mixed", guest("bench/mixed"), [quick ? "1" : "8"], quick ? 1 : 3, true),
      // SSSE3/SSE4.2: PCMPxSTRx scans, CRC32C, PSHUFB, POPCNT (guest/bench/strscan.c)
      measureMips("strscan", guest("bench/strscan"), [quick ? "20" : "300"], quick ? 1 : 3),
    ];
    console.log("## Core throughput (static glibc programs, best of runs)\n");
    console.log(mipsTable(rows));
    console.log("\nMIPS = guest instructions retired / wall seconds; native MIPS uses the emulator's instruction count for the same binary.");
    results.mips = rows;
    // Programs people run, on Debian's static libraries (docs/jit.md: issue 14's target is the JIT within 3× of qemu).
    const programs = measurePrograms(root, quick ? 1 : 3);
    console.log("\n## Programs on Debian's static libraries (native, qemu-x86_64, skytrace with and without the JIT; best of runs, the tiers alternated)\n");
    console.log(programsTable(programs));
    console.log(`\n${programsSummary(programs)}`);
    console.log("\nWall time of the whole run (skytrace: in this process, a new Machine per run, so the JIT's compile time is counted). Ratios are the figures to read: every column moves with the machine's load.");
    results.programs = programs;
    // Issue 14's "JIT compile time at most 10 % of wall time", where a command pays it: a first run in a fresh process.
    const jitCost = measureJitCost(quick ? 1 : 3, quick ? ["factor", "lua"] : undefined);
    console.log("\n## The JIT's compile cost on a first run (each run in a fresh process: nothing compiled or cached before it; the fastest of the runs, and the share's range over all)\n");
    console.log(jitCostTable(jitCost));
    console.log(`\n${jitCostSummary(jitCost)}`);
    console.log("\nJIT compile is the host's time in the JIT (emitting a region's bytes, V8's module compile, instantiating); CPU counts every thread (V8's background tier-up too).");
    results.jitCost = jitCost;
  }
  if (!o.skipFlights) {
    // A whole recorded flight per scenario (issue 3's target: NORMAL under 2 s of wall time).
    const flights = (quick ? (["normal"] as const) : (["normal", "sockets", "busydelay"] as const)).map((s) => measureFlight(s, 1));
    // The busydelay flight (its autopilot factors between polls) in the second tier too (docs/jit.md).
    flights.push(measureFlight(quick ? "normal" : "busydelay", 1, true));
    console.log("\n## Recorded flights (skytrace fly, one seed each)\n");
    console.log(flightTable(flights));
    console.log("\nvirtual s = FlightBegin to FlightEnd in virtual time; wall / virtual < 1 is faster than real time. CPU s is this process's user+system time (the figure that does not depend on other load).");
    results.flights = flights;
    // Everything a research-grade recording adds (the table, its labels, the realistic clock) against
    // the bare flight (ideal clock, no table), and each half: the four combinations alternated.
    const research = measureResearchCost(quick ? 2 : 8);
    console.log(`\n## A research-grade recording's cost (${research.scenario} flight, seed ${research.seed}, the four combinations alternated, ${research.rounds} rounds each)\n`);
    console.log(researchCostTable(research));
    console.log("\nOne reused core instance, as a generate worker runs flights; CPU is this process's user+system time. The ratios are the figures: every column moves with the machine's load.");
    results.researchCost = research;
    // The Python autopilot against the C one, same flight (issue 13's benchmark).
    // Two Python flights (~15 s of CPU each) are too long for --quick.
    const autopilots = quick ? { skipped: "--quick (a Python flight is ~15 s of CPU)" } : measureAutopilots(3);
    console.log(`\n## The Python autopilot against the C one (${"skipped" in autopilots ? "skipped" : `${autopilots.scenario} flight, seed ${autopilots.seed}, ${autopilots.rounds} rounds each, alternated`})\n`);
    console.log(autopilotTable(autopilots));
    if (!("skipped" in autopilots)) console.log("\nOne reused core instance; the same options but the autopilot (the drawn mission, the realistic clock). CPU is this process's user+system time. The ratio is the figure: both columns move with the machine's load.");
    results.autopilots = autopilots;
    if (!quick) {
      // Each half alone, with its side figures (docs/dataset.md, docs/timing.md).
      const truth = ["normal", "sockets"].map((s) => measureGroundTruthCost(9, s, 1));
      console.log("\n## The per-syscall table and its labels: cost per flight (on and off, alternated on one reused instance)\n");
      console.log(groundTruthTable(truth));
      console.log("\non / off: the ratio of medians; off writes the four files of before (no table, no probes, no labels).");
      results.groundTruth = truth;
      const timing = measureTimingCost(8);
      console.log(`\n## The timing model's cost (${timing.scenario} flight, seed ${timing.seed}, --timing ideal and realistic alternated, ${timing.rounds} rounds each)\n`);
      console.log(timingCostTable(timing));
      console.log("\nOne reused core instance, as a generate worker runs flights; CPU is this process's user+system time. The ratio is the figure: both columns move with the machine's load.");
      results.timing = timing;
    }
    const t = await measureThroughput({ quick, flights: o.flights, scenarios: o.scenarios, rounds: o.rounds });
    console.log(`\n## Dataset throughput (skytrace generate, ${quick ? "short missions (--quick)" : "default missions"})\n`);
    console.log(throughputTables(t));
    results.throughput = t;
    const ev = await measureEvaluate({ quick });
    console.log(`\n## Evaluation throughput (skytrace evaluate: STIDE and the timing model over a ${ev.flights}-flight dataset, ${ev.missions})\n`);
    console.log(evaluateTable(ev));
    console.log("\nEvery flight read once (training, validation or test) and scored by both detectors, score files written; CPU is this process's user+system time. Reading alone: the same tables read into typed arrays without scoring.");
    results.evaluate = ev;
    const m = await measureMachineScaling(root, quick);
    console.log("\n## What two cores give two processes (the ceiling for the pool's scaling)\n");
    console.log(machineScalingTable(m));
    results.machineScaling = m;
    // `skytrace export lidds` on a generated dataset (docs/research.md).
    const lidds = await measureLiddsExport(quick);
    console.log(`\n## Export to LID-DS (skytrace export lidds, ${quick ? "5 short flights (--quick)" : "100 flights of the default missions"})\n`);
    console.log(liddsExportTable(lidds));
    console.log("\nOne process, one flight at a time; syscalls/s counts the table's rows (each gives an entry and, when it returned, an exit line). Peak heap and RSS: the largest seen after any flight.");
    results.liddsExport = lidds;
  }
  writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
}
