// The charts of one flight as Vega-Lite specifications, their data inline and
// already reduced (telemetry thinned, raster binned, histograms counted), so
// the rendered SVG stays small whatever the flight's length.
import type { TopLevelSpec } from "vega-lite";
import type { FlightData, Span } from "./flight-data.js";
import { raster } from "./raster.js";
import { deltaHistogram } from "./histogram.js";

export const RASTER_BINS = 600;
export const RASTER_MAX_ANOMALOUS = 3000;
export const MAX_TRACK_POINTS = 1500;

const WIDTH = 760;
const NORMAL_COLOR = "#4c78a8";
const ANOMALY_COLORS = ["#e45756", "#f58518", "#b279a2", "#9d755d", "#eeca3b", "#ff9da6"];
const time = { title: "virtual time (s)" };

/** Every k-th telemetry row (k so that at most MAX_TRACK_POINTS remain), the last row always kept. */
export function thinTrack(f: FlightData): { t: number; x: number; y: number; z: number }[] {
  const t = f.telemetry;
  const n = t.timeS.length;
  const k = Math.max(1, Math.ceil(n / MAX_TRACK_POINTS));
  const out: { t: number; x: number; y: number; z: number }[] = [];
  for (let i = 0; i < n; i += k) out.push({ t: t.timeS[i], x: t.x[i], y: t.y[i], z: t.z[i] });
  if (n > 0 && (n - 1) % k !== 0) out.push({ t: t.timeS[n - 1], x: t.x[n - 1], y: t.y[n - 1], z: t.z[n - 1] });
  return out;
}

function endOf(f: FlightData): number { return f.manifest.recording.endNs; }

function episodeRows(f: FlightData): { episode: number; cause: string; t0: number; t1: number }[] {
  return f.episodes.map((e) => ({ episode: e.episode, cause: e.cause, t0: e.startNs / 1e9, t1: (e.endNs < 0 ? endOf(f) : e.endNs) / 1e9 }));
}

function spans(s: Span[], lane: string): { lane: string; phase: string; t0: number; t1: number }[] {
  return s.map((p) => ({ lane, phase: p.name, t0: p.startNs / 1e9, t1: p.endNs / 1e9 }));
}

/** The telemetry row nearest before time t (s). */
function positionAt(f: FlightData, t: number): { x: number; y: number } {
  const ts = f.telemetry.timeS;
  let lo = 0, hi = ts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (ts[mid] <= t) lo = mid; else hi = mid - 1; }
  return { x: f.telemetry.x[lo], y: f.telemetry.y[lo] };
}

/** The path over the ground, x against y at one scale, with the waypoints and where each episode began. */
export function pathSpec(f: FlightData): TopLevelSpec {
  const track = thinTrack(f);
  const m = f.manifest.mission;
  const waypoints = [{ x: m.start.x, y: m.start.y, label: "start" }, ...m.route.map((p, i) => ({ x: p.x, y: p.y, label: i === m.route.length - 1 ? "destination" : `waypoint ${i + 1}` }))];
  const episodes = episodeRows(f).map((e) => ({ ...positionAt(f, e.t0), cause: e.cause }));
  const xs = [...track.map((p) => p.x), ...waypoints.map((p) => p.x)];
  const ys = [...track.map((p) => p.y), ...waypoints.map((p) => p.y)];
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = Math.max(1, 0.05 * Math.max(x1 - x0, y1 - y0));
  x0 -= pad; x1 += pad; y0 -= pad; y1 += pad;
  // One metre is as long across as up: widen the narrower range to the frame's shape.
  const w = 460, h = 360;
  const scale = Math.max((x1 - x0) / w, (y1 - y0) / h);
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const xd = [cx - (scale * w) / 2, cx + (scale * w) / 2], yd = [cy - (scale * h) / 2, cy + (scale * h) / 2];
  const x = { field: "x", type: "quantitative" as const, scale: { domain: xd, nice: false, zero: false }, title: "x (m)" };
  const y = { field: "y", type: "quantitative" as const, scale: { domain: yd, nice: false, zero: false }, title: "y (m)" };
  const layers: unknown[] = [
    { data: { values: track }, mark: { type: "line", color: NORMAL_COLOR, clip: true }, encoding: { x, y, order: { field: "t", type: "quantitative" } } },
    { data: { values: waypoints }, mark: { type: "point", filled: true, color: "#333", size: 50 }, encoding: { x, y } },
    { data: { values: waypoints }, mark: { type: "text", dx: 6, dy: -8, align: "left", fontSize: 10 }, encoding: { x, y, text: { field: "label" } } },
  ];
  if (episodes.length) {
    layers.push({ data: { values: episodes }, mark: { type: "point", shape: "cross", size: 70, color: ANOMALY_COLORS[0] }, encoding: { x, y } });
  }
  return { width: w, height: h, layer: layers } as TopLevelSpec;
}

// The autopilot's reports and the drone's phases in matching colours (TAKEOFF
// as climbing, CRUISE as cruising, ...); a name not listed gets a spare one.
const PHASE_COLORS: [string, string][] = [
  ["on_ground", "#bab0ac"], ["TAKEOFF", "#59a14f"], ["climbing", "#8cd17d"], ["CRUISE", "#4e79a7"], ["cruising", "#a0cbe8"],
  ["LANDING", "#f28e2b"], ["descending", "#ffbe7d"], ["LANDED", "#79706e"], ["landed", "#d4d4d4"], ["CRASHED", "#9d2a2a"], ["crashed", "#d37295"],
];
const SPARE_COLORS = ["#b6992d", "#f1ce63", "#499894", "#86bcb6", "#b07aa1", "#d7b5a6"];

function phaseScale(names: string[]): { domain: string[]; range: string[] } {
  const known = new Map(PHASE_COLORS);
  const domain = PHASE_COLORS.map(([n]) => n).filter((n) => names.includes(n));
  const extra = [...new Set(names)].filter((n) => !known.has(n)).sort();
  return { domain: [...domain, ...extra], range: [...domain.map((n) => known.get(n)!), ...extra.map((_, i) => SPARE_COLORS[i % SPARE_COLORS.length])] };
}

function colorScale(groups: string[]): { domain: string[]; range: string[] } {
  const anomalous = groups.filter((g) => g !== "normal").sort();
  return { domain: ["normal", ...anomalous], range: [NORMAL_COLOR, ...anomalous.map((_, i) => ANOMALY_COLORS[i % ANOMALY_COLORS.length])] };
}

/** Altitude over time over the drone's phases (shaded), episodes as red rules. */
export function altitudeSpec(f: FlightData): TopLevelSpec {
  const end = endOf(f) / 1e9;
  const x = { field: "t0", type: "quantitative" as const, scale: { domain: [0, end], nice: false }, title: time.title };
  const layers: unknown[] = [
    { data: { values: spans(f.truthPhases, "drone") }, mark: { type: "rect", opacity: 0.22 },
      encoding: { x, x2: { field: "t1" }, color: { field: "phase", type: "nominal", title: "drone's phase", scale: phaseScale(f.truthPhases.map((s) => s.name)) } } },
    { data: { values: thinTrack(f).map((p) => ({ t0: p.t, z: p.z })) }, mark: { type: "line", color: "#222" },
      encoding: { x, y: { field: "z", type: "quantitative", title: "altitude (m)" } } },
  ];
  if (f.episodes.length) {
    layers.push({ data: { values: episodeRows(f) }, mark: { type: "rule", color: ANOMALY_COLORS[0], opacity: 0.7, strokeWidth: 1 }, encoding: { x } });
  }
  return { width: WIDTH, height: 220, layer: layers } as TopLevelSpec;
}

/** Lanes: what the autopilot reported, what the drone did, and the anomaly episodes. */
export function phasesSpec(f: FlightData): TopLevelSpec {
  const end = endOf(f) / 1e9;
  const x = { field: "t0", type: "quantitative" as const, scale: { domain: [0, end], nice: false }, title: time.title };
  const lanes = ["autopilot's reports", "drone's truth", "anomaly episodes"];
  const y = { field: "lane", type: "nominal" as const, sort: lanes, title: null, scale: { domain: lanes } };
  const both = [...spans(f.phases, lanes[0]), ...spans(f.truthPhases, lanes[1])];
  const layers: unknown[] = [
    { data: { values: both }, mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
      encoding: { x, x2: { field: "t1" }, y, color: { field: "phase", type: "nominal", title: "phase", scale: phaseScale(both.map((s) => s.phase)) } } },
    { data: { values: both.filter((s) => s.t1 - s.t0 > end / 12) },
      mark: { type: "text", fontSize: 9, color: "#222" },
      encoding: { x: { field: "mid", type: "quantitative", scale: { domain: [0, end], nice: false } }, y, text: { field: "phase" } },
      transform: [{ calculate: "(datum.t0 + datum.t1) / 2", as: "mid" }] },
  ];
  const eps = episodeRows(f).map((e) => ({ ...e, lane: lanes[2] }));
  // An episode can last microseconds: a tick marks its start whatever its length, the rect its extent.
  if (eps.length) {
    layers.push({ data: { values: eps }, mark: { type: "tick", color: ANOMALY_COLORS[0], thickness: 1 }, encoding: { x, y } });
    const wide = eps.filter((e) => e.t1 - e.t0 > end / WIDTH);   // a rect narrower than a pixel adds bytes, not ink
    if (wide.length) layers.push({ data: { values: wide }, mark: { type: "rect", color: ANOMALY_COLORS[0] }, encoding: { x, x2: { field: "t1" }, y } });
  } else {
    layers.push({ data: { values: [{ t0: end / 2, lane: lanes[2], text: "none" }] }, mark: { type: "text", fontSize: 10, color: "#666" }, encoding: { x, y, text: { field: "text" } } });
  }
  return { width: WIDTH, height: 90, layer: layers } as TopLevelSpec;
}

/** Calls over time by syscall name, coloured by process (binned; raster.ts says how), anomalous calls marked. */
export function rasterSpec(f: FlightData): { spec: TopLevelSpec; binnedAnomalous: boolean; marks: number } {
  const r = raster(f.calls, 0, endOf(f), RASTER_BINS, RASTER_MAX_ANOMALOUS);
  const end = endOf(f) / 1e9;
  const y = { field: "name", type: "nominal" as const, sort: r.names, scale: { domain: r.names }, title: null };
  const layers: unknown[] = [
    { data: { values: r.cells }, mark: { type: "rect" },
      encoding: {
        x: { field: "t0", type: "quantitative", scale: { domain: [0, end], nice: false }, title: time.title }, x2: { field: "t1" }, y,
        yOffset: { field: "process", type: "nominal", sort: f.calls.processes },
        color: { field: "process", type: "nominal", title: "process", sort: f.calls.processes, scale: { scheme: "dark2" } },
      } },
  ];
  if (r.anomalous.length) {
    layers.push({ data: { values: r.anomalous }, mark: { type: "point", shape: "triangle-down", filled: true, size: 40, color: ANOMALY_COLORS[0], yOffset: -6 },
      encoding: { x: { field: "t", type: "quantitative" }, y } });
  }
  return { spec: { width: WIDTH, height: Math.max(60, 18 * r.names.length), layer: layers } as TopLevelSpec, binnedAnomalous: r.binnedAnomalous, marks: r.cells.length + r.anomalous.length };
}

function histogramLayer(values: unknown[], groups: string[]): unknown {
  return {
    data: { values }, mark: { type: "rect", opacity: 0.55 },
    encoding: {
      x: { field: "lo", type: "quantitative", scale: { type: "log" }, title: "Δt to the previous call (ns)", axis: { format: "~s" } }, x2: { field: "hi" },
      y: { field: "share", type: "quantitative", title: "share of the group's calls", axis: { format: "%" } }, y2: { datum: 0 },
      color: { field: "group", type: "nominal", title: "calls", scale: colorScale(groups) },
    },
  };
}

/** Δt of all calls, normal against anomalous; null when the flight has no call with a Δt. */
export function deltaSpec(f: FlightData): TopLevelSpec | null {
  const bins = deltaHistogram(f.calls, false);
  if (!bins.length) return null;
  const groups = [...new Set(bins.map((b) => b.group))];
  return { width: WIDTH, height: 200, layer: [histogramLayer(bins, groups)] } as TopLevelSpec;
}

/** Δt per syscall name, for the names that have anomalous calls; null when none has. */
export function deltaByNameSpec(f: FlightData): TopLevelSpec | null {
  const c = f.calls;
  const names = new Set<string>();
  for (let i = 0; i < c.rows; i++) if (c.label[i] === 1) names.add(c.names[c.name[i]]);
  if (!names.size) return null;
  const bins = deltaHistogram(c, true, names);
  const groups = [...new Set(bins.map((b) => b.group))];
  const layer = histogramLayer([], groups) as { data?: unknown; mark: unknown; encoding: unknown };
  return {
    data: { values: bins },
    facet: { row: { field: "name", type: "nominal", title: null, sort: [...names].sort() } },
    spec: { width: WIDTH - 60, height: 110, mark: layer.mark, encoding: layer.encoding },
    resolve: { scale: { y: "independent" } },
  } as TopLevelSpec;
}
