// Does the host's optimized code survive from one flight to the next? Child
// nodes with --trace-opt run `generate` with one worker (the real pool, its
// heap settings and its task loop: flight, Parquet export, checksums), once
// with the real flight job, which holds each flight's objects until the next
// flight is done (FlightHost.previous), and once with the same job dropping
// them. V8's optimizing compiles over a run of N flights and over one of 2N
// flights differ by what flights N+1..2N cost once warm: that difference per
// flight, side by side for both jobs. (Counting from end totals: V8 writes its
// trace lines through a buffer of its own, so marks written between flights
// would not land in order.)
//   node dist/bench/recompiles.js [--flights 8] [--scenario normal] [--quick]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { generate } from "../src/generate/generate.js";
import { QUICK_OPTIONS } from "./throughput.js";

export interface RecompileFigures {
  compilesPerFlight: number;
  compileMsPerFlight: number;  // TurboFan's own time, on V8's compiler threads (the middle figure of "took a, b, c ms")
}

export interface RecompileResult {
  scenario: string;
  flights: number;             // N: the runs are N and 2N flights
  hold: RecompileFigures;
  drop: RecompileFigures;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const DROP_JOB = pathToFileURL(path.join(here, "drop-previous-job.js")).href;

// The child: one generate run, its job given by --job (drop | hold).
async function child(job: string, flights: number, scenario: string, quick: boolean): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), "skytrace-recompiles-"));
  try {
    const s = await generate({
      out, flights, mix: `${scenario}=1`, seed: "1", workers: 1, flightOptions: quick ? QUICK_OPTIONS : {},
      jobModule: job === "drop" ? DROP_JOB : undefined,
    });
    if (s.failed > 0) throw new Error(`${s.failed} flights failed: ${s.failures[0]?.error}`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function totals(job: string, flights: number, scenario: string, quick: boolean): { n: number; ms: number } {
  const args = ["--trace-opt", fileURLToPath(import.meta.url), "--child", job, "--flights", String(flights), "--scenario", scenario];
  if (quick) args.push("--quick");
  const r = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`recompiles child (${job}, ${flights} flights) failed: ${r.stderr || r.error?.message}`);
  let n = 0, ms = 0;
  for (const line of r.stdout.split("\n")) {
    if (!line.startsWith("[completed compiling")) continue;
    const m = /took [0-9.]+, ([0-9.]+),/.exec(line);
    n++;
    ms += m ? Number(m[1]) : 0;
  }
  return { n, ms };
}

export function measureRecompiles(opts: { flights?: number; scenario?: string; quick?: boolean } = {}): RecompileResult {
  const flights = Math.max(1, opts.flights ?? 8), scenario = opts.scenario ?? "normal", quick = opts.quick ?? false;
  const steady = (job: string): RecompileFigures => {
    const a = totals(job, flights, scenario, quick), b = totals(job, 2 * flights, scenario, quick);
    return { compilesPerFlight: (b.n - a.n) / flights, compileMsPerFlight: (b.ms - a.ms) / flights };
  };
  return { scenario, flights, hold: steady("hold"), drop: steady("drop") };
}

export function recompilesTable(r: RecompileResult): string {
  const f1 = (x: number) => x.toFixed(1);
  return [
    `| ${r.scenario}, 1 worker, flights ${r.flights + 1}–${2 * r.flights} | optimizing compiles per flight | TurboFan ms per flight |`,
    "|---|---:|---:|",
    `| previous flight's objects held (the real job) | ${f1(r.hold.compilesPerFlight)} | ${f1(r.hold.compileMsPerFlight)} |`,
    `| dropped after each flight | ${f1(r.drop.compilesPerFlight)} | ${f1(r.drop.compileMsPerFlight)} |`,
  ].join("\n");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const val = (name: string, d: string) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : d; };
  const flights = Number(val("--flights", "8")), scenario = val("--scenario", "normal"), quick = process.argv.includes("--quick");
  const job = val("--child", "");
  if (job !== "") await child(job, flights, scenario, quick);
  else console.log(recompilesTable(measureRecompiles({ flights, scenario, quick })));
}
