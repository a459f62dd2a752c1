// `skytrace export lidds`: a small generated dataset exported and read back by
// a reader that follows LID-DS's loader rules (lidds-reader.ts), every `.sc`
// line checked against the flight's per-syscall table (read on its own, as
// test/flight/table-checks.ts reads it), the JSON against the manifest, the
// `.res` against sums made here from the table, the splits against
// splits.ts; then byte-identical output, bad input and --help through the CLI,
// and the ZIPs through Python's own zipfile module.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { generate } from "../../src/generate/generate.js";
import { exportLidds, ExportStopped } from "../../src/research/lidds/export.js";
import { ENTRY_PARAMS, HEX_RESULTS } from "../../src/research/lidds/params.js";
import { assignSplits, proportionalCounts } from "../../src/research/splits.js";
import { ERRNO_NAMES } from "../../src/kernel/errno-names.js";
import type { FlightManifest } from "../../src/flight/manifest.js";
import { readTable, type TableRows } from "../flight/table-checks.js";
import { removeTempDirs, tempDir, tree, treeDiff } from "../generate/helpers.js";
import { built, runCli } from "../cli/helpers.js";
import { readScenario, readZip, type LiddsRecording } from "./lidds-reader.js";

const SHORT = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } };
const EPOCH_NS = 1546300800n * 1_000_000_000n;
let data: string, out: string;
let recordings: LiddsRecording[];
let index: Array<{ id: string; scenario: string; seed: number; files: Array<{ role: string; name: string }> }>;

beforeAll(async () => {
  data = tempDir("lidds-data");
  const s = await generate({ out: data, flights: 10, mix: "normal=3,busydelay=1,sockets=1", seed: "5", workers: 2, flightOptions: SHORT });
  expect(s.failed).toBe(0);
  index = readFileSync(path.join(data, "index.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  out = path.join(tempDir("lidds-out"), "scenario");
  await exportLidds({ dataset: data, out, seed: 3 });
  recordings = readScenario(out);
}, 300_000);
afterAll(removeTempDirs);

const fileOf = (id: string, role: string) => path.join(data, index.find((r) => r.id === id)!.files.find((f) => f.role === role)!.name);

// Formats written here from params.ts's documented meaning, with BigInt.
function expectedValue(v: bigint, f: string): string {
  if (f === "d") return String(BigInt.asIntN(32, v));
  if (f === "u") return String(v);
  if (f === "i") return String(BigInt.asIntN(64, v));
  if (f === "x") return `0x${v.toString(16)}`;
  return v === 0n ? "0" : `0${v.toString(8)}`;
}
function expectedRes(name: string, ret: number): string {
  if (ret < 0 && ret > -4096 && ERRNO_NAMES[-ret]) return `${ret}(${ERRNO_NAMES[-ret][0]})`;
  return HEX_RESULTS.has(name) ? `0x${ret.toString(16)}` : String(ret);
}

describe("export lidds", () => {
  it("has LID-DS's layout: the splits of splits.ts, normal flights only in training and validation, anomalous ones in test/normal_and_attack", () => {
    const normal = index.filter((r) => r.scenario === "normal").length;
    const splits = assignSplits(index.map((r) => ({ id: r.id, scenario: r.scenario })), { seed: 3 });
    expect(recordings.map((r) => r.name)).toEqual(index.map((r) => r.id).sort());
    const c = proportionalCounts(normal);
    expect(recordings.filter((r) => r.category === "training").length).toBe(c.training);
    expect(recordings.filter((r) => r.category === "validation").length).toBe(c.validation);
    for (const r of recordings) {
      const scenario = index.find((x) => x.id === r.name)!.scenario;
      expect(r.category).toBe(splits.get(r.name));
      expect(path.relative(out, path.dirname(r.path))).toBe(r.category !== "test" ? r.category : scenario === "normal" ? "test/normal" : "test/normal_and_attack");
      expect(r.members).toEqual([`${r.name}.sc`, `${r.name}.json`, `${r.name}.res`, `${r.name}.labels.csv`]);
      expect(r.type).toBe(scenario === "normal" ? "NORMAL" : "NORMAL_AND_ATTACK");
    }
  });

  it("every .sc line is a table row's entry or exit, in time order, with its fields; labels.csv gives each line's exact label", () => {
    let checked = 0;
    for (const rec of recordings) {
      const t: TableRows = readTable(fileOf(rec.name, "syscalls"));
      const labels = rec.extra.get(`${rec.name}.labels.csv`)!.toString("utf8").trim().split("\n");
      expect(labels[0]).toBe("line,seq,label,cause,episode");
      expect(labels.length - 1).toBe(rec.sc.length);
      const seen = new Map<number, number>();   // row → how many lines so far (1 after its entry, 2 after its exit)
      const bad: string[] = [];   // collected, not one expect per line: ~100 000 lines
      const same = (what: string, got: unknown, want: unknown) => { if (JSON.stringify(got) !== JSON.stringify(want) && bad.length < 5) bad.push(`line ${what}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`); };
      let last = -1n;
      for (const line of rec.sc) {
        const [lineNo, seqText, label, cause, episode] = labels[line.lineId].split(",");
        const i = Number(seqText);
        const before = seen.get(i) ?? 0;
        const exit = line.direction === "close";
        same(`${line.lineId} number`, Number(lineNo), line.lineId);
        same(`${line.lineId} entry, then its exit once`, before, exit ? 1 : 0);
        seen.set(i, before + 1);
        const ns = exit ? t.exit[i] : t.enter[i];
        same(`${line.lineId} time`, line.timestamp === EPOCH_NS + BigInt(ns) && ns >= 0 && line.timestamp >= last, true);
        last = line.timestamp;
        same(`${line.lineId} fields`, [line.userId, line.processId, line.threadId, line.processName, line.name], [0, t.pid[i], t.tid[i], t.comm[i] || "?", t.name[i]]);
        const params = exit
          ? { res: expectedRes(t.name[i], t.ret[i]) }
          : Object.fromEntries((ENTRY_PARAMS[t.name[i]] ?? []).map((p) => [p.name, expectedValue(t.args[p.arg][i], p.format)]));
        same(`${line.lineId} params`, line.params, params);
        same(`${line.lineId} labels`, [Number(label), cause, Number(episode)], [t.label[i], t.cause[i], t.episode[i]]);
        checked++;
      }
      expect(bad, rec.name).toEqual([]);
      // Every row has its entry line, and its exit line exactly when it returned.
      expect(Array.from({ length: t.n }, (_, i) => seen.get(i) === (t.exit[i] >= 0 ? 2 : 1)).every(Boolean)).toBe(true);
      const m = JSON.parse(readFileSync(fileOf(rec.name, "manifest"), "utf8")) as FlightManifest;
      expect(rec.sc.filter((l) => l.direction === "open").length).toBe(m.recording.syscalls);
      if (m.scenario !== "normal") expect(t.label.some((v) => v === 1)).toBe(true);
    }
    expect(checked).toBeGreaterThan(20_000);
  });

  it("the JSON: LID-DS's keys, one exploit time per episode at its start, seconds since the epoch of the guest's clock", () => {
    for (const rec of recordings) {
      const m = JSON.parse(readFileSync(fileOf(rec.name, "manifest"), "utf8")) as FlightManifest;
      const j = rec.json as { container: Array<{ ip: string; name: string; role: string }>; exploit: boolean; exploit_name: string; image: string; recording_time: number;
        time: { container_ready: { absolute: number }; warmup_end: { absolute: number }; exploit: Array<{ absolute: number; name: string; source: string }> } };
      for (const k of ["container", "exploit", "exploit_name", "image", "recording_time", "time"]) expect(j).toHaveProperty(k);
      expect(j.container).toEqual([{ ip: "127.0.0.1", name: rec.name, role: "normal" }]);
      expect(j.exploit).toBe(m.episodes.length > 0);
      expect(j.exploit).toBe(m.scenario !== "normal");
      expect(j.recording_time).toBe(Math.ceil(m.recording.durationNs / 1e9));
      expect(j.time.container_ready.absolute).toBe(1546300800);
      expect(j.time.warmup_end.absolute).toBeCloseTo(1546300800 + m.recording.beginNs / 1e9, 6);
      expect(j.time.exploit.map((e) => e.name)).toEqual(m.episodes.map((e) => e.cause));
      j.time.exploit.forEach((e, k) => expect(e.absolute).toBeCloseTo(1546300800 + m.episodes[k].startNs / 1e9, 6));
    }
  });

  it("the .res: one row a second of the recording, network bytes as the table's sendto results, memory from brk", () => {
    for (const rec of recordings) {
      const m = JSON.parse(readFileSync(fileOf(rec.name, "manifest"), "utf8")) as FlightManifest;
      const t = readTable(fileOf(rec.name, "syscalls"));
      const seconds = Math.ceil(m.recording.durationNs / 1e9);
      expect(rec.res.length).toBe(seconds);
      rec.res.forEach((row, k) => {
        expect(row.timestamp).toBeCloseTo(1546300800 + m.recording.beginNs / 1e9 + k, 6);
        expect(row.cpu).toBeGreaterThanOrEqual(0);
        expect(row.cpu).toBeLessThanOrEqual(1);
        expect([row.read, row.written, row.received]).toEqual([0, 0, 0]);
      });
      let sent = 0;
      for (let i = 0; i < t.n; i++) if (t.name[i] === "sendto" && t.ret[i] > 0) sent += t.ret[i];
      expect(rec.res.reduce((s, r) => s + r.send, 0)).toBe(sent);
      if (m.scenario === "sockets") expect(sent).toBeGreaterThan(0);
      // The autopilot's heap at the end: its last brk result above its first.
      const ap = t.pid.filter((_, i) => t.comm[i] === "autopilot")[0];
      const brks = t.ret.filter((_, i) => t.name[i] === "brk" && t.pid[i] === ap);
      const lastRow = rec.res[rec.res.length - 1];
      const stillAlive = !t.name.some((n, i) => n === "exit_group" && t.pid[i] === ap);
      if (stillAlive) expect(lastRow.memory).toBeGreaterThanOrEqual(brks[brks.length - 1] - brks[0]);
      expect(Math.max(...rec.res.map((r) => r.memory))).toBeGreaterThanOrEqual(brks[brks.length - 1] - brks[0]);
    }
  });

  it("the same dataset and options give byte-identical ZIPs; another split seed moves normal flights", async () => {
    const again = path.join(tempDir("lidds-again"), "s");
    await exportLidds({ dataset: data, out: again, seed: 3 });
    expect(treeDiff(tree(out), tree(again))).toEqual([]);
    const counted = path.join(tempDir("lidds-counts"), "s");
    await exportLidds({ dataset: data, out: counted, seed: 9, counts: { training: 2, validation: 1, testNormal: 1 } });
    const r = readScenario(counted);
    expect(r.filter((x) => x.category === "training").length).toBe(2);
    expect(r.filter((x) => x.category === "validation").length).toBe(1);
    expect(r.filter((x) => x.type === "NORMAL" && x.category === "test").length).toBe(1);
    expect(r.length).toBe(2 + 1 + 1 + index.filter((x) => x.scenario !== "normal").length);
  }, 120_000);

  it("Python's zipfile opens every recording and reads LID-DS's members as the loader does", () => {
    const probe = spawnSync("python3", ["-c", "print(1)"], { encoding: "utf8" });
    if (probe.error) { console.log(`lidds python check skipped: python3 is not on PATH`); return; }
    const script = [
      "import glob, json, os, sys, zipfile",
      "root = sys.argv[1]",
      "files = glob.glob(root + '/training/*.zip') + glob.glob(root + '/validation/*.zip') + glob.glob(root + '/test/*/*.zip')",
      "out = {}",
      "for f in sorted(files):",
      "    name = os.path.splitext(os.path.basename(f))[0]",
      "    with zipfile.ZipFile(f) as z:",
      "        assert z.testzip() is None",
      "        meta = json.loads(z.open(name + '.json').read().decode('utf8').replace(\"'\", '\"'))",
      "        lines = [l.decode('utf-8').rstrip() for l in z.open(name + '.sc')]",
      "        res = z.open(name + '.res').read().decode('utf-8').split('\\n')",
      "        out[name] = [len(z.namelist()), meta['exploit'], len(lines), lines[0].split(' ')[5], len([r for r in res[1:] if r])]",
      "print(json.dumps(out))",
    ].join("\n");
    const r = spawnSync("python3", ["-c", script, out], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const got = JSON.parse(r.stdout) as Record<string, [number, boolean, number, string, number]>;
    for (const rec of recordings) expect(got[rec.name]).toEqual([4, rec.json.exploit, rec.sc.length, rec.sc[0].name, rec.res.length]);
  });

  it.skipIf(!built)("the CLI: --help, a summary line, and one line with exit status 2 for bad input", async () => {
    const help = await runCli(["export", "lidds", "--help"]);
    expect(help.status).toBe(0);
    for (const flag of ["--out", "--seed", "--training", "--validation", "--test-normal"]) expect(help.stdout).toContain(flag);
    const ok = await runCli(["export", "lidds", data, "--out", path.join(tempDir("lidds-cli"), "s"), "--quiet"], { timeoutMs: 120_000 });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^export lidds: 10 recordings in /);
    expect(ok.stderr).toBe("");
    // A path that LID-DS's substring test would misfile: written all the same, with a note.
    const noted = await runCli(["export", "lidds", data, "--out", path.join(tempDir("lidds-cli"), "my-training-sets", "s"), "--quiet"], { timeoutMs: 120_000 });
    expect(noted.status).toBe(0);
    expect(noted.stderr).toMatch(/^skytrace: note: the path .* contains "training": LID-DS's loader files every recording/);
    const notEmpty = tempDir("lidds-full");
    writeFileSync(path.join(notEmpty, "x"), "");
    const noIndex = tempDir("lidds-noindex");
    mkdirSync(path.join(noIndex, "flight-000000"));
    const bad = await Promise.all([
      runCli(["export", "lidds", path.join(noIndex, "missing"), "--out", path.join(noIndex, "o")]),
      runCli(["export", "lidds", noIndex, "--out", path.join(noIndex, "o")]),
      runCli(["export", "lidds", data, "--out", notEmpty]),
      runCli(["export", "lidds", data, "--out", path.join(noIndex, "o2"), "--training", "1"]),
      runCli(["export", "lidds", data, "--out", path.join(noIndex, "o3"), "--training", "50", "--validation", "0", "--test-normal", "0"]),
      runCli(["export", "lidds", data, "--out", path.join(noIndex, "o4"), "--seed", "-1"]),
      runCli(["export", "csv", data]),
    ]);
    for (const b of bad) {
      expect(b.status, b.args.join(" ")).toBe(2);
      expect(b.stderr).not.toMatch(/\n\s+at /);   // no stack trace
    }
    expect(bad[0].stderr).toMatch(/is not a folder/);
    expect(bad[1].stderr).toMatch(/has no index\.jsonl/);
    expect(bad[2].stderr).toMatch(/is not empty/);
    expect(bad[3].stderr).toMatch(/go together/);
    expect(bad[4].stderr).toMatch(/ask for 50 normal flights/);
    expect(bad[5].stderr).toMatch(/--seed must be/);
    for (const b of bad.slice(0, 5)) expect(b.stderr.trim().split("\n").filter((l) => l.startsWith("skytrace:")).length).toBe(1);
  }, 180_000);

  it("takes any scenario name: every one but normal is anomalous (test/normal_and_attack); exploit only with an episode", async () => {
    // The same flights under other scenario names, as new scenarios (shell, hog, spoof, …) will be.
    const renamed = tempDir("lidds-renamed");
    const byId = new Map(index.map((r) => [r.id, r]));
    const busy = index.find((r) => r.scenario === "busydelay")!.id, calm = index.filter((r) => r.scenario === "normal")[0].id;
    const failed = index.find((r) => r.scenario === "sockets")!.id;
    const lines = readFileSync(path.join(data, "index.jsonl"), "utf8").trim().split("\n").map((l) => {
      const r = JSON.parse(l);
      if (r.id === busy) r.scenario = "spoof";
      if (r.id === calm) r.scenario = "hog";
      if (r.id === failed) { r.status = "failed"; r.error = "test"; }
      r.files = r.files.map((f: { name: string }) => ({ ...f, name: path.relative(renamed, path.join(data, f.name)) }));
      return JSON.stringify(r);
    });
    writeFileSync(path.join(renamed, "index.jsonl"), lines.join("\n") + "\n");
    const o = path.join(tempDir("lidds-renamed-out"), "s");
    const summary = await exportLidds({ dataset: renamed, out: o, seed: 3 });
    expect(summary.skippedFailed).toEqual([failed]);   // a failed flight of the index is skipped and listed
    const r = readScenario(o);
    expect(r.some((x) => x.name === failed)).toBe(false);
    const spoof = r.find((x) => x.name === busy)!, hog = r.find((x) => x.name === calm)!;
    expect(path.relative(o, path.dirname(spoof.path))).toBe("test/normal_and_attack");
    expect([spoof.type, spoof.json.exploit_name]).toEqual(["NORMAL_AND_ATTACK", "spoof"]);
    // No episode in a flight of an anomalous scenario: filed with the attacks, but no exploit time to read.
    expect(path.relative(o, path.dirname(hog.path))).toBe("test/normal_and_attack");
    expect([hog.type, hog.json.exploit_name, (hog.json.time as { exploit: unknown[] }).exploit]).toEqual(["NORMAL", "hog", []]);
    expect(byId.size).toBe(10);
  }, 120_000);

  it("a stop between chunks removes the recording in progress and keeps the complete ones", async () => {
    const o = path.join(tempDir("lidds-stop"), "s");
    let reads = 0;
    const stop = { get aborted() { return ++reads > 4; } } as AbortSignal;   // after the first checks: inside a recording
    await expect(exportLidds({ dataset: data, out: o, seed: 3, stop })).rejects.toBeInstanceOf(ExportStopped);
    const files = ["training", "validation", "test/normal", "test/normal_and_attack"].flatMap((f) => readdirSync(path.join(o, f)));
    expect(files.filter((f) => !f.endsWith(".zip"))).toEqual([]);
    expect(files.length).toBeLessThan(recordings.length);
    for (const r of readScenario(o)) expect(r.sc.length).toBe(recordings.find((x) => x.name === r.name)!.sc.length);
  }, 120_000);

  it("a ZIP's members are read back exactly by the test's own ZIP reader (CRC and both headers)", () => {
    const m = readZip(recordings[0].path);
    expect([...m.keys()].length).toBe(4);
  });
});
