// A dataset read from Python the obvious way: `pd.read_csv("index.csv")`,
// `pd.read_parquet(DIR + "/events")` (no dtype_backend), `pd.read_parquet` of
// each flight's per-syscall table, and DuckDB's `read_parquet('events/*.parquet')`
// and `read_parquet('*/*.syscalls.parquet')` give exactly the values of the raw
// files as the reference reader (src/dataset/raw-reader.ts) reads them, every
// row of a few real flights of every scenario, including register values
// ≥ 2^63 and negative return values and times (-1: no return). The
// expectations are built here from the flights' own files (raw trace,
// manifest, bytes on disk; the table's other columns as Arrow's JS reader
// reads the file), not from the code that writes them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generate } from "../../src/generate/generate.js";
import { parseRawText } from "../dataset/trace-text.js";
import { readSyscallsParquet } from "../../src/dataset/syscalls-table.js";
import { removeTempDirs, tempDir } from "../generate/helpers.js";
import { pythonEnv, PythonEnv, run } from "./venv.js";

const REQUIREMENTS = path.resolve("test/python/requirements.txt");
const SCRIPT = path.resolve("test/python/read_dataset.py");
// Short missions: ~10 000 events a flight, under a second each.
const SHORT = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } };
const SCENARIOS = ["normal", "busydelay", "sockets"];
const FLIGHTS = 6;

// The documented layout (docs/bulk.md): names, pandas dtypes, DuckDB types.
const INDEX_COLUMNS: Array<{ name: string; pandas: string }> = [
  { name: "flight_id", pandas: "str" }, { name: "flight_index", pandas: "int64" }, { name: "scenario", pandas: "str" },
  { name: "seed", pandas: "int64" }, { name: "status", pandas: "str" }, { name: "outcome", pandas: "str" },
  { name: "event_count", pandas: "int64" }, { name: "syscall_count", pandas: "int64" }, { name: "virtual_ns", pandas: "int64" },
  { name: "mission", pandas: "str" }, { name: "legs", pandas: "int64" }, { name: "distance_m", pandas: "float64" },
  { name: "cruise_altitude_m", pandas: "float64" }, { name: "cruise_speed_mps", pandas: "float64" }, { name: "poll_hz", pandas: "int64" },
  { name: "wind_mps", pandas: "float64" }, { name: "gust_mps", pandas: "float64" },
  { name: "anomaly", pandas: "str" }, { name: "anomaly_stretches", pandas: "int64" }, { name: "anomaly_episodes", pandas: "int64" },
  ...["raw", "processed", "manifest", "telemetry", "syscalls", "events"].flatMap((role) => [
    { name: `${role}_path`, pandas: "str" }, { name: `${role}_bytes`, pandas: "int64" }, { name: `${role}_sha256`, pandas: "str" }]),
  { name: "error", pandas: "float64" },   // empty in every row of this dataset: pandas reads an all-empty column as NaN
];
const str = { pandas: "category", duckdb: "VARCHAR" };
const u64 = { pandas: "uint64", duckdb: "UBIGINT" };
const i64 = { pandas: "int64", duckdb: "BIGINT" };
const i8 = { pandas: "int8", duckdb: "TINYINT" };
const SYSCALL_COLUMNS = [
  { name: "flight_id", ...str }, { name: "scenario", ...str }, { name: "seq", ...i64 }, { name: "enter_ns", ...i64 }, { name: "exit_ns", ...i64 },
  { name: "delta_ns", ...i64 }, { name: "nr", ...u64 }, { name: "name", ...str }, ...[0, 1, 2, 3, 4, 5].map((k) => ({ name: `arg${k}`, ...u64 })),
  { name: "ret", ...i64 }, { name: "pid", ...i64 }, { name: "tid", ...i64 }, { name: "ppid", ...i64 }, { name: "comm", ...str }, { name: "cr3", ...u64 },
  { name: "phase", ...str }, { name: "truth_phase", ...str }, { name: "label", ...i8 }, { name: "cause", ...str }, { name: "episode", ...i64 },
];
const EVENT_COLUMNS = [
  { name: "flight_id", ...str }, { name: "scenario", ...str }, { name: "seq", ...i64 }, { name: "time_ns", ...i64 },
  { name: "type", ...str }, { name: "nr", ...u64 },
  ...[0, 1, 2, 3, 4, 5].map((k) => ({ name: `arg${k}`, ...u64 })), { name: "cr3", ...u64 },
];

let env: PythonEnv;
beforeAll(async () => {
  env = await pythonEnv(REQUIREMENTS);
  if (env.skip) console.log(`test/python: skipped, ${env.skip}`);
}, 900_000);
afterAll(removeTempDirs);

const sha256 = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("a dataset read from Python", () => {
  it("pandas and DuckDB read index.csv and the events exactly, with the obvious calls", async (ctx) => {
    if (env.skip) ctx.skip(env.skip);
    const dir = tempDir("python");
    const s = await generate({ out: dir, flights: FLIGHTS, mix: SCENARIOS.map((x) => `${x}=1`).join(","), seed: "11", workers: 2, flightOptions: SHORT });
    expect(s.failed).toBe(0);

    // Expected values, from each flight's own files.
    const journal = readFileSync(path.join(dir, "index.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { id: string; index: number; scenario: string; seed: number; outcome: string });
    expect(new Set(journal.map((r) => r.scenario))).toEqual(new Set(SCENARIOS));
    const tsv: string[] = [EVENT_COLUMNS.map((c) => c.name).join("\t")];
    const syscallTsv: string[] = [SYSCALL_COLUMNS.map((c) => c.name).join("\t")];
    const syscallFiles: string[] = [];
    const labeled: string[] = [];
    let negatives = 0;
    const indexRows: unknown[][] = [];
    let atLeast2to63 = 0;
    for (const r of journal) {
      const stem = `${r.scenario.toUpperCase()}_Flight`;
      const files = {
        raw: `${r.id}/${stem}.txt`, processed: `${r.id}/${stem}.processed.txt`, manifest: `${r.id}/manifest.json`,
        telemetry: `${r.id}/telemetry.csv`, syscalls: `${r.id}/${stem}.syscalls.parquet`, events: `events/${r.id}.parquet`,
      };
      const manifest = JSON.parse(readFileSync(path.join(dir, files.manifest), "utf8")) as {
        recording: { lines: number; syscalls: number; durationNs: number };
        mission: { preset: string; legs: number; distanceM: number; cruiseAltitudeM: number; cruiseSpeedMps: number; pollHz: number };
        environment: { windMps: number; gustMps: number };
        anomalies: { cause: string; stretches: unknown[] } | null;
        episodes: Array<{ cause: string }>;
      };
      const rec = manifest.recording, m = manifest.mission, e = manifest.environment;
      indexRows.push([r.id, r.index, r.scenario, r.seed, "ok", r.outcome, rec.lines, rec.syscalls, rec.durationNs,
        m.preset, m.legs, m.distanceM, m.cruiseAltitudeM, m.cruiseSpeedMps, m.pollHz, e.windMps, e.gustMps,
        manifest.anomalies?.cause ?? "none", manifest.anomalies?.stretches.length ?? 0, manifest.episodes.length,
        ...Object.values(files).flatMap((f) => [f, statSync(path.join(dir, f)).size, sha256(path.join(dir, f))]), null]);
      const events = parseRawText(readFileSync(path.join(dir, files.raw), "latin1"), files.raw);
      expect(events.length).toBe(rec.lines);
      events.forEach((e, seq) => {
        const regs = e.kind === "SYSCALL" ? e.regs : [0n, 0n, 0n, 0n, 0n, 0n, 0n];
        atLeast2to63 += regs.filter((v) => v >= 1n << 63n).length;
        tsv.push([r.id, r.scenario, seq, e.ts, e.kind, ...regs, e.cr3].join("\t"));
      });
      // The per-syscall table: its SYSCALL lines' values from the raw file, the rest as Arrow reads the file.
      const t = readSyscallsParquet(readFileSync(path.join(dir, files.syscalls)));
      const calls = events.filter((e) => e.kind === "SYSCALL");
      expect(t.numRows).toBe(calls.length);
      const cell = (c: string, i: number): unknown => t.getChild(c)!.get(i);
      calls.forEach((e, i) => {
        const row = SYSCALL_COLUMNS.map((c) => cell(c.name, i));
        const fromRaw = { enter_ns: e.ts, nr: e.regs[0], ...Object.fromEntries(e.regs.slice(1).map((v, k) => [`arg${k}`, v])), cr3: e.cr3, seq: BigInt(i), flight_id: r.id };
        for (const [k, v] of Object.entries(fromRaw)) expect(row[SYSCALL_COLUMNS.findIndex((c) => c.name === k)], `${files.syscalls} row ${i} ${k}`).toBe(v);
        negatives += row.filter((v) => typeof v === "bigint" && v < 0n).length;
        syscallTsv.push(row.map(String).join("\t"));
      });
      syscallFiles.push(path.join(dir, files.syscalls));
      labeled.push(...manifest.episodes.map((ep) => ep.cause));
    }
    expect(negatives).toBeGreaterThan(0);
    expect(atLeast2to63).toBeGreaterThan(0);   // the values a float64 cannot hold are there
    const work = tempDir("python-spec");
    writeFileSync(path.join(work, "events.tsv"), tsv.join("\n") + "\n");
    writeFileSync(path.join(work, "syscalls.tsv"), syscallTsv.join("\n") + "\n");
    // Labeled rows per cause, from the manifests' episodes: a datagram labels its socket, sendto and close, a factoring the one call it delays.
    const perCause = ["factoring", "udp"].map((c) => [c, labeled.filter((x) => x === c).length * (c === "udp" ? 3 : 1)]).filter((x) => (x[1] as number) > 0);
    expect(perCause.length).toBe(2);
    // The docs' examples (docs/bulk.md), run as written: SYSCALL rows per flight with its outcome.
    const perFlight = journal.map((r) => [r.id, r.outcome, indexRows.find((x) => x[0] === r.id)![7]]);
    const snippets = [
      { lang: "pandas", rows: perFlight, code: [
        'index = pd.read_csv(DIR + "/index.csv")',
        'events = pd.read_parquet(DIR + "/events")',
        'calls = events[events.type == "SYSCALL"]',
        'result = calls.groupby("flight_id", observed=True).size().rename("calls").reset_index().merge(index[["flight_id", "outcome"]], on="flight_id")[["flight_id", "outcome", "calls"]]',
      ].join("\n") },
      { lang: "duckdb", rows: perFlight, code:
        "SELECT flight_id, i.outcome, count(*) AS calls FROM read_parquet('DIR/events/*.parquet') e JOIN read_csv('DIR/index.csv') i USING (flight_id) " +
        "WHERE e.type = 'SYSCALL' GROUP BY ALL ORDER BY flight_id" },
      { lang: "pandas", rows: perCause, code: [
        'import glob',
        'calls = pd.concat([pd.read_parquet(f) for f in sorted(glob.glob(DIR + "/*/*.syscalls.parquet"))])',
        'result = calls[calls.label == 1].groupby("cause", observed=True).size().rename("rows").reset_index()',
      ].join("\n") },
      { lang: "duckdb", rows: perCause, code:
        "SELECT cause, count(*) AS rows FROM read_parquet('DIR/*/*.syscalls.parquet') WHERE label = 1 GROUP BY cause ORDER BY cause" },
    ];
    const spec = {
      dir,
      snippets,
      csv: [{ path: path.join(dir, "index.csv"), columns: INDEX_COLUMNS, rows: indexRows }],
      parquet: [
        { dir: path.join(dir, "events"), columns: EVENT_COLUMNS, expected: path.join(work, "events.tsv"), order: ["flight_id", "seq"] },
        { files: syscallFiles, glob: path.join(dir, "*", "*.syscalls.parquet"), columns: SYSCALL_COLUMNS, expected: path.join(work, "syscalls.tsv"), order: ["flight_id", "seq"] },
      ],
    };
    writeFileSync(path.join(work, "spec.json"), JSON.stringify(spec));

    const py = await run(env.python!, [SCRIPT, path.join(work, "spec.json")]);
    expect(py.stderr + (py.status === 0 ? "" : `\nexit status ${py.status}`)).not.toMatch(/Traceback|exit status/);
    const report = JSON.parse(py.stdout) as { failures: string[]; stats: Record<string, Record<string, unknown>> };
    expect(report.failures).toEqual([]);
    const events = report.stats[`parquet:${path.join(dir, "events")}`];
    expect(events).toMatchObject({ rows: tsv.length - 1, files: FLIGHTS, cells_at_least_2_63: atLeast2to63, pandas_rows_in_order: true });
    const table = report.stats[`parquet:${path.join(dir, "*", "*.syscalls.parquet")}`];
    expect(table).toMatchObject({ rows: syscallTsv.length - 1, files: FLIGHTS, negative_cells: negatives, pandas_rows_in_order: true });
    expect(table.cells_at_least_2_63).toBeGreaterThan(0);
    expect(table.columns_with_statistics).toBe(2 * FLIGHTS);   // seq and enter_ns, checked against the values
    console.log(`test/python: ${events.rows} event rows and ${table.rows} syscall rows checked with ${JSON.stringify(report.stats.versions)}`);
  }, 300_000);
});
