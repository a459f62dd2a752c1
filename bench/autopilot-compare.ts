// The C autopilot's flight beside the Python autopilot's (`--autopilot python`), same scenario,
// seed and options: what their traces hold (syscalls by share, the select/read share, select's
// arguments, address spaces, syscalls per second of flight, busydelay's stalls) and what each cost
// (wall and CPU time of this process). Prints markdown; --doc writes it into docs/dataset.md's
// "autopilot-compare" section. Needs the host's python3 with pyserial (skipped with the reason
// without them).
//
//   node dist/bench/autopilot-compare.js [--seeds 1,2] [--scenarios normal,sockets,busydelay,shell,hog,spoof]
//                                        [--flight-options JSON] [--doc]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { runFlight } from "../src/flight/run-flight.js";
import { pythonMissing } from "../src/flight/autopilots.js";
import { jitDefault } from "../src/machine/jit/default.js";
import { utcMinute, writeSection } from "./doc-section.js";
import { median } from "./median.js";

const SELECT = new Set([23, 270]);
/** A stall: more than this much virtual time between one of the autopilot's calls returning and its next call. */
export const STALL_NS = 25e6;

/** One select's arguments, as its columns in the table beside the published line. */
export interface SelectShape { call: string; nfds: number; read: boolean; write: boolean; except: boolean; timeout: boolean; sigmask?: boolean }

export interface CompareRow {
  program: "c" | "python";
  scenario: string;
  seed: number;
  outcome: string;
  seconds: number;            // recorded virtual time
  syscalls: number;
  selectReadShare: number;    // select/pselect6 and 1-byte reads over all calls
  cr3s: number;               // address spaces in the trace
  images: number;             // manifest.processes
  loaded: number;             // files loaded from outside
  top: [string, number][];    // the six commonest syscalls and their share
  selects: [SelectShape, number][]; // select's argument shapes, commonest first
  stallsMs: number[];         // the autopilot's stalls (> STALL_NS), in order
  factoring: { instructions: number; candidates: number }[]; // the C flight's factoring episodes (ground truth)
  wallS: number;
  cpuS: number;               // this process's user + system CPU
}

export type Comparison =
  | { skipped: string }
  | { rows: CompareRow[]; python: CandidateCost | null; extra: Record<string, unknown>; cpuModel: string; load: [number, number] };

/** Instructions per trial division of guest/autopilot.py's smallest_factor, two numbers apart. */
export interface CandidateCost { numbers: [string, string]; instructions: [number, number]; candidates: [number, number]; perCandidate: number }

/** The raw trace's SYSCALL lines split at commas: ts, " SYSCALL", nr, six arguments, CR3. */
const syscallLines = (raw: string): string[][] => raw.split("\n").filter((l) => l.includes(" SYSCALL,")).map((l) => l.split(","));

export const shapeOf = (c: string[]): SelectShape => {
  const nr = parseInt(c[2], 16), given = (v: string) => v !== "0x0";
  const s: SelectShape = { call: nr === 23 ? "select" : "pselect6", nfds: parseInt(c[3], 16), read: given(c[4]), write: given(c[5]), except: given(c[6]), timeout: given(c[7]) };
  if (nr === 270) s.sigmask = given(c[8]);
  return s;
};

/**
 * The autopilot's stalls in a raw trace: the gaps longer than STALL_NS from one of its calls'
 * SYSRET to its next SYSCALL (user time: no syscall is made while it factors). The autopilot is
 * the address space with the most calls.
 */
export function stallsOf(raw: string): number[] {
  const events = raw.split("\n").filter((l) => l.includes(" SYSCALL,") || l.includes(" SYSRET,")).map((l) => l.split(","));
  const count = new Map<string, number>();
  for (const e of events) if (e[1] === " SYSCALL") count.set(e[9], (count.get(e[9]) ?? 0) + 1);
  const autopilot = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
  const out: number[] = [];
  let lastRet = -1;
  for (const e of events) {
    const sysret = e[1] === " SYSRET";
    if ((sysret ? e[2] : e[9]) !== autopilot) continue;
    const ts = Number(e[0]);
    if (sysret) lastRet = ts;
    else if (lastRet >= 0 && ts - lastRet > STALL_NS) out.push((ts - lastRet) / 1e6);
  }
  return out;
}

/**
 * The trial divisions of busy_factor(p, q), the same in both autopilots: smallest_factor(p·q)
 * tries the odd d from 3 to min(p, q), and each random_prime ends by testing its prime (odd d up
 * to its square root). The composites random_prime tried before are left out (their smallest
 * factors are small: a few thousand candidates at most against millions).
 */
export function factoringCandidates([p, q]: number[]): number {
  const upTo = (d: number) => Math.max(0, Math.floor((d - 1) / 2)); // odd d in 3..x
  return upTo(Math.min(p, q)) + upTo(Math.floor(Math.sqrt(p))) + upTo(Math.floor(Math.sqrt(q)));
}

const smallestFactor = (n: number): number => { if (n % 2 === 0) return 2; for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return d; return n; };
const primeFrom = (x: number): number => { let p = x | 1; while (smallestFactor(p) !== p) p += 2; return p; };

/**
 * guest/autopilot.py's smallest_factor run by the sysroot's python3 under `skytrace exec
 * --timing ideal` (1 ns per instruction) on two products of primes of 18 and 19 bits (the
 * Python autopilot's sizes), a getppid() before and after each: the instructions between a
 * marker's return and the next marker, the difference between the two numbers over the
 * difference of their candidates (the interpreter's fixed cost of a call cancels out).
 */
export function pythonCandidateCost(): CandidateCost {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const guest = path.join(root, "guest"), dir = mkdtempSync(path.join(os.tmpdir(), "skytrace-candidate-cost-"));
  try {
    const pairs = [[primeFrom((1 << 17) | 12345), primeFrom((1 << 17) | 54321)], [primeFrom((1 << 18) | 12345), primeFrom((1 << 18) | 54321)]];
    const numbers = pairs.map(([p, q]) => BigInt(p) * BigInt(q));
    const script = path.join(dir, "candidates.py"), trace = path.join(dir, "run.trace");
    writeFileSync(script, "import os, sys\nsys.path.insert(0, sys.argv[1])\nfrom autopilot import smallest_factor\n" +
      "for n in map(int, sys.argv[2:]):\n    os.getppid()\n    smallest_factor(n)\nos.getppid()\n");
    const r = spawnSync(process.execPath, [path.join(root, "bin/skytrace.js"), "exec", "--timing", "ideal", "--sysroot", "/", "--fs", guest, "--fs", dir,
      "--trace", trace, "/usr/bin/python3", script, guest, ...numbers.map(String)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`python3 under skytrace exec failed (${r.status}): ${r.stderr.trim().split("\n").pop()}`);
    // getppid is 110 (0x6e): its SYSCALL lines, and the SYSRET after each.
    const lines = readFileSync(trace, "latin1").split("\n");
    const marks: [number, number][] = [];
    lines.forEach((l, i) => { if (l.includes(" SYSCALL,0x6e,")) marks.push([Number(l.split(",")[0]), Number(lines[i + 1].split(",")[0])]); });
    if (marks.length !== 3) throw new Error(`expected 3 getppid calls in python3's trace, found ${marks.length}`);
    const instructions: [number, number] = [marks[1][0] - marks[0][1], marks[2][0] - marks[1][1]];
    const candidates = pairs.map(([p, q]) => Math.floor((Math.min(p, q) - 1) / 2)) as [number, number];
    return { numbers: numbers.map(String) as [string, string], instructions, candidates, perCandidate: (instructions[1] - instructions[0]) / (candidates[1] - candidates[0]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function compareFlight(scenario: string, seed: number, program: "c" | "python", extra: Record<string, unknown>): CompareRow {
  const dir = mkdtempSync(path.join(os.tmpdir(), "skytrace-autopilot-compare-"));
  try {
    const cpu0 = process.cpuUsage(), t0 = performance.now();
    const r = runFlight({ ...extra, scenario: scenario as never, seed, outDir: dir, program });
    const wallS = (performance.now() - t0) / 1000, cpu = process.cpuUsage(cpu0);
    const m = r.manifest, o = m.outcome;
    const raw = readFileSync(r.files.raw, "latin1");
    const calls = syscallLines(raw);
    const nr = (c: string[]) => parseInt(c[2], 16);
    const selects = calls.filter((c) => SELECT.has(nr(c)));
    const reads1 = calls.filter((c) => nr(c) === 0 && c[5] === "0x1");
    const shapes = new Map<string, [SelectShape, number]>();
    for (const c of selects) {
      const s = shapeOf(c), k = JSON.stringify(s);
      shapes.set(k, [s, (shapes.get(k)?.[1] ?? 0) + 1]);
    }
    return {
      program, scenario, seed,
      outcome: o.crashed ? "crashed" : o.landed ? (o.reachedDestination ? "landed at destination" : "landed off target") : o.autopilotState,
      seconds: m.recording.durationNs / 1e9,
      syscalls: m.recording.syscalls,
      selectReadShare: (selects.length + reads1.length) / calls.length,
      cr3s: new Set(calls.map((c) => c[9])).size,
      images: m.processes.length,
      loaded: m.loaded.length,
      top: Object.entries(m.events).slice(0, 6).map(([n, k]) => [n, k / m.recording.syscalls]),
      selects: [...shapes.values()].sort((a, b) => b[1] - a[1]),
      stallsMs: stallsOf(raw),
      factoring: m.episodes.filter((e) => e.cause === "factoring").map((e) => ({
        instructions: Number(e.params.instructions), candidates: factoringCandidates(e.params.factors as number[]),
      })),
      wallS, cpuS: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function compareAutopilots(scenarios: string[], seeds: number[], extra: Record<string, unknown> = {}): Comparison {
  const why = pythonMissing("/");
  if (why) return { skipped: why };
  const load0 = os.loadavg()[0];
  const rows: CompareRow[] = [];
  // Not counted: the first flight of each pays the process's start-up (the JIT's first compiles, the sysroot's files read once).
  for (const program of ["c", "python"] as const) compareFlight(scenarios[0], seeds[0], program, extra);
  for (const scenario of scenarios) for (const seed of seeds) for (const program of ["c", "python"] as const) rows.push(compareFlight(scenario, seed, program, extra));
  const python = scenarios.includes("busydelay") ? pythonCandidateCost() : null;
  return { rows, python, extra, cpuModel: os.cpus()[0]?.model ?? "unknown CPU", load: [load0, os.loadavg()[0]] };
}

// The published trace is not in this repository: what the repo quotes of it is the raw format's
// example line (README), a select record.
export const PUBLISHED = "592834, SYSCALL,0x17,0x6,0x7ffc7f0817f0,0x7ffc7f081870,0x7ffc7f0818f0,0x0,0x0,0x1f86f000";

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const given = (b: boolean) => (b ? "given" : "NULL");
const shapeText = (s: SelectShape) => `${s.call}(nfds ${s.nfds}, read ${given(s.read)}, write ${given(s.write)}, except ${given(s.except)}, timeout ${given(s.timeout)}${s.sigmask === undefined ? "" : `, sigmask ${given(s.sigmask)}`})`;
const shapeRow = (who: string, s: SelectShape) => `| ${who} | \`${s.call}\` (${s.call === "select" ? 23 : 270}) | ${s.nfds} | ${given(s.read)} | ${given(s.write)} | ${given(s.except)} | ${given(s.timeout)} |`;
const n0 = (x: number) => Math.round(x).toLocaleString("en-US");

/** The markdown the bench prints: the table, the syscall mix, select's arguments, the stalls, the cost. */
export function compareTables(t: Comparison): string {
  if ("skipped" in t) return `Skipped: ${t.skipped}.`;
  const lines = [
    "| scenario, seed | autopilot | outcome | recorded | syscalls | per second | select + 1-byte read | CR3s (images) | files loaded | wall / CPU |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...t.rows.map((r) => `| ${r.scenario} ${r.seed} | ${r.program} | ${r.outcome} | ${r.seconds.toFixed(2)} s | ${n0(r.syscalls)} | ${n0(r.syscalls / r.seconds)} | ${pct(r.selectReadShare)} | ${r.cr3s} (${r.images}) | ${r.loaded} | ${r.wallS.toFixed(1)} s / ${r.cpuS.toFixed(1)} s |`),
    "",
    "Syscalls by share, and select's arguments (× how many):",
    "",
    ...t.rows.map((r) => `- ${r.scenario} ${r.seed}, ${r.program}: ${r.top.map(([n, x]) => `${n} ${pct(x)}`).join(", ")}. ${r.selects.map(([s, k]) => `${shapeText(s)} ×${k}`).join("; ") || "no select"}`),
  ];
  const stalled = t.rows.filter((r) => r.stallsMs.length > 0);
  if (stalled.length) {
    lines.push("", `Stalls (more than ${STALL_NS / 1e6} ms from one of the autopilot's calls returning to its next call), min–max (median) in virtual ms:`, "");
    for (const r of stalled) lines.push(`- ${r.scenario} ${r.seed}, ${r.program}: ${r.stallsMs.length} stalls, ${Math.min(...r.stallsMs).toFixed(0)}–${Math.max(...r.stallsMs).toFixed(0)} (${median(r.stallsMs).toFixed(0)}), over ${r.seconds.toFixed(2)} s of recording`);
    for (const c of stalled.filter((r) => r.program === "c")) {
      const py = stalled.find((r) => r.program === "python" && r.scenario === c.scenario && r.seed === c.seed);
      if (py) lines.push(`- ${c.scenario} ${c.seed}: Python's median stall ${(median(py.stallsMs) / median(c.stallsMs)).toFixed(2)}× C's`);
    }
  }
  const cEpisodes = t.rows.filter((r) => r.program === "c").flatMap((r) => r.factoring);
  if (cEpisodes.length && t.python) {
    const c = cEpisodes.reduce((a, e) => a + e.instructions, 0) / cEpisodes.reduce((a, e) => a + e.candidates, 0), py = t.python;
    lines.push("", `Instructions per candidate of the trial division: C ${c.toFixed(2)} (the C busydelay flights' ${cEpisodes.length} factoring episodes: ` +
      `their instructions over their candidates), Python ${py.perCandidate.toFixed(0)} (guest/autopilot.py's smallest_factor under \`skytrace exec --timing ideal\`: ` +
      `${n0(py.instructions[0])} instructions for ${n0(py.candidates[0])} candidates of ${py.numbers[0]}, ${n0(py.instructions[1])} for ${n0(py.candidates[1])} of ${py.numbers[1]}; ` +
      `the difference over the difference): ${(py.perCandidate / c).toFixed(0)}× (the Python autopilot factors the schedule's bits less 7: 2^7 = 128 times fewer candidates).`);
  }
  const ratios = t.rows.filter((r) => r.program === "c").flatMap((c) => {
    const py = t.rows.find((r) => r.program === "python" && r.scenario === c.scenario && r.seed === c.seed);
    return py ? [`${c.scenario} ${c.seed} ${(py.cpuS / c.cpuS).toFixed(1)}×`] : [];
  });
  if (ratios.length) lines.push("", `Python's CPU over C's, flight by flight: ${ratios.join(", ")}.`);
  const normal = t.rows.filter((r) => r.scenario === "normal");
  if (normal.length) {
    lines.push("", "Each normal flight's commonest select beside the published line the repo quotes (README):", "",
      "| trace | call | nfds | read set | write set | except set | timeout |", "|---|---|---|---|---|---|---|",
      shapeRow("published (the quoted line)", shapeOf(PUBLISHED.split(","))),
      ...normal.filter((r) => r.selects.length).map((r) => shapeRow(`${r.program === "c" ? "C" : "Python"} autopilot, seed ${r.seed}`, r.selects[0][0])));
  }
  return lines.join("\n");
}

/** The tables with the run they came from (the command, when, the machine, the load, the tier), as docs/dataset.md's section holds them. */
export function compareSection(t: Comparison, command: string, when: Date, jit: boolean): string {
  if ("skipped" in t) return compareTables(t);
  return [
    `One run of \`${command}\`, ${utcMinute(when)} UTC, on ${t.cpuModel} (the JIT ${jit ? "on" : "off"}), load average ${t.load[0].toFixed(2)} before and ` +
      `${t.load[1].toFixed(2)} after; flight options ${JSON.stringify(t.extra)} beside each scenario and seed. Wall and CPU are this process's, one flight after another.`,
    "",
    compareTables(t),
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: {
    seeds: { type: "string", default: "1" }, scenarios: { type: "string", default: "normal,sockets,busydelay,shell,hog,spoof" },
    "flight-options": { type: "string", default: "{}" }, doc: { type: "boolean", default: false },
  } });
  const seeds = values.seeds.split(",").map(Number), scenarios = values.scenarios.split(",");
  const extra = JSON.parse(values["flight-options"]) as Record<string, unknown>;
  const t = compareAutopilots(scenarios, seeds, extra);
  console.log(compareTables(t));
  if (values.doc) {
    if ("skipped" in t) { console.error(`--doc: nothing written (${t.skipped})`); process.exitCode = 1; }
    else {
      const command = ["node dist/bench/autopilot-compare.js", ...process.argv.slice(2)].join(" ");
      writeSection(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/dataset.md"), "autopilot-compare", compareSection(t, command, new Date(), jitDefault()));
    }
  }
}
