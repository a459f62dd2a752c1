// Start-up: `skytrace exec` of an empty static program (guest/bench/empty.c),
// the whole command as a user runs it (Node, the CLI, the worker thread, the
// core, the kernel), beside the program run natively and under qemu-x86_64.
// Best of the runs: the floor that other load on the machine does not raise.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { hasCommand } from "./mips.js";

export interface StartupResult {
  program: string;
  runs: number;
  skytraceSec: number;
  nodeSec: number;           // `node -e 0`: the part no change to skytrace can remove
  nativeSec: number;
  qemuSec: number | null;
}

function best(cmd: string, args: string[], runs: number): number | null {
  let b = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { stdio: "ignore" });
    const dt = (performance.now() - t0) / 1000;
    if (r.error || r.status !== 0) return null;
    b = Math.min(b, dt);
  }
  return b;
}

export function measureStartup(root: string, runs: number): StartupResult {
  const program = path.join(root, "build/guest/bench/empty");
  if (!existsSync(program)) throw new Error(`bench: ${program} is missing; run 'npm run build:guests'`);
  const skytrace = best(process.execPath, [path.join(root, "bin/skytrace.js"), "exec", program], runs);
  if (skytrace === null) throw new Error("bench: skytrace exec of the empty program failed");
  const native = best(program, [], runs)!;
  const qemu = hasCommand("qemu-x86_64") ? best("qemu-x86_64", [program], runs) : null;
  return { program: "empty", runs, skytraceSec: skytrace, nodeSec: best(process.execPath, ["-e", "0"], runs)!, nativeSec: native, qemuSec: qemu };
}

export function startupTable(r: StartupResult): string {
  const ms = (s: number | null) => (s === null ? "not installed" : `${(s * 1000).toFixed(0)} ms`);
  return [
    "| program | skytrace exec | node -e 0 | native | qemu-x86_64 |",
    "|---|---:|---:|---:|---:|",
    `| ${r.program} (best of ${r.runs}) | ${ms(r.skytraceSec)} | ${ms(r.nodeSec)} | ${ms(r.nativeSec)} | ${ms(r.qemuSec)} |`,
  ].join("\n");
}
