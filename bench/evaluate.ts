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
  load1: number;
}

const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1e6; };

export async function measureEvaluate(o: { quick: boolean; flights?: number }): Promise<EvaluateBench> {
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
    return {
      flights, mix, missions: o.quick ? "1 leg of 8 m" : "drawn (short preset)", syscalls: s.syscalls, wallSec, cpuSec,
      syscallsPerSec: s.syscalls / wallSec, syscallsPerCpuSec: s.syscalls / cpuSec, readCpuSec, load1,
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
