// What the realistic timing model costs a flight: the same NORMAL flight with
// --timing ideal and --timing realistic, alternated round after round in this
// one process on one reused core instance (as a generate worker runs them),
// each timed by this process's CPU and by the wall clock. The figure to quote
// is the ratio of medians, realistic over ideal: on a shared machine the two
// move together with the neighbours' load, the ratio much less.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { runFlight, type FlightHost } from "../src/flight/run-flight.js";
import { RealisticTiming, type TimingModelName } from "../src/kernel/timing/model.js";
import { jitDefault } from "../src/machine/jit/default.js";
import { Machine } from "../src/machine/machine.js";
import { utcMinute, writeSection } from "./doc-section.js";

export interface TimingCostRow {
  timing: TimingModelName;
  flights: number;
  syscalls: number;          // of one flight (the two models' flights differ a little)
  medianCpuMs: number;       // user + system CPU of one flight, median over rounds
  medianWallMs: number;
  cpuUsPerSyscall: number;   // medianCpuMs / syscalls, in µs
}

export interface TimingCost {
  scenario: string;
  seed: number;
  rounds: number;
  rows: TimingCostRow[];      // ideal, realistic
  cpuRatio: number;           // realistic / ideal, medians of CPU per flight
  wallRatio: number;
  perSyscallRatio: number;    // the same per syscall
  pairedCpuRatio: number;     // the median over rounds of each round's realistic / ideal CPU (the two flights of a round run back to back)
  pairedCpuRange: [number, number]; // its lowest and highest
  drawNs: number;             // the model alone: ns of CPU per syscall() draw, in a tight loop
}

// The model's own cost, apart from the flight it changes: a million syscall draws (class lookup,
// one 32-bit draw, the quantile lines, the interrupt check), timed in a loop.
export function drawCost(n = 1_000_000): number {
  const t = new RealisticTiming(1);
  let now = 0, sink = 0;
  for (let i = 0; i < 100_000; i++) sink += t.syscall(i & 255, (now += 1000));
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) sink += t.syscall(i & 255, (now += 1000));
  const c = process.cpuUsage(c0);
  if (sink < 0) throw new Error("unreachable");
  return ((c.user + c.system) * 1000) / n;
}

function paired(real: number[], ideal: number[]): { pairedCpuRatio: number; pairedCpuRange: [number, number] } {
  const r = real.map((x, i) => x / ideal[i]);
  return { pairedCpuRatio: median(r), pairedCpuRange: [Math.min(...r), Math.max(...r)] };
}

const median = (v: number[]): number => { const s = [...v].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

export function measureTimingCost(rounds: number, scenario = "normal", seed = 1): TimingCost {
  // One Machine for every flight, as a generate worker keeps (a new one per flight adds its setup to both alike).
  const host: FlightHost = { machine: new Machine() };
  const models: TimingModelName[] = ["ideal", "realistic"];
  const cpu = new Map<TimingModelName, number[]>(models.map((m) => [m, []]));
  const wall = new Map<TimingModelName, number[]>(models.map((m) => [m, []]));
  const syscalls = new Map<TimingModelName, number>();
  const fly = (timing: TimingModelName): void => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-bench-timing-"));
    try {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = runFlight({ scenario, seed, outDir: dir, timing }, host);
      wall.get(timing)!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.get(timing)!.push((c.user + c.system) / 1000);
      syscalls.set(timing, r.manifest.recording.syscalls);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  for (const m of models) fly(m); // warm-up: the JIT and the instance, not counted
  for (const m of models) { cpu.get(m)!.length = 0; wall.get(m)!.length = 0; }
  for (let r = 0; r < rounds; r++) for (const m of r % 2 ? [...models].reverse() : models) fly(m);
  const rows = models.map((m): TimingCostRow => ({
    timing: m, flights: rounds, syscalls: syscalls.get(m)!,
    medianCpuMs: median(cpu.get(m)!), medianWallMs: median(wall.get(m)!),
    cpuUsPerSyscall: (median(cpu.get(m)!) * 1000) / syscalls.get(m)!,
  }));
  const [ideal, real] = rows;
  return {
    scenario, seed, rounds, rows,
    cpuRatio: real.medianCpuMs / ideal.medianCpuMs,
    wallRatio: real.medianWallMs / ideal.medianWallMs,
    perSyscallRatio: real.cpuUsPerSyscall / ideal.cpuUsPerSyscall,
    ...paired(cpu.get("realistic")!, cpu.get("ideal")!),
    drawNs: drawCost(),
  };
}

export function timingCostTable(t: TimingCost): string {
  const f = (n: number, d = 0) => n.toFixed(d);
  return [
    "| timing | flights | syscalls | CPU ms / flight (median) | wall ms / flight (median) | CPU µs / syscall |",
    "|---|---|---|---|---|---|",
    ...t.rows.map((r) => `| ${r.timing} | ${r.flights} | ${r.syscalls} | ${f(r.medianCpuMs)} | ${f(r.medianWallMs)} | ${f(r.cpuUsPerSyscall, 2)} |`),
    `| **realistic / ideal** | | | **${f(t.cpuRatio, 3)}×** | ${f(t.wallRatio, 3)}× | ${f(t.perSyscallRatio, 3)}× |`,
    "",
    `Round by round (the two flights of a round back to back): realistic / ideal CPU ${f(t.pairedCpuRatio, 3)}× (median; ${f(t.pairedCpuRange[0], 2)}–${f(t.pairedCpuRange[1], 2)}×).`,
    `The model alone: ${f(t.drawNs)} ns of CPU per syscall draw (a tight loop of a million), against ${f(t.rows[0].cpuUsPerSyscall * 1000)} ns of CPU per syscall for a whole ideal flight (${f((100 * t.drawNs) / (t.rows[0].cpuUsPerSyscall * 1000), 1)} %).`,
  ].join("\n");
}

/** The table with the run it came from (the command, when, the load, the tier), as docs/timing.md's section holds it. */
export function timingCostSection(t: TimingCost, command: string, load: [number, number], when: Date, jit: boolean): string {
  return [
    `One run of \`${command}\`, ${utcMinute(when)} UTC, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after ` +
      `(this machine's 2 cores, the JIT ${jit ? "on" : "off"}): the ${t.scenario} flight of seed ${t.seed} with each clock, ${t.rounds} rounds, alternated on one reused instance.`,
    "",
    timingCostTable(t),
  ].join("\n");
}

// Alone: node dist/bench/timing.js [--rounds 8] [--scenario normal] [--seed 1] [--doc]
// --doc: the table also into docs/timing.md, between its markers.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const val = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const load0 = loadavg()[0];
  const t = measureTimingCost(Number(val("--rounds", "8")), val("--scenario", "normal"), Number(val("--seed", "1")));
  const load: [number, number] = [load0, loadavg()[0]];
  console.log(`## The timing model's cost (${t.scenario} flight, seed ${t.seed}, ${t.rounds} rounds each, alternated; load average ${load[0].toFixed(2)} before, ${load[1].toFixed(2)} after)\n`);
  console.log(timingCostTable(t));
  if (process.argv.includes("--doc")) {
    const command = ["node dist/bench/timing.js", ...process.argv.slice(2)].join(" ");
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/timing.md"), "timing-cost", timingCostSection(t, command, load, new Date(), jitDefault()));
  }
}
