// A dataset read from Python the obvious way: `pd.read_csv("index.csv")`,
// `pd.read_parquet(DIR + "/events")` (no dtype_backend) and DuckDB's
// `read_parquet('events/*.parquet')` give exactly the values of the raw files
// as the reference reader (src/dataset/raw-reader.ts) reads them, every row of
// a few real flights of every scenario, including register values ≥ 2^63.
// The expectations are built here from the flights' own files (raw trace,
// manifest, bytes on disk), not from the code that writes the index.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generate } from "../../src/generate/generate.js";
import { parseRawText } from "../../src/dataset/raw-reader.js";
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
  ...["raw", "processed", "manifest", "telemetry", "events"].flatMap((role) => [
    { name: `${role}_path`, pandas: "str" }, { name: `${role}_bytes`, pandas: "int64" }, { name: `${role}_sha256`, pandas: "str" }]),
  { name: "error", pandas: "float64" },   // empty in every row of this dataset: pandas reads an all-empty column as NaN
];
const str = { pandas: "category", duckdb: "VARCHAR" };
const u64 = { pandas: "uint64", duckdb: "UBIGINT" };
const i64 = { pandas: "int64", duckdb: "BIGINT" };
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
    const indexRows: unknown[][] = [];
    let atLeast2to63 = 0;
    for (const r of journal) {
      const stem = `${r.scenario.toUpperCase()}_Flight`;
      const files = {
        raw: `${r.id}/${stem}.txt`, processed: `${r.id}/${stem}.processed.txt`, manifest: `${r.id}/manifest.json`,
        telemetry: `${r.id}/telemetry.csv`, events: `events/${r.id}.parquet`,
      };
      const rec = (JSON.parse(readFileSync(path.join(dir, files.manifest), "utf8")) as { recording: { lines: number; syscalls: number; durationNs: number } }).recording;
      indexRows.push([r.id, r.index, r.scenario, r.seed, "ok", r.outcome, rec.lines, rec.syscalls, rec.durationNs,
        ...Object.values(files).flatMap((f) => [f, statSync(path.join(dir, f)).size, sha256(path.join(dir, f))]), null]);
      const events = parseRawText(readFileSync(path.join(dir, files.raw), "latin1"), files.raw);
      expect(events.length).toBe(rec.lines);
      events.forEach((e, seq) => {
        const regs = e.kind === "SYSCALL" ? e.regs : [0n, 0n, 0n, 0n, 0n, 0n, 0n];
        atLeast2to63 += regs.filter((v) => v >= 1n << 63n).length;
        tsv.push([r.id, r.scenario, seq, e.ts, e.kind, ...regs, e.cr3].join("\t"));
      });
    }
    expect(atLeast2to63).toBeGreaterThan(0);   // the values a float64 cannot hold are there
    const work = tempDir("python-spec");
    writeFileSync(path.join(work, "events.tsv"), tsv.join("\n") + "\n");
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
    ];
    const spec = {
      dir,
      snippets,
      csv: [{ path: path.join(dir, "index.csv"), columns: INDEX_COLUMNS, rows: indexRows }],
      parquet: [{ dir: path.join(dir, "events"), columns: EVENT_COLUMNS, expected: path.join(work, "events.tsv"), order: ["flight_id", "seq"] }],
    };
    writeFileSync(path.join(work, "spec.json"), JSON.stringify(spec));

    const py = await run(env.python!, [SCRIPT, path.join(work, "spec.json")]);
    expect(py.stderr + (py.status === 0 ? "" : `\nexit status ${py.status}`)).not.toMatch(/Traceback|exit status/);
    const report = JSON.parse(py.stdout) as { failures: string[]; stats: Record<string, Record<string, unknown>> };
    expect(report.failures).toEqual([]);
    const events = report.stats[`parquet:${path.join(dir, "events")}`];
    expect(events).toMatchObject({ rows: tsv.length - 1, files: FLIGHTS, cells_at_least_2_63: atLeast2to63, pandas_rows_in_order: true });
    console.log(`test/python: ${events.rows} rows checked with ${JSON.stringify(report.stats.versions)}`);
  }, 300_000);
});
