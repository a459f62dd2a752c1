// Calibrate the realistic timing model on this machine: run the native
// calibration program (guest/calibrate/calibrate.c, built by `npm run
// build:guests`) when the machine is quiet, and write
//   src/kernel/timing/calibration.ts   the model's parameter table (committed)
//   docs/timing-calibration.md         the report: every measurement, the load, the host
//   docs/timing-calibration.jsonl      the program's own output (its quantiles), with the run's facts
//
//   node scripts/calibrate-timing.mjs [--quick] [--runs K] [--max-load L] [--wait S] [--nice N] [--table PATH] [--report PATH] [--raw PATH]
//   node scripts/calibrate-timing.mjs --from docs/timing-calibration.jsonl     (the table and report again, no new run)
//   … --doc: also docs/timing.md's summary table, between its "timing-calibration" markers
//
// --max-load L (default 0.5): wait until the 1-minute load average is at most L, polling every
// 10 s for up to --wait S seconds (default 1800), then run anyway and say so in the report.
// --runs K runs the program K times and keeps, for each measurement, the run with the lowest
// median: on a machine that never gets quiet, the quietest of several (wake-ups through a pty
// wait for the kernel's tty worker thread, which waits behind whatever else runs).
// --nice N runs the program at that niceness (-20 as root: other work then delays its wake-ups
// and preempts its loops far less on a machine that never gets quiet; the report says so).
// The machine is shared: the statistics are quantiles, and the model's distributions stop at the
// 99th percentile (--top P): under load the rarer samples are other work's preemptions, not this
// machine's costs.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { quietest, summarySection, us } from "./calibrate-timing/summary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const quick = args.includes("--quick");
const runs = Number(opt("--runs", "1"));
const nice = opt("--nice", null);
const maxLoad = Number(opt("--max-load", "0.5"));
const waitSec = Number(opt("--wait", "1800"));
const tablePath = path.resolve(opt("--table", path.join(root, "src/kernel/timing/calibration.ts")));
const reportPath = path.resolve(opt("--report", path.join(root, "docs/timing-calibration.md")));
const rawPath = path.resolve(opt("--raw", path.join(root, "docs/timing-calibration.jsonl")));
const from = opt("--from", null);
const TOP = Number(opt("--top", "0.99")); // the model's distributions end at this quantile
const docPath = args.includes("--doc") ? path.join(root, "docs/timing.md") : null;
const exe = path.join(root, "build/guest/calibrate/calibrate");
if (!from && !existsSync(exe)) { console.error(`calibrate-timing: ${exe} is missing: run 'npm run build:guests'`); process.exit(2); }

const load = () => readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).map(Number);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

// The distributions the model draws from (src/kernel/timing/classes.ts and model.ts).
const MODEL = [
  "sys.getpid", "sys.select", "sys.read", "sys.write", "sys.clock_nanosleep", "sys.fork", "sys.wait4", "sys.execve",
  "sys.socket", "sys.sendto", "sys.close", "sys.mkdir", "sys.openat", "sys.readlink", "sys.mmap", "sys.munmap",
  "sys.mprotect", "sys.brk", "sys.ioctl", "sys.getrandom", "sys.prlimit64", "sys.arch_prctl", "sys.set_tid_address",
  "sys.set_robust_list", "wake.pty", "wake.pipe", "wake.timer", "wake.timeout", "wake.child", "tick", "switch",
  "refill", "refill.wake", "fault",
];

let run;
if (from) {
  // A saved run: its first line is the run's facts, the rest the program's output (each line with its run's number).
  const [head, ...rest] = readFileSync(from, "utf8").trim().split("\n");
  run = { ...JSON.parse(head), lines: rest };
} else {
  // Wait for a quiet machine.
  let waited = 0;
  while (load()[0] > maxLoad && waited < waitSec) {
    if (waited === 0) console.error(`calibrate-timing: load average ${load()[0]} > ${maxLoad}: waiting (up to ${waitSec} s)`);
    sleep(10_000);
    waited += 10;
  }
  const before = load();
  const startedAt = new Date().toISOString();
  console.error(`calibrate-timing: load average ${before.join(" ")}; running ${path.relative(root, exe)}${quick ? " --quick" : ""}`);
  const cmd = nice === null ? [exe] : ["nice", "-n", String(Number(nice)), exe];
  const lines = [], loads = [];
  for (let k = 0; k < runs; k++) {
    const r = spawnSync(cmd[0], [...cmd.slice(1), ...(quick ? ["--quick"] : [])], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) { console.error(`calibrate-timing: calibrate failed (status ${r.status}): ${r.stderr}`); process.exit(1); }
    for (const l of r.stdout.trim().split("\n")) lines.push(JSON.stringify({ run: k, ...JSON.parse(l) }));
    loads.push(load());
    if (runs > 1) console.error(`calibrate-timing: run ${k + 1} of ${runs} done (load average ${load().join(" ")})`);
  }
  // On a busy host a measurement can lose every sample to other processes (each
  // left out as preempted): measure just those again, a few times at most.
  for (let retry = 0; retry < 5; retry++) {
    const got = new Set(lines.map((l) => JSON.parse(l)).filter((m) => m.n > 0).map((m) => m.name));
    const missing = MODEL.filter((n) => !got.has(n));
    if (missing.length === 0) break;
    const only = [...new Set(missing.map((n) => (n === "refill.wake" ? "wake.pty" : n)))];
    console.error(`calibrate-timing: no samples for ${missing.join(", ")} (preempted); measuring again`);
    const r = spawnSync(cmd[0], [...cmd.slice(1), ...(quick ? ["--quick"] : []), "--only", only.join(",")], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) { console.error(`calibrate-timing: calibrate failed (status ${r.status}): ${r.stderr}`); process.exit(1); }
    for (const l of r.stdout.trim().split("\n")) lines.push(JSON.stringify({ run: runs + retry, ...JSON.parse(l) }));
  }
  const facts = { startedAt, before, after: load(), loads, runs, waited, maxLoad, quick, nice, cpu: (os.cpus()[0]?.model ?? "unknown CPU").trim(), cores: os.cpus().length, kernel: os.release(), hz: configHz() };
  run = { ...facts, lines };
  writeFileSync(rawPath, [JSON.stringify(facts), ...run.lines].join("\n") + "\n");
}
const { before, after, waited, quick: wasQuick, nice: niceness } = run;
const startedAt = new Date(run.startedAt);
const ms = quietest(run.lines);

function configHz() {
  try { return Number(/CONFIG_HZ=(\d+)/.exec(spawnSync("sh", ["-c", "zcat /proc/config.gz 2>/dev/null || cat /boot/config-$(uname -r) 2>/dev/null"], { encoding: "utf8" }).stdout)?.[1] ?? 250); } catch { return 250; }
}

const knotsOf = (m) => {
  const q = new Map(m.q.map(([p, v]) => [p, v]));
  if (!q.has(TOP)) throw new Error(`--top ${TOP}: not one of the program's quantiles`);
  const ks = [[0, q.get(0.0001)]];
  for (const [p, v] of m.q) if (p >= 0.001 && p <= TOP) ks.push([p, Math.max(v, ks[ks.length - 1][1])]);
  ks.push([1, ks[ks.length - 1][1]]);
  return ks;
};
for (const name of MODEL) {
  if (!ms[name] || !ms[name].n) { console.error(`calibrate-timing: no samples for ${name}`); process.exit(1); }
}

const { cpu, hz } = run;
const tickPeriodNs = Math.round(1e9 / hz);
const host = { cpu, cores: run.cores, kernel: run.kernel, hz };
const day = startedAt.toISOString().slice(0, 10);
const id = `${day}, ${cpu}, ${host.cores} cores, Linux ${host.kernel} (HZ=${hz})${niceness !== null && niceness !== undefined ? `, nice ${Number(niceness)}` : ""}${wasQuick ? ", quick run" : ""}`;

const table = {
  id,
  host,
  measuredAt: startedAt.toISOString(),
  loadavg: { before, after },
  tickPeriodNs,
  quantiles: Object.fromEntries(MODEL.map((n) => [n, knotsOf(ms[n])])),
};
const ts = `// The realistic timing model's parameters, measured on a real machine. Generated by
// scripts/calibrate-timing.mjs from guest/calibrate/calibrate.c; do not edit by hand
// (docs/timing.md, docs/timing-calibration.md). Knots: [probability, ns].
import type { TimingTable } from "./table.js";

export const CALIBRATION: TimingTable = ${JSON.stringify(table, null, 2).replace(/\[([\d.,\se-]+)\]/g, (_, inner) => `[${inner.trim().split(/\s*,\s*/).join(", ")}]`)};
`;
writeFileSync(tablePath, ts);

// The report.
const qv = (m, p) => m.q.find(([x]) => x === p)?.[1];
const several = (run.runs ?? 1) > 1;
const row = (m) => `| \`${m.name}\` | ${m.n}${m.preempted ? ` (${m.preempted} preempted, left out)` : ""} | ${us(qv(m, 0.01))} | ${us(qv(m, 0.1))} | **${us(qv(m, 0.5))}** | ${us(qv(m, 0.9))} | ${us(qv(m, 0.99))} | ${us(qv(m, 0.999))} | ${m.what ?? ""} |${several ? ` ${m.medians.map(us).join(", ")} |` : ""}`;
const head = `| measurement | n | p1 | p10 | median | p90 | p99 | p99.9 | what |${several ? " medians of the runs |" : ""}\n|---|---|---|---|---|---|---|---|---|${several ? "---|" : ""}`;
const all = Object.values(ms).filter((m) => m.n > 0 && m.name !== "clock_pair");
const tick = ms.tick;
const report = `# Timing calibration: ${id}

Written by \`node scripts/calibrate-timing.mjs${wasQuick ? " --quick" : ""}${niceness !== null && niceness !== undefined ? ` --nice ${Number(niceness)}` : ""}\` (${startedAt.toISOString()}), which ran
\`build/guest/calibrate/calibrate\` (guest/calibrate/calibrate.c) natively${niceness !== null && niceness !== undefined ? ` at niceness ${Number(niceness)}` : ""} and wrote the model's table,
\`src/kernel/timing/calibration.ts\`. How the model uses each figure: docs/timing.md.

- Host: ${cpu}, ${host.cores} cores, Linux ${host.kernel}, HZ=${hz} (timer interrupt every ${tickPeriodNs / 1e6} ms).
- Load average (1, 5, 15 min): ${before.join(", ")} before, ${after.join(", ")} after${waited ? ` (waited ${waited} s for it to fall to ${run.maxLoad})` : ""}${before[0] > run.maxLoad ? `; **above the ${run.maxLoad} asked for**` : ""}.
${(run.runs ?? 1) > 1 ? `- ${run.runs} runs of the program back to back (load average after each: ${run.loads.map((l) => l[0]).join(", ")}); each measurement below is the run with its lowest median, the quietest (the medians of every run are in the last column).\n` : ""}- Clock: \`clock_gettime(CLOCK_MONOTONIC)\` through the vDSO; two back-to-back reads take ${ms.clock_pair.q.find(([p]) => p === 0.5)[1]} ns (median), subtracted from every timed call.
- Statistics: quantiles of every sample (no means: the machine is shared). The model's distributions are these quantiles
  joined by straight lines, from the 0.01st percentile to the ${TOP * 100}th; rarer samples are left out (at this load,
  mostly other work's preemptions). The program's output is docs/timing-calibration.jsonl; \`--from\` it remakes this.

Times in µs.

${head}
${all.filter((m) => m.name.startsWith("sys.")).map(row).join("\n")}

Wake-ups, switches, interrupts:

${head}
${all.filter((m) => !m.name.startsWith("sys.")).map(row).join("\n")}

The tight loop ran ${tick.seconds} s on one CPU and saw ${tick.n} gaps on the 4 ms grid (of ${tick.expected} grid points),
${tick.others} other gaps over ${tick.threshold} ns (the loop's step: ${tick.loop_step} ns), and ${tick.preempted_gaps} gaps in which
another process ran (preemption by other work: left out).
${ms.switch ? `The switch is the ping-pong's round trip halved (median ${us(qv(ms["pingpong.roundtrip"], 0.5))} µs) minus a pipe write (${ms.switch.pipe_write_median} ns) and a pipe read (${ms.switch.pipe_read_median} ns), both processes on CPU 0.` : ""}
${ms.refill ? `The refill chain, warm, takes ${ms.refill.warm_median} ns beyond the clock's own ${ms.clock_pair.subtracted} ns.` : ""}
`;
writeFileSync(reportPath, report);
console.error(`calibrate-timing: wrote ${path.relative(root, tablePath)} and ${path.relative(root, reportPath)} (load average after: ${after.join(" ")})`);
if (docPath) {
  const { replaceSection } = await import("../dist/bench/doc-section.js").catch(() => {
    console.error("calibrate-timing: dist/ is missing: run npm install (or npm run build) first");
    process.exit(2);
  });
  writeFileSync(docPath, replaceSection(readFileSync(docPath, "utf8"), "timing-calibration", summarySection(ms, run, ["node scripts/calibrate-timing.mjs", ...args].join(" "))));
  console.error(`calibrate-timing: wrote ${path.relative(root, docPath)}'s summary`);
}
