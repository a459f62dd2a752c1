// What the machine itself gives two processes: the same CPU-bound job once
// alone, then two copies at once, as separate processes (no pool, nothing
// shared but the hardware). Run for the emulator (`skytrace exec` of the
// factoring program) and for the same program natively; the pool's scaling is
// read against these. Host wall time is fine here: benchmarks measure the host.
//   node dist/bench/machine-scaling.js [--quick] [--doc]    (also in `npm run bench`)
// --doc: the table also into docs/bulk.md, between its markers.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { utcMinute, writeSection } from "./doc-section.js";

export interface MachineScalingRow {
  job: string;          // what ran, as a command line
  aloneSec: number;     // one copy
  pairSec: number;      // two copies started together, until both ended
  ratio: number;        // 2 × alone / pair: the throughput of two at once against one
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => { err += d; });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")}: exit ${code}: ${err.trim()}`))));
  });
}

async function timed(copies: number, cmd: string, args: string[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(Array.from({ length: copies }, () => run(cmd, args)));
  return (performance.now() - t0) / 1000;
}

async function pairOf(label: string, cmd: string, args: string[]): Promise<MachineScalingRow> {
  const aloneSec = await timed(1, cmd, args);
  const pairSec = await timed(2, cmd, args);
  return { job: label, aloneSec, pairSec, ratio: (2 * aloneSec) / pairSec };
}

/** root: the project folder (bin/skytrace.js, build/guest/bench/factor). */
export async function measureMachineScaling(root: string, quick = false): Promise<MachineScalingRow[]> {
  const factor = path.join(root, "build/guest/bench/factor");
  if (!existsSync(factor)) throw new Error(`bench: ${factor} is missing; run 'npm run build:guests'`);
  // With the JIT, factor 200 took 0.5 s, about half of it start-up: 2000 (about 3 s) measures the run, as natively.
  const emuArg = quick ? "8" : "2000", nativeArg = quick ? "200" : "2000";
  return [
    await pairOf(`skytrace exec factor ${emuArg}`, process.execPath, [path.join(root, "bin/skytrace.js"), "exec", factor, emuArg]),
    await pairOf(`factor ${nativeArg} (native)`, factor, [nativeArg]),
  ];
}

export function machineScalingTable(rows: MachineScalingRow[]): string {
  const f2 = (x: number) => x.toFixed(2);
  return [
    "| job (separate processes) | one alone, s | two at once, s | scaling |",
    "|---|---:|---:|---:|",
    ...rows.map((r) => `| ${r.job} | ${f2(r.aloneSec)} | ${f2(r.pairSec)} | ${f2(r.ratio)}× |`),
  ].join("\n");
}

/** docs/bulk.md's section: the run (when, the load) and its table. */
export function machineScalingSection(rows: MachineScalingRow[], load: [number, number], when: Date): string {
  return [
    `One run, ${utcMinute(when)} UTC, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after (this machine's 2 cores; the load counts this run too), ` +
      "`node dist/bench/machine-scaling.js --doc`; scaling = 2 × (one alone) / (two at once):",
    "",
    machineScalingTable(rows),
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const load0 = loadavg()[0], when = new Date();
  let rows: MachineScalingRow[];
  try {
    rows = await measureMachineScaling(root, process.argv.includes("--quick"));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  console.log(machineScalingTable(rows));
  if (process.argv.includes("--doc")) writeSection(path.join(root, "docs/bulk.md"), "machine-scaling", machineScalingSection(rows, [load0, loadavg()[0]], when));
}
