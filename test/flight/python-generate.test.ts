// `skytrace generate --autopilot python`: a small dataset of short missions (0.5 m away, 0.5 m up,
// 10 polls a second; the anomaly schedule pinned to two early stretches), one flight each of
// busydelay, sockets, shell and spoof, flown by
// guest/autopilot.py on the host's python3 and pyserial. generate.json and every flight's
// manifest say python; each flight does its scenario's anomaly (busydelay's stalls, which crash
// the drone, sockets' datagrams, shell's payload children, spoof's labeled windows) with
// pyserial's select and one-byte reads around it, and the others land; and the whole dataset is
// byte-identical when generated again with another worker count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pythonMissing } from "../../src/flight/autopilots.js";
import { readJournal } from "../../src/generate/index-store.js";
import { parseRawText } from "../dataset/trace-text.js";
import { removeTempDirs, tempDir, tree, treeDiff } from "../generate/helpers.js";
import type { FlightManifest } from "../../src/flight/index.js";

const why = pythonMissing("/");
if (why) console.log(`generate --autopilot python: skipped: ${why}`);

const CLI = path.resolve("bin/skytrace.js");
const MIX = "busydelay=1,sockets=1,shell=1,spoof=1";
let args: string[];
let first: string;

function generate(out: string, workers: number): void {
  const r = spawnSync(process.execPath, [CLI, ...args, "--out", out, "--workers", String(workers)], { encoding: "utf8", timeout: 300_000 });
  expect(r.stderr).toMatch(/generate: 4\/4 done/);
  expect(r.status).toBe(0);
}

beforeAll(() => {
  if (why) return;
  const cfg = path.join(tempDir("py-cfg"), "short.json");
  writeFileSync(cfg, JSON.stringify({ destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }));
  args = ["generate", "--flights", "4", "--seed", "13", "--mix", MIX, "--progress", "lines", "--config", cfg, "--poll-hz", "10", "--autopilot", "python",
    // Two stretches early in the window (a short mission's cruise is a few polls; the drawn schedule starts later).
    "--anomaly", "episodes=2,onset=2,gap=2,duration=6,every=2,ratePermille=1000"];
  first = tempDir("py-gen");
  generate(first, 2);
}, 300_000);
afterAll(removeTempDirs);

describe.skipIf(why !== null)("skytrace generate --autopilot python", () => {
  it("generate.json and every manifest say python; each flight does its scenario's anomaly", () => {
    const meta = JSON.parse(readFileSync(path.join(first, "generate.json"), "utf8"));
    expect(meta.options.program).toBe("python");
    const index = [...readJournal(path.join(first, "index.jsonl")).values()];
    expect(index.map((r) => r.scenario).sort()).toEqual(["busydelay", "shell", "sockets", "spoof"]);
    const script = createHash("sha256").update(readFileSync(new URL("../../guest/autopilot.py", import.meta.url))).digest("hex");
    for (const r of index) {
      expect(r).toMatchObject({ status: "ok", outcome: r.scenario === "busydelay" ? "crashed" : "landed" });
      const file = (role: string) => path.join(first, r.files.find((f) => f.role === role)!.name);
      const m = JSON.parse(readFileSync(file("manifest"), "utf8")) as FlightManifest;
      expect(m.options.autopilot.program).toBe("python");
      expect(m.loaded.find((l) => l.path === "/bin/autopilot")?.sha256).toBe(script);
      expect(m.anomalies!.stretches.length, r.scenario).toBeGreaterThan(0);
      const raw = parseRawText(readFileSync(file("raw"), "latin1"), r.id);
      const calls = raw.filter((e) => e.kind === "SYSCALL");
      const nr = (e: (typeof calls)[number]) => Number(e.regs[0]);
      // pyserial's pattern: pselect6 (glibc's select) and a one-byte read for most calls (~98 % of a
      // full flight's; the interpreter's start-up weighs more in these short ones: 84-95 %).
      const pattern = calls.filter((e) => nr(e) === 270 || (nr(e) === 0 && e.regs[3] === 1n)).length;
      expect(pattern / calls.length, r.scenario).toBeGreaterThan(0.75);
      const images = m.processes.map((p) => p.program);
      // A stall: more than 25 ms of user time between a call's return and the next call (the
      // factoring runs in between); sockets' polls take ~13 ms at most.
      let longest = 0;
      for (let i = 1; i < raw.length; i++) {
        if (raw[i].kind === "SYSCALL" && raw[i - 1].kind === "SYSRET") longest = Math.max(longest, Number(raw[i].ts - raw[i - 1].ts));
      }
      if (r.scenario === "busydelay") expect(longest).toBeGreaterThan(25e6);
      if (r.scenario === "sockets") expect(longest).toBeLessThan(25e6);
      if (r.scenario === "sockets") expect(calls.filter((e) => nr(e) === 44).length).toBeGreaterThan(0);
      if (r.scenario === "shell") expect(images).toContain("/bin/payload");
      if (r.scenario === "spoof") expect(m.episodes.length).toBeGreaterThan(0);
      else expect(m.episodes).toEqual([]);
    }
  });

  it("is byte-identical when generated again (one worker instead of two)", () => {
    const again = tempDir("py-gen-again");
    generate(again, 1);
    expect(treeDiff(tree(first), tree(again))).toEqual([]);
  }, 300_000);
});
