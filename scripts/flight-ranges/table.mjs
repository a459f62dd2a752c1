// The ranges tables, as markdown, from flight summaries (summary.mjs): how often
// each scenario did what it is meant to, one row per scenario and outcome, what
// the flights flew, the syscalls per flight by name, and the cost per flight.
// Nothing here knows the scenarios: rows and columns come from the data (what a
// scenario is meant to do comes with each summary, from src/flight/scenarios.ts).

const DASH = "–";

function range(values, digits) {
  const v = values.filter((x) => x !== null && x !== undefined);
  if (v.length === 0) return DASH;
  const f = (x) => (digits === 0 ? Math.round(x).toLocaleString("en-US") : x.toFixed(digits));
  const lo = f(Math.min(...v)), hi = f(Math.max(...v));
  return lo === hi ? lo : `${lo}${DASH}${hi}`;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// Scenarios in the order first seen; within one, outcomes by count (most first), then by name.
function groupBy(items, key) {
  const m = new Map();
  for (const it of items) {
    const k = key(it);
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(it);
  }
  return m;
}

const seedsOf = (fs) => {
  const s = fs.map((f) => f.seed).sort((a, b) => a - b);
  const contiguous = s.every((x, i) => i === 0 || x === s[i - 1] + 1);
  return contiguous && s.length > 1 ? `${s[0]}${DASH}${s.at(-1)}` : s.join(", ");
};

export function outcomeTable(flights) {
  const lines = [
    "| scenario | outcome | flights | distance to destination (m) | max altitude (m) | touchdown (s) | touchdown speed (m/s) | recorded (s) | syscalls | events |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [scenario, fs] of groupBy(flights, (f) => f.scenario)) {
    const groups = [...groupBy(fs, (f) => f.failed ? `failed: ${f.failed}` : f.outcome)]
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
    for (const [outcome, g] of groups) {
      const ok = g.filter((f) => !f.failed);
      lines.push(`| ${scenario} | ${outcome} | ${g.length} of ${fs.length} | ${range(ok.map((f) => f.distanceM), 2)} | ${range(ok.map((f) => f.maxAltitudeM), 2)} | ` +
        `${range(ok.map((f) => f.touchdownS), 2)} | ${range(ok.map((f) => f.touchdownSpeedMps), 2)} | ${range(ok.map((f) => f.recordedS), 2)} | ` +
        `${range(ok.map((f) => f.syscalls), 0)} | ${range(ok.map((f) => f.events), 0)} |`);
    }
  }
  return lines.join("\n");
}

// How often each scenario did what it is meant to (scenarios whose summaries say), and which seeds did not.
export function intentTable(flights) {
  const lines = [
    "| scenario | meant to | as meant | rate | otherwise (seed: outcome) |",
    "|---|---|---|---|---|",
  ];
  for (const [scenario, fs] of groupBy(flights, (f) => f.scenario)) {
    if (!fs[0].meantTo) continue;
    const good = fs.filter((f) => f.asMeant).length;
    const others = fs.filter((f) => !f.asMeant).map((f) => `${f.seed}: ${f.failed ? `failed (${f.failed})` : f.outcome}`);
    lines.push(`| ${scenario} | ${fs[0].meantTo} | ${good} of ${fs.length} | ${((100 * good) / fs.length).toFixed(1)} % | ${others.length ? others.join("; ") : "none"} |`);
  }
  return lines.join("\n");
}

// What the flights flew (their missions and air), per scenario: min–max over the flights.
export function missionTable(flights) {
  const lines = [
    "| scenario | legs | route (m) | waypoints reached | cruise altitude (m) | cruise speed (m/s) | polls/s | wind (m/s) | gusts σ (m/s) | sensor noise × |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [scenario, all] of groupBy(flights, (f) => f.scenario)) {
    const ms = all.filter((f) => !f.failed && f.mission).map((f) => f.mission);
    if (ms.length === 0) continue;
    const col = (k, d) => range(ms.map((m) => m[k]), d);
    lines.push(`| ${scenario} | ${col("legs", 0)} | ${col("routeM", 1)} | ${col("waypointsReached", 0)} | ${col("cruiseAltitudeM", 2)} | ${col("cruiseSpeedMps", 2)} | ` +
      `${col("pollHz", 0)} | ${col("windMps", 2)} | ${col("gustMps", 2)} | ${col("noiseScale", 2)} |`);
  }
  return lines.join("\n");
}

// Syscalls per flight by name: a row per name (most frequent overall first), a column per scenario;
// a name a flight never made counts 0 for it.
export function syscallTable(flights) {
  const ok = flights.filter((f) => !f.failed);
  const scenarios = [...groupBy(ok, (f) => f.scenario)];
  const totals = new Map();
  for (const f of ok) for (const [name, n] of Object.entries(f.bySyscall)) totals.set(name, (totals.get(name) ?? 0) + n);
  const names = [...totals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n]) => n);
  const lines = [
    `| syscall | ${scenarios.map(([s]) => s).join(" | ")} |`,
    `|---|${scenarios.map(() => "---|").join("")}`,
  ];
  for (const name of names) {
    lines.push(`| ${name} | ${scenarios.map(([, fs]) => {
      const v = fs.map((f) => f.bySyscall[name] ?? 0);
      return v.every((x) => x === 0) ? DASH : range(v, 0);
    }).join(" | ")} |`);
  }
  return lines.join("\n");
}

// CPU per flight, leaving out each worker's first flight (it also warms the JIT up).
export function costTable(flights) {
  const lines = [
    "| scenario | flights | CPU s per flight: median | min–max | recorded s per CPU s (median) |",
    "|---|---|---|---|---|",
  ];
  for (const [scenario, all] of groupBy(flights, (f) => f.scenario)) {
    const fs = all.filter((f) => !f.failed && f.cpuS !== null && !f.firstInWorker);
    if (fs.length === 0) continue;
    const cpu = fs.map((f) => f.cpuS);
    lines.push(`| ${scenario} | ${fs.length} | ${median(cpu).toFixed(2)} | ${range(cpu, 2)} | ${median(fs.map((f) => f.recordedS / f.cpuS)).toFixed(2)} |`);
  }
  return lines.join("\n");
}

export function seedsLine(flights) {
  return [...groupBy(flights, (f) => f.scenario)].map(([s, fs]) => `${s} ${seedsOf(fs)}`).join("; ");
}
