// `--anomaly KEY=VALUE,…` on fly and generate: the schedule's pins as --config's `anomaly` object
// takes them; bad ones refused in one line naming the key, exit 2, nothing written.
import { afterAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAnomalyFlag } from "../../src/cli/flight-flags.js";
import { built, expectOneLineRefusal, mapLimit, removeTempDirs, runCli, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

describe("--anomaly", () => {
  it("parses KEY=VALUE pairs into the schedule's pins", () => {
    expect(parseAnomalyFlag("phase=CRUISE,episodes=3,onset=0,bits=25,dxM=-1.5")).toEqual({ phase: "CRUISE", episodes: 3, onset: 0, params: { bits: 25, dxM: -1.5 } });
    expect(parseAnomalyFlag(["gap=4", "mib=2"])).toEqual({ gap: 4, params: { mib: 2 } });
    expect(() => parseAnomalyFlag("bits")).toThrow(/'bits' is not KEY=VALUE/);
    expect(() => parseAnomalyFlag("nope=1")).toThrow(/unknown key nope/);
    expect(() => parseAnomalyFlag("bits=x")).toThrow(/bits=x is not a number/);
    expect(() => parseAnomalyFlag("bits=1,bits=2")).toThrow(/bits given twice/);
  });

  it.skipIf(!built)("pins a flight's schedule; bad pins are one line, exit 2, nothing written", async () => {
    const dir = tempDir("anomaly");
    const out = path.join(dir, "ok");
    const ok = await runCli(["fly", "--scenario", "sockets", "--seed", "3", "--out", out, "--distance", "1", "--cruise-altitude", "0.5", "--poll-hz", "10",
      "--anomaly", "episodes=1,onset=0,duration=5,ratePermille=1000,bytes=64,port=30000,ports=1"]);
    expect(ok.status, ok.stderr).toBe(0);
    const m = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(m.anomalies.stretches).toEqual([{ stretch: 0, after: 0, start: 0, duration: 5, params: { ratePermille: 1000, bytes: 64, port: 30000, ports: 1 } }]);
    expect(m.episodes.map((e: { params: { port: number; bytes: number } }) => [e.params.port, e.params.bytes])).toEqual(m.episodes.map(() => [30000, 64]));
    expect(m.episodes.length).toBeGreaterThanOrEqual(1);
    const bad: Array<[string[], RegExp]> = [
      [["--anomaly", "bits=40"], /bad anomaly bits 40: an integer from 8 to 31/],
      [["--anomaly", "phase=LANDED"], /bad anomaly phase "LANDED"/],
      [["--anomaly", "episodes"], /--anomaly: 'episodes' is not KEY=VALUE/],
      [["--anomaly", "port=65000,ports=1000"], /port \+ ports is at most 65536/],
    ];
    await mapLimit(bad, 2, async ([args, what]) => {
      for (const cmd of [["fly", "--scenario", "hog", "--seed", "1"], ["generate", "--flights", "1", "--seed", "1"]]) {
        const o = path.join(dir, `bad-${cmd[0]}-${args[1].replace(/[^a-z0-9]/gi, "_")}`);
        const r = await runCli([...cmd, "--out", o, ...args]);
        expectOneLineRefusal(r, what);
        expect(existsSync(o)).toBe(false);
      }
    });
  }, 300_000);
});
