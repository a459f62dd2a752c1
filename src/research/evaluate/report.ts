// report.md: evaluation.json's main figures as markdown tables.
import type { Evaluation } from "./evaluate.js";

const f = (x: number | null, digits = 3) => (x === null ? "–" : x.toFixed(digits));
const ms = (ns: number | null) => (ns === null ? "–" : (ns / 1e6).toFixed(3));

export function reportMarkdown(e: Evaluation): string {
  const L: string[] = [];
  const g = e.dataset.generate;
  L.push("# Evaluation", "");
  L.push(`Dataset: ${e.dataset.flights} flights${g ? ` (generate --seed ${g.seed} --mix ${g.mix})` : ""}${e.dataset.failedFlights ? `, ${e.dataset.failedFlights} failed flights left out` : ""}.`);
  L.push(`Splits (seed ${e.splits.seed}): ${e.splits.training.length} training and ${e.splits.validation.length} validation flights (normal), ${e.splits.test.length} test flights ` +
    `(${e.splits.counts.testNormal} normal); ${e.dataset.syscalls.training} / ${e.dataset.syscalls.validation} / ${e.dataset.syscalls.test} syscalls.`, "");
  L.push("| detector | parameters | threshold (max on validation) | from flight |", "|---|---|---:|---|");
  for (const d of e.detectors) L.push(`| ${d.name} | ${Object.entries(d.params).map(([k, v]) => `${k}=${v}`).join(", ")} | ${f(d.threshold, 4)} | ${d.thresholdFlight} |`);
  L.push("", "## LID-DS's metrics (per recording; exploit time = the first episode's start)", "");
  L.push("| detector | scope | normal / anomalous flights | detection rate | CFA | precision with CFA | F1 with CFA | detection time, median (ms) |", "|---|---|---:|---:|---:|---:|---:|---:|");
  for (const d of e.detectors) for (const s of d.scopes) {
    const l = s.lidds;
    L.push(`| ${d.name} | ${s.scope} | ${s.normalFlights} / ${s.anomalousFlights} | ${f(l.detectionRate)} | ${l.consecutiveFalseAlarms} | ${f(l.precisionWithCfa)} | ${f(l.f1WithCfa)} | ${ms(l.detectionTimeNs.median)} |`);
  }
  L.push("", "## From the exact labels (per syscall; alarm = score above the threshold)", "");
  L.push("| detector | scope | anomalous / all rows | precision | recall | F1 | ROC AUC | episodes detected | latency, median (ms) |", "|---|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const d of e.detectors) for (const s of d.scopes) {
    const r = s.syscalls;
    L.push(`| ${d.name} | ${s.scope} | ${r.positives} / ${r.rows} | ${f(r.precision)} | ${f(r.recall)} | ${f(r.f1)} | ${f(r.rocAuc)} | ${s.episodes.detected} of ${s.episodes.count} | ${ms(s.episodes.latencyNs.median)} |`);
  }
  L.push("", "Scores per test flight: `scores/<flight>.csv.gz`; every figure and its definition: evaluation.json, docs/research.md (\"Evaluate\").", "");
  return L.join("\n");
}
