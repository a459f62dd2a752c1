// `skytrace evaluate`'s throughput: syscalls per second over a whole
// generated dataset (training, validation and test flights, each read once),
// with the share that reading the per-syscall tables takes. The dataset is
// made first (normal and sockets flights; busydelay's would add minutes of
// CPU to the setup and nothing to what is measured) into a temporary folder.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate } from "../src/generate/generate.js";
import { evaluate } from "../src/research/evaluate/evaluate.js";
import { readDataset } from "../src/research/evaluate/dataset.js";
import { readFlightRows, Vocabulary } from "../src/research/evaluate/flight-rows.js";
import { fileURLToPath } from "node:url";
import { jitDefault } from "../src/machine/jit/default.js";
import { utcMinute, writeSection } from "./doc-section.js";

export interface EvaluateBench {
  flights: number;
  mix: string;
  missions: string;
  syscalls: number;
  wallSec: number;
  cpuSec: number;
  syscallsPerSec: number;
  syscallsPerCpuSec: number;
  /** Reading every flight's table alone (parquet-wasm to typed arrays), CPU seconds. */
  readCpuSec: number;
  /** The same evaluation without the score files (--no-scores), CPU seconds; absent when not measured. */
  noScoresCpuSec?: number;
  load1: number;
}

const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };

export async function measureEvaluate(o: { quick: boolean; flights?: number; noScores?: boolean }): Promise<EvaluateBench> {
  const flights = o.flights ?? (o.quick ? 5 : 100);
  const mix = "normal=4,sockets=1";
  const flightOptions: Record<string, unknown> = o.quick ? { timing: "realistic", legs: 1, distanceM: 8 } : { timing: "realistic" };
  const dir = mkdtempSync(path.join(os.tmpdir(), "skytrace-bench-evaluate-"));
  try {
    const data = path.join(dir, "data");
    const g = await generate({ out: data, flights, mix, seed: "11", flightOptions });
    if (g.failed > 0) throw new Error(`bench evaluate: ${g.failed} flights failed to generate`);
    // Reading alone, as the evaluation reads each flight once.
    const c0 = cpu();
    const vocab = new Vocabulary();
    for (const f of readDataset(data).flights) readFlightRows(f.table, f.manifest, vocab, f.id, f.scenario);
    const readCpuSec = cpu() - c0;
    const load1 = os.loadavg()[0];
    const c1 = cpu();
    // LID-DS's proportions of the normal flights (20 / 5 / 75 %); the quick dataset's 4 are too few for a 5 % validation.
    const s = await evaluate({ dataset: data, out: path.join(dir, "report"), splitSeed: 1, counts: o.quick ? { training: 2, validation: 1, testNormal: 1 } : undefined });
    const cpuSec = cpu() - c1, wallSec = s.wallMs / 1000;
    let noScoresCpuSec: number | undefined;
    if (o.noScores) {
      const c2 = cpu();
      await evaluate({ dataset: data, out: path.join(dir, "report-no-scores"), splitSeed: 1, scores: false, counts: o.quick ? { training: 2, validation: 1, testNormal: 1 } : undefined });
      noScoresCpuSec = cpu() - c2;
    }
    return {
      flights, mix, missions: o.quick ? "1 leg of 8 m" : "drawn (short preset)", syscalls: s.syscalls, wallSec, cpuSec,
      syscallsPerSec: s.syscalls / wallSec, syscallsPerCpuSec: s.syscalls / cpuSec, readCpuSec, ...(noScoresCpuSec === undefined ? {} : { noScoresCpuSec }), load1,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function evaluateTable(b: EvaluateBench): string {
  const f = (x: number, d = 1) => x.toFixed(d);
  return [
    "| flights | mix | syscalls | wall s | CPU s | syscalls/s (wall) | syscalls/s (CPU) | reading the tables, CPU s | load |",
    "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    `| ${b.flights} | ${b.mix} | ${b.syscalls} | ${f(b.wallSec, 2)} | ${f(b.cpuSec, 2)} | ${Math.round(b.syscallsPerSec)} | ${Math.round(b.syscallsPerCpuSec)} | ${f(b.readCpuSec, 2)} | ${f(b.load1)} |`,
  ].join("\n");
}

/** The table with the run it came from (the command, when, the tier), and the score files' share, as docs/research.md's section holds it. */
export function evaluateSection(b: EvaluateBench, command: string, when: Date, jit: boolean): string {
  const lines = [
    `One run of \`${command}\`, ${utcMinute(when)} UTC (this machine's 2 cores, the JIT ${jit ? "on" : "off"}): a dataset of ${b.flights} flights ` +
      `(missions: ${b.missions}; \`--mix ${b.mix} --seed 11\`) made first, then evaluated with the default splits; the load column is the 1-minute load average when the evaluation began.`,
    "",
    evaluateTable(b),
    "",
    `Reading the ${b.flights} tables alone (parquet-wasm into typed arrays, timed apart before the evaluation) took ${b.readCpuSec.toFixed(2)} s of CPU, ${((100 * b.readCpuSec) / b.cpuSec).toFixed(0)} % of what the evaluation took.`,
  ];
  if (b.noScoresCpuSec !== undefined) {
    lines.push(`Without the score files (\`--no-scores\`) the same evaluation took ${b.noScoresCpuSec.toFixed(2)} s of CPU: the score files are ${((100 * (b.cpuSec - b.noScoresCpuSec)) / b.cpuSec).toFixed(0)} % of it.`);
  }
  return lines.join("\n");
}

// `node dist/bench/evaluate.js [--quick] [--doc]`: this benchmark alone, with the evaluation
// again without score files; --doc also writes docs/research.md's "evaluate" section.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const b = await measureEvaluate({ quick: process.argv.includes("--quick"), noScores: true });
  console.log(evaluateTable(b));
  if (process.argv.includes("--doc")) {
    const command = ["node dist/bench/evaluate.js", ...process.argv.slice(2)].join(" ");
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/research.md"), "evaluate", evaluateSection(b, command, new Date(), jitDefault()));
  }
}
