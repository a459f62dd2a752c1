// The C autopilot's flight beside the Python autopilot's (`--autopilot python`), same scenario,
// seed and options: what their traces hold (syscalls by name, the select/read share, select's
// arguments, address spaces, syscalls per second of flight) and what each cost (wall and CPU
// time of this process). Prints markdown (docs/dataset.md's "The Python autopilot" comes from
// it). Uses the built dist/ (npm run build first) and the host's python3 with pyserial.
//
//   node scripts/autopilot-compare.mjs [--seeds 1,2] [--scenarios normal,sockets,busydelay,shell,hog,spoof]
//                                      [--flight-options JSON]
import { parseArgs } from "node:util";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { runFlight } = await import(pathToFileURL(path.join(ROOT, "dist/src/flight/index.js")).href);

const { values } = parseArgs({ options: { seeds: { type: "string", default: "1" }, scenarios: { type: "string", default: "normal,sockets,busydelay,shell,hog,spoof" }, "flight-options": { type: "string", default: "{}" } } });
const seeds = values.seeds.split(",").map(Number);
const scenarios = values.scenarios.split(",");
const extra = JSON.parse(values["flight-options"]);

const SELECT = new Set([23, 270]);
const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) + " %" : "-");

function measure(scenario, seed, program) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "autopilot-compare-"));
  try {
    const cpu0 = process.cpuUsage(), t0 = performance.now();
    const r = runFlight({ ...extra, scenario, seed, outDir: dir, program });
    const wall = (performance.now() - t0) / 1000, cpu = process.cpuUsage(cpu0);
    const m = r.manifest;
    const calls = readFileSync(r.files.raw, "latin1").split("\n").filter((l) => l.includes(" SYSCALL,")).map((l) => l.split(","));
    const nr = (c) => parseInt(c[2], 16);
    const selects = calls.filter((c) => SELECT.has(nr(c)));
    const reads1 = calls.filter((c) => nr(c) === 0 && c[5] === "0x1");
    // select's arguments: nfds, which sets are given, the timeout pointer given, pselect6's sigmask.
    const shapes = new Map();
    for (const c of selects) {
      const k = `${nr(c) === 23 ? "select" : "pselect6"}(nfds ${parseInt(c[3], 16)}, read ${c[4] !== "0x0" ? "set" : "NULL"}, write ${c[5] !== "0x0" ? "set" : "NULL"}, except ${c[6] !== "0x0" ? "set" : "NULL"}, timeout ${c[7] !== "0x0" ? "set" : "NULL"}${nr(c) === 270 ? `, sigmask ${c[8] !== "0x0" ? "set" : "NULL"}` : ""})`;
      shapes.set(k, (shapes.get(k) ?? 0) + 1);
    }
    const top = Object.entries(m.events).slice(0, 6).map(([n, k]) => `${n} ${pct(k, m.recording.syscalls)}`).join(", ");
    return {
      program, scenario, seed,
      outcome: m.outcome.crashed ? "crashed" : m.outcome.landed ? (m.outcome.reachedDestination ? "landed at destination" : "landed off target") : m.outcome.autopilotState,
      seconds: m.recording.durationNs / 1e9,
      syscalls: m.recording.syscalls,
      perSecond: m.recording.syscalls / (m.recording.durationNs / 1e9),
      selectRead: pct(selects.length + reads1.length, calls.length),
      selectShape: [...shapes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join("; "),
      cr3s: new Set(calls.map((c) => c[9])).size + ` (${m.processes.length} images)`,
      top,
      loaded: m.loaded.length,
      wall, cpu: (cpu.user + cpu.system) / 1e6,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const scenario of scenarios) for (const seed of seeds) for (const program of ["c", "python"]) rows.push(measure(scenario, seed, program));

console.log(`Flights of ${JSON.stringify(extra)} on ${os.cpus()[0].model}, load average ${os.loadavg()[0].toFixed(1)} at the end.\n`);
console.log("| scenario, seed | autopilot | outcome | recorded | syscalls | per second | select + 1-byte read | address spaces (CR3s) | files loaded | wall / CPU |");
console.log("|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.scenario} ${r.seed} | ${r.program} | ${r.outcome} | ${r.seconds.toFixed(2)} s | ${r.syscalls} | ${r.perSecond.toFixed(0)} | ${r.selectRead} | ${r.cr3s} | ${r.loaded} | ${r.wall.toFixed(1)} s / ${r.cpu.toFixed(1)} s |`);
}
console.log("\nSyscalls by share, and select's arguments:\n");
for (const r of rows) console.log(`- ${r.scenario} ${r.seed}, ${r.program}: ${r.top}. ${r.selectShape}`);

// The published trace is not in this repository (and there is no network to fetch it): what the
// repo quotes of it is the raw format's example line (README), a select record. Each flight's
// commonest select beside it, and what the one line cannot say.
const PUBLISHED = "592834, SYSCALL,0x17,0x6,0x7ffc7f0817f0,0x7ffc7f081870,0x7ffc7f0818f0,0x0,0x0,0x1f86f000";
const pub = PUBLISHED.split(",");
const pubShape = `select(nfds ${parseInt(pub[3], 16)}, read ${pub[4] !== "0x0" ? "set" : "NULL"}, write ${pub[5] !== "0x0" ? "set" : "NULL"}, except ${pub[6] !== "0x0" ? "set" : "NULL"}, timeout ${pub[7] !== "0x0" ? "set" : "NULL"})`;
console.log(`\nBeside the published line the repo quotes (README: \`${PUBLISHED}\`), ${pubShape}:\n`);
for (const r of rows) console.log(`- ${r.scenario} ${r.seed}, ${r.program}: commonest ${r.selectShape.split("; ")[0] || "no select"}`);
