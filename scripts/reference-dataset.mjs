// The reference dataset's baseline table: generate one seeded dataset, run
// `skytrace evaluate` on it, and write the detectors' figures into
// docs/research.md between its reference-dataset markers, so a rerun after a
// change to the flights or the detectors refreshes the doc. Uses the built
// dist/ (npm install or npm run build first).
//
//   node scripts/reference-dataset.mjs [--flights 100] [--mix normal=60,busydelay=20,sockets=20]
//                                      [--seed 1] [--split-seed 1]
//                                      [--training N --validation N --test-normal N]
//                                      [--workers N] [--out DIR] [--doc FILE | --no-doc] [--section NAME]
//
// --section NAME: write between the "reference-dataset:NAME" markers instead of the default
// ones (docs/research.md has the baseline's and "small", the 15-flight run "What a run shows"
// reads).
// --seed: generate's dataset seed; --split-seed: evaluate's --seed (which normal flights train,
// validate and test); --training, --validation, --test-normal: evaluate's split counts, all three
// or none (default: LID-DS's proportions). --out DIR keeps the dataset (DIR/data) and the report
// (DIR/report, with report.html) and resumes a dataset already there; without it they go to a
// temporary folder that is removed at the end.
import { parseArgs } from "node:util";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
const { replaceBetween } = await import("../dist/bench/doc-section.js").catch(() => {
  console.error("dist/ is missing: run npm install (or npm run build) first");
  process.exit(2);
});

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/skytrace.js");
export const BEGIN = "<!-- reference-dataset:begin";
export const END = "<!-- reference-dataset:end -->";
/** The markers of a named section ("" for the default one). */
export const markers = (section = "") => (section ? [`<!-- reference-dataset:${section}:begin`, `<!-- reference-dataset:${section}:end -->`] : [BEGIN, END]);

class UsageError extends Error {}

export function parseOptions(argv) {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        flights: { type: "string", default: "100" },
        mix: { type: "string", default: "normal=60,busydelay=20,sockets=20" },
        seed: { type: "string", default: "1" },
        "split-seed": { type: "string", default: "1" },
        training: { type: "string" },
        validation: { type: "string" },
        "test-normal": { type: "string" },
        workers: { type: "string", default: String(os.availableParallelism()) },
        out: { type: "string" },
        doc: { type: "string", default: path.join(ROOT, "docs/research.md") },
        "no-doc": { type: "boolean", default: false },
        section: { type: "string", default: "" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    throw new UsageError(e.message.split("\n")[0]);
  }
  for (const k of ["flights", "seed", "split-seed", "training", "validation", "test-normal", "workers"]) {
    if (v[k] !== undefined && !/^\d+$/.test(v[k])) throw new UsageError(`--${k} ${JSON.stringify(v[k])}: a whole number`);
  }
  const counts = ["training", "validation", "test-normal"].filter((k) => v[k] !== undefined).length;
  if (counts !== 0 && counts !== 3) throw new UsageError("--training, --validation and --test-normal go together: give all three or none");
  if (!/^[a-z0-9-]*$/.test(v.section)) throw new UsageError(`--section ${JSON.stringify(v.section)}: lowercase letters, digits and dashes`);
  return { ...v, doc: v["no-doc"] ? null : v.doc };
}

/** The text between the markers, replaced; the rest of the document as it was. */
export function replaceBetweenMarkers(doc, body, section = "") {
  const [begin, end] = markers(section);
  return replaceBetween(doc, begin, end, body, (m) => new UsageError(m));
}

const f3 = (x) => (x === null || x === undefined ? "–" : x.toFixed(3));
const ms = (ns) => (ns === null || ns === undefined ? "–" : (ns / 1e6).toFixed(1));

/** The baseline table (markdown) from an evaluation.json: one row per detector and scope (all anomalies, then each cause). */
export function baselineTable(e) {
  const L = [
    "| detector | anomalies | normal / anomalous test flights | detection rate | CFA | precision with CFA | F1 with CFA | detection time, median (ms) | per-call precision | recall | F1 | ROC AUC | episodes detected | latency, median (ms) |",
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const d of e.detectors) for (const s of d.scopes) {
    const l = s.lidds, r = s.syscalls;
    L.push(`| ${d.name} | ${s.scope} | ${s.normalFlights} / ${s.anomalousFlights} | ${f3(l.detectionRate)} | ${l.consecutiveFalseAlarms} | ${f3(l.precisionWithCfa)} | ${f3(l.f1WithCfa)} | ${ms(l.detectionTimeNs.median)} | ` +
      `${f3(r.precision)} | ${f3(r.recall)} | ${f3(r.f1)} | ${f3(r.rocAuc)} | ${s.episodes.detected} of ${s.episodes.count} | ${ms(s.episodes.latencyNs.median)} |`);
  }
  return L.join("\n");
}

export function section(e, o) {
  const cmd = ["node scripts/reference-dataset.mjs", `--flights ${o.flights}`, `--mix ${o.mix}`, `--seed ${o.seed}`, `--split-seed ${o["split-seed"]}`,
    ...["training", "validation", "test-normal"].filter((k) => o[k] !== undefined).map((k) => `--${k} ${o[k]}`), ...(o.section ? [`--section ${o.section}`] : [])].join(" ");
  const sp = e.splits;
  return [
    `Made by \`${cmd}\`: \`skytrace generate --flights ${o.flights} --mix ${o.mix} --seed ${o.seed}\`, then ` +
      `\`skytrace evaluate --seed ${o["split-seed"]}${["training", "validation", "test-normal"].filter((k) => o[k] !== undefined).map((k) => ` --${k} ${o[k]}`).join("")}\`. Rerun it to refresh this part of the file.`,
    "",
    `${e.dataset.flights} flights${e.dataset.failedFlights ? ` (${e.dataset.failedFlights} failed, left out)` : ""}; ${sp.training.length} training and ${sp.validation.length} validation flights (normal), ` +
      `${sp.test.length} test flights (${sp.counts.testNormal} normal); ${e.dataset.syscalls.training.toLocaleString("en-US")} / ${e.dataset.syscalls.validation.toLocaleString("en-US")} / ${e.dataset.syscalls.test.toLocaleString("en-US")} syscalls. ` +
      `Detectors: ${e.detectors.map((d) => `${d.name} (${Object.entries(d.params).map(([k, v]) => `${k}=${v}`).join(", ")}; threshold ${d.threshold.toFixed(4)}, the highest score on validation)`).join("; ")}.`,
    "",
    baselineTable(e),
    "",
    `${o.timing}`,
  ].join("\n");
}

function run(args, what) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${what} failed (exit status ${r.status})`);
  process.stderr.write(r.stdout);
  return { seconds: (performance.now() - t0) / 1000, stdout: r.stdout };
}

async function main() {
  const o = parseOptions(process.argv.slice(2));
  if (o.help) {
    const text = readFileSync(fileURLToPath(import.meta.url), "utf8").split("\n");
    console.log(text.slice(0, text.findIndex((l) => !l.startsWith("//"))).map((l) => l.replace(/^\/\/ ?/, "")).join("\n"));
    return;
  }
  if (o.doc) replaceBetweenMarkers(readFileSync(o.doc, "utf8"), "", o.section);   // the markers are there: fail now, not after the flights
  const work = o.out ?? mkdtempSync(path.join(os.tmpdir(), "skytrace-reference-"));
  try {
    const data = path.join(work, "data"), report = path.join(work, "report");
    const g = run(["generate", "--flights", o.flights, "--mix", o.mix, "--seed", o.seed, "--workers", o.workers, "--out", data], "generate");
    const counts = ["training", "validation", "test-normal"].filter((k) => o[k] !== undefined).flatMap((k) => [`--${k}`, o[k]]);
    const ev = run(["evaluate", data, "--out", report, "--seed", o["split-seed"], ...counts], "evaluate");
    const e = JSON.parse(readFileSync(path.join(report, "evaluation.json"), "utf8"));
    const syscalls = e.dataset.syscalls.training + e.dataset.syscalls.validation + e.dataset.syscalls.test;
    const resumed = /(\d+) already there, 0 flown/.exec(g.stdout);
    o.timing = `On ${os.cpus()[0]?.model.trim() ?? "?"} (${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)} at the end): ` +
      (resumed ? "the flights were already generated (--out of an earlier run), " : `generate took ${g.seconds.toFixed(0)} s with ${o.workers} workers, `) +
      `evaluate ${ev.seconds.toFixed(0)} s for ${syscalls.toLocaleString("en-US")} syscalls (with report.html).`;
    const text = section(e, o);
    if (o.doc) writeFileSync(o.doc, replaceBetweenMarkers(readFileSync(o.doc, "utf8"), text, o.section));
    console.log(text);
  } finally {
    if (!o.out) rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main().catch((e) => {
    console.error(`reference-dataset: ${e.message}`);
    process.exit(e instanceof UsageError ? 2 : 1);
  });
}
