// A dataset made by the previous version (index lines with `events` and
// `syscalls`, exports with null registers on SYSRET rows) still resumes and
// merges: its flights are kept, their exports rewritten in today's layout,
// and the result is byte-identical to a dataset made by this version alone.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { generate, GenerateOptions } from "../../src/generate/generate.js";
import { merge } from "../../src/generate/merge.js";
import { checkFiles, parseRecordLine } from "../../src/generate/record.js";
import { readJournal } from "../../src/generate/index-store.js";
import { EVENT_COLUMNS, readEventsParquet } from "../../src/generate/events-export.js";
import { fakeJob, removeTempDirs, tempDir, tree, treeDiff } from "./helpers.js";
import { makePrevious } from "./fixtures/previous-version.js";

const base = (out: string, extra: Partial<GenerateOptions> = {}): GenerateOptions => ({
  out, flights: 9, mix: "normal=1,busydelay=1,sockets=1", seed: "31", workers: 2, jobModule: fakeJob, ...extra,
});
const META = /^generate(\.shard-\d+-of-\d+)?\.json$/;

afterAll(removeTempDirs);

describe("a dataset of the previous version", () => {
  it("reads an index line in the old shape, marked legacy", () => {
    const line = '{"id":"flight-000004","index":4,"scenario":"normal","seed":7,"status":"ok","outcome":"landed","events":40,"syscalls":20,"virtualNs":9000,"files":[],"error":null}';
    expect(parseRecordLine(line)).toEqual({
      id: "flight-000004", index: 4, scenario: "normal", seed: 7, status: "ok", outcome: "landed",
      eventCount: 40, syscallCount: 20, virtualNs: 9000, mission: null, files: [], error: null, legacy: true,
    });
    const failed = '{"id":"flight-000001","index":1,"scenario":"sockets","seed":3,"status":"failed","outcome":null,"events":null,"syscalls":null,"virtualNs":null,"files":[],"error":"boom"}';
    expect(parseRecordLine(failed)).toMatchObject({ eventCount: null, syscallCount: null, legacy: true });
    expect(parseRecordLine(line.replace('"events":40', '"events":"40"'))).toBeNull();
  });

  it("resumes: keeps its flights, rewrites their exports in today's layout, makes the missing ones; identical to a clean run", async () => {
    const clean = tempDir("legacy-clean"), dir = tempDir("legacy");
    await generate(base(clean));
    await generate(base(dir));
    makePrevious(dir);
    const before = readJournal(path.join(dir, "index.jsonl"));
    expect([...before.values()].every((r) => r.legacy)).toBe(true);
    expect(readEventsParquet(readFileSync(path.join(dir, "events/flight-000002.parquet"))).schema.fields.map((f) => f.name)).toContain("tick");
    rmSync(path.join(dir, "flight-000005"), { recursive: true });
    const s = await generate(base(dir));
    expect(s).toMatchObject({ skipped: 8, ran: 1, failed: 0 });
    expect(treeDiff(tree(clean), tree(dir))).toEqual([]);
    expect(readFileSync(path.join(dir, "index.jsonl"), "utf8")).not.toMatch(/"events":|"syscalls":/);
    const t = readEventsParquet(readFileSync(path.join(dir, "events/flight-000002.parquet")));
    expect(t.schema.fields.map((f) => f.name)).toEqual(EVENT_COLUMNS);
  });

  it("merges shards of the previous version and of this one into today's whole; the old shard's files are left as they were", async () => {
    const whole = tempDir("legacy-whole"), s1 = tempDir("legacy-s1"), s2 = tempDir("legacy-s2"), joined = tempDir("legacy-joined");
    await generate(base(whole));
    await generate(base(s1, { shard: { k: 1, m: 2 } }));
    await generate(base(s2, { shard: { k: 2, m: 2 } }));
    makePrevious(s1, "index.shard-1-of-2.jsonl");
    const old = tree(s1);
    const check = await merge({ dirs: [s1, s2] });
    expect(check).toMatchObject({ ok: true, written: null });
    expect(check.notes.join("\n")).toMatch(/5 flight\(s\) made by the previous version: merge --out/);
    const r = await merge({ dirs: [s1, s2], out: joined });
    expect(r).toMatchObject({ ok: true, complete: 9, problems: [] });
    expect(r.notes.join("\n")).toMatch(/5 flight\(s\) made by the previous version: their export rewritten/);
    expect(treeDiff(tree(whole, META), tree(joined, META))).toEqual([]);
    // Hard links were replaced, not written through: the old shard still matches its own index.
    expect(treeDiff(old, tree(s1))).toEqual([]);
    for (const rec of readJournal(path.join(s1, "index.shard-1-of-2.jsonl")).values()) expect(await checkFiles(s1, rec)).toBeNull();
  });

  it("sees an old and a new copy of one flight as the same flight", async () => {
    const a = tempDir("legacy-a"), b = tempDir("legacy-b");
    await generate(base(a, { flights: 3 }));
    await generate(base(b, { flights: 3 }));
    makePrevious(a);
    const r = await merge({ dirs: [a, b] });
    expect(r.ok).toBe(true);
    expect(r.problems.map((p) => p.problem)).toEqual(["duplicate", "duplicate", "duplicate"]);
  });
});
