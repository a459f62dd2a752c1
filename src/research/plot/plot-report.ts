// report.html for a report folder of `skytrace evaluate`: its outcome tables,
// ROC curves per detector and anomaly kind, and a few test flights' scores over
// time with the thresholds. Written by `skytrace plot REPORT_DIR` and by
// `skytrace evaluate` beside report.md.
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { loadEvaluation, loadScores, type Evaluation, type FlightResult } from "./evaluation-data.js";
import { rocSpec, SCORE_BINS, scoresSpec } from "./report-charts.js";
import { escapeHtml, figureHtml, htmlTable, page } from "./html-page.js";
import { renderSvg } from "./render-svg.js";

const fixed = (x: number | null | undefined, d = 3): string => (x === null || x === undefined ? "–" : x.toFixed(d));
const ms = (ns: number | null): string => (ns === null ? "–" : (ns / 1e6).toFixed(3));

/**
 * The flights whose scores are drawn: for each anomaly cause, the first test
 * flight with it; then the normal test flight with the most alarms (the worst
 * false alarms), if it has any. In evaluation.json's order, so the choice is
 * the same on every run.
 */
export function chosenFlights(e: Evaluation, dir: string): FlightResult[] {
  const have = e.flights.filter((f) => f.scoresFile && existsSync(path.join(dir, f.scoresFile)));
  const out: FlightResult[] = [];
  const causes = [...new Set(have.flatMap((f) => f.causes))].sort();
  for (const c of causes) {
    const f = have.find((x) => x.causes.includes(c) && !out.includes(x));
    if (f) out.push(f);
  }
  const alarms = (f: FlightResult) => Object.values(f.detectors).reduce((s, d) => s + d.alarms, 0);
  const normal = have.filter((f) => f.episodes === 0 && alarms(f) > 0).sort((a, b) => alarms(b) - alarms(a))[0];
  if (normal) out.push(normal);
  return out;
}

function tables(e: Evaluation): string[] {
  const g = e.dataset.generate;
  const out: string[] = [];
  out.push(`<p>Dataset: ${e.dataset.flights} flights${g ? ` (generate --seed ${escapeHtml(g.seed)} --mix ${escapeHtml(g.mix)})` : ""}${e.dataset.failedFlights ? `, ${e.dataset.failedFlights} failed flights left out` : ""}. ` +
    `Splits (seed ${e.splits.seed}): ${e.splits.training.length} training and ${e.splits.validation.length} validation flights (normal), ${e.splits.test.length} test flights; ` +
    `${e.dataset.syscalls.training} / ${e.dataset.syscalls.validation} / ${e.dataset.syscalls.test} syscalls.</p>`);
  out.push(htmlTable(["detector", "parameters", "threshold (max on validation)", "from flight"],
    e.detectors.map((d) => [d.name, Object.entries(d.params).map(([k, v]) => `${k}=${v}`).join(", "), fixed(d.threshold, 4), d.thresholdFlight])));
  out.push("<h2>LID-DS's metrics (per recording; exploit time = the first episode's start)</h2>");
  out.push(htmlTable(["detector", "anomalies", "normal / anomalous flights", "detection rate", "CFA", "precision with CFA", "F1 with CFA", "detection time, median (ms)"],
    e.detectors.flatMap((d) => d.scopes.map((s) => [d.name, s.scope, `${s.normalFlights} / ${s.anomalousFlights}`, fixed(s.lidds.detectionRate), s.lidds.consecutiveFalseAlarms,
      fixed(s.lidds.precisionWithCfa), fixed(s.lidds.f1WithCfa), ms(s.lidds.detectionTimeNs.median)]))));
  out.push("<h2>From the exact labels (per syscall; alarm = score above the threshold)</h2>");
  out.push(htmlTable(["detector", "anomalies", "anomalous / all calls", "precision", "recall", "F1", "ROC AUC", "episodes detected", "latency, median (ms)"],
    e.detectors.flatMap((d) => d.scopes.map((s) => [d.name, s.scope, `${s.syscalls.positives} / ${s.syscalls.rows}`, fixed(s.syscalls.precision), fixed(s.syscalls.recall),
      fixed(s.syscalls.f1), fixed(s.syscalls.rocAuc), `${s.episodes.detected} of ${s.episodes.count}`, ms(s.episodes.latencyNs.median)]))));
  out.push("<h2>Test flights</h2>");
  out.push(htmlTable(["flight", "scenario", "calls", "episodes", ...e.detectors.flatMap((d) => [`${d.name}: max score`, `${d.name}: alarms`, `${d.name}: episodes detected`])],
    e.flights.map((f) => [f.id, f.scenario, f.rows, f.episodes ? `${f.episodes} ${f.causes.join(", ")}` : "none", ...e.detectors.flatMap((d) => {
      const r = f.detectors[d.name];
      if (!r) return ["–", "–", "–"];
      return [fixed(r.maxScore, 4), r.alarms, f.episodes ? `${r.episodeLatencyNs.filter((x) => x !== null).length} of ${f.episodes}` : "–"];
    })])));
  return out;
}

export async function plotReportHtml(dir: string): Promise<string> {
  const e = loadEvaluation(dir);
  // The per-flight table (one row per test flight: long) goes after the charts.
  const all = tables(e);
  const body = all.slice(0, -2), flightTable = all.slice(-2);
  for (const d of e.detectors) {
    const spec = rocSpec(d);
    if (!spec) { body.push(`<section id="roc-${escapeHtml(d.name)}"><h2>ROC: ${escapeHtml(d.name)}</h2><p>No test call is anomalous, or none normal: no ROC curve.</p></section>`); continue; }
    body.push(figureHtml({ id: `roc-${d.name}`, title: `ROC: ${d.name}`, svg: await renderSvg(spec),
      caption: "Per syscall, from the exact labels: each curve is one scope (every anomalous call, or one cause's against all normal calls), its points the rates of calls scoring at or above each distinct score (evaluation.json's roc); a diamond marks the threshold set on validation." }));
  }
  const flights = chosenFlights(e, dir);
  if (!flights.length) body.push("<p>No score files (evaluate --no-scores, or no test flight): no scores over time.</p>");
  for (const f of flights) {
    const s = loadScores(dir, f);
    body.push(figureHtml({ id: `scores-${f.id}`, title: `Scores over time: ${f.id} (${f.scenario}${f.episodes ? `, ${f.episodes} ${f.causes.join(", ")} episodes` : ", no anomaly"})`,
      svg: await renderSvg(scoresSpec(s, e.detectors) as TopLevelSpec),
      caption: `${f.rows} calls in ${SCORE_BINS} time bins; each bin shows the highest score of its calls (so an alarm anywhere in it shows), red where it is above the threshold (dashed). Anomaly episodes shaded, from their labelled calls (${f.scoresFile}).` }));
  }
  return page("skytrace evaluation", [...body, ...flightTable]);
}

/** Writes DIR/report.html (under a temporary name first, renamed when complete). */
export async function writeReportHtml(dir: string): Promise<string> {
  const html = await plotReportHtml(dir);
  const file = path.join(dir, "report.html"), tmp = path.join(dir, `.report.html.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, html);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return file;
}
