// The episode log (src/flight/ground-truth/episodes.ts) on its own: episodes
// begun and ended by probe hits per cause and thread, a host-side window, the
// numbering by start, those outside the recording left out, one still open
// at the end, and the probes it asks the kernel for (handlers of several
// causes on one symbol run together; a symbol watched only at its return
// still gets its entry probe).
import { describe, expect, it } from "vitest";
import { EpisodeLog, type ProbeHit } from "../../src/flight/ground-truth/episodes.js";
import type { CauseDefinition } from "../../src/flight/ground-truth/causes.js";
import type { Process } from "../../src/kernel/process/process.js";
import type { Machine } from "../../src/machine/machine.js";

const A: CauseDefinition = { name: "a", what: "", rule: { by: "extent", delayed: false }, probes: { f: { entry: () => {} }, g: { return: () => {} } } };
const B: CauseDefinition = { name: "b", what: "", rule: { by: "window" }, probes: { f: { entry: () => {} } } };

const hit = (tid: number, ns: number): ProbeHit => ({ process: { pid: tid, userTicks: ns / 2 } as unknown as Process, tid, machine: {} as Machine, ns });

describe("the episode log", () => {
  it("keeps episodes per cause and thread, numbered by start, within the recording", () => {
    const log = new EpisodeLog([A, B], () => 0);
    const e1 = log.begin(A, hit(3, 500), { k: 1 });
    expect(log.running(A, hit(3, 600))).toBe(e1);
    expect(log.running(A, hit(4, 600))).toBeUndefined();
    expect(() => log.begin(A, hit(3, 700))).toThrow(/began in thread 3 while one was running/);
    const e2 = log.begin(A, hit(4, 400));
    log.end(e1, hit(3, 900));
    log.end(e2, hit(4, 450));
    log.window(B, 100, 200, { wind: 5 });
    log.begin(A, hit(3, 20_000));             // starts after the recording: left out
    log.begin(B, hit(5, 950));                // still open at the end
    const eps = log.episodes(300, 10_000);
    expect(eps).toEqual([
      { episode: 0, cause: "a", startNs: 400, endNs: 450, pid: 4, tid: 4, params: {} },
      { episode: 1, cause: "a", startNs: 500, endNs: 900, pid: 3, tid: 3, params: { k: 1 } },
      { episode: 2, cause: "b", startNs: 950, endNs: -1, pid: 5, tid: 5, params: {} },
    ]);
    expect(log.episodes(0, 10_000).map((e) => [e.cause, e.startNs])).toEqual([["b", 100], ["a", 400], ["a", 500], ["b", 950]]);
    expect(EpisodeLog.labeled(eps, [A, B]).map((e) => [e.episode, e.rule.by, e.tid])).toEqual([[0, "extent", 4], [1, "extent", 3], [2, "window", 5]]);
    expect(e1.startInstructions).toBe(250);
  });

  it("asks for one probe per symbol, running every cause's handler", () => {
    const seen: string[] = [];
    const mk = (name: string): CauseDefinition => ({ name, what: "", rule: { by: "extent", delayed: false }, probes: {
      f: { entry: (_l, h) => seen.push(`${name} f ${h.ns}`) },
      g: { return: (_l, h) => seen.push(`${name} g@return ${h.ns}`) },
    } });
    const log = new EpisodeLog([mk("x"), mk("y")], () => 77);
    const p = log.probes("/bin/autopilot");
    expect(p.image).toBe("/bin/autopilot");
    expect(Object.keys(p.symbols).sort()).toEqual(["f", "g"]);
    expect(Object.keys(p.returns!)).toEqual(["g"]);
    const proc = { pid: 1 } as unknown as Process;
    p.symbols.f(proc, 1, {} as Machine);
    p.symbols.g(proc, 1, {} as Machine);
    p.returns!.g(proc, 1, {} as Machine);
    expect(seen).toEqual(["x f 77", "y f 77", "x g@return 77", "y g@return 77"]);
  });
});
