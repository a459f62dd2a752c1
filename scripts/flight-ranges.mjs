// Fly many seeds of every scenario and print, as markdown, how often each did
// what it is meant to (src/flight/scenarios.ts) and the ranges of what the
// flights do (outcomes, distances, altitudes, touchdown, recorded time, syscalls
// and events, what they flew, syscalls by name, CPU per flight); write them into
// docs/dataset.md between its flight-ranges markers, so a rerun refreshes the
// doc. Uses the built dist/ (npm install or npm run build first).
//
//   node scripts/flight-ranges.mjs [--seeds 100] [--first-seed 0] [--scenarios a,b] [--workers N]
//                                  [--flight-options JSON] [--section NAME]
//                                  [--doc FILE | --no-doc] [--json FILE]
//
// --section NAME: write between the "flight-ranges:NAME:begin" and "flight-ranges:NAME:end"
// markers instead of the default ones (e.g. the long preset's table:
// --scenarios normal --flight-options '{"mission":"long"}' --section long).
// --seeds N: seeds first..first+N-1 of each scenario; --scenarios: a comma list (every scenario
// the build knows by default); --flight-options: a JSON object of runFlight's options besides
// scenario and seed (baud, maxVirtualSeconds, autopilot, drone); --json FILE: every flight's
// summary. Flights that do not finish are rows of their own ("failed: …"), not errors.
import { parseArgs } from "node:util";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { flyAll } from "./flight-ranges/pool.mjs";
import { intentTable, outcomeTable, missionTable, syscallTable, costTable, seedsLine } from "./flight-ranges/table.mjs";
import { replaceBetweenMarkers, MarkerError } from "./flight-ranges/doc.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DIST = path.join(ROOT, "dist");

class UsageError extends Error {}

function positiveInt(name, text, min = 1) {
  if (!/^\d+$/.test(text) || Number(text) < min || !Number.isSafeInteger(Number(text))) throw new UsageError(`--${name} ${JSON.stringify(text)}: an integer, at least ${min}`);
  return Number(text);
}

export function parseOptions(argv, known) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        seeds: { type: "string", default: "100" },
        "first-seed": { type: "string", default: "0" },
        scenarios: { type: "string" },
        workers: { type: "string" },
        "flight-options": { type: "string", default: "{}" },
        section: { type: "string", default: "" },
        doc: { type: "string", default: path.join(ROOT, "docs/dataset.md") },
        "no-doc": { type: "boolean", default: false },
        json: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UsageError(e.message);
  }
  const seeds = positiveInt("seeds", parsed.seeds);
  const firstSeed = positiveInt("first-seed", parsed["first-seed"], 0);
  if (firstSeed + seeds - 1 > 0xffff_ffff) throw new UsageError("--first-seed + --seeds goes past the largest seed, 4294967295");
  const scenarios = parsed.scenarios === undefined ? [...known] : parsed.scenarios.split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of scenarios) if (!known.includes(s)) throw new UsageError(`unknown scenario ${JSON.stringify(s)}: use ${known.join(", ")}`);
  if (scenarios.length === 0) throw new UsageError("--scenarios: name at least one");
  const workers = parsed.workers === undefined ? os.availableParallelism() : positiveInt("workers", parsed.workers);
  let flightOptions;
  try { flightOptions = JSON.parse(parsed["flight-options"]); } catch { throw new UsageError("--flight-options: not JSON"); }
  if (flightOptions === null || typeof flightOptions !== "object" || Array.isArray(flightOptions)) throw new UsageError("--flight-options: a JSON object");
  for (const k of ["scenario", "seed", "outDir"]) if (k in flightOptions) throw new UsageError(`--flight-options: ${k} is the script's`);
  if (!/^([a-z0-9-]+)?$/.test(parsed.section)) throw new UsageError(`--section ${JSON.stringify(parsed.section)}: lower-case letters, digits and -`);
  return { seeds, firstSeed, scenarios, workers, flightOptions, section: parsed.section, doc: parsed["no-doc"] ? null : parsed.doc, json: parsed.json, help: parsed.help };
}

// Interleaved by seed, so every worker has flights of every scenario until the end.
export function jobsOf(o) {
  const jobs = [];
  for (let i = 0; i < o.seeds; i++) for (const scenario of o.scenarios) jobs.push({ scenario, seed: o.firstSeed + i, options: o.flightOptions });
  return jobs;
}

export function machineLine(workers) {
  const cpus = os.cpus();
  const load = os.loadavg()[0].toFixed(1);
  return `${cpus[0]?.model.trim() ?? "unknown CPU"}, ${cpus.length} cores, Node ${process.versions.node}, ${workers} flight(s) at a time, load average ${load} at the start`;
}

export function report(flights, { command, machine }) {
  return [
    `Made by \`${command}\` (flights: ${seedsLine(flights)}; every other option at its default unless the command says).`,
    "Rerun it to refresh this part of the file; the figures are ranges (min–max) over those flights.",
    "",
    "What each scenario is meant to do, and how often it did:",
    "",
    intentTable(flights),
    "",
    "How the flights ended:",
    "",
    outcomeTable(flights),
    "",
    "Touchdown: the drone's first ground contact after take-off (the landing, or the crash), in virtual",
    "time from the start of the run; recorded: FlightBegin's SYSCALL to FlightEnd's SYSRET; events:",
    "SYSCALL plus SYSRET lines.",
    "",
    "What the flights flew (drawn from their seeds within the preset's ranges, docs/drone.md):",
    "",
    missionTable(flights),
    "",
    "Syscalls per flight, by name:",
    "",
    syscallTable(flights),
    "",
    "Cost per flight: the CPU time of the process flying it (the flight and V8's helper threads), each",
    "worker's first flight left out (it also warms the JIT up). Other jobs on the machine make it grow.",
    `Measured on: ${machine}.`,
    "",
    costTable(flights),
  ].join("\n");
}

// The comment block this file starts with.
function usage() {
  const lines = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");
  const end = lines.findIndex((l) => !l.startsWith("//"));
  return lines.slice(0, end).map((l) => l.replace(/^\/\/ ?/, "")).join("\n");
}

async function main() {
  if (!existsSync(path.join(DIST, "src/flight/index.js"))) throw new UsageError("dist/ is missing: run npm install (or npm run build) first");
  const { SCENARIOS, resolveFlight, FlightInputError } = await import(pathToFileURL(path.join(DIST, "src/flight/index.js")).href);
  const argv = process.argv.slice(2);
  const o = parseOptions(argv, SCENARIOS);
  if (o.help) { console.log(usage()); return; }
  for (const s of o.scenarios) {
    try { resolveFlight({ ...o.flightOptions, scenario: s, seed: o.firstSeed, outDir: "." }); } catch (e) {
      if (e instanceof FlightInputError) throw new UsageError(`--flight-options: ${e.message}`);
      throw e;
    }
  }
  if (o.doc) replaceBetweenMarkers(readFileSync(o.doc, "utf8"), "", o.section); // the markers are there: fail now, not after the flights
  const jobs = jobsOf(o);
  const started = Date.now();
  const machine = machineLine(o.workers);
  process.stderr.write(`flight-ranges: ${jobs.length} flights (${o.scenarios.join(", ")}; seeds ${o.firstSeed}–${o.firstSeed + o.seeds - 1}) on ${o.workers} worker(s)\n`);
  const flights = await flyAll(jobs, {
    workers: o.workers,
    dist: DIST,
    onDone: (f, done, total) => {
      if (done % 10 === 0 || done === total) process.stderr.write(`flight-ranges: ${done}/${total} flown (${Math.round((Date.now() - started) / 1000)} s)\n`);
    },
  });
  const shell = (a) => (/^[\w./,=:-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`); // as one would type it
  // The interpreter alone (SKYTRACE_JIT=0) is part of the command: it moves the CPU column, not the flights.
  const tier = process.env.SKYTRACE_JIT === "0" ? ["SKYTRACE_JIT=0"] : [];
  const command = [...tier, "node scripts/flight-ranges.mjs", ...argv.filter((a, i) => !["--doc", "--json"].includes(a) && !["--doc", "--json"].includes(argv[i - 1]) && a !== "--no-doc").map(shell)].join(" ");
  const text = report(flights, { command, machine });
  console.log(text);
  if (o.json) writeFileSync(o.json, JSON.stringify(flights, null, 1) + "\n");
  if (o.doc) {
    writeFileSync(o.doc, replaceBetweenMarkers(readFileSync(o.doc, "utf8"), text, o.section));
    process.stderr.write(`flight-ranges: wrote the tables into ${path.relative(process.cwd(), o.doc)}\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    if (e instanceof UsageError || e instanceof MarkerError) {
      console.error(`flight-ranges: ${e.message}`);
      process.exit(2);
    }
    console.error(`flight-ranges: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  });
}
