// `skytrace plot FLIGHT_DIR`: one flight's page. The charts (flight-charts.ts)
// rendered to SVG and set in a page with the flight's summary.
import type { TopLevelSpec } from "vega-lite";
import { loadFlight, type FlightData } from "./flight-data.js";
import { altitudeSpec, deltaByNameSpec, deltaSpec, pathSpec, phasesSpec, RASTER_BINS, RASTER_MAX_ANOMALOUS, rasterSpec, MAX_TRACK_POINTS } from "./flight-charts.js";
import { figureHtml, htmlTable, page, type Figure } from "./html-page.js";
import { renderSvg } from "./render-svg.js";

function summary(f: FlightData): string {
  const m = f.manifest;
  const o = m.outcome;
  const outcome = o.crashed ? `crashed${o.crashReason ? ` (${o.crashReason})` : ""}` : o.landed ? (o.reachedDestination ? "reached the destination and landed" : "landed short of the destination") : "still flying at the end";
  const anomalous = f.calls.label.reduce((s, v) => s + v, 0);
  const byCause = new Map<string, number>();
  for (const e of f.episodes) byCause.set(e.cause, (byCause.get(e.cause) ?? 0) + 1);
  return htmlTable(["flight", "scenario", "seed", "mission", "outcome", "recorded (s)", "syscalls", "anomalous calls", "episodes"], [[
    m.flightId, m.scenario, m.seed, `${m.mission.legs} leg(s), ${m.mission.distanceM.toFixed(1)} m at ${m.mission.cruiseAltitudeM.toFixed(1)} m`, outcome,
    ((m.recording.endNs - m.recording.beginNs) / 1e9).toFixed(2), f.calls.rows, anomalous,
    byCause.size ? [...byCause].sort().map(([c, n]) => `${n} ${c}`).join(", ") : "none",
  ]]);
}

function thinning(f: FlightData): string {
  const n = f.telemetry.timeS.length;
  const k = Math.max(1, Math.ceil(n / MAX_TRACK_POINTS));
  return k === 1 ? `all ${n} rows, one per 10 ms` : `every ${k}th of ${n} rows`;
}

export async function plotFlightHtml(dir: string): Promise<string> {
  const f = loadFlight(dir);
  const r = rasterSpec(f);
  const charts: { id: string; title: string; spec: TopLevelSpec | null; caption: string }[] = [
    { id: "path", title: "Flight path", spec: pathSpec(f),
      caption: `Position over the ground from telemetry.csv (${thinning(f)}), the mission's start, waypoints and destination; a red cross where an anomaly episode began.` },
    { id: "altitude", title: "Altitude over time", spec: altitudeSpec(f),
      caption: `Altitude from telemetry.csv (${thinning(f)}) over the drone's physical phases (manifest truthPhases, shaded); a red rule at each anomaly episode.` },
    { id: "phases", title: "Phases and anomaly episodes", spec: phasesSpec(f),
      caption: "What the autopilot reported (manifest phases), what the drone did (truthPhases) and the anomaly episodes (manifest episodes, a tick at each start)." },
    { id: "raster", title: "Syscall raster", spec: r.spec,
      caption: `Every call of the per-syscall table by time and name, coloured by process ("comm (pid)"). The recording is cut into ${RASTER_BINS} time bins of ${(f.manifest.recording.endNs / RASTER_BINS / 1e6).toFixed(1)} ms; for each name and process, a run of consecutive bins with calls is one bar (${r.marks} marks for ${f.calls.rows} calls), so a gap shows where a bin holds none. ` +
        (r.binnedAnomalous ? `More than ${RASTER_MAX_ANOMALOUS} anomalous calls: they are binned with the others.` : "Each anomalous call is a red triangle at its own time.") },
    { id: "delta", title: "Δt, normal against anomalous calls", spec: deltaSpec(f),
      caption: "Δt to the previous call (the table's delta_ns, any process), in bins of a tenth of a decade, as a share of each group's calls; the first call (no Δt) left out." },
    { id: "delta-by-name", title: "Δt by syscall name", spec: deltaByNameSpec(f),
      caption: "The same for each syscall name that has anomalous calls: an anomalous call against the normal calls of its name." },
  ];
  const figures: string[] = [];
  for (const c of charts) {
    if (!c.spec) { figures.push(`<section id="${c.id}"><h2>${c.title}</h2><p>No anomalous calls in this flight: nothing to compare.</p></section>`); continue; }
    const fig: Figure = { id: c.id, title: c.title, svg: await renderSvg(c.spec), caption: c.caption };
    figures.push(figureHtml(fig));
  }
  return page(`skytrace flight ${f.manifest.flightId}`, [summary(f), ...figures]);
}
