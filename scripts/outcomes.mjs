// Fly N seeds of each scenario with the varied defaults (or a preset, or any
// flight options) and tell how often each scenario does what it is meant to
// (normal and sockets: reach the destination and land; busydelay: crash short
// of it), with the ranges of what was flown and what was recorded. Writes the
// table into docs/dataset.md between its outcome markers for the preset, so a
// rerun refreshes the doc. Uses the built dist/ (npm install or npm run build).
//
//   node scripts/outcomes.mjs [--seeds 200] [--first-seed 1] [--scenarios normal,busydelay,sockets]
//                             [--mission short|long] [--workers N] [--flight-options JSON]
//                             [--doc FILE | --no-doc] [--json FILE]
//
// --json FILE: one line per flight (its seed, outcome, mission and counts) for a closer look.
// Flights that fail to run count as not doing what they should, with their error.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { parseArgs } from "node:util";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = (p) => pathToFileURL(path.join(ROOT, "dist", p)).href;

// What each scenario is meant to do, as a predicate on the manifest's outcome.
export const EXPECTED = {
  normal: { what: "reaches the destination and lands", ok: (o) => o.reachedDestination && o.landed },
  sockets: { what: "reaches the destination and lands", ok: (o) => o.reachedDestination && o.landed },
  busydelay: { what: "crashes short of the destination", ok: (o) => o.crashed && !o.reachedDestination },
};

// One flight's summary, from its manifest.
function summarize(seed, m) {
  const o = m.outcome;
  return {
    seed, ok: true, reached: o.reachedDestination, landed: o.landed, crashed: o.crashed, crashReason: o.crashReason,
    waypoints: o.waypointsReached, distanceToDestinationM: o.distanceToDestinationM, maxAltitudeM: o.maxAltitudeM,
    touchdownSpeedMps: o.touchdownSpeedMps, virtualS: m.recording.durationNs / 1e9, syscalls: m.recording.syscalls,
    datagrams: m.events.sendto ?? 0, mission: m.mission, environment: m.environment,
  };
}

async function worker() {
  const { runFlight } = await import(dist("src/flight/run-flight.js"));
  const { Machine } = await import(dist("src/machine/machine.js"));
  const host = { machine: new Machine() };
  parentPort.on("message", (seed) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "skytrace-outcomes-"));
    const t0 = process.cpuUsage();
    let r;
    try {
      r = summarize(seed, runFlight({ ...workerData.options, scenario: workerData.scenario, seed, outDir: dir }, host).manifest);
    } catch (e) {
      host.machine = new Machine(); // a fresh instance after a failure
      r = { seed, ok: false, error: String(e?.message ?? e).split("\n")[0] };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const cpu = process.cpuUsage(t0);
    parentPort.postMessage({ ...r, cpuS: (cpu.user + cpu.system) / 1e6 });
  });
}

function flyAll(scenario, seeds, options, workers, onFlight) {
  const results = [];
  let next = 0, live = 0;
  return new Promise((resolve, reject) => {
    for (let w = 0; w < Math.min(workers, seeds.length); w++) {
      const wk = new Worker(new URL(import.meta.url), { workerData: { scenario, options } });
      live++;
      const feed = () => {
        if (next < seeds.length) wk.postMessage(seeds[next++]);
        else wk.terminate().then(() => { if (--live === 0) resolve(results.sort((a, b) => a.seed - b.seed)); });
      };
      wk.on("message", (r) => { results.push(r); onFlight(r); feed(); });
      wk.on("error", reject);
      feed();
    }
  });
}

const fmt = (v, d) => (Number.isInteger(v) && d === 0 ? v.toLocaleString("en-US").replace(/,/g, " ") : v.toFixed(d));
function range(values, d = 1) {
  if (values.length === 0) return "–";
  const s = [...values].sort((a, b) => a - b);
  const lo = fmt(s[0], d), hi = fmt(s[s.length - 1], d), med = fmt(s[Math.floor(s.length / 2)], d);
  return lo === hi ? lo : `${lo}–${hi} (median ${med})`;
}

export function table(byScenario, preset, firstSeed, count) {
  const lines = [
    `Preset \`${preset}\`, seeds ${firstSeed}–${firstSeed + count - 1} of each scenario (\`node scripts/outcomes.mjs --seeds ${count} --first-seed ${firstSeed}${preset === "short" ? "" : ` --mission ${preset}`}\`):`,
    "",
    "| scenario | meant to | did so | rate | virtual time (s) | syscalls | route (m) | max altitude (m) | landed from the destination (m) | not as meant |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [scenario, rs] of Object.entries(byScenario)) {
    const e = EXPECTED[scenario];
    const flown = rs.filter((r) => r.ok);
    const good = flown.filter((r) => e.ok({ reachedDestination: r.reached, landed: r.landed, crashed: r.crashed }));
    const bad = rs.filter((r) => !r.ok || !good.includes(r));
    const landed = flown.filter((r) => r.landed);
    lines.push(`| ${scenario} | ${e.what} | ${good.length}/${rs.length} | ${((100 * good.length) / rs.length).toFixed(1)} % | ` +
      `${range(flown.map((r) => r.virtualS))} | ${range(flown.map((r) => r.syscalls), 0)} | ${range(flown.map((r) => r.mission.distanceM))} | ` +
      `${range(flown.map((r) => r.maxAltitudeM))} | ${landed.length ? range(landed.map((r) => r.distanceToDestinationM), 2) : "–"} | ` +
      `${bad.length ? bad.map((r) => r.ok ? `${r.seed} (${r.crashed ? "crashed" : r.landed ? "landed" : "ended"}${r.reached ? ", reached" : ""})` : `${r.seed} (failed: ${r.error})`).join(", ") : "none"} |`);
  }
  return lines.join("\n");
}

function replaceBetween(text, preset, body) {
  const begin = `<!-- outcomes:${preset}:begin -->`, end = `<!-- outcomes:${preset}:end -->`;
  const i = text.indexOf(begin), j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`no ${begin} … ${end} markers`);
  return text.slice(0, i + begin.length) + "\n" + body + "\n" + text.slice(j);
}

async function main() {
  const { values: a } = parseArgs({
    options: {
      seeds: { type: "string", default: "200" }, "first-seed": { type: "string", default: "1" },
      scenarios: { type: "string", default: Object.keys(EXPECTED).join(",") }, mission: { type: "string", default: "short" },
      workers: { type: "string", default: String(Math.max(1, os.availableParallelism())) },
      "flight-options": { type: "string", default: "{}" }, doc: { type: "string", default: path.join(ROOT, "docs/dataset.md") },
      "no-doc": { type: "boolean", default: false }, json: { type: "string" },
    },
  });
  const count = Number(a.seeds), first = Number(a["first-seed"]), workers = Number(a.workers);
  if (![count, workers].every((n) => Number.isSafeInteger(n) && n >= 1) || !Number.isSafeInteger(first) || first < 0) throw new Error("--seeds, --workers: positive integers; --first-seed: an integer >= 0");
  const scenarios = a.scenarios.split(",");
  for (const s of scenarios) if (!EXPECTED[s]) throw new Error(`unknown scenario ${s}`);
  const options = { ...JSON.parse(a["flight-options"]), mission: a.mission };
  const seeds = Array.from({ length: count }, (_, i) => first + i);
  const json = a.json ? [] : null;
  const byScenario = {};
  for (const scenario of scenarios) {
    const t0 = Date.now();
    let n = 0;
    byScenario[scenario] = await flyAll(scenario, seeds, options, workers, (r) => {
      n++;
      json?.push(JSON.stringify({ scenario, ...r }));
      if (n % 10 === 0 || n === count) process.stderr.write(`${scenario}: ${n}/${count} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
    });
  }
  if (a.json) writeFileSync(a.json, json.join("\n") + "\n");
  const out = table(byScenario, a.mission, first, count);
  console.log(out);
  if (!a["no-doc"]) {
    writeFileSync(a.doc, replaceBetween(readFileSync(a.doc, "utf8"), a.mission, out));
    console.error(`outcomes: wrote the table into ${a.doc}`);
  }
}

if (isMainThread) {
  main().catch((e) => { console.error(`outcomes: ${e.message}`); process.exit(2); });
} else {
  await worker();
}
