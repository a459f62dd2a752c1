// The orchestration of `generate` and `merge`, with a fake job injected into
// the real piscina pool (the flight itself is tested in test/flight, and end
// to end with real flights in cli.test.ts).
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import path from "node:path";
import { generate, GenerateOptions } from "../../src/generate/generate.js";
import { merge } from "../../src/generate/merge.js";
import { checkFiles } from "../../src/generate/record.js";
import { readJournal } from "../../src/generate/index-store.js";
import { EVENT_COLUMNS, readEventsParquet } from "../../src/generate/events-export.js";
import { fakeJob, removeTempDirs, tempDir, tree, treeDiff } from "./helpers.js";

const base = (out: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({
  out, flights: 13, mix: "normal=60,busydelay=20,sockets=20", seed: "99", workers: 2, jobModule: fakeJob, ...extra,
});
// The meta file names the shard; everything else must be identical.
const META = /^generate(\.shard-\d+-of-\d+)?\.json$/;

afterEach(() => { delete process.env.SKYTRACE_GENERATE_FAULT; });
afterAll(removeTempDirs);

describe("generate with an injected job", () => {
  it("writes one folder per flight, events, and an index whose checksums match the files", async () => {
    const dir = tempDir("gen");
    const s = await generate(base(dir));
    expect(s).toMatchObject({ planned: 13, skipped: 0, ran: 13, failed: 0 });
    const idx = readJournal(path.join(dir, "index.jsonl"));
    expect([...idx.keys()]).toEqual([...Array(13).keys()]);
    for (const r of idx.values()) {
      expect(await checkFiles(dir, r)).toBeNull();
      expect(r.files.map((f) => f.role)).toEqual(["raw", "processed", "manifest", "telemetry", "syscalls", "events"]);
    }
    const csv = readFileSync(path.join(dir, "index.csv"), "utf8").trim().split("\n");
    expect(csv).toHaveLength(14);
    const r0 = idx.get(3)!;
    const header = csv[0].split(","), row = csv[4].split(",");
    expect(new Set(header).size).toBe(header.length);
    const cell = (name: string) => row[header.indexOf(name)];
    expect(["flight_id", "flight_index", "scenario", "seed", "status", "outcome", "event_count", "syscall_count", "virtual_ns"].map(cell)).toEqual(
      [r0.id, "3", r0.scenario, String(r0.seed), "ok", r0.outcome, String(r0.eventCount), String(r0.syscallCount), String(r0.virtualNs)]);
    for (const f of r0.files) expect([`${f.role}_path`, `${f.role}_bytes`, `${f.role}_sha256`].map(cell)).toEqual([f.name, String(f.bytes), f.sha256]);
    // The export: one row per raw line, in order, with the raw line's values; SYSRET rows hold 0 where the line has no registers.
    const t = readEventsParquet(readFileSync(path.join(dir, r0.files.find((f) => f.role === "events")!.name)));
    const rawLines = readFileSync(path.join(dir, r0.files[0].name), "utf8").trim().split("\n");
    expect(t.numRows).toBe(rawLines.length);
    expect(t.numRows).toBe(r0.eventCount);
    expect(t.schema.fields.map((f) => [f.name, f.nullable])).toEqual(EVENT_COLUMNS.map((n) => [n, false]));
    const row0 = t.get(0)!.toJSON(), row1 = t.get(1)!.toJSON();
    const f0 = rawLines[0].split(/, SYSCALL,|,/);
    expect([row0.flight_id, row0.scenario, row0.seq, row0.type, String(row0.time_ns), Number(row0.nr), row0.cr3]).toEqual(
      [r0.id, r0.scenario, 0n, "SYSCALL", f0[0], Number(f0[1]), BigInt(f0[8])]);
    expect(row0.arg1).toBe(BigInt(r0.seed));
    expect([row1.seq, row1.type, row1.nr, row1.arg0, row1.arg5]).toEqual([1n, "SYSRET", 0n, 0n, 0n]);
  });

  it("shards are disjoint, cover the set, and merge into the byte-identical whole (shared folder and separate folders)", async () => {
    const whole = tempDir("whole"), shared = tempDir("shared"), joined = tempDir("joined");
    await generate(base(whole));
    const apart: string[] = [];
    for (let k = 1; k <= 3; k++) {
      const own = tempDir(`shard${k}`);
      apart.push(own);
      const a = await generate(base(own, { shard: { k, m: 3 }, workers: 1 }));
      const b = await generate(base(shared, { shard: { k, m: 3 } }));
      expect(a.records.map((r) => r.index)).toEqual([...Array(13).keys()].filter((i) => i % 3 === k - 1));
      expect(b.ran).toBe(a.ran);
    }
    // Separate folders: merge --out assembles the whole.
    const r1 = await merge({ dirs: apart, out: joined });
    expect(r1).toMatchObject({ ok: true, complete: 13, problems: [] });
    expect(treeDiff(tree(whole, META), tree(joined, META))).toEqual([]);
    // One shared folder: merge in place.
    const r2 = await merge({ dirs: [shared] });
    expect(r2.ok).toBe(true);
    expect(treeDiff(tree(whole, META), tree(shared, /^(generate.*\.json|index\.shard-.*)$/))).toEqual([]);
    expect(JSON.parse(readFileSync(path.join(joined, "generate.json"), "utf8"))).toEqual(JSON.parse(readFileSync(path.join(whole, "generate.json"), "utf8")));
  });

  it("merge reports missing, mismatched and duplicate flights, and fails when incomplete", async () => {
    const s1 = tempDir("m1"), s2 = tempDir("m2"), s2b = tempDir("m2b");
    await generate(base(s1, { shard: { k: 1, m: 2 }, flights: 6 }));
    await generate(base(s2, { shard: { k: 2, m: 2 }, flights: 6 }));
    await generate(base(s2b, { shard: { k: 2, m: 2 }, flights: 6, workers: 1 }));
    const missing = await merge({ dirs: [s1] });
    expect(missing.ok).toBe(false);
    expect(missing.problems.filter((p) => p.problem === "missing").map((p) => p.id)).toEqual(["flight-000001", "flight-000003", "flight-000005"]);
    // The same shard made twice, identically: a duplicate, harmless.
    const dup = await merge({ dirs: [s1, s2, s2b] });
    expect(dup.ok).toBe(true);
    expect(dup.problems.map((p) => `${p.id} ${p.problem}`)).toEqual(["flight-000001 duplicate", "flight-000003 duplicate", "flight-000005 duplicate"]);
    // A damaged file is a mismatch (the other copy is used when one is good).
    const rec = readJournal(path.join(s2, "index.shard-2-of-2.jsonl")).get(3)!;
    appendFileSync(path.join(s2, rec.files[1].name), "x");
    expect((await merge({ dirs: [s1, s2, s2b] })).ok).toBe(true);
    const bad = await merge({ dirs: [s1, s2] });
    expect(bad.ok).toBe(false);
    expect(bad.problems).toEqual([{ id: "flight-000003", problem: "mismatched", detail: expect.stringMatching(/files do not match the index: .*has \d+ bytes/) }]);
    // Another dataset's shard is refused outright.
    const other = tempDir("m3");
    await generate(base(other, { shard: { k: 2, m: 2 }, flights: 6, seed: "100" }));
    await expect(merge({ dirs: [s1, other] })).rejects.toThrow(/seed 100.*not the same dataset/);
  });

  it("records failing flights (an exception, a worker thread that dies) with their error; the rest complete; a rerun redoes them", async () => {
    const dir = tempDir("fail");
    process.env.SKYTRACE_GENERATE_FAULT = "2:throw,5:exit";
    const s = await generate(base(dir, { flights: 8 }));
    expect(s.failed).toBe(2);
    const idx = readJournal(path.join(dir, "index.jsonl"));
    expect(idx.get(2)).toMatchObject({ status: "failed", files: [], error: expect.stringContaining("injected fault") });
    expect(idx.get(5)).toMatchObject({ status: "failed", error: expect.stringMatching(/^worker crashed/) });
    expect([...idx.values()].filter((r) => r.status === "ok")).toHaveLength(6);
    expect(existsSync(path.join(dir, "flight-000002"))).toBe(false);
    expect(readFileSync(path.join(dir, "index.csv"), "utf8")).toMatch(/flight-000005,5,.*,failed,.*worker crashed/);
    delete process.env.SKYTRACE_GENERATE_FAULT;
    const again = await generate(base(dir, { flights: 8 }));
    expect(again).toMatchObject({ skipped: 6, ran: 2, failed: 0 });
    const clean = tempDir("clean");
    await generate(base(clean, { flights: 8 }));
    expect(treeDiff(tree(clean), tree(dir))).toEqual([]);
  });

  it("resumes: keeps complete flights, redoes damaged, missing and torn ones, ends identical to one clean run", async () => {
    const clean = tempDir("clean"), dir = tempDir("resume");
    await generate(base(clean));
    await generate(base(dir));
    const idx = readJournal(path.join(dir, "index.jsonl"));
    writeFileSync(path.join(dir, idx.get(1)!.files[0].name), "damaged");           // checksum no longer matches
    rmSync(path.join(dir, idx.get(4)!.files.find((f) => f.role === "events")!.name)); // export missing
    rmSync(path.join(dir, "flight-000007"), { recursive: true });                   // folder gone
    const lines = readFileSync(path.join(dir, "index.jsonl"), "utf8").split("\n");
    // Flight 12's line torn by a kill mid-write, and a leftover scratch folder.
    writeFileSync(path.join(dir, "index.jsonl"), lines.slice(0, 12).join("\n") + "\n" + lines[12].slice(0, 30));
    writeFileSync(path.join(dir, "index.csv"), "stale");
    mkdirSync(path.join(dir, ".tmp", "flight-000003"), { recursive: true });
    const s = await generate(base(dir));
    expect(s).toMatchObject({ skipped: 9, ran: 4, failed: 0 });
    expect(treeDiff(tree(clean), tree(dir))).toEqual([]);
    // A third run flies nothing.
    expect(await generate(base(dir))).toMatchObject({ skipped: 13, ran: 0 });
  });

  it("refuses a folder that holds another dataset", async () => {
    const dir = tempDir("other");
    await generate(base(dir, { flights: 2 }));
    await expect(generate(base(dir, { flights: 2, seed: "1" }))).rejects.toThrow(/holds another dataset.*--seed 99/);
    await expect(generate(base(dir, { flights: 2, mix: "normal=1" }))).rejects.toThrow(/--mix/);
  });
});
