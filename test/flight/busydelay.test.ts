// BUSYDELAY flights: the autopilot stalls factoring numbers, falls behind the
// sensor stream, climbs too high, comes down and crashes, never reaching the
// destination. Each flight costs billions of emulated instructions of
// factoring, more the faster it polls (its stalls come every 5-20 polls of a
// stretch of its schedule), hence the long timeout on a loaded machine. These three fly their drawn missions at
// 50 polls a second (5-7 s of CPU each instead of ~11 s at the 87-93 Hz their
// seeds draw); docs/dataset.md has the varied defaults over 200 seeds.
import { afterAll, describe, expect, it } from "vitest";
import { fly, checkFiles, count, removeTempDirs, type Flown } from "./helpers.js";

afterAll(removeTempDirs);

const isPrime = (n: number): boolean => { if (n < 2 || n % 2 === 0) return n === 2; for (let d = 3; d * d <= n; d += 2) if (n % d === 0) return false; return true; };

// Every factoring is an episode whose ticks bracket the stall: no call at all is made during it,
// and the one call it labels is the autopilot's first after it, whose Δt carries it. Those are
// exactly the calls after a gap longer than a poll period and a quarter (20 ms at 50 Hz). Its
// parameters are its stretch of the schedule, the number and its two prime factors of the
// stretch's bits; the stretch's factorings are its `every` polls apart.
function checkFactoringLabels(f: Flown): void {
  const t = f.table, m = f.manifest;
  expect(m.episodes.length).toBeGreaterThanOrEqual(3);
  expect(new Set(m.episodes.map((e) => e.cause))).toEqual(new Set(["factoring"]));
  const labeled = [...Array(t.n).keys()].filter((i) => t.label[i] === 1);
  const gap = 1.25e9 / m.options.autopilot.pollHz;
  expect(labeled).toEqual([...Array(t.n).keys()].filter((i) => t.delta[i] > gap));
  expect(labeled.length).toBe(m.episodes.length);
  const stretches = m.anomalies!.stretches;
  expect(m.anomalies!.phase).toBe("TAKEOFF");
  for (const e of m.episodes) {
    const bits = stretches[e.params.stretch as number].params.bits;
    expect(t.enter.filter((ns) => ns >= e.startNs && ns <= e.endNs)).toEqual([]);
    const rows = [...Array(t.n).keys()].filter((i) => t.episode[i] === e.episode);
    expect(rows).toHaveLength(1);
    const i = rows[0];
    expect([t.cause[i], t.tid[i], t.comm[i]]).toEqual(["factoring", e.tid, "autopilot"]);
    expect(t.enter[i]).toBeGreaterThan(e.endNs);
    expect(t.enter[i - 1]).toBeLessThan(e.startNs);
    expect(t.tid.slice(0, i).lastIndexOf(e.tid)).toBeGreaterThanOrEqual(0);
    expect(t.delta[i]).toBeGreaterThan(e.endNs - e.startNs);
    const [p, q] = e.params.factors as number[];
    expect(e.params.number).toBe((BigInt(p) * BigInt(q)).toString());
    expect(e.params.bits).toBe(bits);
    for (const x of [p, q]) { expect(isPrime(x)).toBe(true); expect(Math.floor(Math.log2(x)) + 1).toBe(bits); }
    // Nothing else ran: the stall's ticks are its instructions (and what a clock model adds, at most a few %).
    expect(e.params.instructions).toBeLessThanOrEqual(e.endNs - e.startNs);
    expect(e.params.instructions).toBeGreaterThan(0.95 * (e.endNs - e.startNs));
    // On the clock of instructions alone (a manifest that names no timing model), exactly.
    if (!("timing" in m.clock)) expect(e.params.instructions).toBe(e.endNs - e.startNs);
    expect(e.params.instructions).toBeGreaterThan(2 ** (bits - 2));
  }
  // Stretch after stretch; within one, a factoring every `every` polls: the write of the throttles
  // before each is `every` polls' writes after the one before (one write a poll, and the STATE reports).
  const order = m.episodes.map((e) => e.params.stretch as number);
  expect(order).toEqual([...order].sort((a, b) => a - b));
  const writes = [...Array(t.n).keys()].filter((i) => t.name[i] === "write" && t.comm[i] === "autopilot");
  for (let k = 1; k < m.episodes.length; k++) {
    const a = m.episodes[k - 1], b = m.episodes[k];
    if (a.params.stretch !== b.params.stretch) continue;
    const n = writes.filter((i) => t.enter[i] > a.endNs && t.enter[i] < b.startNs).length;
    const every = stretches[b.params.stretch as number].params.every;
    expect(n - every).toBeGreaterThanOrEqual(0);
    expect(n - every).toBeLessThanOrEqual(1);
  }
  const truth = m.truthPhases.map((p) => p.phase);
  expect(truth[truth.length - 1]).toBe("crashed");
  expect(truth).toContain("descending");
}

describe("skytrace fly: busydelay", () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: lags, flies too high, comes down and crashes without reaching the destination`, () => {
      const f = fly("busydelay", seed, undefined, { autopilot: { pollHz: 50 } });
      checkFiles(f, "busydelay");
      const o = f.manifest.outcome;
      const cruise = f.manifest.options.drone.cruiseAltitudeM as number;
      expect(o).toMatchObject({ reachedDestination: false, landed: false, crashed: true, autopilotState: "CRASHED", autopilotExitStatus: 3 });
      expect(o.crashReason).toMatch(/ground contact .* while (TAKEOFF|CRUISE)/);
      expect(o.maxAltitudeM).toBeGreaterThan(1.3 * cruise);
      // Lag: stalls of >= 0.1 s between two syscalls (a factoring), and the crash
      // reached the autopilot late (it reads stale lines first).
      const stalls = f.processed.filter((l) => l.delta >= 100_000_000n).length;
      expect(stalls).toBeGreaterThanOrEqual(3);
      expect(o.timeNs - o.touchdownNs!).toBeGreaterThan(100_000_000);
      expect(count(f, "socket")).toBe(0);
      expect(f.manifest.phases.map((p) => p.state)).not.toContain("LANDING");
      expect(o.touchdownSpeedMps).toBeGreaterThan(1.5);
      checkFactoringLabels(f);
    }, 600_000);
  }
});
