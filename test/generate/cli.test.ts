// `skytrace generate` and `skytrace merge` end to end, with real (short)
// flights through the CLI: shards byte-identical to the whole, a run killed
// with SIGKILL and resumed ends identical to an uninterrupted one, a failing
// flight is recorded and the exit status says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readJournal } from "../../src/generate/index-store.js";
import { checkFiles } from "../../src/generate/record.js";
import { readEventsParquet } from "../../src/generate/events-export.js";
import { parseRawLine } from "../../src/dataset/raw-reader.js";
import { removeTempDirs, tempDir, tree, treeDiff } from "./helpers.js";
import { waitUntil } from "../cli/helpers.js";

const CLI = path.resolve("bin/skytrace.js");
let shortFlight: string[];
const FLIGHTS = 5;

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 120_000 });
}
const gen = (out: string, extra: string[] = []) =>
  ["generate", "--flights", String(FLIGHTS), "--seed", "2026", "--out", out, "--progress", "lines", ...shortFlight, ...extra];

let whole: string;

beforeAll(() => {
  // Short missions (0.5 m away, 0.5 m up, 10 polls a second, small factorings): ~10 000 events a flight.
  const cfg = path.join(tempDir("cfg"), "short.json");
  writeFileSync(cfg, JSON.stringify({ destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }));
  shortFlight = ["--config", cfg, "--poll-hz", "10", "--busy-bits", "16"];
  whole = tempDir("whole");
  const r = cli(gen(whole, ["--workers", "2"]));
  expect(r.stderr).toMatch(/generate: 5\/5 done/);
  expect(r.status).toBe(0);
}, 120_000);
afterAll(removeTempDirs);

describe("skytrace generate with real flights", () => {
  it("the index matches the files, the export matches the raw traces, and each flight is what `fly` makes alone", async () => {
    const idx = readJournal(path.join(whole, "index.jsonl"));
    expect(idx.size).toBe(FLIGHTS);
    for (const r of idx.values()) {
      expect(r).toMatchObject({ status: "ok", outcome: "landed" });
      expect(await checkFiles(whole, r)).toBeNull();
      const raw = readFileSync(path.join(whole, r.files[0].name), "utf8");
      const t = readEventsParquet(readFileSync(path.join(whole, r.files.find((f) => f.role === "events")!.name)));
      expect(t.numRows).toBe(raw.split("\n").length - 1);
      expect(t.numRows).toBe(r.eventCount);
      // Every row against its raw line as the reference reader reads it (the export's encodings round-trip).
      const lines = raw.split("\n").slice(0, -1);
      const col = (name: string) => t.getChild(name)!.toArray();
      const [tick, event, cr3] = [col("time_ns"), col("seq"), col("cr3")];
      const regs = ["nr", "arg0", "arg1", "arg2", "arg3", "arg4", "arg5"].map((c) => t.getChild(c)!);
      const type = t.getChild("type")!, flight = t.getChild("flight_id")!, scenario = t.getChild("scenario")!;
      lines.forEach((l, i) => {
        const e = parseRawLine(l, i + 1);
        expect([tick[i], event[i], cr3[i], type.get(i), flight.get(i), scenario.get(i)]).toEqual([e.ts, BigInt(i), e.cr3, e.kind, r.id, r.scenario]);
        expect(regs.map((c) => c.get(i))).toEqual(e.kind === "SYSCALL" ? e.regs : [0n, 0n, 0n, 0n, 0n, 0n, 0n]);
      });
    }
    expect(new Set([...idx.values()].map((r) => r.scenario))).toEqual(new Set(["normal", "busydelay", "sockets"]));
    const r2 = idx.get(2)!;
    const alone = tempDir("alone");
    const f = cli(["fly", "--scenario", r2.scenario, "--seed", String(r2.seed), "--flight-id", r2.id, "--out", alone, ...shortFlight]);
    expect(f.status).toBe(0);
    for (const file of r2.files.filter((x) => x.role !== "events")) {
      expect(readFileSync(path.join(alone, path.basename(file.name))).equals(readFileSync(path.join(whole, file.name)))).toBe(true);
    }
  }, 120_000);

  it("two shards made apart merge into the byte-identical whole; merge of one shard alone fails", () => {
    const s1 = tempDir("s1"), s2 = tempDir("s2"), joined = tempDir("joined");
    expect(cli(gen(s1, ["--shard", "1/2", "--workers", "1"])).status).toBe(0);
    expect(cli(gen(s2, ["--shard", "2/2", "--workers", "1"])).status).toBe(0);
    const lonely = cli(["merge", s1]);
    expect(lonely.status).toBe(1);
    expect(lonely.stdout).toMatch(/3\/5 flights complete — INCOMPLETE[\s\S]*missing \(2\):\n\s+flight-000001: in no index\n\s+flight-000003/);
    const m = cli(["merge", s1, s2, "--out", joined]);
    expect(m.stdout).toMatch(/5\/5 flights complete; index written/);
    expect(m.status).toBe(0);
    expect(treeDiff(tree(whole, /^generate\.json$/), tree(joined, /^generate\.json$/))).toEqual([]);
  }, 120_000);

  it("a run killed with SIGKILL after a few flights, run again, ends identical to an uninterrupted run", async () => {
    const dir = tempDir("killed");
    const child = spawn(process.execPath, [CLI, ...gen(dir, ["--workers", "1"])], { stdio: "ignore" });
    const journal = path.join(dir, "index.jsonl");
    const lines = () => (existsSync(journal) ? readFileSync(journal, "utf8").split("\n").filter(Boolean).length : 0);
    await new Promise<void>((resolve, reject) => {
      const poll = setInterval(() => {
        if (lines() >= 2) { clearInterval(poll); child.kill("SIGKILL"); resolve(); }
      }, 20);
      child.on("exit", () => { clearInterval(poll); reject(new Error("generate finished before it could be killed")); });
    });
    await new Promise((r) => child.on("exit", r));
    const before = lines();
    expect(before).toBeGreaterThanOrEqual(2);
    expect(before).toBeLessThan(FLIGHTS);
    const again = cli(gen(dir, ["--workers", "1"]));
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${before} already there, ${FLIGHTS - before} flown`));
    expect(treeDiff(tree(whole), tree(dir))).toEqual([]);
  }, 120_000);

  // Starts generate, waits until its progress on stderr matches `ready`, sends `sig`.
  async function signalled(dir: string, ready: RegExp, sig: NodeJS.Signals) {
    const child = spawn(process.execPath, [CLI, ...gen(dir, ["--workers", "1"])], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "", stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<[number | null, string | null]>((r) => child.on("close", (code, s) => r([code, s])));
    await waitUntil(() => ready.test(stderr), child);
    child.kill(sig);
    const [code, signal] = await exited;
    return { code, signal, stderr, stdout };
  }

  it("SIGINT mid-run keeps the complete flights indexed, leaves nothing else, says how to resume, exit 130; the same command completes it", async () => {
    const dir = tempDir("sigint");
    const r = await signalled(dir, /generate: 2\/5 done/, "SIGINT");
    expect([r.code, r.signal]).toEqual([130, null]);
    const said = /generate: interrupted; run the same command to resume \((\d+) of 5 flights complete in .*\)\n$/.exec(r.stderr);
    expect(said, r.stderr).not.toBeNull();
    const complete = Number(said![1]);
    expect(complete).toBeGreaterThanOrEqual(2);
    expect(complete).toBeLessThan(FLIGHTS);
    // Exactly the indexed flights, whole, and the index: no scratch, no half-moved flight, no empty folder.
    const idx = [...readJournal(path.join(dir, "index.jsonl")).values()];
    expect(idx.map((x) => x.status)).toEqual(new Array(complete).fill("ok"));
    for (const x of idx) expect(await checkFiles(dir, x)).toBeNull();
    expect(readdirSync(dir).sort()).toEqual(["events", "generate.json", "index.csv", "index.jsonl", ...idx.map((x) => x.id)].sort());
    expect([...tree(dir).keys()].sort()).toEqual(["generate.json", "index.csv", "index.jsonl", ...idx.flatMap((x) => x.files.map((f) => f.name))].sort());
    expect(readFileSync(path.join(dir, "index.csv"), "utf8").trim().split("\n")).toHaveLength(complete + 1);
    const again = cli(gen(dir, ["--workers", "1"]));
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`${complete} already there, ${FLIGHTS - complete} flown`));
    expect(treeDiff(tree(whole), tree(dir))).toEqual([]);
  }, 120_000);

  it("SIGTERM before any flight is complete: the folder this run made is gone again, exit 143", async () => {
    const base = tempDir("sigterm");
    const r = await signalled(path.join(base, "new", "data"), /generate: 5 flights, 0 already complete, 5 to fly/, "SIGTERM");
    expect([r.code, r.signal]).toEqual([143, null]);
    expect(r.stderr).toMatch(/generate: interrupted; run the same command to resume \(0 of 5 flights complete in .*\/new\/data\)\n$/);
    expect(r.stdout).toBe("");
    expect(readdirSync(base)).toEqual([]);
  }, 120_000);

  it("a failing flight is recorded with its error, the others complete, the exit status is 1", () => {
    const dir = tempDir("failing");
    const r = cli(gen(dir, ["--workers", "2"]), { SKYTRACE_GENERATE_FAULT: "1:guest" });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/4\/5 flights complete.*1 failed\n\s+flight-000001 \(\w+, seed \d+\) failed: the flight did not finish within 0.001 s of virtual time/);
    const idx = readJournal(path.join(dir, "index.jsonl"));
    expect(idx.get(1)).toMatchObject({ status: "failed", files: [] });
    expect([...idx.values()].filter((x) => x.status === "ok")).toHaveLength(4);
    // The others are the very flights of the clean run.
    expect(treeDiff(tree(whole, /^(index\.|flight-000001|events\/flight-000001)/), tree(dir, /^index\./))).toEqual([]);
  }, 120_000);

  it("records the clock with the dataset (realistic by default) and refuses to resume it on the other clock", () => {
    const meta = JSON.parse(readFileSync(path.join(whole, "generate.json"), "utf8"));
    expect(meta.options.timing).toBe("realistic");
    for (const r of readJournal(path.join(whole, "index.jsonl")).values()) {
      const m = JSON.parse(readFileSync(path.join(whole, r.files.find((f) => f.name.endsWith("manifest.json"))!.name), "utf8"));
      expect(m.clock.timing.model).toBe("realistic");
    }
    const r = cli(gen(whole, ["--timing", "ideal"]));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/holds another dataset .*"timing":"realistic"/);
  });
});
