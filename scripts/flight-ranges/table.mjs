// The ranges tables, as markdown, from flight summaries (summary.mjs): one row
// per scenario and outcome, the syscalls per flight by name, and the cost per
// flight. Nothing here knows the scenarios: rows and columns come from the data.

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
