// README.md's benchmark table, made from what `npm run bench` saved (bench/results.json) instead
// of typed by hand: one row per measure, each figure computed from the run's own numbers, and
// above the table when the run started and how busy the machine was meanwhile.
//   node dist/bench/readme-table.js [RESULTS=bench/results.json] [--doc]
// --doc: into README.md, between its markers (bench/doc-section.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { utcMinute, writeSection } from "./doc-section.js";
import type { StartupResult } from "./startup.js";
import type { MipsResult } from "./mips.js";
import type { ProgramResult } from "./programs.js";
import type { JitCostRow } from "./jit-cost.js";
import type { FlightBench } from "./flight.js";
import type { ThroughputResult } from "./throughput.js";
import type { ResearchCost } from "./research-cost.js";
import type { AutopilotCost } from "./autopilot.js";
import type { FreshRun } from "./fresh-run.js";
import type { MachineScalingRow } from "./machine-scaling.js";
import { SCALING_TARGET } from "./scaling.js";

/** The parts of bench/results.json the table reads (each may be missing: its row says so). */
export interface BenchResults {
  date?: string;
  startup?: StartupResult;
  mips?: MipsResult[];
  programs?: ProgramResult[];
  jitCost?: JitCostRow[];
  flights?: FlightBench[];
  throughput?: ThroughputResult;
  researchCost?: ResearchCost;
  autopilots?: AutopilotCost;
  machineScaling?: MachineScalingRow[];
}

const x1 = (v: number): string => `${v.toFixed(1)}×`;
const x2 = (v: number): string => `${v.toFixed(2)}×`;
const ms = (sec: number): string => `${(sec * 1000).toFixed(0)} ms`;
const s2 = (sec: number): string => `${sec.toFixed(2)} s`;
const mips = (instructions: number, sec: number): string => (instructions / sec / 1e6).toFixed(0);
const range = (v: number[]): string => `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)} %`;
const PROGRAM_NAMES: Record<string, string> = { lua: "Lua", sqlite: "SQLite", python: "CPython" };
const RESEARCH_TARGET = 1.15;  // issue 10
const COMPILE_TARGET = 10;     // issue 14, % of a first run's wall time

function mipsRow(label: string, rows: MipsResult[] | undefined, name: string, nativeToo: boolean): string {
  const jit = rows?.find((r) => r.name === name && r.jit), interp = rows?.find((r) => r.name === name && !r.jit);
  if (!jit || !interp) return `| ${label} | not measured |`;
  const n = jit.instructions;
  return `| ${label} (${(n / 1e6).toFixed(0)} M instructions) | JIT ${mips(n, jit.emulatedSec)} MIPS, interpreter ${mips(n, interp.emulatedSec)} MIPS; ` +
    `${nativeToo ? `native ${mips(n, jit.nativeSec)}, ` : ""}${jit.qemuSec != null ? `qemu-x86_64 ${mips(n, jit.qemuSec)}` : "no qemu-x86_64"} |`;
}

const compileShare = (r: FreshRun): number => (100 * r.compileSec) / r.wallSec;
const fastest = (runs: FreshRun[]): FreshRun => runs.reduce((a, b) => (b.wallSec < a.wallSec ? b : a));

export function readmeTable(r: BenchResults): string {
  const lines = ["| measure | figure |", "|---|---|"];
  const st = r.startup;
  lines.push(st ? `| \`skytrace exec\` of an empty static program | ${ms(st.skytraceSec)} (\`node -e 0\` alone: ${ms(st.nodeSec)}${st.qemuSec != null ? `; qemu-x86_64: ${ms(st.qemuSec)}` : ""}) |`
    : "| `skytrace exec` of an empty static program | not measured |");
  lines.push(mipsRow("factoring program", r.mips, "factor", true));
  lines.push(mipsRow("mixed program", r.mips, "mixed", false));
  const progs = (r.programs ?? []).filter((p) => !p.skipped && p.qemuSec != null && p.jitSec !== undefined && p.interpSec !== undefined);
  lines.push(progs.length
    ? `| ${progs.map((p) => PROGRAM_NAMES[p.name] ?? p.name).join(", ")} on Debian's static libraries, JIT time against qemu-x86_64's | ${progs.map((p) => x1(p.jitSec! / p.qemuSec!)).join(", ")} ` +
      `(\`--no-jit\`: ${progs.map((p) => x1(p.interpSec! / p.qemuSec!)).join(", ")}) |`
    : "| library programs against qemu-x86_64 | not measured |");
  const jc = (r.jitCost ?? []).filter((c) => !c.skipped && c.jit.length > 0);
  const factor = jc.find((c) => c.name === "factor");
  const flightRuns = jc.filter((c) => c.name === "normal" || c.name === "busydelay").flatMap((c) => c.jit);
  const libRuns = jc.filter((c) => c.name !== "factor" && c.name !== "normal" && c.name !== "busydelay").flatMap((c) => c.jit);
  lines.push(jc.length
    ? `| JIT compile time, first run in a fresh process | ${[
      factor ? `${compileShare(fastest(factor.jit)).toFixed(0)} % of the factoring run` : "",
      flightRuns.length ? `${range(flightRuns.map(compileShare))} of a flight` : "",
      libRuns.length ? `${range(libRuns.map(compileShare))} of the library programs' runs` : "",
    ].filter((t) => t).join(", ")} (issue 14's target: ${COMPILE_TARGET} %) |`
    : "| JIT compile time, first run in a fresh process | not measured |");
  const flight = (scenario: string, jit: boolean) => r.flights?.find((f) => f.scenario === scenario && f.jit === jit);
  const normal = flight("normal", false) ?? flight("normal", true);
  if (normal) lines.push(`| NORMAL flight (${normal.syscalls.toLocaleString("en-US").replace(/,/g, " ")} syscalls, ${normal.virtualSec.toFixed(1)} s virtual), \`skytrace fly\` in-process | ${s2(normal.wallSec)} wall, ${normal.jit ? "with the JIT" : "interpreted"} |`);
  const bj = flight("busydelay", true), bi = flight("busydelay", false);
  if (bj && bi) {
    lines.push(`| BUSYDELAY flight (seed ${bj.seed}, ${bj.outcome === "crashed" ? "crashes" : bj.outcome} after ${bj.virtualSec.toFixed(1)} s virtual) | ${s2(bj.wallSec)} wall with the JIT, ${s2(bi.wallSec)} with \`--no-jit\` ` +
      `(CPU ${s2(bj.cpuSec)} against ${s2(bi.cpuSec)}: ${x1(bi.cpuSec / bj.cpuSec)}) |`);
  }
  const t = r.throughput;
  if (t && t.scaling.length) {
    const sizes = t.scaling.map((sc) => `${sc.scenario} ${t.rows.find((x) => x.scenario === sc.scenario)?.flights ?? "?"}`).join(", ");
    const ratio = (v: number) => (v >= SCALING_TARGET ? `**${x2(v)}**` : x2(v));
    lines.push(`| generate, flights per minute, 1 worker → ${t.scaling[0].workers} workers (flights a run: ${sizes}) | ` +
      `${t.scaling.map((sc) => `${sc.scenario} ${sc.one.toFixed(0)} → ${sc.all.toFixed(0)} (${ratio(sc.ratio)})`).join(", ")}; target ${SCALING_TARGET}× |`);
    lines.push(`| the same once every worker is going (after each worker's second flight) | ${t.scaling.map((sc) => x2(sc.warmRatio)).join(", ")} |`);
    const one = t.rows.find((x) => x.scenario === "normal" && x.workers === 1);
    if (one) lines.push(`| generate, CPU per normal flight | ${s2(one.cpuSecPerFlight)} for the process${one.workerCpuSecPerFlight >= 0 ? `, of which ${s2(one.workerCpuSecPerFlight)} on the worker thread` : ""} |`);
    const m = r.machineScaling;
    if (m?.length) lines.push(`| the machine alone: one job against two at once as separate processes, no pool (\`bench/machine-scaling.ts\`) | ${m.map((x) => `${x.job} ${x2(x.ratio)}`).join(", ")} |`);
    if (t.export) lines.push(`| Parquet export of a normal flight (${(t.export.events / 1000).toFixed(0)}k events) | ${t.export.msPerFlight.toFixed(0)} ms |`);
  }
  const rc = r.researchCost;
  if (rc) {
    lines.push(`| a research-grade recording (the per-syscall table with its labels, and the realistic clock) against the bare flight | ${x2(rc.wallRatio)} wall, ${x2(rc.cpuRatio)} CPU ` +
      `(medians of ${rc.rounds} rounds; target ${RESEARCH_TARGET}× wall: ${rc.wallRatio <= RESEARCH_TARGET ? "met" : "not met"}) |`);
  }
  const ap = r.autopilots;
  if (ap) lines.push("skipped" in ap ? `| the Python autopilot against the C one | skipped: ${ap.skipped} |`
    : `| the Python autopilot against the C one (${ap.scenario} flight, seed ${ap.seed}, alternated) | ${x1(ap.wallRatio)} the wall time, ${x1(ap.cpuRatio)} the CPU |`);
  return lines.join("\n");
}

/** The line above the table: when the run started and what else the machine did during the generate rows. */
export function readmeRunLine(r: BenchResults): string {
  const when = r.date ? `${utcMinute(r.date)} UTC` : "an unrecorded time";
  const rows = r.throughput?.rows ?? [];
  const loads = rows.flatMap((x) => x.load1);
  const others = rows.map((x) => x.othersCores).filter((c) => c >= 0);
  const busy = rows.length
    ? `; during the generate rows the load average was ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}` +
      (others.length ? ` and other processes used at most ${Math.max(...others).toFixed(2)} core` : "")
    : "";
  return `One run of \`npm run bench\` on this project's 2-core machine, started ${when}${busy} (\`bench/results.json\`; ` +
    "this table: `node dist/bench/readme-table.js --doc`):";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const args = process.argv.slice(2);
  const file = args.find((a) => a !== "--doc") ?? path.join(root, "bench/results.json");
  let results: BenchResults;
  try {
    results = JSON.parse(readFileSync(file, "utf8")) as BenchResults;
  } catch (e) {
    console.error(`readme-table: cannot read ${file}: ${(e as Error).message} (run \`npm run bench\` first)`);
    process.exit(2);
  }
  const body = `${readmeRunLine(results)}\n\n${readmeTable(results)}`;
  console.log(body);
  if (args.includes("--doc")) writeSection(path.join(root, "README.md"), "readme", body);
}
