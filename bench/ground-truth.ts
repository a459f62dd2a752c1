// What the per-syscall table and its labels cost a flight: the same flight
// with them (the default) and without (FlightHost.groundTruth false: no rows,
// no probes, no labels, no Parquet file), alternated round after round in
// this one process on one reused host (as a generate worker runs them), each
// timed by this process's CPU and by the wall clock. The figure to quote is
// the ratio of medians, with over without: on a shared machine both move with
// the neighbours' load, the ratio much less. Beside it, the table's own
// encoding (the rows already filled) timed alone.
//   node dist/bench/ground-truth.js [--rounds 9] [--scenarios normal,sockets] [--doc]   (also in `npm run bench`)
// --doc: the table also into docs/dataset.md, between its markers.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { utcMinute, writeSection } from "./doc-section.js";
import { jitDefault } from "../src/machine/jit/default.js";
import { performance } from "node:perf_hooks";
import { runFlight, type FlightHost } from "../src/flight/run-flight.js";
import { syscallColumns } from "../src/dataset/syscalls-table.js";
import { writeParquet, type ParquetColumn } from "../src/dataset/parquet/writer.js";
import type { Table } from "apache-arrow";
import { int64, int8, parquetBytes, strings, table, uint64 } from "../src/dataset/columns.js";
import type { SyscallRows } from "../src/dataset/syscall-columns.js";
import { Machine } from "../src/machine/machine.js";
import { median } from "./median.js";

export interface GroundTruthRow {
  table: boolean;
  medianCpuMs: number;       // user + system CPU of one flight, median over rounds
  medianWallMs: number;
  cpuUsPerSyscall: number;
}

export interface GroundTruthCost {
  scenario: string;
  seed: number;
  rounds: number;
  syscalls: number;
  episodes: number;
  tableBytes: number;
  rows: GroundTruthRow[];    // without, with
  cpuRatio: number;          // with / without, medians of CPU per flight
  wallRatio: number;
  encodeMs: number;          // the table's Parquet encoding alone (CPU, median of 7), part of the difference
  generalMs: number;         // the same columns through the general writer (parquet-wasm, ZSTD), for comparison
  generalBytes: number;
  generalError: string | null;
}

const DICTS = { phases: ["", "TAKEOFF", "CRUISE", "LANDING", "LANDED", "CRASHED"], truthPhases: ["on_ground", "climbing", "cruising", "descending", "landed", "crashed"], causes: ["", "factoring", "udp"] };

// The table's columns as an Arrow table for parquet-wasm (src/dataset/columns.ts), as the events export is
// written; made before the timing, which covers the write alone.
function arrowTable(cols: ParquetColumn[], n: number): Table {
  return table(cols.map((c) => {
    if (c.kind === "string") { const k = c.indices as Int8Array | Int16Array | Int32Array; return strings(c.name, c.dictionary, k.subarray(0, n)); }
    if (c.kind === "int8") return int8(c.name, c.values.subarray(0, n));
    if ("ints" in c) return int64(c.name, BigInt64Array.from(c.ints.subarray(0, n), BigInt));
    if ("numbers" in c) return int64(c.name, BigInt64Array.from(c.numbers.subarray(0, n), BigInt));
    if (c.kind === "uint64") return uint64(c.name, new BigUint64Array(c.words.buffer, c.words.byteOffset, n).slice());
    return int64(c.name, new BigInt64Array(c.words.buffer, c.words.byteOffset, n).slice());
  }));
}
const general = (t: Table): Uint8Array => parquetBytes(t, { delta: ["seq", "enter_ns", "exit_ns"], statistics: ["seq", "enter_ns"], createdBy: "bench" });

function cpuMs(f: () => unknown, times = 7): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); ms.push((c.user + c.system) / 1000); }
  return median(ms);
}


export function measureGroundTruthCost(rounds: number, scenario = "sockets", seed = 1): GroundTruthCost {
  // One Machine for every flight, as a generate worker keeps (a new one per flight adds its setup to both alike).
  const host: FlightHost = { machine: new Machine() };
  const modes = [false, true];
  const cpu = new Map<boolean, number[]>(modes.map((m) => [m, []]));
  const wall = new Map<boolean, number[]>(modes.map((m) => [m, []]));
  let syscalls = 0, episodes = 0, tableBytes = 0;
  const fly = (table: boolean): void => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-bench-truth-"));
    try {
      host.groundTruth = table;
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const r = runFlight({ scenario, seed, outDir: dir }, host);
      wall.get(table)!.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.get(table)!.push((c.user + c.system) / 1000);
      syscalls = r.manifest.recording.syscalls;
      if (table) { episodes = r.manifest.episodes.length; tableBytes = r.checksums.syscalls!.bytes; }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  for (const m of modes) fly(m);   // warm-up: the JIT and the instance, not counted
  for (const m of modes) { cpu.get(m)!.length = 0; wall.get(m)!.length = 0; }
  for (let r = 0; r < rounds; r++) for (const m of r % 2 ? [...modes].reverse() : modes) fly(m);
  // The last flight had the table: its rows are still in the host's sinks.
  const rowsView: SyscallRows = host.sinks!.syscalls!.rowsView();
  const encodeMs = cpuMs(() => writeParquet(syscallColumns(rowsView, DICTS, "bench", scenario), rowsView.n, "bench"));
  // The comparison is a side figure: a failure of parquet-wasm (seen once, "failed to fill whole buffer"
  // reading its own input stream, after 40 flights in one process) is reported, not fatal.
  let generalMs = NaN, generalBytes = NaN, generalError: string | null = null;
  try {
    const arrow = arrowTable(syscallColumns(rowsView, DICTS, "bench", scenario), rowsView.n);
    generalMs = cpuMs(() => general(arrow));
    generalBytes = general(arrow).length;
  } catch (e) {
    generalError = (e as Error).message;
  }
  const rows = modes.map((m): GroundTruthRow => ({
    table: m, medianCpuMs: median(cpu.get(m)!), medianWallMs: median(wall.get(m)!), cpuUsPerSyscall: (median(cpu.get(m)!) * 1000) / syscalls,
  }));
  const [off, on] = rows;
  return {
    scenario, seed, rounds, syscalls, episodes, tableBytes, rows,
    cpuRatio: on.medianCpuMs / off.medianCpuMs, wallRatio: on.medianWallMs / off.medianWallMs, encodeMs, generalMs, generalBytes, generalError,
  };
}

export function groundTruthTable(costs: GroundTruthCost[]): string {
  const f = (n: number, d = 0) => n.toFixed(d);
  const lines = [
    "| scenario | per-syscall table and labels | flights | syscalls | CPU ms / flight (median) | wall ms / flight (median) | CPU µs / syscall |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const t of costs) {
    for (const r of t.rows) lines.push(`| ${t.scenario} | ${r.table ? "on" : "off"} | ${t.rounds} | ${t.syscalls} | ${f(r.medianCpuMs)} | ${f(r.medianWallMs)} | ${f(r.cpuUsPerSyscall, 2)} |`);
    lines.push(`| ${t.scenario} | **on / off** | | | **${f(t.cpuRatio, 3)}×** | ${f(t.wallRatio, 3)}× | |`);
  }
  lines.push("");
  for (const t of costs) {
    lines.push(`${t.scenario}: ${t.episodes} episodes; the table is ${f(t.tableBytes / 1024, 1)} KB, written in ${f(t.encodeMs, 1)} ms of CPU ` +
      (t.generalError ? `(parquet-wasm failed on the same columns: ${t.generalError}).`
        : `(the same columns through parquet-wasm with ZSTD: ${f(t.generalMs, 1)} ms, ${f(t.generalBytes / 1024, 1)} KB).`));
  }
  return lines.join("\n");
}

/** The table with the run it came from (when, the load, the tier), as docs/dataset.md's section holds it. */
export function groundTruthSection(costs: GroundTruthCost[], load: [number, number], when: Date, jit: boolean): string {
  return [
    `One run, ${utcMinute(when)} UTC, load average ${load[0].toFixed(2)} before and ${load[1].toFixed(2)} after (this machine's 2 cores, the JIT ${jit ? "on" : "off"}; ` +
      `the load counts this run too): seed ${costs[0]?.seed ?? 1} of each scenario, ${costs[0]?.rounds ?? 0} rounds with the table and without, alternated on one reused instance.`,
    "",
    groundTruthTable(costs),
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const val = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const load0 = loadavg()[0], when = new Date();
  const costs = val("--scenarios", "normal,sockets").split(",").map((s) => measureGroundTruthCost(Number(val("--rounds", "9")), s, 1));
  console.log(groundTruthTable(costs));
  if (process.argv.includes("--doc")) {
    writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/dataset.md"), "ground-truth", groundTruthSection(costs, [load0, loadavg()[0]], when, jitDefault()));
  }
}
