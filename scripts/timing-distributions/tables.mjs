// scripts/timing-distributions.mjs's tables: each flight reduced to its Δt by pair, enter→exit
// by call and user time between calls, and the markdown docs/timing.md's "timing-distributions"
// section holds (written there by the script's --doc).
export const SLEPT_NS = 5000; // a select longer than this slept (a ready one takes ~1 µs natively, 200 ns ideal)

// A source: { calls: [{ name, enter, exit }] (ns; exit -1 when unknown), arrivals?: [ns] (bytes handed to the PTY) }.
const label = (c) => (c.name === "select" && c.exit >= 0 ? (c.exit - c.enter > SLEPT_NS ? "select (slept)" : "select (ready)") : c.name);
export function reduce(src) {
  const pairs = new Map(), durs = new Map(), gaps = new Map(), all = [], wakes = [];
  const put = (m, k, v) => { if (!m.has(k)) m.set(k, []); m.get(k).push(v); };
  let a = 0;
  src.calls.forEach((c, i) => {
    if (c.exit >= 0) put(durs, label(c), c.exit - c.enter);
    if (src.arrivals?.length && label(c) === "select (slept)") {
      // The last byte handed over before this select returned woke it.
      while (a + 1 < src.arrivals.length && src.arrivals[a + 1] <= c.exit) a++;
      if (src.arrivals[a] >= c.enter && src.arrivals[a] <= c.exit) wakes.push(c.exit - src.arrivals[a]);
    }
    if (i === 0) return;
    const p = src.calls[i - 1], d = c.enter - p.enter;
    all.push(d);
    put(pairs, `${label(p)} → ${c.name}`, d);
    if (p.exit >= 0) put(gaps, `${label(p)} → ${c.name}`, c.enter - p.exit);
  });
  return { pairs, durs, gaps, all, wakes, distinct: new Set(all).size };
}
const quant = (v, p) => v[Math.min(v.length - 1, Math.floor(p * (v.length - 1) + 0.5))];
const us = (ns) => { const u = ns / 1000; return u >= 1000 ? u.toFixed(0) : u >= 100 ? u.toFixed(1) : u >= 10 ? u.toFixed(2) : u.toFixed(3); };
export const cell = (v) => {
  if (!v || v.length === 0) return "–";
  const s = [...v].sort((a, b) => a - b);
  return `${us(quant(s, 0.1))} / **${us(quant(s, 0.5))}** / ${us(quant(s, 0.9))} / ${us(quant(s, 0.99))} (${s.length})`;
};

/**
 * The tables. `red`: [name, reduce(source)] per flight; `mission`: the flight's (manifest.mission);
 * `recorded`: the emulated flights' processed files ({ syscalls, distinct } for ideal and
 * realistic); `load`: [before, after] (1, 5, 15 min); `min` pairs and calls with fewer samples
 * than that in every flight are left out.
 */
export function renderTables({ seed, mission: mi, red, recorded, load, min = 50 }) {
  const out = [];
  const heads = red.map(([n]) => n);
  const table = (title, keys, get) => [
    `| ${title} | ${heads.join(" | ")} |`,
    `|---|${heads.map(() => "---").join("|")}|`,
    ...keys.map((k) => `| ${k} | ${red.map(([, r]) => cell(get(r, k))).join(" | ")} |`),
  ].join("\n");
  const count = (k, m) => Math.max(...red.map(([, r]) => r[m].get(k)?.length ?? 0));
  const pairKeys = [...new Set(red.flatMap(([, r]) => [...r.pairs.keys()]))].filter((k) => count(k, "pairs") >= min).sort((a, b) => count(b, "pairs") - count(a, "pairs"));
  const durKeys = [...new Set(red.flatMap(([, r]) => [...r.durs.keys()]))].filter((k) => count(k, "durs") >= min).sort((a, b) => count(b, "durs") - count(a, "durs"));
  out.push(`NORMAL flight, seed ${seed} (${mi.legs} legs, ${mi.distanceM} m at ${mi.cruiseAltitudeM} m, ${mi.cruiseSpeedMps} m/s, ${mi.pollHz} polls/s); the autopilot's calls only. Cells: p10 / **median** / p90 / p99 in µs (count).`);
  out.push(`Load average ${load[0].map((x) => x.toFixed(2)).join(", ")} before, ${load[1].map((x) => x.toFixed(2)).join(", ")} after.\n`);
  out.push(`Δt from one call's enter to the next call's enter, by pair (a select that took over ${SLEPT_NS / 1000} µs slept):\n`);
  out.push(table("pair", pairKeys, (r, k) => r.pairs.get(k)));
  out.push("\nEnter → exit time of each call:\n");
  out.push(table("call", durKeys, (r, k) => r.durs.get(k)));
  out.push("\nUser time between calls (the next call's enter minus this call's exit), by pair:\n");
  out.push(table("pair", pairKeys, (r, k) => r.gaps.get(k)));
  const paced = red.find(([n]) => n === "native paced (tap)");
  if (paced && paced[1].wakes.length) out.push(`\nNative wake-up latency in flight (paced): from the byte reaching the autopilot's PTY to its select returning: ${cell(paced[1].wakes)}.`);
  out.push("\nThe whole flight:\n");
  out.push(`| | ${heads.join(" | ")} |`);
  out.push(`|---|${heads.map(() => "---").join("|")}|`);
  out.push(`| autopilot calls | ${red.map(([, r]) => r.all.length + 1).join(" | ")} |`);
  out.push(`| distinct Δt values (autopilot) | ${red.map(([, r]) => r.distinct).join(" | ")} |`);
  out.push(`| Δt, all pairs | ${red.map(([, r]) => cell(r.all)).join(" | ")} |`);
  out.push(`\nThe recorded flight (processed file, every process): ideal ${recorded.ideal.syscalls} syscalls, ${recorded.ideal.distinct} distinct Δt; realistic ${recorded.realistic.syscalls} syscalls, ${recorded.realistic.distinct} distinct Δt.`);
  return out.join("\n");
}

/** The section: the command and its time (UTC, to the minute) above the tables. */
export const distributionsSection = (command, when, tables) =>
  `One run of \`${command}\`, ${when.toISOString().slice(0, 16).replace("T", " ")} UTC.\n\n${tables}`;
