// What the machine itself gives two processes: the same CPU-bound job once
// alone, then two copies at once, as separate processes (no pool, nothing
// shared but the hardware). Run for the emulator (`skytrace exec` of the
// factoring program) and for the same program natively; the pool's scaling is
// read against these. Host wall time is fine here: benchmarks measure the host.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";

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
  const emuArg = quick ? "8" : "200", nativeArg = quick ? "200" : "2000";
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
