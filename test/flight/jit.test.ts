// Flights are byte-identical with and without the second tier: every scenario
// flown (short missions) on an interpreting Machine and on a JIT one that
// compiles every trace on its first run, the JIT Machine reused from flight to
// flight as a generate worker reuses its instance, and one that compiles in the
// compile thread (modules entered whenever they arrive); every file compared. This
// is test/flight's two-tier check: the other flight tests run once, in the
// default tier (vitest.config.ts says why).
import { describe, it, expect, afterAll } from "vitest";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { runFlight, type FlightHost } from "../../src/flight/run-flight.js";
import type { FlightOptions } from "../../src/flight/options.js";
import { Machine } from "../../src/machine/machine.js";
import { tmp } from "./helpers.js";

const SHORT = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } };
const dirs: string[] = [];
const out = (): string => { const d = tmp(); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

const files = (dir: string): Map<string, Buffer> => new Map(readdirSync(dir).sort().map((n) => [n, readFileSync(path.join(dir, n))]));

describe("flights with and without the JIT", () => {
  it("every scenario, both clocks: every file byte for byte", () => {
    const jit: FlightHost = { machine: new Machine(undefined, { jit: 1 }) };
    const interp: FlightHost = { machine: new Machine(undefined, { jit: false }) };
    // At the 16th run rather than the first: every trace of every flight posted to the thread took
    // this test past its time at load 8 (19 567 regions); at 16 the answers still land mid-flight.
    const thread: FlightHost = { machine: new Machine(undefined, { jit: 16, compileThread: true }) };
    const flights = [["normal", 3], ["sockets", 4], ["busydelay", 5], ["shell", 7], ["hog", 8], ["spoof", 9], ["normal", 6, "ideal"]] as const;
    for (const [scenario, seed, timing] of flights) {
      const o = (): FlightOptions => ({ ...SHORT, scenario, seed, outDir: out(), ...(timing ? { timing } : {}) }) as FlightOptions;
      const a = o(), b = o(), c = o();
      runFlight(a, interp);
      runFlight(b, jit);
      runFlight(c, thread);
      const fa = files(a.outDir);
      expect(fa.size).toBe(5);
      for (const [tier, out] of [["JIT", b], ["JIT, compile thread", c]] as const) {
        const fb = files(out.outDir);
        expect([...fb.keys()]).toEqual([...fa.keys()]);
        for (const [n, bytes] of fa) expect(fb.get(n)!.equals(bytes), `${scenario} ${seed}, ${tier}: ${n} byte-identical`).toBe(true);
      }
    }
    expect(jit.machine!.jit!.stats.compiled).toBeGreaterThan(100);
    const st = thread.machine!.jit!.stats;
    expect(st.requested).toBeGreaterThan(100);
    expect(st.compiled).toBeGreaterThan(100);
    console.log(`compile thread: ${st.requested} regions posted, ${st.compiled} entered, ${st.dropped} dropped (a flush came first)`);
  }, 300_000);
});
