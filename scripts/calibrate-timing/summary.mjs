// docs/timing.md's summary of a calibration run: the distributions a flight meets most, each
// from the run's quantiles (the same figures as docs/timing-calibration.md's rows), with what it
// is and where a normal flight meets it. scripts/calibrate-timing.mjs --doc writes it between the
// "timing-calibration" markers (bench/doc-section.ts's writer).

/**
 * The program's output lines (JSON, each with its run's number) as one measurement per name: the
 * run with its lowest median, the quietest (the other runs' medians kept in `medians`).
 */
export function quietest(lines) {
  const medianOf = (m) => m.q?.find(([p]) => p === 0.5)?.[1] ?? Infinity;
  const ms = {};
  for (const m of lines.map((l) => JSON.parse(l))) {
    const had = ms[m.name];
    const medians = [...(had?.medians ?? []), medianOf(m)];
    ms[m.name] = { ...(had && medianOf(had) <= medianOf(m) ? had : m), medians };
  }
  return ms;
}

// µs as the report prints them: 3 significant figures or so, whole µs past 100.
export const us = (ns) => (ns >= 100_000 ? (ns / 1000).toFixed(0) : ns >= 10_000 ? (ns / 1000).toFixed(1) : (ns / 1000).toFixed(2));
const qv = (m, p) => m.q.find(([x]) => x === p)?.[1];
const quantiles = (m) => `${us(qv(m, 0.1))} / **${us(qv(m, 0.5))}** / ${us(qv(m, 0.9))} / ${us(qv(m, 0.99))}`;
const medians = (ms, names) => `${names.map((n) => us(qv(ms[n], 0.5))).join(" / ")} (medians)`;

// [distributions, what it is, where a normal flight meets it]; several names: their medians only.
export const SUMMARY_ROWS = [
  [["sys.select"], "select on the port, a byte waiting", "the few selects that find their byte there"],
  [["sys.read"], "1-byte read from the port", "every read (one per byte of a reply)"],
  [["sys.write"], "a command line to the port", "every command (one a poll)"],
  [["sys.clock_nanosleep"], "a deadline already past", "every late poll"],
  [["sys.fork", "sys.execve", "sys.mkdir"], "", "flight-init's 2 forks, 3 execs, 2 mkdirs"],
  [["sys.getpid"], "the floor", "start-up calls without their own"],
  [["wake.pty"], "a byte reaching the port to select's return", "every wake-up, one per byte"],
  [["wake.timer"], "a sleep's deadline to its return", "(the timer slack, 50 µs, is most of it)"],
  [["wake.child"], "a child's exit to wait4's return", "flight-init's 3 waits"],
  [["tick"], "the timer interrupt while running", "every 4 ms of busy CPU (a normal flight: a few dozen)"],
  [["switch"], "one process to another", "flight-init ↔ its children"],
  [["refill", "refill.wake"], "16 lines on 16 pages, cold", "after each switch / wake-up"],
  [["fault"], "first touch of a page", "each program's start-up"],
];

/**
 * The section: the run's day, host and load above the table. `ms` maps a measurement's name to
 * the program's line for it (n, q: [probability, ns] quantiles), `run` is the run's facts (the
 * saved jsonl's first line: startedAt, cpu, cores, kernel, hz, before, after, runs).
 */
export function summarySection(ms, run, command) {
  const missing = SUMMARY_ROWS.flatMap(([names]) => names).filter((n) => !ms[n] || !ms[n].n);
  if (missing.length) throw new Error(`the calibration has no samples for ${missing.join(", ")}`);
  const rows = SUMMARY_ROWS.map(([names, what, where]) => {
    const label = names.map((n) => `\`${n}\``).join(", ");
    return `| ${label} | ${what} | ${names.length > 1 ? medians(ms, names) : quantiles(ms[names[0]])} | ${where} |`;
  });
  return [
    `Made by \`${command}\` from the calibration of ${new Date(run.startedAt).toISOString().slice(0, 16).replace("T", " ")} UTC ` +
      `(${run.cpu}, ${run.cores} cores, Linux ${run.kernel}, HZ=${run.hz}; load average ${run.before[0]} before and ${run.after[0]} after` +
      `${(run.runs ?? 1) > 1 ? `; the quietest of ${run.runs} runs for each measurement` : ""}). In µs (p10 / **median** / p90 / p99; the model draws between the 0.01st and the 99th percentile):`,
    "",
    "| distribution | what it is | µs | where a normal flight meets it |",
    "|---|---|---|---|",
    ...rows,
  ].join("\n");
}
